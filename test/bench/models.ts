// Model figures: parameters and forward FLOPs per beat of every architecture, and ms per training
// step (batch 64, 280 samples) of the ECG-ATK-GAN discriminator and generator and the baselines.
import { initCompute } from '../../src-main/compute/backend.ts';
import { mulberry32 } from '../../src-main/common/random.ts';
import { buildModel, forwardFlops, MODEL_KINDS, parameterCount } from '../../src-main/models/architectures.ts';
import { smoothedNoise } from '../../src-main/models/noise.ts';
import { Adam, GAN_ADAM } from '../../src-main/training/adam.ts';
import { applyGradients, classifierGradients, discriminatorGradients, generatorGradients, type GanBatch } from '../../src-main/training/steps.ts';

export async function benchModels(log: (line: string) => void): Promise<void> {
  await initCompute('auto');
  for (const [length, classes] of [[280, 4], [187, 5]] as const) {
    for (const kind of MODEL_KINDS) {
      const m = buildModel(kind, { length, classes, seed: 1 });
      log(`${kind.padEnd(9)} L=${length} C=${classes}: ${parameterCount(m).toLocaleString('en')} parameters, ${(forwardFlops(m) / 1e6).toFixed(2)} MFLOP/beat forward`);
      m.dispose();
    }
  }
  const [L, N, C] = [280, 64, 4];
  const rand = mulberry32(1);
  const batch: GanBatch = {
    beats: Float32Array.from({ length: N * L }, () => rand()),
    labels: Int32Array.from({ length: N }, (_, i) => i % C),
    attacked: Uint8Array.from({ length: N }, (_, i) => i % 2),
    noise: smoothedNoise(N, L, rand),
  };
  const time = (label: string, step: () => void): void => {
    step(); // warm-up: first calls compile kernels for these shapes
    const reps = 3;
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) step();
    log(`${label}: ${((performance.now() - t0) / reps).toFixed(0)} ms/step`);
  };
  const d = buildModel('atk-gan-d', { length: L, classes: C, seed: 1 });
  const g = buildModel('atk-gan-g', { length: L, classes: C, seed: 1 });
  const [optD, optG] = [new Adam(GAN_ADAM), new Adam(GAN_ADAM)];
  time(`D, class head only (batch ${N}, L ${L})`, () => applyGradients(optD, d, classifierGradients(d, batch).grads));
  time(`D, GAN step: real + generated beats, three heads`, () => applyGradients(optD, d, discriminatorGradients(d, g, batch).grads));
  time(`G, GAN step through the frozen D`, () => applyGradients(optG, g, generatorGradients(d, g, batch).grads));
  for (const kind of ['dcnn', 'kachuee'] as const) {
    const m = buildModel(kind, { length: L, classes: C, seed: 1 });
    const opt = new Adam();
    time(`${kind} classifier step (batch ${N}, L ${L})`, () => applyGradients(opt, m, classifierGradients(m, batch).grads));
    opt.dispose();
    m.dispose();
  }
  for (const o of [optD, optG]) o.dispose();
  d.dispose();
  g.dispose();
}
