// Projected Gradient Descent under L∞ (Madry et al. 2018): from x (or a uniform random start in the
// ε-ball), repeat x ← Π_ε(x + α·sign(∇x loss)) clipped to [0, 1]; over restarts each beat keeps the
// iterate with the highest loss. Fast adversarial training (Wong et al. 2020) is steps 1 + random start.
import type { z } from 'zod';
import { mulberry32 } from '../common/random.ts';
import type { ModelHandle } from '../models/handle.ts';
import { checkInputs, clip01, outcomesOf, type Attack, type AttackContext } from './attack.ts';
import { PgdParams } from './params.ts';

/** Per-beat cross-entropy from class probabilities. */
function lossPerBeat(p: Float32Array, labels: Int32Array, classes: number): Float32Array {
  return Float32Array.from(labels, (l, i) => -Math.log(Math.max(p[i * classes + l]!, 1e-7)));
}

/** Clips v to [x − eps, x + eps] ∩ [0, 1]. */
function project(v: number, x: number, eps: number): number {
  return clip01(Math.min(x + eps, Math.max(x - eps, v)));
}

async function onePgdRun(model: ModelHandle, beats: Float32Array, labels: Int32Array, p: z.infer<typeof PgdParams>, rand: () => number, ctx: AttackContext): Promise<Float32Array> {
  const adv = Float32Array.from(beats, (x) => (p.randomStart ? project(x + p.eps * (2 * rand() - 1), x, p.eps) : x));
  for (let s = 0; s < p.steps; s++) {
    if (ctx.cancelled()) throw new Error('attack cancelled');
    const g = await model.lossGradient(adv, labels);
    for (let i = 0; i < adv.length; i++) adv[i] = project(adv[i]! + p.alpha * Math.sign(g[i]!), beats[i]!, p.eps);
  }
  return adv;
}

export const pgd: Attack<typeof PgdParams> = {
  name: 'pgd',
  params: PgdParams,
  async run(model, beats, labels, p, ctx) {
    const n = checkInputs(model, beats, labels);
    const L = model.length;
    const rand = mulberry32(p.seed);
    let best = await onePgdRun(model, beats, labels, p, rand, ctx);
    if (p.restarts > 1) {
      let bestLoss = lossPerBeat(await model.predict(best), labels, model.classes);
      for (let r = 1; r < p.restarts; r++) {
        const adv = await onePgdRun(model, beats, labels, p, rand, ctx);
        const loss = lossPerBeat(await model.predict(adv), labels, model.classes);
        for (let i = 0; i < n; i++) {
          if (loss[i]! > bestLoss[i]!) {
            best.set(adv.subarray(i * L, (i + 1) * L), i * L);
            bestLoss[i] = loss[i]!;
          }
        }
      }
    }
    return { adversarial: best, outcomes: await outcomesOf(model, beats, best, labels), queries: null };
  },
};
