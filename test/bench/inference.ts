// `npm run bench inference`: ATK-GAN discriminator inference through the app's own pool task
// ('models.predict', one replica per worker, INFERENCE_CHUNK-beat shards) on 1 and 2 workers,
// as beats/s and GFLOP/s (forwardFlops per beat) against the matmul peak of the same pool.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createComputePool } from '../../src-main/compute/pool/pool.ts';
import { shardRows } from '../../src-main/compute/pool/batch.ts';
import { initCompute } from '../../src-main/compute/backend.ts';
import { INFERENCE_CHUNK } from '../../src-main/app/classify.ts';
import type { AppTasks } from '../../src-main/app/compute-tasks.ts';
import type { PeakTasks } from './peak-tasks.ts';
import { measurePeak } from './peak.ts';
import { saveBenchDiscriminator } from './bench-model.ts';

export async function benchInference(log: (line: string) => void): Promise<void> {
  await initCompute();
  const dir = await mkdtemp(join(tmpdir(), 'ecgatk-bench-'));
  try {
    const { dir: modelDir, hash, flops } = await saveBenchDiscriminator(dir);
    log(`atk-gan-d: ${(flops / 1e6).toFixed(1)} MFLOP per 280-sample beat`);
    const beats = 4096;
    const x = Float32Array.from({ length: beats * 280 }, (_, i) => 0.5 + 0.4 * Math.sin(i * 0.05));
    for (const size of [1, 2]) {
      const pool = await createComputePool<AppTasks & PeakTasks>({
        modules: [new URL('../../src-main/app/compute-tasks.ts', import.meta.url), new URL('./peak-tasks.ts', import.meta.url)],
        size,
      });
      try {
        const peak = await measurePeak(pool);
        const run = (): Promise<unknown> =>
          pool.map('models.predict', shardRows({ x }, beats, Math.ceil(beats / INFERENCE_CHUNK)).map((s) => ({ dir: modelDir, hash, beats: s.data.x })));
        await run(); // warm-up: replicas loaded, kernels compiled
        const t0 = performance.now();
        const reps = 2;
        for (let i = 0; i < reps; i++) await run();
        const seconds = (performance.now() - t0) / 1000 / reps;
        const gflops = (beats * flops) / seconds / 1e9;
        log(`${pool.info.backend}${pool.info.simd ? ' (SIMD)' : ''}, ${pool.info.workers} worker(s): ${(beats / seconds).toFixed(0)} beats/s = ${gflops.toFixed(1)} GFLOP/s, ${((100 * gflops) / peak.allWorkers).toFixed(0)}% of the ${peak.allWorkers.toFixed(1)} GFLOP/s matmul peak of ${pool.info.workers} worker(s)`);
      } finally {
        await pool.close();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
