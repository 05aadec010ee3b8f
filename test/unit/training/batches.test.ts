import { describe, it, expect } from 'vitest';
import { epochBatches, validationHoldOut } from '../../../src-main/training/batches.ts';
import { mulberry32 } from '../../../src-main/common/random.ts';

/** 200 beats of length 3 whose values encode their row; classes 0..3 at 70/20/8/2 %, 1 in 4 in the test split. */
function arrays(): { values: Float32Array; labels: Int32Array; split: Uint8Array } {
  const n = 200;
  const rand = mulberry32(9);
  const labels = Int32Array.from({ length: n }, (_, i) => (i % 50 < 35 ? 0 : i % 50 < 45 ? 1 : i % 50 < 49 ? 2 : 3));
  const split = Uint8Array.from({ length: n }, () => (rand() < 0.25 ? 1 : 0));
  const values = Float32Array.from({ length: n * 3 }, (_, t) => Math.floor(t / 3) + (t % 3) / 10);
  return { values, labels, split };
}

describe('batches', () => {
  const a = arrays();

  it('holds out a seeded, stratified validation set from the train split only', () => {
    const h = validationHoldOut(a, 0.2, 5);
    const trainSplit = [...a.split.keys()].filter((i) => a.split[i] === 0);
    expect([...h.train, ...h.validation].sort((x, y) => x - y)).toEqual(trainSplit);
    for (const c of [0, 1, 2]) {
      const inTrain = trainSplit.filter((i) => a.labels[i] === c).length;
      expect(h.validation.filter((i) => a.labels[i] === c).length).toBe(Math.round(inTrain * 0.2));
    }
    expect(validationHoldOut(a, 0.2, 5)).toEqual(h);
    expect(validationHoldOut(a, 0.2, 6).validation).not.toEqual(h.validation);
    expect(() => validationHoldOut(a, 1, 5)).toThrow('validation fraction');
  });

  it('one epoch visits every index once in a seeded order, rows copied with their labels', () => {
    const { train } = validationHoldOut(a, 0.2, 5);
    const batches = [...epochBatches(a, train, { batchSize: 16, seed: 1 })];
    const seen = batches.flatMap((b) => [...b.indices]);
    expect([...seen].sort((x, y) => x - y)).toEqual([...train]);
    expect(seen).not.toEqual([...train]);
    expect(batches.slice(0, -1).every((b) => b.labels.length === 16)).toBe(true);
    for (const b of batches) b.indices.forEach((r, k) => {
      expect(Array.from(b.beats.subarray(k * 3, k * 3 + 3))).toEqual(Array.from(a.values.subarray(r * 3, r * 3 + 3)));
      expect(b.labels[k]).toBe(a.labels[r]);
    });
    expect([...epochBatches(a, train, { batchSize: 16, seed: 1 })].map((b) => [...b.indices])).toEqual(batches.map((b) => [...b.indices]));
    const dropped = [...epochBatches(a, train, { batchSize: 16, seed: 1, dropLast: true })];
    expect(dropped.length).toBe(Math.floor(train.length / 16));
  });

  it('the class-balanced sampler draws each class about equally often', () => {
    const all = Int32Array.from(a.labels.keys());
    const counts = [0, 0, 0, 0];
    for (let seed = 0; seed < 10; seed++) for (const b of epochBatches(a, all, { batchSize: 32, seed, balanced: true })) for (const l of b.labels) counts[l]!++;
    const total = counts.reduce((s, c) => s + c, 0);
    expect(total).toBe(2000);
    for (const c of counts) expect(c / total).toBeGreaterThan(0.2);
    // Unbalanced, class 3 (2 %) stays rare.
    const plain = [...epochBatches(a, all, { batchSize: 32, seed: 0 })].flatMap((b) => [...b.labels]);
    expect(plain.filter((l) => l === 3).length).toBe(4);
  });
});
