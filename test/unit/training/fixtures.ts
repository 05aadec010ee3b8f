// Generated training data shared by the training and attack tests.
import { syntheticBeats } from '../../../src-main/compute/self-test.ts';
import { mulberry32 } from '../../../src-main/common/random.ts';
import { smoothedNoise } from '../../../src-main/models/noise.ts';
import type { ClassBatch, GanBatch } from '../../../src-main/training/steps.ts';

/** Two classes of beats (narrow spike / wide bump) in [0, 1]-ish, labels as class indices. */
export function classBatch(n: number, L: number, seed: number): ClassBatch {
  const { x, y } = syntheticBeats(n, L, mulberry32(seed));
  return { beats: x, labels: Int32Array.from({ length: n }, (_, i) => (y[i * 2 + 1] === 1 ? 1 : 0)) };
}

export function ganBatch(n: number, L: number, seed: number): GanBatch {
  const b = classBatch(n, L, seed);
  const rand = mulberry32(seed + 100);
  // "Attacked" beats carry a visible high-frequency perturbation, so the attacked/clean head has something to learn.
  const attacked = Uint8Array.from({ length: n }, (_, i) => (i >> 1) % 2);
  const beats = Float32Array.from(b.beats, (v, t) => (attacked[Math.floor(t / L)] ? v + 0.1 * Math.sign(Math.sin(t * 1.7)) : v));
  return { beats, labels: b.labels, attacked, noise: smoothedNoise(n, L, rand) };
}

