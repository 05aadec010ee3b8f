// Attacks on the compute pool: beats cut into chunks, one chunk per worker per round (`map`), so
// both cores craft at once and progress and cancel come between rounds. Used by the simulator (one
// beat) and by audits (a grid over a test split).
import { AppError } from '../../src-shared/errors.ts';
import { parseAttack, type AttackSpec } from '../../src-shared/contract/index.ts';
import type { AppContext } from './context.ts';
import { concatRows, shardRows } from '../compute/pool/batch.ts';
import type { AttackShardResult } from './model-tasks.ts';
import type { BatchAttackRequest, ScoredAttack } from '../attacks/attack.ts';

/** Beats per `map` item: attacks cost tens of model passes per beat, so chunks are smaller than inference's. */
export const ATTACK_CHUNK = 64;

export interface PoolAttackResult extends ScoredAttack {
  /** Summed crafting time over chunks (worker seconds). */
  craftSeconds: number;
  workers: number;
}

export interface PoolAttackOptions extends BatchAttackRequest {
  chunk?: number;
}

export async function attackOnPool(ctx: AppContext, o: PoolAttackOptions): Promise<PoolAttackResult> {
  let attack: { name: AttackSpec['name']; params: Record<string, unknown> };
  try {
    attack = parseAttack(o.attack);
  } catch (err) {
    throw new AppError('INVALID_INPUT', err instanceof Error ? err.message : String(err));
  }
  const pool = await ctx.compute.pool();
  const L = o.model.card.inputLength;
  const n = o.labels.length;
  if (o.beats.length !== n * L) throw new AppError('INVALID_INPUT', `beats: ${o.beats.length} values for ${n} beats of ${L} samples`);
  const shards = shardRows({ beats: o.beats, labels: o.labels }, n, Math.max(1, Math.ceil(n / (o.chunk ?? ATTACK_CHUNK))));
  const parts: AttackShardResult[] = [];
  const t0 = performance.now();
  for (let at = 0, done = 0; at < shards.length; at += pool.info.workers) {
    const round = shards.slice(at, at + pool.info.workers);
    parts.push(
      ...(await pool.map(
        'attacks.run',
        round.map((s) => ({ dir: o.model.dir, hash: o.model.modelHash, beats: s.data.beats, labels: s.data.labels, attack, ...(o.source ? { source: { dir: o.source.dir, hash: o.source.modelHash } } : {}) })),
        { signal: o.signal },
      )),
    );
    done += round.reduce((a, s) => a + s.rows, 0);
    o.onDone?.(done, n);
    if (o.signal.aborted) throw new AppError('CANCELLED', 'Attack cancelled');
  }
  const cat = (f: (p: AttackShardResult) => Float32Array): Float32Array => (parts.length ? concatRows(parts.map(f)) : new Float32Array(0));
  const hasDetector = parts[0]?.clean.attacked != null;
  const queries = parts[0]?.queries ? Int32Array.from(parts.flatMap((p) => Array.from(p.queries ?? []))) : null;
  return {
    adversarial: cat((p) => p.adversarial),
    queries,
    cleanProbabilities: cat((p) => p.clean.probabilities),
    adversarialProbabilities: cat((p) => p.attacked.probabilities),
    cleanAttacked: hasDetector ? cat((p) => p.clean.attacked!) : null,
    adversarialAttacked: hasDetector ? cat((p) => p.attacked.attacked!) : null,
    craftSeconds: parts.reduce((a, p) => a + p.seconds, 0),
    wallSeconds: (performance.now() - t0) / 1000,
    workers: pool.info.workers,
  };
}
