// Decision-based attacks (Boundary, HopSkipJump) on a hand-set linear model: they get labels only,
// their queries are counted, and their distance is judged against the exact margin.
import { describe, it, expect } from 'vitest';
import { labelOracle, runAttack, type AttackResult } from '../../../src-main/attacks/index.ts';
import { argmaxRows } from '../../../src-main/attacks/attack.ts';
import { bumpBeats, classScore, labelOnly, linearModelHooks, linfMargin } from './linear-models.ts';

const L = 64;
const data = bumpBeats(8, L, 21);
const cls = classScore(L);
const fx = linearModelHooks(cls);

const n = data.labels.length;
const norms = (r: AttackResult, kind: 'l2' | 'linf'): number[] =>
  Array.from({ length: n }, (_, i) => {
    let acc = 0;
    for (let t = i * L; t < (i + 1) * L; t++) {
      const d = Math.abs(r.adversarial[t]! - data.beats[t]!);
      acc = kind === 'l2' ? acc + d * d : Math.max(acc, d);
    }
    return kind === 'l2' ? Math.sqrt(acc) : acc;
  });
const sum = (v: ArrayLike<number>): number => Array.from(v).reduce((a, x) => a + x, 0);

/** Runs a black-box attack on a handle that refuses gradients and counts predicted beats. */
async function blackBox(name: 'boundary' | 'hopskipjump', params: Record<string, unknown>, beats = data.beats, labels = data.labels) {
  const counted = labelOnly(fx.handle);
  const r = await runAttack(name, counted.handle, beats, labels, params);
  return { r, predicted: counted.predicted() };
}

describe('decision-based attacks', () => {
  it('the label oracle charges each candidate to its beat and gives labels only', async () => {
    const oracle = labelOracle(fx.handle, 2);
    expect(Object.keys(oracle).sort()).toEqual(['classes', 'length', 'predictLabels', 'queries']);
    const rows = data.beats.subarray(0, 3 * L);
    expect(Array.from(await oracle.predictLabels(rows, [1, 1, 0]))).toEqual([0, 1, 0]);
    expect(Array.from(oracle.queries)).toEqual([1, 2]);
    // Large candidate batches are predicted in chunks, with the same labels.
    const many = new Float32Array(1100 * L);
    for (let k = 0; k < 1100; k++) many.set(data.beats.subarray((k % n) * L, (k % n + 1) * L), k * L);
    const big = await labelOracle(fx.handle, 1).predictLabels(many, new Int32Array(1100));
    expect(Array.from(big)).toEqual(Array.from({ length: 1100 }, (_, k) => data.labels[k % n]));
  });

  for (const [name, params] of [
    ['boundary', { maxQueries: 400, steps: 150, seed: 1 }],
    ['hopskipjump', { maxQueries: 400, steps: 5, initEvals: 20, seed: 1 }],
    ['hopskipjump', { maxQueries: 400, steps: 5, initEvals: 20, norm: 'linf', seed: 1 }],
  ] as const) {
    it(`${name} ${JSON.stringify(params)}: labels only, queries counted per beat and within budget, adversarial beats misclassified`, async () => {
      const { r, predicted } = await blackBox(name, params);
      // Scoring the result predicts the clean and the adversarial beats once each; every other beat predicted was a query.
      expect(sum(r.queries!)).toBe(predicted - 2 * n);
      expect(r.queries!.every((q) => q > 1 && q <= params.maxQueries)).toBe(true);
      // A beat the attack changed is misclassified, one it did not is returned as it was.
      for (let i = 0; i < n; i++) {
        const changed = r.adversarial.subarray(i * L, (i + 1) * L).some((v, t) => v !== data.beats[i * L + t]);
        expect(changed, `beat ${i}`).toBe(r.outcomes.fooled[i] === 1);
        // Also on its own, outside the batch it was scored in (these beats lie within θ of the boundary).
        if (changed) expect(argmaxRows(await fx.handle.predict(r.adversarial.slice(i * L, (i + 1) * L)), 2)[0]).not.toBe(data.labels[i]);
      }
      expect(sum(r.outcomes.fooled)).toBe(n);
      expect(r.adversarial.every((v) => v >= 0 && v <= 1)).toBe(true);
      // Seeded: the same request gives the same beats and queries.
      const again = await blackBox(name, params);
      expect(again.r.adversarial).toEqual(r.adversarial);
      expect(again.r.queries).toEqual(r.queries);
    });
  }

  it("a single beat's queries are exactly the oracle calls made for it", async () => {
    const { r, predicted } = await blackBox('hopskipjump', { maxQueries: 150, steps: 3, initEvals: 10 }, data.beats.subarray(0, L), data.labels.subarray(0, 1));
    expect(r.queries![0]).toBe(predicted - 2);
    expect(r.queries![0]).toBeLessThanOrEqual(150);
  });

  it('stops at the query budget', async () => {
    const small = await blackBox('boundary', { maxQueries: 40, steps: 1000 });
    expect(small.r.queries!.every((q) => q <= 40)).toBe(true);
    expect(Math.max(...small.r.queries!)).toBeGreaterThan(30);
  });

  it('Boundary: more steps bring the adversarial beats closer (L2)', async () => {
    const few = await runAttack('boundary', fx.handle, data.beats, data.labels, { maxQueries: 5000, steps: 20, seed: 3 });
    const many = await runAttack('boundary', fx.handle, data.beats, data.labels, { maxQueries: 5000, steps: 600, seed: 3 });
    const [dFew, dMany] = [norms(few, 'l2'), norms(many, 'l2')];
    dMany.forEach((d, i) => expect(d).toBeLessThanOrEqual(dFew[i]!));
    expect(sum(dMany)).toBeLessThan(0.7 * sum(dFew));
  });

  it('HopSkipJump L∞: more iterations bring the adversarial beats closer, towards the exact margin', async () => {
    const p = { maxQueries: 20000, initEvals: 50, maxEvals: 400, norm: 'linf', seed: 5 };
    const few = await runAttack('hopskipjump', fx.handle, data.beats, data.labels, { ...p, steps: 1 });
    const many = await runAttack('hopskipjump', fx.handle, data.beats, data.labels, { ...p, steps: 15 });
    const [dFew, dMany] = [norms(few, 'linf'), norms(many, 'linf')];
    dMany.forEach((d, i) => expect(d).toBeLessThanOrEqual(dFew[i]!));
    expect(sum(dMany)).toBeLessThan(0.95 * sum(dFew));
    // No attack beats the exact margin; on a linear boundary HopSkipJump comes close to it.
    dMany.forEach((d, i) => {
      const m = linfMargin(cls, data.beats, i);
      expect(d).toBeGreaterThanOrEqual(m * (1 - 1e-3));
      expect(d).toBeLessThan(1.15 * m);
    });
  });
});
