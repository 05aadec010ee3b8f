import { describe, it, expect } from 'vitest';
import { beatPerturbation as perturbation, SNR_CAP_DB } from '../../../src-main/metrics/index.ts';

describe('beatPerturbation', () => {
  it('L2, L∞ and SNR of δ = adversarial − clean', () => {
    // clean energy 1 + 4 = 5, δ = (0.1, -0.2): energy 0.05 → SNR 20 dB.
    const p = perturbation([1, 2], [1.1, 1.8]);
    expect(p.l2).toBeCloseTo(Math.sqrt(0.05), 12);
    expect(p.linf).toBeCloseTo(0.2, 12);
    expect(p.snrDb).toBeCloseTo(20, 10);
  });
  it('an unchanged beat reports the SNR cap (JSON has no Infinity); lengths must agree', () => {
    expect(perturbation([0.5, 0.2], [0.5, 0.2])).toEqual({ l2: 0, linf: 0, snrDb: SNR_CAP_DB });
    expect(() => perturbation([1, 2], [1])).toThrow(/2 clean samples but 1 adversarial/);
  });
});
