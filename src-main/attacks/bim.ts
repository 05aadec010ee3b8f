// Basic Iterative Method (Kurakin et al. 2017): iterated FGSM steps of α from the clean beat (no random
// start), each clipped to the ε-ball and [0, 1] — PGD without a random start or restarts.
import { BimParams } from './params.ts';
import { checkInputs, type Attack } from './attack.ts';
import { classLoss, gradientResult, linfPgd } from './pgd.ts';

export const bim: Attack<typeof BimParams> = {
  name: 'bim',
  params: BimParams,
  async run(model, beats, labels, p, ctx) {
    checkInputs(model, beats, labels);
    const adv = await linfPgd(model.length, beats, { ...p, randomStart: false, restarts: 1 }, classLoss(model, labels), ctx);
    return gradientResult(model, beats, adv, labels);
  },
};
