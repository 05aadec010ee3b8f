// Smooth adversarial perturbations (Han et al., Nature Medicine 2020): the perturbation is the mean of
// Gaussian-smoothed components, δ = (1/K)·Σ_k G_σk ∗ θ_k, and PGD runs on the θ_k (sign steps of α,
// each θ_k clipped to [−ε, ε]). The kernels sum to one, so |δ| ≤ ε; the beat is x + δ clipped to [0, 1].
// The convolution is zero-padded and symmetric, so it is its own transpose: ∇θ_k = (1/K)·G_σk ∗ ∇δ.
import { mulberry32 } from '../common/random.ts';
import { SmoothPgdParams } from './params.ts';
import { checkCancelled, checkInputs, type Attack } from './attack.ts';
import { gradientResult, projectLinf } from './pgd.ts';

/** A normalised Gaussian kernel of width sigma, truncated at 3σ (and at the beat length). */
function gaussianKernel(sigma: number, length: number): Float32Array {
  const r = Math.min(Math.ceil(3 * sigma), length - 1);
  const k = Float32Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-(((i - r) / sigma) ** 2) / 2));
  const sum = k.reduce((a, v) => a + v, 0);
  return k.map((v) => v / sum);
}

/** out[row] += scale · (kernel ∗ v[row]) for every L-sample row, zero-padded. */
function convolveRowsInto(out: Float32Array, v: Float32Array, kernel: Float32Array, L: number, scale: number): void {
  const r = (kernel.length - 1) / 2;
  for (let off = 0; off < v.length; off += L) {
    for (let t = 0; t < L; t++) {
      let s = 0;
      const lo = Math.max(0, t - r);
      const hi = Math.min(L - 1, t + r);
      for (let u = lo; u <= hi; u++) s += kernel[u - t + r]! * v[off + u]!;
      out[off + t] = out[off + t]! + scale * s;
    }
  }
}

export const smoothPgd: Attack<typeof SmoothPgdParams> = {
  name: 'smooth-pgd',
  params: SmoothPgdParams,
  async run(model, beats, labels, p, ctx) {
    checkInputs(model, beats, labels);
    const L = model.length;
    const rand = mulberry32(p.seed);
    const kernels = p.sigmas.map((s) => gaussianKernel(s, L));
    const K = kernels.length;
    const theta = kernels.map(() => Float32Array.from(beats, () => (p.randomStart ? p.eps * (2 * rand() - 1) : 0)));
    const adversarialOf = (): Float32Array => {
      const delta = new Float32Array(beats.length);
      kernels.forEach((k, j) => convolveRowsInto(delta, theta[j]!, k, L, 1 / K));
      // The projection only absorbs float rounding: |δ| ≤ ε already.
      return beats.map((x, i) => projectLinf(x + delta[i]!, x, p.eps));
    };
    let adv = adversarialOf();
    for (let s = 0; s < p.steps; s++) {
      checkCancelled(ctx);
      const g = await model.lossGradient(adv, labels);
      kernels.forEach((k, j) => {
        const gTheta = new Float32Array(beats.length);
        convolveRowsInto(gTheta, g, k, L, 1 / K);
        const th = theta[j]!;
        for (let i = 0; i < th.length; i++) th[i] = Math.min(p.eps, Math.max(-p.eps, th[i]! + p.alpha * Math.sign(gTheta[i]!)));
      });
      adv = adversarialOf();
    }
    return gradientResult(model, beats, adv, labels);
  },
};
