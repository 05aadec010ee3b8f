// `npm run bench attacks`: attacks on the ATK-GAN discriminator (280 samples, 4 classes) through the
// app's own pool task ('attacks.run', one shard per worker, both workers at once, as attackOnPool runs
// them). PGD-10 as beats/s and GFLOP/s (a step is a forward and a backward pass, ≈ 3 forwards) against
// the matmul peak of the same pool; then beats/s and queries/s of each attack of the paper suite.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createComputePool, type ComputePool } from '../../src-main/compute/pool/pool.ts';
import { shardRows } from '../../src-main/compute/pool/batch.ts';
import { initCompute } from '../../src-main/compute/backend.ts';
import { argmaxRows } from '../../src-main/attacks/attack.ts';
import { attackLabel, presetSuite, type AttackSpec } from '../../src-shared/contract/attacks.ts';
import type { AppTasks } from '../../src-main/app/compute-tasks.ts';
import type { AttackShardResult } from '../../src-main/app/model-tasks.ts';
import type { PeakTasks } from './peak-tasks.ts';
import { measurePeak } from './peak.ts';
import { saveBenchDiscriminator, type SavedBenchModel } from './bench-model.ts';

const L = 280;
/** Beats for the PGD throughput figure, and per attack of the suite (black-box attacks spend up to maxQueries each). */
const PGD_BEATS = Number(process.env.ECGATK_BENCH_PGD_BEATS ?? 256);
const SUITE_BEATS = Number(process.env.ECGATK_BENCH_SUITE_BEATS ?? 8);

/** Beat-like rows: a QRS-ish spike on a slow wave, with seeded variation, in [0, 1]. */
function beatRows(n: number): Float32Array {
  return Float32Array.from({ length: n * L }, (_, k) => {
    const i = Math.floor(k / L);
    const t = k % L;
    return 0.3 + 0.15 * Math.sin((t + 7 * i) * 0.03) + 0.5 * Math.exp(-(((t - 90 - (i % 5)) / (3 + (i % 3))) ** 2));
  });
}

type Pool = ComputePool<AppTasks & PeakTasks>;

/** One attack over the beats, one shard per worker at once; wall seconds and every shard's result. */
async function attackOnWorkers(pool: Pool, m: SavedBenchModel, attack: AttackSpec, beats: Float32Array, labels: Int32Array): Promise<{ seconds: number; parts: AttackShardResult[] }> {
  const shards = shardRows({ beats, labels }, labels.length, pool.info.workers);
  const t0 = performance.now();
  const parts = await pool.map('attacks.run', shards.map((s) => ({ dir: m.dir, hash: m.hash, beats: s.data.beats, labels: s.data.labels, attack })));
  return { seconds: (performance.now() - t0) / 1000, parts };
}

export async function benchAttacks(log: (line: string) => void): Promise<void> {
  await initCompute();
  const dir = await mkdtemp(join(tmpdir(), 'ecgatk-bench-'));
  const pool: Pool = await createComputePool<AppTasks & PeakTasks>({
    modules: [new URL('../../src-main/app/compute-tasks.ts', import.meta.url), new URL('./peak-tasks.ts', import.meta.url)],
  });
  try {
    const m = await saveBenchDiscriminator(dir);
    const peak = await measurePeak(pool);
    log(`${pool.info.backend}${pool.info.simd ? ' (SIMD)' : ''}, ${pool.info.workers} worker(s); matmul peak ${peak.allWorkers.toFixed(1)} GFLOP/s all workers; atk-gan-d ${(m.flops / 1e6).toFixed(1)} MFLOP/beat forward`);
    // Labels: the untrained model's own predictions, so every beat starts classified right.
    const labelsOf = async (beats: Float32Array): Promise<Int32Array> => {
      const parts = await pool.map('models.predict', shardRows({ beats }, beats.length / L, pool.info.workers).map((s) => ({ dir: m.dir, hash: m.hash, beats: s.data.beats })));
      return Int32Array.from(parts.flatMap((p) => Array.from(argmaxRows(p.probabilities, 4))));
    };

    const steps = 10;
    const pgd: AttackSpec = { name: 'pgd', params: { eps: 0.01, alpha: 0.0025, steps, randomStart: true, restarts: 1 } };
    const warm = beatRows(2 * pool.info.workers);
    await attackOnWorkers(pool, m, { name: 'pgd', params: { ...pgd.params, steps: 1 } }, warm, await labelsOf(warm)); // replicas loaded, kernels compiled
    const x = beatRows(PGD_BEATS);
    const { seconds } = await attackOnWorkers(pool, m, pgd, x, await labelsOf(x));
    // Attack steps only: the task's clean/adversarial scoring passes (4 forwards per beat) are left out of the FLOPs.
    const gflops = (PGD_BEATS * steps * 3 * m.flops) / seconds / 1e9;
    log(
      `PGD-10 (${PGD_BEATS} beats): ${(PGD_BEATS / seconds).toFixed(1)} beats/s = ${gflops.toFixed(1)} GFLOP/s, ` +
        `${((100 * gflops) / peak.allWorkers).toFixed(0)}% of the ${peak.allWorkers.toFixed(1)} GFLOP/s matmul peak`,
    );

    const y = beatRows(SUITE_BEATS);
    const labels = await labelsOf(y);
    for (const spec of presetSuite('paper', 0.01)) {
      const r = await attackOnWorkers(pool, m, spec, y, labels);
      const queries = r.parts.reduce((a, p) => a + (p.queries ? p.queries.reduce((s, q) => s + q, 0) : 0), 0);
      const changed = r.parts.reduce((a, p) => {
        const clean = argmaxRows(p.clean.probabilities, 4);
        return a + argmaxRows(p.attacked.probabilities, 4).filter((c, i) => c !== clean[i]).length;
      }, 0);
      log(
        `${attackLabel(spec).padEnd(18)} ${SUITE_BEATS} beats: ${(SUITE_BEATS / r.seconds).toFixed(2)} beats/s` +
          (queries ? `, ${(queries / r.seconds).toFixed(0)} queries/s (${(queries / SUITE_BEATS).toFixed(0)} per beat)` : '') +
          `, ${changed}/${SUITE_BEATS} changed class`,
      );
    }
  } finally {
    await pool.close();
    await rm(dir, { recursive: true, force: true });
  }
}
