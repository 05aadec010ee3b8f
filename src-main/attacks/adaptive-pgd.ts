// Detector-aware PGD against ATK-GAN: ascend CE(class, y) − λ·CE(attacked/clean head, "clean"), so the
// beat is misclassified while the attacked/clean head keeps calling it clean. A model without a
// detector head has nothing to evade: the attack is then plain PGD and λ is ignored.
import { AdaptivePgdParams } from './params.ts';
import { checkInputs, lossPerBeat, type Attack } from './attack.ts';
import { classLoss, gradientResult, linfPgd, type Objective } from './pgd.ts';

export const adaptivePgd: Attack<typeof AdaptivePgdParams> = {
  name: 'adaptive-pgd',
  params: AdaptivePgdParams,
  async run(model, beats, labels, p, ctx) {
    checkInputs(model, beats, labels);
    const detector = model.detector;
    const objective: Objective = detector
      ? {
          gradient: (adv) => detector.adaptiveGradient(adv, labels, p.lambda),
          async value(adv) {
            const ce = lossPerBeat(await model.predict(adv), labels, model.classes);
            const attacked = await detector.attackedProbability(adv);
            return ce.map((v, i) => v + p.lambda * Math.log(Math.max(1 - attacked[i]!, 1e-7)));
          },
        }
      : classLoss(model, labels);
    return gradientResult(model, beats, await linfPgd(model.length, beats, p, objective, ctx), labels);
  },
};
