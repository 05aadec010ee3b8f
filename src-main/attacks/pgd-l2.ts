// PGD under L2 (Madry et al. 2018): steps of α along the L2-normalised gradient of each beat, then
// projection onto the L2 ball of radius ε around the clean beat and clipping to [0, 1]. Random start:
// uniform in the ball (Gaussian direction, radius ε·u^(1/L)); restarts keep each beat's highest loss.
import { mulberry32 } from '../common/random.ts';
import { PgdL2Params } from './params.ts';
import { checkCancelled, checkInputs, clip01, gaussian, type Attack } from './attack.ts';
import { bestOfRestarts, classLoss, gradientResult } from './pgd.ts';

/** Scales the perturbation of beat rows [off, off + L) into the L2 ball of radius eps, then clips to [0, 1]. */
function projectL2(adv: Float32Array, beats: Float32Array, off: number, L: number, eps: number): void {
  let sq = 0;
  for (let t = off; t < off + L; t++) sq += (adv[t]! - beats[t]!) ** 2;
  const scale = sq > eps * eps ? eps / Math.sqrt(sq) : 1;
  for (let t = off; t < off + L; t++) adv[t] = clip01(beats[t]! + scale * (adv[t]! - beats[t]!));
}

export const pgdL2: Attack<typeof PgdL2Params> = {
  name: 'pgd-l2',
  params: PgdL2Params,
  async run(model, beats, labels, p, ctx) {
    const n = checkInputs(model, beats, labels);
    const L = model.length;
    const rand = mulberry32(p.seed);
    const oneRun = async (): Promise<Float32Array> => {
      const adv = Float32Array.from(beats);
      if (p.randomStart) {
        for (let i = 0; i < n; i++) {
          const dir = Float32Array.from({ length: L }, () => gaussian(rand));
          const norm = Math.hypot(...dir) || 1;
          const radius = p.eps * rand() ** (1 / L);
          for (let t = 0; t < L; t++) adv[i * L + t] = beats[i * L + t]! + (radius * dir[t]!) / norm;
          projectL2(adv, beats, i * L, L, p.eps);
        }
      }
      for (let s = 0; s < p.steps; s++) {
        checkCancelled(ctx);
        const g = await model.lossGradient(adv, labels);
        for (let i = 0; i < n; i++) {
          let sq = 0;
          for (let t = i * L; t < (i + 1) * L; t++) sq += g[t]! ** 2;
          // A beat with a zero gradient has no direction to step in.
          if (sq === 0) continue;
          const k = p.alpha / Math.sqrt(sq);
          for (let t = i * L; t < (i + 1) * L; t++) adv[t] = adv[t]! + k * g[t]!;
          projectL2(adv, beats, i * L, L, p.eps);
        }
      }
      return adv;
    };
    const best = await bestOfRestarts(L, p.restarts, oneRun, classLoss(model, labels).value);
    return gradientResult(model, beats, best, labels);
  },
};
