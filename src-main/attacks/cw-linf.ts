// Carlini–Wagner (2017) margin loss under an L∞ bound, optimised PGD-style (as in Madry et al.'s
// "CW∞"): ascend min(max_{j≠y} z_j − z_y, κ) with z the log-probabilities. Once a beat's margin
// reaches the confidence κ its gradient is zero, so it stops moving.
import { CwLinfParams } from './params.ts';
import { checkInputs, type Attack } from './attack.ts';
import { gradientResult, linfPgd } from './pgd.ts';

export const cwLinf: Attack<typeof CwLinfParams> = {
  name: 'cw-linf',
  params: CwLinfParams,
  async run(model, beats, labels, p, ctx) {
    checkInputs(model, beats, labels);
    const objective = {
      gradient: (adv: Float32Array) => model.marginGradient(adv, labels, p.confidence),
      // One run, so the value that picks among restarts is never asked for.
      value: () => Promise.reject(new Error('cw-linf runs no restarts')),
    };
    const adv = await linfPgd(model.length, beats, { ...p, randomStart: false, restarts: 1 }, objective, ctx);
    return gradientResult(model, beats, adv, labels);
  },
};
