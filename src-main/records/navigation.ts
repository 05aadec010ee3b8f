// "Next / previous beat of class …": one indexed query per step over the annotations table,
// by AAMI class (N, S, V, F, Q) or by MIT label (A, L, /, …).
import type { Store } from '../store/db.ts';
import type { StoredAnnotation } from './catalog.ts';

export interface BeatQuery {
  recordId: number;
  /** Search strictly after (next) or strictly before (prev) this frame. */
  from: number;
  direction: 'next' | 'prev';
  aami?: string;
  symbol?: string;
}

export function findBeat(store: Store, q: BeatQuery): StoredAnnotation | null {
  const next = q.direction === 'next';
  const where = [`record_id = ?`, `sample ${next ? '>' : '<'} ?`];
  const args: (string | number)[] = [q.recordId, q.from];
  if (q.aami) {
    where.push('aami = ?');
    args.push(q.aami);
  }
  if (q.symbol) {
    where.push('symbol = ?');
    args.push(q.symbol);
  }
  if (!q.aami && !q.symbol) where.push("(aami IS NOT NULL OR source = 'detector')");
  const row = store.db
    .prepare(`SELECT sample, symbol, aami, subtype, chan, num, aux, source FROM annotations WHERE ${where.join(' AND ')} ORDER BY sample ${next ? 'ASC' : 'DESC'} LIMIT 1`)
    .get(...args) as StoredAnnotation | undefined;
  return row ?? null;
}
