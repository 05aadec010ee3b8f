import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createComputePool, type ComputePool } from '../../../src-main/compute/pool/pool.ts';
import { averageGradients, concatRows, shardRows } from '../../../src-main/compute/pool/batch.ts';
import type { PoolTestTasks } from './fixtures/pool-tasks.ts';
import { mulberry32 } from '../../../src-main/common/random.ts';

const TASKS = new URL('./fixtures/pool-tasks.ts', import.meta.url);

function beats(rows: number, length: number, seed: number): Float32Array {
  const rand = mulberry32(seed);
  return Float32Array.from({ length: rows * length }, (_, i) => Math.sin((i % length) / 7) + 0.3 * rand());
}

describe('compute pool on worker threads (wasm)', () => {
  let pool: ComputePool<PoolTestTasks>;
  beforeAll(async () => {
    pool = await createComputePool<PoolTestTasks>({ modules: [TASKS], backend: 'wasm', size: 2 });
  });
  afterAll(() => pool.close());

  it('starts one TF.js per worker and reports backend, mode and worker count', async () => {
    expect(pool.info).toMatchObject({ backend: 'wasm', mode: 'thread', workers: 2 });
    expect(pool.tasks).toEqual(expect.arrayContaining(['echo', 'sum', 'slow', 'conv.forward']));
    expect(await pool.broadcast('backend', undefined)).toEqual(['wasm', 'wasm']);
  });

  it('runs a task and moves a Float32Array with a transfer list', async () => {
    expect(await pool.run('echo', { text: 'hi', n: 3 })).toMatchObject({ params: { text: 'hi', n: 3 } });
    const values = Float32Array.from({ length: 1000 }, (_, i) => i);
    const copied = await pool.run('sum', { values });
    expect(copied).toBe(499_500);
    expect(values.length).toBe(1000); // copied: still usable
    const moved = await pool.run('sum', { values }, { transfer: true });
    expect(moved).toBe(499_500);
    expect(values.length).toBe(0); // transferred: detached here
  });

  it('rejects unknown tasks and passes a thrown error through with its message', async () => {
    await expect(pool.run('nope' as 'echo', {})).rejects.toThrow('unknown compute task "nope"');
    await expect(pool.run('crash', { how: 'throw' })).rejects.toThrow(expect.objectContaining({ name: 'RangeError', message: 'bad params' }));
  });

  it('map over conv1d shards returns results in input order, equal to one worker on the whole batch', async () => {
    const rows = 37;
    const length = 96;
    const x = beats(rows, length, 5);
    const whole = await pool.run('conv.forward', { x, rows, length, seed: 9 });
    expect(whole.length).toBe(rows * (length / 2) * 4);
    const shards = shardRows({ x }, rows, 5);
    expect(shards.map((s) => s.rows)).toEqual([8, 8, 7, 7, 7]);
    const workers = new Set<number>();
    const echoed = await pool.map('echo', shards.map((s) => s.offset));
    echoed.forEach((e) => workers.add(e.worker));
    expect(echoed.map((e) => e.params)).toEqual(shards.map((s) => s.offset));
    const parts = await pool.map('conv.forward', shards.map((s) => ({ x: s.data.x, rows: s.rows, length, seed: 9 })), { transfer: true });
    const joined = concatRows(parts);
    expect(joined.length).toBe(whole.length);
    let maxDiff = 0;
    joined.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - whole[i]!))));
    expect(maxDiff).toBeLessThan(1e-5);
    expect(workers.size).toBe(2); // both workers took shards
  });

  it('averaged per-shard gradients equal the whole-batch gradient (data-parallel training step)', async () => {
    const rows = 24;
    const length = 64;
    const x = beats(rows, length, 8);
    const whole = await pool.run('conv.grad', { x, rows, length, seed: 4 });
    const shards = shardRows({ x }, rows, 3);
    const grads = await pool.map('conv.grad', shards.map((s) => ({ x: s.data.x, rows: s.rows, length, seed: 4 })));
    const mean = averageGradients(grads.map((g, i) => ({ grads: g, rows: shards[i]!.rows })));
    expect([...mean.keys()]).toEqual(['w0', 'w1']);
    for (const [name, g] of whole) {
      const m = mean.get(name)!;
      const scale = Math.max(...g.map(Math.abs));
      g.forEach((v, i) => expect(Math.abs(m[i]! - v)).toBeLessThan(1e-4 * scale));
    }
  });

  it('data-parallel training: replicas fed averaged shard gradients stay identical and match one worker on the whole batch', async () => {
    const rows = 18;
    const length = 48;
    const x = beats(rows, length, 13);
    const lr = 0.5;
    expect(await pool.broadcast('replica.init', { session: 'dp', seed: 6 })).toEqual([0, 1]);
    await pool.run('replica.init', { session: 'ref', seed: 6 }, { worker: 0 });
    const start = await pool.run('replica.weights', { session: 'ref' }, { worker: 0 });
    const shards = shardRows({ x }, rows, 3);
    for (let step = 0; step < 3; step++) {
      const grads = await pool.map('replica.grad', shards.map((s) => ({ session: 'dp', x: s.data.x, rows: s.rows, length })));
      const mean = averageGradients(grads.map((g, i) => ({ grads: g, rows: shards[i]!.rows })));
      await pool.broadcast('replica.apply', { session: 'dp', grads: mean, lr });
      const whole = await pool.run('replica.grad', { session: 'ref', x, rows, length }, { worker: 0 });
      await pool.run('replica.apply', { session: 'ref', grads: whole, lr }, { worker: 0 });
    }
    const [w0, w1] = await pool.broadcast('replica.weights', { session: 'dp' });
    const ref = await pool.run('replica.weights', { session: 'ref' }, { worker: 0 });
    for (const [name, r] of ref) {
      expect(w1!.get(name)).toEqual(w0!.get(name)); // the same step on every replica, bit for bit
      const scale = Math.max(...r.map(Math.abs));
      r.forEach((v, i) => expect(Math.abs(w0!.get(name)![i]! - v)).toBeLessThan(1e-4 * scale));
      const moved = Math.max(...r.map((v, i) => Math.abs(v - start.get(name)![i]!)));
      expect(moved).toBeGreaterThan(1e-3 * scale); // training changed the weights
    }
    await expect(pool.run('replica.grad', { session: 'nope', x, rows, length })).rejects.toThrow(/no replica "nope" on worker \d/);
  });

  it('broadcast reaches every worker once; per-worker state survives across calls', async () => {
    const first = await pool.broadcast('count', { session: 's1' });
    expect(first.map((r) => r.worker)).toEqual([0, 1]);
    expect(first.map((r) => r.count)).toEqual([1, 1]);
    const again = await pool.run('count', { session: 's1' }, { worker: 1 });
    expect(again).toEqual({ worker: 1, count: 2 });
    expect((await pool.broadcast('count', { session: 's1' })).map((r) => r.count)).toEqual([2, 3]);
  });

  it('cancel reaches a task busy in synchronous code within one step; queued calls run FIFO after it', async () => {
    const abort = new AbortController();
    const seen: number[] = [];
    const order: string[] = [];
    const long = pool
      .run('slow', { steps: 5000, spin: 500_000, yield: false }, {
        worker: 0,
        signal: abort.signal,
        onProgress: ({ step }) => {
          seen.push(step);
          if (step === 3) abort.abort();
        },
      })
      .then((r) => (order.push('slow'), r));
    // Queued behind the long task on worker 0, in call order.
    const queued = [1, 2, 3].map((i) => pool.run('echo', i, { worker: 0 }).then((r) => (order.push(`echo${r.params}`), r)));
    const r = await long;
    await Promise.all(queued);
    expect(r.cancelled).toBe(true);
    expect(r.steps).toBeGreaterThanOrEqual(3);
    expect(r.steps).toBeLessThan(1000); // stopped long before the 5000 asked (never yielding: only the shared flag can say so)
    expect(seen).toEqual(Array.from({ length: r.steps }, (_, i) => i + 1));
    expect(order).toEqual(['slow', 'echo1', 'echo2', 'echo3']);
  });

  it('aborting a queued call drops it without running it', async () => {
    const abort = new AbortController();
    const blocker = pool.run('slow', { steps: 5, spin: 100_000, yield: false }, { worker: 1 });
    const dropped = pool.run('count', { session: 'dropped' }, { worker: 1, signal: abort.signal });
    abort.abort(new Error('user stop'));
    await expect(dropped).rejects.toThrow('user stop');
    await blocker;
    expect(await pool.run('count', { session: 'dropped' }, { worker: 1 })).toEqual({ worker: 1, count: 1 });
  });

  it('a worker that exits or throws outside a task fails that call with a clear error, is respawned, and the pool keeps serving', async () => {
    const other = pool.run('slow', { steps: 20, spin: 50_000, yield: false }, { worker: 1 });
    await expect(pool.run('crash', { how: 'exit' }, { worker: 0 })).rejects.toThrow('compute worker 0 exited unexpectedly (code 3) while running "crash"');
    expect(await other).toEqual({ steps: 20, cancelled: false }); // the other worker was untouched
    expect(await pool.run('count', { session: 'after-exit' }, { worker: 0 })).toEqual({ worker: 0, count: 1 });
    await expect(pool.run('crash', { how: 'uncaught' }, { worker: 1 })).rejects.toThrow(/^compute worker 1 crashed \(boom outside the task\) while running "crash"$/);
    expect(await pool.broadcast('backend', undefined)).toEqual(['wasm', 'wasm']);
    expect(pool.info.workers).toBe(2);
  });

  it('a worker out of heap memory fails its call and is replaced', async () => {
    const p = await createComputePool<PoolTestTasks>({ modules: [TASKS], backend: 'cpu', size: 1, maxHeapMb: 48 });
    try {
      await expect(p.run('hog', undefined)).rejects.toThrow(/^compute worker 0 crashed \(.*memory limit.*\) while running "hog"$/);
      expect(await p.run('sum', { values: Float32Array.of(2, 3) })).toBe(5);
    } finally {
      await p.close();
    }
  });

  it('close rejects what is pending and later calls', async () => {
    const p = await createComputePool<PoolTestTasks>({ modules: [TASKS], backend: 'cpu', size: 1 });
    expect(p.info).toMatchObject({ backend: 'cpu', workers: 1 });
    const running = expect(p.run('slow', { steps: 1000, spin: 100_000, yield: true })).rejects.toThrow('the compute pool is closed');
    const queued = expect(p.run('echo', 1)).rejects.toThrow('the compute pool is closed');
    await p.close();
    await Promise.all([running, queued]);
    await expect(p.run('echo', 2)).rejects.toThrow('the compute pool is closed');
  });
});
