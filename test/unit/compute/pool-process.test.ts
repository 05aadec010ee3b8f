// Process mode (what tfjs-node needs), forced here with wasm since tfjs-node cannot be installed.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createComputePool, type ComputePool } from '../../../src-main/compute/pool/pool.ts';
import { concatRows, shardRows } from '../../../src-main/compute/pool/batch.ts';
import type { PoolTestTasks } from './fixtures/pool-tasks.ts';

const TASKS = new URL('./fixtures/pool-tasks.ts', import.meta.url);

describe('compute pool on child processes', () => {
  let pool: ComputePool<PoolTestTasks>;
  beforeAll(async () => {
    pool = await createComputePool<PoolTestTasks>({ modules: [TASKS], backend: 'wasm', size: 2, mode: 'process' });
  });
  afterAll(() => pool.close());

  it('starts wasm in each process; map over conv1d shards equals one worker on the whole batch', async () => {
    expect(pool.info).toMatchObject({ backend: 'wasm', mode: 'process', workers: 2 });
    const rows = 10;
    const length = 40;
    const x = Float32Array.from({ length: rows * length }, (_, i) => Math.cos(i / 5));
    const whole = await pool.run('conv.forward', { x, rows, length, seed: 2 });
    const shards = shardRows({ x }, rows, 2);
    const joined = concatRows(await pool.map('conv.forward', shards.map((s) => ({ x: s.data.x, rows: s.rows, length, seed: 2 }))));
    expect(joined.length).toBe(whole.length);
    joined.forEach((v, i) => expect(v).toBeCloseTo(whole[i]!, 5));
    expect(await pool.run('sum', { values: Float32Array.of(1.5, 2.5, 4) })).toBe(8);
  });

  it('cancel arrives by message at the next yield, with progress in order', async () => {
    const abort = new AbortController();
    const seen: number[] = [];
    const r = await pool.run('slow', { steps: 5000, spin: 500_000, yield: true }, {
      signal: abort.signal,
      onProgress: ({ step }) => {
        seen.push(step);
        if (step === 2) abort.abort();
      },
    });
    expect(r.cancelled).toBe(true);
    expect(r.steps).toBeGreaterThanOrEqual(2);
    expect(r.steps).toBeLessThan(1000); // of 5000 asked
    expect(seen).toEqual(Array.from({ length: r.steps }, (_, i) => i + 1));
  });

  it('a process that exits or dies of an uncaught error fails its call, is respawned, and the pool keeps serving', async () => {
    await expect(pool.run('crash', { how: 'exit' }, { worker: 1 })).rejects.toThrow('compute worker 1 exited unexpectedly (code 3) while running "crash"');
    expect(await pool.run('count', { session: 'p' }, { worker: 1 })).toEqual({ worker: 1, count: 1 });
    await expect(pool.run('crash', { how: 'uncaught' }, { worker: 0 })).rejects.toThrow('compute worker 0 crashed (boom outside the task) while running "crash"');
    expect(await pool.broadcast('backend', undefined)).toEqual(['wasm', 'wasm']);
  });
});
