import { describe, it, expect, beforeAll } from 'vitest';
import { initCompute, tf } from '../../../src-main/compute/backend.ts';
import { buildModel } from '../../../src-main/models/architectures.ts';
import { getWeights, setWeights } from '../../../src-main/models/weights.ts';
import { Adam, GAN_ADAM } from '../../../src-main/training/adam.ts';
import { applyGradients, discriminatorGradients, ganStep, generatorGradients } from '../../../src-main/training/steps.ts';
import { ganBatch } from './fixtures.ts';

beforeAll(async () => {
  await initCompute('wasm');
});

describe('GAN steps', () => {
  const L = 64;
  it('discriminator updates lower each of its three head losses', () => {
    const d = buildModel('atk-gan-d', { length: L, classes: 2, seed: 2 });
    const g = buildModel('atk-gan-g', { length: L, classes: 2, seed: 2 });
    const opt = new Adam(GAN_ADAM);
    const batch = ganBatch(16, L, 7);
    const before = discriminatorGradients(d, g, batch).losses;
    for (let s = 0; s < 8; s++) applyGradients(opt, d, discriminatorGradients(d, g, batch).grads);
    const after = discriminatorGradients(d, g, batch).losses;
    for (const head of ['realFake', 'attacked', 'class']) expect(after[head], head).toBeLessThan(before[head]!);
    opt.dispose();
    d.dispose();
    g.dispose();
  });

  it('the D step moves batch norm statistics with the real beats only, never with the generated ones', () => {
    const d = buildModel('atk-gan-d', { length: L, classes: 2, seed: 5 });
    const g = buildModel('atk-gan-g', { length: L, classes: 2, seed: 5 });
    const twin = buildModel('atk-gan-d', { length: L, classes: 2, seed: 6 });
    setWeights(twin, getWeights(d));
    const batch = ganBatch(16, L, 10);
    // The first pair's BN layers come before any dropout, so their statistics are deterministic.
    const firstBn = d.layers.filter((l) => l.getClassName() === 'BatchNormalization').slice(0, 2).map((l) => l.name);
    const stats = (m: typeof d): number[] => firstBn.flatMap((n) => [...getWeights(m)].filter(([k]) => k.startsWith(`${n}/moving`)).flatMap(([, v]) => [...v]));
    const initial = stats(d);
    discriminatorGradients(d, g, batch);
    const x = tf.tensor3d(batch.beats, [16, L, 1]);
    tf.tidy(() => void twin.apply(x, { training: true }));
    const realOnly = stats(twin);
    const moved = stats(d);
    expect(moved).not.toEqual(initial);
    moved.forEach((v, i) => expect(v).toBeCloseTo(realOnly[i]!, 5));
    // A training pass over the generated beats would have moved them further: the guard is what keeps them.
    const fake = tf.tidy(() => g.apply([x, tf.tensor2d(batch.noise, [16, L]), tf.oneHot(tf.tensor1d(batch.labels, 'int32'), 2).toFloat()], { training: false }) as tf.Tensor);
    tf.tidy(() => void twin.apply(fake, { training: true }));
    expect(stats(twin).some((v, i) => Math.abs(v - moved[i]!) > 1e-4)).toBe(true);
    tf.dispose([x, fake]);
    for (const m of [d, g, twin]) m.dispose();
  });

  it('generator updates through the frozen discriminator lower the generator loss and leave D unchanged', () => {
    const d = buildModel('atk-gan-d', { length: L, classes: 2, seed: 3 });
    const g = buildModel('atk-gan-g', { length: L, classes: 2, seed: 3 });
    const opt = new Adam(GAN_ADAM);
    const batch = ganBatch(16, L, 8);
    const dWeights = getWeights(d);
    const before = generatorGradients(d, g, batch).losses.total!;
    for (let s = 0; s < 6; s++) applyGradients(opt, g, generatorGradients(d, g, batch).grads);
    const after = generatorGradients(d, g, batch).losses.total!;
    expect(after).toBeLessThan(before);
    expect(getWeights(d)).toEqual(dWeights);
    opt.dispose();
    d.dispose();
    g.dispose();
  });

  it('a full GAN step updates both networks and reports finite losses with the 1:10:10 weighting', () => {
    const d = buildModel('atk-gan-d', { length: L, classes: 2, seed: 4 });
    const g = buildModel('atk-gan-g', { length: L, classes: 2, seed: 4 });
    const [optD, optG] = [new Adam(GAN_ADAM), new Adam(GAN_ADAM)];
    const batch = ganBatch(8, L, 9);
    const r = ganStep(d, g, optD, optG, batch);
    expect(optD.iterations).toBe(1);
    expect(optG.iterations).toBe(1);
    const { realFake, attacked, class: cls, total } = r.g;
    expect(total).toBeCloseTo(realFake! + 10 * attacked! + 10 * cls!, 4);
    expect(Object.values(r.d).every(Number.isFinite)).toBe(true);
    // The optimizer moments exist after the first step; later steps leak no tensors.
    const n0 = tf.memory().numTensors;
    ganStep(d, g, optD, optG, batch);
    expect(tf.memory().numTensors).toBe(n0);
    optD.dispose();
    optG.dispose();
    d.dispose();
    g.dispose();
  });
});

