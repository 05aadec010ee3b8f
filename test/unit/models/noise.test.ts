import { describe, it, expect } from 'vitest';
import { gaussianKernel, smoothedNoise } from '../../../src-main/models/noise.ts';
import { mulberry32 } from '../../../src-main/common/random.ts';

describe('generator noise', () => {
  it('is uniform noise smoothed by a σ=4 Gaussian: seeded, in (0, 1), far smoother than raw noise', () => {
    const k = gaussianKernel(4);
    expect(k.length).toBe(33);
    expect(k.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
    const n = smoothedNoise(20, 280, mulberry32(1));
    expect(n.length).toBe(20 * 280);
    expect(smoothedNoise(20, 280, mulberry32(1))).toEqual(n);
    expect(smoothedNoise(20, 280, mulberry32(2))).not.toEqual(n);
    expect(n.every((v) => v > 0 && v < 1)).toBe(true);
    const mean = n.reduce((s, v) => s + v, 0) / n.length;
    expect(mean).toBeCloseTo(0.5, 1);
    // Mean squared step between neighbours: 1/6 for i.i.d. U(0,1); the filter shrinks it by two orders.
    let step = 0;
    for (let r = 0; r < 20; r++) for (let t = 1; t < 280; t++) step += (n[r * 280 + t]! - n[r * 280 + t - 1]!) ** 2;
    expect(step / (20 * 279)).toBeLessThan(1 / 600);
    // Smoothing keeps some variance (σ of the mean of ~14 uniforms ≈ 0.077).
    const sd = Math.sqrt(n.reduce((s, v) => s + (v - mean) ** 2, 0) / n.length);
    expect(sd).toBeGreaterThan(0.03);
  });
});
