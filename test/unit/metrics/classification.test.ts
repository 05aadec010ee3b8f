import { describe, it, expect } from 'vitest';
import { accuracy, confusionMatrix, macroF1, perClass, sensitivity, total, wilson } from '../../../src-main/metrics/index.ts';

describe('classification metrics', () => {
  // truth:     0 0 0 0 1 1 1 2 2 2
  // predicted: 0 0 0 1 1 1 2 2 2 0
  const truth = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2];
  const pred = [0, 0, 0, 1, 1, 1, 2, 2, 2, 0];
  const m = confusionMatrix(truth, pred, 3);

  it('counts the confusion matrix by hand', () => {
    expect(m).toEqual([
      [3, 1, 0],
      [0, 2, 1],
      [1, 0, 2],
    ]);
    expect(total(m)).toBe(10);
    expect(accuracy(m)).toBeCloseTo(7 / 10, 12);
  });

  it('per-class precision, recall, F1, support and macro-F1', () => {
    const s = perClass(m);
    // class 0: tp 3, predicted 4, support 4 → P 0.75, R 0.75, F1 0.75
    expect(s[0]).toEqual({ precision: 0.75, recall: 0.75, f1: 0.75, support: 4 });
    // class 1: tp 2, predicted 3, support 3 → P = R = 2/3
    expect(s[1]!.precision).toBeCloseTo(2 / 3, 12);
    expect(s[1]!.recall).toBeCloseTo(2 / 3, 12);
    expect(s[1]!.f1).toBeCloseTo(2 / 3, 12);
    // class 2: tp 2, predicted 3, support 3
    expect(s[2]!.f1).toBeCloseTo(2 / 3, 12);
    expect(macroF1(m)).toBeCloseTo((0.75 + 2 / 3 + 2 / 3) / 3, 12);
    expect(sensitivity(m, 0)).toBe(0.75);
  });

  it('never-predicted and absent classes score 0 and absent ones leave macro-F1 alone', () => {
    const m2 = confusionMatrix([0, 0, 1], [0, 0, 0], 3);
    const s = perClass(m2);
    expect(s[1]).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(s[2]!.support).toBe(0);
    // class 0: P 2/3, R 1 → F1 0.8; class 1: 0; class 2 absent
    expect(macroF1(m2)).toBeCloseTo(0.4, 12);
  });

  it('refuses mismatched lengths and labels out of range', () => {
    expect(() => confusionMatrix([0, 1], [0], 2)).toThrow(/2 labels but 1/);
    expect(() => confusionMatrix([0, 2], [0, 0], 2)).toThrow(/outside 0..1/);
  });

  it('Wilson interval matches the closed form (8 of 10: 0.4902..0.9433)', () => {
    const { low, high } = wilson(8, 10);
    expect(low).toBeCloseTo(0.4902, 4);
    expect(high).toBeCloseTo(0.9433, 4);
    expect(wilson(0, 0)).toEqual({ low: 0, high: 1 });
    const all = wilson(50, 50);
    expect(all.high).toBe(1);
    expect(all.low).toBeCloseTo(0.9287, 4);
  });
});
