// Append-only audit log with a SHA-256 hash chain.
import { createHash } from 'node:crypto';
import type { Db } from './db.ts';
import { canonicalJson } from '../common/hash.ts';
import type { AuditEntry, AuditVerification } from '../../src-shared/contract/index.ts';

export const GENESIS_HASH = '0'.repeat(64);

interface Row {
  id: number;
  ts: string;
  actor: string;
  action: string;
  details: string;
  prev_hash: string;
  hash: string;
}

function rowHash(prevHash: string, id: number, ts: string, actor: string, action: string, details: string): string {
  return createHash('sha256').update(canonicalJson({ prevHash, id, ts, actor, action, details })).digest('hex');
}

export class AuditLog {
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  /** Appends one entry. Call inside the caller's transaction to tie it to the change it records. */
  append(action: string, details: unknown, actor = 'user'): AuditEntry {
    const insert = this.db.transaction(() => {
      const last = this.db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as
        | { id: number; hash: string }
        | undefined;
      const id = (last?.id ?? 0) + 1;
      const prev = last?.hash ?? GENESIS_HASH;
      const ts = new Date().toISOString();
      const json = canonicalJson(details ?? null);
      const hash = rowHash(prev, id, ts, actor, action, json);
      this.db
        .prepare('INSERT INTO audit_log (id, ts, actor, action, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(id, ts, actor, action, json, prev, hash);
      return { id, ts, actor, action, details: JSON.parse(json) as unknown, hash };
    });
    return insert();
  }

  list(limit: number): AuditEntry[] {
    const rows = this.db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?').all(limit) as Row[];
    return rows.map((r) => ({ id: r.id, ts: r.ts, actor: r.actor, action: r.action, details: JSON.parse(r.details) as unknown, hash: r.hash }));
  }

  /** Recomputes every hash; reports the first row whose content or link does not match. */
  verify(): AuditVerification {
    let prev = GENESIS_HASH;
    let expectedId = 1;
    let checked = 0;
    for (const r of this.db.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as IterableIterator<Row>) {
      const fail = (reason: string): AuditVerification => ({ ok: false, checked, firstBadId: r.id, reason });
      if (r.id !== expectedId) return fail(`row ${expectedId} is missing (next row is ${r.id})`);
      if (r.prev_hash !== prev) return fail(`row ${r.id} does not link to the previous row's hash`);
      if (rowHash(prev, r.id, r.ts, r.actor, r.action, r.details) !== r.hash) return fail(`row ${r.id} was modified after it was written`);
      prev = r.hash;
      expectedId++;
      checked++;
    }
    return { ok: true, checked, firstBadId: null, reason: null };
  }
}
