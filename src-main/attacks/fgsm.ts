// Fast Gradient Sign Method (Goodfellow et al. 2015): x + ε·sign(∇x loss), clipped to [0, 1].
import { FgsmParams } from './params.ts';
import { checkInputs, clip01, outcomesOf, type Attack } from './attack.ts';

export const fgsm: Attack<typeof FgsmParams> = {
  name: 'fgsm',
  params: FgsmParams,
  async run(model, beats, labels, { eps }) {
    checkInputs(model, beats, labels);
    const g = await model.lossGradient(beats, labels);
    const adversarial = new Float32Array(beats.length);
    for (let i = 0; i < beats.length; i++) adversarial[i] = clip01(beats[i]! + eps * Math.sign(g[i]!));
    return { adversarial, outcomes: await outcomesOf(model, beats, adversarial, labels), queries: null };
  },
};
