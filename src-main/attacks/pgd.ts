// Projected Gradient Descent under L∞ (Madry et al. 2018): from x (or a uniform random start in the
// ε-ball), repeat x ← Π_ε(x + α·sign(∇x loss)) clipped to [0, 1]; over restarts each beat keeps the
// iterate with the highest loss. Fast adversarial training (Wong et al. 2020) is steps 1 + random start.
// The same loop runs BIM, C&W L∞ and the detector-aware PGD with their own objectives.
import { mulberry32 } from '../common/random.ts';
import type { ModelHandle } from '../models/handle.ts';
import { checkCancelled, checkInputs, clip01, lossPerBeat, outcomesOf, type Attack, type AttackContext, type AttackResult } from './attack.ts';
import { PgdParams } from './params.ts';

export interface LinfPgdOptions {
  eps: number;
  alpha: number;
  steps: number;
  randomStart: boolean;
  restarts: number;
  seed: number;
}

/** What a PGD run ascends: the input gradient, and the per-beat value that picks the best restart. */
export interface Objective {
  gradient(adv: Float32Array): Promise<Float32Array>;
  value(adv: Float32Array): Promise<Float32Array>;
}

/** The class cross-entropy of `labels`. */
export function classLoss(model: ModelHandle, labels: Int32Array): Objective {
  return {
    gradient: (adv) => model.lossGradient(adv, labels),
    value: async (adv) => lossPerBeat(await model.predict(adv), labels, model.classes),
  };
}

/** Clips v to [x − eps, x + eps] ∩ [0, 1]. */
export function projectLinf(v: number, x: number, eps: number): number {
  return clip01(Math.min(x + eps, Math.max(x - eps, v)));
}

async function oneRun(beats: Float32Array, o: LinfPgdOptions, objective: Objective, rand: () => number, ctx: AttackContext): Promise<Float32Array> {
  const adv = Float32Array.from(beats, (x) => (o.randomStart ? projectLinf(x + o.eps * (2 * rand() - 1), x, o.eps) : x));
  for (let s = 0; s < o.steps; s++) {
    checkCancelled(ctx);
    const g = await objective.gradient(adv);
    for (let i = 0; i < adv.length; i++) adv[i] = projectLinf(adv[i]! + o.alpha * Math.sign(g[i]!), beats[i]!, o.eps);
  }
  return adv;
}

/** Runs an attack `restarts` times; each beat keeps the run whose `value` is highest. */
export async function bestOfRestarts(length: number, restarts: number, run: () => Promise<Float32Array>, value: (adv: Float32Array) => Promise<Float32Array>): Promise<Float32Array> {
  const best = await run();
  if (restarts === 1) return best;
  const bestValue = await value(best);
  for (let r = 1; r < restarts; r++) {
    const adv = await run();
    const v = await value(adv);
    for (let i = 0; i < bestValue.length; i++) {
      if (v[i]! > bestValue[i]!) {
        best.set(adv.subarray(i * length, (i + 1) * length), i * length);
        bestValue[i] = v[i]!;
      }
    }
  }
  return best;
}

/** L∞ PGD on `objective`, with restarts. */
export function linfPgd(length: number, beats: Float32Array, o: LinfPgdOptions, objective: Objective, ctx: AttackContext): Promise<Float32Array> {
  const rand = mulberry32(o.seed);
  return bestOfRestarts(length, o.restarts, () => oneRun(beats, o, objective, rand, ctx), objective.value);
}

/** Outcomes of a gradient attack's adversarial beats (no queries to report). */
export async function gradientResult(model: ModelHandle, beats: Float32Array, adversarial: Float32Array, labels: Int32Array): Promise<AttackResult> {
  return { adversarial, outcomes: await outcomesOf(model, beats, adversarial, labels), queries: null };
}

export const pgd: Attack<typeof PgdParams> = {
  name: 'pgd',
  params: PgdParams,
  async run(model, beats, labels, p, ctx) {
    checkInputs(model, beats, labels);
    return gradientResult(model, beats, await linfPgd(model.length, beats, p, classLoss(model, labels), ctx), labels);
  },
};
