import { describe, it, expect } from 'vitest';
import { flagsAttacked } from '../../../src-shared/contract/index.ts';
import { attackSuccessRate, detection, flaggedRate, perturbation, thresholdAtFalseAlarmRate, robustAccuracy, snrDb, stats, worstCase } from '../../../src-main/metrics/index.ts';

describe('robustness metrics', () => {
  // labels:      0 1 1 0 2
  // clean pred:  0 1 0 0 2   (4 right)
  // adv pred:    0 0 0 1 2   (2 right; of the 4 clean-right, beats 1 and 3 were fooled)
  const labels = [0, 1, 1, 0, 2];
  const clean = [0, 1, 0, 0, 2];
  const adv = [0, 0, 0, 1, 2];

  it('robust accuracy with its Wilson interval, and attack success on initially-correct beats', () => {
    const r = robustAccuracy(labels, adv);
    expect(r).toMatchObject({ value: 2 / 5, correct: 2, n: 5 });
    // Wilson, z = 1.96, p = 0.4, n = 5: centre (0.4 + 0.38415) / 1.76829 = 0.44345,
    // half (1.96 / 1.76829)·√(0.24/5 + 3.8415/100) = 1.10841 · 0.29396 = 0.32583.
    expect(r.ci95.low).toBeCloseTo(0.1176, 3);
    expect(r.ci95.high).toBeCloseTo(0.7693, 3);
    expect(attackSuccessRate(labels, clean, adv)).toBeCloseTo(2 / 4, 12);
    expect(attackSuccessRate([1], [0], [1])).toBe(0); // nothing right to start with
  });

  it('L2, L∞ and SNR per beat, with the zero and silent cases', () => {
    // Beat 0: x = (1, 1), δ = (0.1, -0.2): ‖δ‖² = 0.05, L2 0.2236, L∞ 0.2, SNR 10·log10(2/0.05) = 16.02 dB.
    // Beat 1: x = (3, 4), δ = (0, 0.5): ‖δ‖² = 0.25, SNR 10·log10(25/0.25) = 20 dB.
    // Beat 2: untouched: SNR +∞, left out of the SNR mean.
    const p = perturbation([1, 1, 3, 4, 0.5, 0.5], [1.1, 0.8, 3, 4.5, 0.5, 0.5], 2);
    expect(Array.from(p.perBeat.l2)).toEqual([expect.closeTo(Math.sqrt(0.05), 9), expect.closeTo(0.5, 9), 0]);
    expect(p.linf.max).toBeCloseTo(0.5, 9);
    expect(p.linf.median).toBeCloseTo(0.2, 6);
    expect(p.l2.mean).toBeCloseTo((Math.sqrt(0.05) + 0.5) / 3, 9);
    expect(p.perBeat.snrDb[2]).toBe(Infinity);
    expect(p.snrDb.finiteBeats).toBe(2);
    expect(p.snrDb.mean!).toBeCloseTo((10 * Math.log10(40) + 20) / 2, 6);
    expect(snrDb(0, 0)).toBeNaN();
    expect(snrDb(0, 1)).toBe(-Infinity);
    // Nothing perturbed: no SNR figure rather than an infinite one.
    expect(perturbation([1, 2], [1, 2], 2).snrDb).toEqual({ mean: null, median: null, finiteBeats: 0 });
    expect(() => perturbation([1, 2, 3], [1, 2, 3], 2)).toThrow(/beats of 2/);
    expect(stats([3, 1, 2, 10])).toEqual({ mean: 4, median: 2.5, max: 10 });
  });

  it('detection: TPR, FPR, defended and undetected-misclassified rates', () => {
    // flagged adv: beats 1, 2 (p > 0.5); flagged clean: beat 4.
    const d = detection(labels, adv, [0.1, 0.2, 0.3, 0.4, 0.9], [0.2, 0.8, 0.6, 0.5, 0.1]);
    expect(d.tpr).toBeCloseTo(2 / 5, 12);
    expect(d.fpr).toBeCloseTo(1 / 5, 12);
    // right: 0, 4; flagged: 1, 2 → defended 4/5; beat 3 wrong and 0.5 is not > 0.5 → undetected 1/5.
    expect(d.defendedRate).toBeCloseTo(4 / 5, 12);
    expect(d.undetectedMisclassified).toBeCloseTo(1 / 5, 12);
  });

  it('detector threshold at a false-alarm rate: flags at most that share of clean beats, and no lower threshold would', () => {
    const clean = Array.from({ length: 200 }, (_, i) => ((i * 37) % 200) / 200 + 0.001);
    for (const rate of [0, 0.01, 0.05, 0.2, 0.5]) {
      const t = thresholdAtFalseAlarmRate(clean, rate);
      expect(flaggedRate(clean, t)).toBeLessThanOrEqual(rate);
      // The next lower score would flag one beat more than the rate allows.
      const lower = Math.max(...clean.filter((v) => v < t));
      expect(flaggedRate(clean, lower)).toBeGreaterThan(rate);
    }
    // Ties can only flag fewer: ten equal top scores at a 5% rate of 100 flag none.
    const tied = [...Array<number>(10).fill(0.9), ...Array.from({ length: 90 }, (_, i) => i / 100)];
    expect(flaggedRate(tied, thresholdAtFalseAlarmRate(tied, 0.05))).toBe(0);
    expect(() => thresholdAtFalseAlarmRate([], 0.05)).toThrow(/no clean beats/);
    expect(() => thresholdAtFalseAlarmRate([0.1], 1)).toThrow(/false-alarm rate must be in \[0, 1\)/);
  });

  it('one flagging rule everywhere: strictly above the threshold; no score or no detector flags nothing', () => {
    expect(flagsAttacked(0.6456, 0.6456)).toBe(false);
    expect(flagsAttacked(0.6457, 0.6456)).toBe(true);
    expect(flagsAttacked(null, 0.5)).toBe(false);
    expect(flagsAttacked(0.99, null)).toBe(false);
    // The metrics count with the same rule: a clean beat exactly at the threshold is no false alarm.
    expect(detection([0, 0], [0, 0], [0.5, 0.7], [0.5, 0.7], 0.5)).toMatchObject({ tpr: 0.5, fpr: 0.5 });
  });

  it('worst case: robust only if every attack failed; defended only if each attack was right or flagged', () => {
    const a = { correct: [1, 1, 0, 1], flagged: [0, 0, 1, 0] };
    const b = { correct: [1, 0, 1, 1], flagged: [0, 1, 0, 0] };
    const w = worstCase([a, b]);
    expect(w).toMatchObject({ beats: 4, robust: 2, robustAccuracy: 0.5 });
    expect(w.defendedRate).toBe(1);
    expect(worstCase([a, { correct: [1, 0, 1, 1], flagged: [0, 0, 0, 0] }]).defendedRate).toBe(3 / 4);
    expect(worstCase([a, { correct: [1, 1, 1, 1], flagged: null }]).defendedRate).toBeNull();
    expect(() => worstCase([a, { correct: [1], flagged: null }])).toThrow(/different beats/);
  });
});
