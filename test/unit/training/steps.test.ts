import { describe, it, expect, beforeAll } from 'vitest';
import { initCompute, tf } from '../../../src-main/compute/backend.ts';
import { buildModel } from '../../../src-main/models/architectures.ts';
import { getWeights, setWeights, trainableVariables } from '../../../src-main/models/weights.ts';
import { Adam } from '../../../src-main/training/adam.ts';
import {
  applyGradients,
  averageGradients,
  classifierGradients,
  classifierStep,
  computeGradients,
  type ClassBatch,
} from '../../../src-main/training/steps.ts';
import { classBatch } from './fixtures.ts';

beforeAll(async () => {
  await initCompute('wasm');
});

const maxAbsDiff = (a: Float32Array, b: Float32Array): number => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
const maxAbs = (a: Float32Array): number => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe('classifier steps', () => {
  it('Kachuee and dcnn: a few weighted-CE Adam steps lower the loss', () => {
    for (const [kind, L] of [['kachuee', 187], ['dcnn', 64]] as const) {
      const model = buildModel(kind, { length: L, classes: 2, seed: 1 });
      const opt = new Adam({ learningRate: 1e-3 });
      const batch = classBatch(32, L, 5);
      const losses = Array.from({ length: 12 }, () => classifierStep(model, opt, batch, [1, 2]).total!);
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(losses.at(-1)!, kind).toBeLessThan(losses[0]! * 0.7);
      opt.dispose();
      model.dispose();
    }
  });
});

describe('data parallelism', () => {
  const L = 187;
  it('count-weighted averaged shard gradients equal the full-batch gradient (Kachuee, no BN)', () => {
    const model = buildModel('kachuee', { length: L, classes: 2, seed: 6 });
    const batch = classBatch(16, L, 11);
    const w = [1, 3];
    const full = classifierGradients(model, batch, w);
    const shard = (a: number, b: number): ClassBatch => ({ beats: batch.beats.slice(a * L, b * L), labels: batch.labels.slice(a, b) });
    for (const cut of [8, 5]) {
      const avg = averageGradients([classifierGradients(model, shard(0, cut), w), classifierGradients(model, shard(cut, 16), w)]);
      expect(avg.count).toBe(16);
      expect([...avg.grads.keys()].sort()).toEqual([...full.grads.keys()].sort());
      for (const [k, g] of full.grads) expect(maxAbsDiff(avg.grads.get(k)!, g), k).toBeLessThanOrEqual(1e-5 * Math.max(1, maxAbs(g)));
      expect(avg.losses.total).toBeCloseTo(full.losses.total!, 5);
    }
    model.dispose();
  });

  it('two replicas stepping on averaged half-batch gradients match one full-batch step', async () => {
    const [single, replica] = [0, 1].map(() => buildModel('kachuee', { length: L, classes: 2, seed: 7 }));
    expect(getWeights(replica!)).toEqual(getWeights(single!));
    const [optA, optB] = [new Adam({ learningRate: 1e-3 }), new Adam({ learningRate: 1e-3 })];
    for (let step = 0; step < 3; step++) {
      const batch = classBatch(16, L, 20 + step);
      applyGradients(optA, single!, classifierGradients(single!, batch).grads);
      const halves = await Promise.all([0, 8].map((a) => computeGradients({ step: 'classifier', model: replica!, batch: { beats: batch.beats.slice(a * L, (a + 8) * L), labels: batch.labels.slice(a, a + 8) } })));
      applyGradients(optB, replica!, averageGradients(halves).grads);
    }
    const [wa, wb] = [getWeights(single!), getWeights(replica!)];
    let worst = 0;
    for (const [k, v] of wa) worst = Math.max(worst, maxAbsDiff(v, wb.get(k)!));
    // Three Adam steps move weights by up to ~3e-3; the replicas agree far below that.
    expect(worst).toBeLessThan(1e-4);
    expect(getWeights(single!)).not.toEqual(getWeights(buildModel('kachuee', { length: L, classes: 2, seed: 7 })));
    for (const o of [optA, optB]) o.dispose();
    single!.dispose();
    replica!.dispose();
  });

  it('a checkpoint (weights + Adam moments + step) restored into fresh objects continues identically', () => {
    const a = buildModel('kachuee', { length: L, classes: 2, seed: 8 });
    const optA = new Adam({ learningRate: 1e-3 });
    classifierStep(a, optA, classBatch(16, L, 30));
    const checkpoint = { weights: getWeights(a), optimizer: optA.exportState() };
    expect(checkpoint.optimizer.step).toBe(1);

    const b = buildModel('kachuee', { length: L, classes: 2, seed: 99 });
    const optB = new Adam({ learningRate: 0.5 });
    setWeights(b, checkpoint.weights);
    optB.importState(checkpoint.optimizer, trainableVariables(b));
    expect(optB.config.learningRate).toBe(1e-3);
    const next = classBatch(16, L, 31);
    classifierStep(a, optA, next);
    classifierStep(b, optB, next);
    expect(getWeights(b)).toEqual(getWeights(a));
    expect(() => setWeights(b, new Map([['nope/kernel', new Float32Array(1)]]))).toThrow('nope/kernel: no such weight');
    for (const o of [optA, optB]) o.dispose();
    a.dispose();
    b.dispose();
  });
});
