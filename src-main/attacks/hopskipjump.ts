// HopSkipJump (Chen, Jordan, Wainwright 2020), decision-based, L2 or L∞: each iteration bisects to the
// decision boundary, estimates the boundary's normal from the labels of random probes around that point
// (Monte-Carlo with a baseline, initEvals·√t probes, at most maxEvals), steps along it (sign of it for
// L∞) with a geometrically shrinking size until misclassified, and bisects back towards the clean beat.
// Thresholds and probe radii follow the paper and ART (θ = d^-3/2 for L2, d^-2 for L∞).
import type { z } from 'zod';
import { mulberry32 } from '../common/random.ts';
import { HopSkipJumpParams } from './params.ts';
import { clip01, gaussian, type Attack, type AttackContext, type LabelOracle } from './attack.ts';
import { bisect, canAfford, initialState, isAdversarial, l2Distance, linfDistance, runBlackBox, verifiedAdversarial, type BlackBoxState } from './blackbox.ts';

/** Halvings of the step size before an iteration gives up its step. */
const MAX_HALVINGS = 25;

type Params = z.infer<typeof HopSkipJumpParams>;

/** Bisects each beat's current adversarial beat towards the clean one, to within θ (L2: blend; L∞: box). */
async function toBoundary(s: BlackBoxState, which: readonly number[], norm: Params['norm'], theta: number): Promise<void> {
  const { L, beats, adv } = s;
  const from = Float32Array.from(adv);
  const hi = new Float64Array(s.n);
  const tolerance = new Float64Array(s.n);
  for (const i of which) {
    hi[i] = norm === 'l2' ? 1 : linfDistance(from, beats, i * L, L);
    tolerance[i] = norm === 'l2' ? theta : hi[i]! * theta;
  }
  const point = (i: number, t: number, out: Float32Array, off: number): void => {
    for (let u = 0; u < L; u++) {
      const x = beats[i * L + u]!;
      const a = from[i * L + u]!;
      out[off + u] = norm === 'l2' ? x + t * (a - x) : Math.min(x + t, Math.max(x - t, a));
    }
  };
  const end = await bisect(s, which, point, hi, tolerance);
  for (const i of which) point(i, end[i]!, adv, i * L);
}

/** The attack itself: it is given the label oracle only, never the model. */
export async function hopSkipJump(oracle: LabelOracle, beats: Float32Array, labels: Int32Array, p: Params, ctx: AttackContext): Promise<Float32Array> {
  const rand = mulberry32(p.seed);
  const s = await initialState(oracle, beats, labels, p.maxQueries, rand, ctx);
  const { n, L, adv } = s;
  const theta = p.norm === 'l2' ? 1 / (L * Math.sqrt(L)) : 1 / (L * L);
  const distance = (a: Float32Array, i: number): number => (p.norm === 'l2' ? l2Distance(a, beats, i * L, L) : linfDistance(a, beats, i * L, L));
  const found = Array.from({ length: n }, (_, i) => i).filter((i) => s.found[i]);
  await toBoundary(s, found, p.norm, theta);
  // Each beat returns its closest adversarial beat seen; the iterate itself may step away.
  const best = Float32Array.from(adv);
  const bestDist = Float64Array.from({ length: n }, (_, i) => (s.found[i] ? distance(adv, i) : 0));
  for (let it = 0; it < p.steps; it++) {
    const evals = Math.min(Math.floor(p.initEvals * Math.sqrt(it + 1)), p.maxEvals);
    // A beat iterates only while it can pay for the probes and a step (the bisection may then run short).
    const active = found.filter((i) => canAfford(s, i, evals + 1));
    if (!active.length) break;
    // 1. Probes around the boundary point: φ = +1 where misclassified.
    const rows = new Float32Array(active.length * evals * L);
    const delta = active.map((i) => (it === 0 ? 0.1 : (p.norm === 'l2' ? Math.sqrt(L) : L) * theta * distance(adv, i)));
    active.forEach((i, k) => {
      for (let e = 0; e < evals; e++) {
        const off = (k * evals + e) * L;
        let sq = 0;
        for (let t = 0; t < L; t++) {
          rows[off + t] = p.norm === 'l2' ? gaussian(rand) : 2 * rand() - 1;
          sq += rows[off + t]! ** 2;
        }
        const scale = delta[k]! / Math.sqrt(sq);
        for (let t = 0; t < L; t++) rows[off + t] = clip01(adv[i * L + t]! + scale * rows[off + t]!);
      }
    });
    const hit = await isAdversarial(s, rows, active.flatMap((i) => Array<number>(evals).fill(i)));
    // 2. The boundary normal: mean of φ·u with the mean of φ as baseline, u the probe's actual (clipped) offset.
    const update = new Float32Array(active.length * L);
    active.forEach((i, k) => {
      let mean = 0;
      for (let e = 0; e < evals; e++) mean += hit[k * evals + e] ? 1 : -1;
      mean /= evals;
      const baseline = Math.abs(mean) === 1 ? 0 : mean;
      const g = update.subarray(k * L, (k + 1) * L);
      for (let e = 0; e < evals; e++) {
        const phi = (hit[k * evals + e] ? 1 : -1) - baseline;
        const off = (k * evals + e) * L;
        for (let t = 0; t < L; t++) g[t] = g[t]! + (phi * (rows[off + t]! - adv[i * L + t]!)) / delta[k]!;
      }
      const norm = Math.hypot(...g) || 1;
      for (let t = 0; t < L; t++) g[t] = p.norm === 'l2' ? g[t]! / norm : Math.sign(g[t]!);
    });
    // 3. Step along it: size dist/√(t+1), halved until the step lands on a misclassified beat.
    const size = active.map((i) => (2 * distance(adv, i)) / Math.sqrt(it + 1));
    let searching = active.map((_, k) => k);
    for (let h = 0; h < MAX_HALVINGS && searching.length; h++) {
      searching = searching.filter((k) => canAfford(s, active[k]!, 1));
      const cand = new Float32Array(searching.length * L);
      searching.forEach((k, r) => {
        size[k] = size[k]! / 2;
        const i = active[k]!;
        for (let t = 0; t < L; t++) cand[r * L + t] = clip01(adv[i * L + t]! + size[k]! * update[k * L + t]!);
      });
      const ok = await isAdversarial(s, cand, searching.map((k) => active[k]!));
      searching.forEach((k, r) => {
        if (ok[r]) adv.set(cand.subarray(r * L, (r + 1) * L), active[k]! * L);
      });
      searching = searching.filter((_, r) => !ok[r]);
    }
    // 4. Back to the boundary, and keep the closest.
    await toBoundary(s, active, p.norm, theta);
    for (const i of active) {
      const d = distance(adv, i);
      if (d < bestDist[i]!) {
        bestDist[i] = d;
        best.set(adv.subarray(i * L, (i + 1) * L), i * L);
      }
    }
  }
  s.adv = best;
  return verifiedAdversarial(s);
}

export const hopskipjump: Attack<typeof HopSkipJumpParams> = {
  name: 'hopskipjump',
  params: HopSkipJumpParams,
  run: (model, beats, labels, p, ctx) => runBlackBox(model, beats, labels, (oracle) => hopSkipJump(oracle, beats, labels, p, ctx)),
};
