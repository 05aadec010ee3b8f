// Peak compute of the pool's backend: matmul GFLOP/s on one worker and on all workers at once, and
// how much of that a data-parallel conv1d forward through `pool.map` reaches.
import { createComputePool, type ComputePool } from '../../src-main/compute/pool/pool.ts';
import { shardRows } from '../../src-main/compute/pool/batch.ts';
import type { ConvLayer, MatmulShape, PeakTasks } from './peak-tasks.ts';

export interface PeakFigures {
  backend: string;
  workers: number;
  /** GFLOP/s of the matmul on one worker while the others idle. */
  perWorker: number;
  /** GFLOP/s with every worker running the same matmuls at once (total flops / wall time). */
  allWorkers: number;
}

export async function measurePeak(pool: ComputePool<PeakTasks>, shape: MatmulShape = { m: 512, k: 512, n: 512 }, reps = 20): Promise<PeakFigures> {
  const one = await pool.run('peak.matmul', { ...shape, reps }, { worker: 0 });
  const all = await pool.broadcast('peak.matmul', { ...shape, reps });
  // Every worker's flops over the slowest worker's own timer (message latency left out).
  const slowest = Math.max(...all.map((r) => r.seconds));
  return {
    backend: pool.info.backend,
    workers: pool.info.workers,
    perWorker: one.gflops,
    allWorkers: (2 * shape.m * shape.k * shape.n * reps * all.length) / slowest / 1e9,
  };
}

export interface MapThroughput {
  beatsPerSecond: number;
  gflops: number;
}

/** Wall-clock throughput of one conv1d layer over a batch split across the pool with `map`. */
export async function measureConvMap(pool: ComputePool<PeakTasks>, layer: ConvLayer, rows: number): Promise<MapThroughput> {
  const x = Float32Array.from({ length: rows * layer.length * layer.cin }, (_, i) => Math.sin(i * 0.37));
  // Two shards per worker keeps every worker busy while the other shard's result travels back.
  const run = (): Promise<Float32Array[]> =>
    pool.map('peak.conv', shardRows({ x }, rows, pool.info.workers * 2).map((s) => ({ ...layer, x: s.data.x, rows: s.rows })), { transfer: true });
  await run(); // warm-up: weights loaded, kernels compiled
  const reps = 3;
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) await run();
  const seconds = (performance.now() - t0) / 1000 / reps;
  const flops = 2 * rows * layer.length * layer.kernel * layer.cin * layer.cout;
  return { beatsPerSecond: rows / seconds, gflops: flops / seconds / 1e9 };
}

/** `npm run bench pool`. */
export async function benchPool(log: (line: string) => void): Promise<void> {
  const pool = await createComputePool<PeakTasks>({ modules: [new URL('./peak-tasks.ts', import.meta.url)] });
  try {
    const info = pool.info;
    log(`backend: ${info.backend}${info.simd ? ' (SIMD)' : ''}, ${info.workers} ${info.mode === 'thread' ? 'worker threads' : 'worker processes'}`);
    const peak = await measurePeak(pool);
    log(`matmul 512×512×512 peak: ${peak.perWorker.toFixed(1)} GFLOP/s per worker, ${peak.allWorkers.toFixed(1)} GFLOP/s all ${peak.workers} workers`);
    const layer: ConvLayer = { length: 280, cin: 64, cout: 64, kernel: 16 };
    const rows = 256;
    // The same layer as one im2col matmul for 8 beats: (8·280) × (16·64) · (16·64) × 64.
    const im2col = await measurePeak(pool, { m: 8 * layer.length, k: layer.kernel * layer.cin, n: layer.cout }, 10);
    log(`matmul im2col shape 2240×1024×64: ${im2col.perWorker.toFixed(1)} GFLOP/s per worker, ${im2col.allWorkers.toFixed(1)} GFLOP/s all workers`);
    const map = await measureConvMap(pool, layer, rows);
    log(
      `pool.map conv1d forward (${rows} beats × 280, 64→64, k=16): ${map.beatsPerSecond.toFixed(0)} beats/s, ` +
        `${map.gflops.toFixed(1)} GFLOP/s = ${((100 * map.gflops) / peak.allWorkers).toFixed(0)}% of the all-worker peak`,
    );
  } finally {
    await pool.close();
  }
}
