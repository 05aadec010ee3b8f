// A decision-based attack has no ε of its own: the audit judges its beats at each cell's budget.
import { describe, it, expect } from 'vitest';
import { withinBudget } from '../../../src-main/audits/service.ts';

describe('withinBudget', () => {
  const L = 4;
  const clean = Float32Array.from([0, 0.5, 1, 0.5, 0.2, 0.2, 0.2, 0.2]);
  // Beat 0 moved by at most 0.01, beat 1 by 0.05.
  const r = {
    adversarial: Float32Array.from([0.01, 0.5, 0.99, 0.5, 0.25, 0.2, 0.2, 0.2]),
    queries: Int32Array.from([100, 200]),
    cleanProbabilities: Float32Array.from([0.9, 0.1, 0.8, 0.2]),
    adversarialProbabilities: Float32Array.from([0.3, 0.7, 0.1, 0.9]),
    cleanAttacked: Float32Array.from([0.1, 0.2]),
    adversarialAttacked: Float32Array.from([0.6, 0.7]),
    wallSeconds: 1,
  };

  it('keeps beats found within ε and puts back the clean beat and outputs for the others', () => {
    const at = withinBudget(r, clean, L, 2, 0.02);
    expect(Array.from(at.adversarial.subarray(0, 4))).toEqual(Array.from(r.adversarial.subarray(0, 4)));
    expect(Array.from(at.adversarial.subarray(4))).toEqual(Array.from(clean.subarray(4)));
    expect(Array.from(at.adversarialProbabilities)).toEqual([r.adversarialProbabilities[0], r.adversarialProbabilities[1], r.cleanProbabilities[2], r.cleanProbabilities[3]]);
    expect(Array.from(at.adversarialAttacked!)).toEqual([r.adversarialAttacked[0], r.cleanAttacked[1]]);
    expect(Array.from(at.queries!)).toEqual([100, 200]);
    // The input is not changed; a larger budget keeps both.
    expect(r.adversarial[4]).toBeCloseTo(0.25, 6);
    expect(Array.from(withinBudget(r, clean, L, 2, 0.05).adversarialProbabilities)).toEqual(Array.from(r.adversarialProbabilities));
    expect(Array.from(withinBudget(r, clean, L, 2, 0.001).adversarialProbabilities)).toEqual(Array.from(r.cleanProbabilities));
  });
});
