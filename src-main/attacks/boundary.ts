// Boundary attack (Brendel, Rauber, Bethge 2018), decision-based: from a misclassified start, each step
// draws an orthogonal Gaussian step on the sphere around the clean beat (relative size δ = `spherical`)
// and then a step of relative size ε = `source` towards the clean beat; the candidate replaces the
// current beat when it is still misclassified and closer (L2). Every 10 steps δ and ε adapt to the
// success rates (×1.5 above 50 %, ÷1.5 below 20 %), as in Foolbox. Two queries per beat and step.
import type { z } from 'zod';
import { mulberry32 } from '../common/random.ts';
import { BoundaryParams } from './params.ts';
import { clip01, gaussian, type Attack, type AttackContext, type LabelOracle } from './attack.ts';
import { canAfford, initialState, isAdversarial, l2Distance, runBlackBox, verifiedAdversarial } from './blackbox.ts';

const ADAPT_EVERY = 10;

/** The attack itself: it is given the label oracle only, never the model. */
export async function boundaryAttack(oracle: LabelOracle, beats: Float32Array, labels: Int32Array, p: z.infer<typeof BoundaryParams>, ctx: AttackContext): Promise<Float32Array> {
  const rand = mulberry32(p.seed);
  const s = await initialState(oracle, beats, labels, p.maxQueries, rand, ctx);
  const { n, L, adv } = s;
  const spherical = new Float64Array(n).fill(p.spherical);
  const source = new Float64Array(n).fill(p.source);
  const trials = new Int32Array(n);
  const sphereOk = new Int32Array(n);
  const stepOk = new Int32Array(n);
  const eta = new Float64Array(L);
  for (let step = 0; step < p.steps; step++) {
    const active = Array.from({ length: n }, (_, i) => i).filter((i) => s.found[i] && canAfford(s, i, 2));
    if (!active.length) break;
    // Rows 2k and 2k + 1: the spherical candidate and the full candidate of beat active[k].
    const rows = new Float32Array(2 * active.length * L);
    const dist = active.map((i, k) => {
      const off = i * L;
      const d = l2Distance(adv, beats, off, L);
      // A Gaussian step orthogonal to the direction to the clean beat, of norm δ·d.
      let dot = 0;
      for (let t = 0; t < L; t++) {
        eta[t] = gaussian(rand);
        dot += (eta[t]! * (beats[off + t]! - adv[off + t]!)) / d;
      }
      let norm = 0;
      for (let t = 0; t < L; t++) {
        eta[t] = eta[t]! - (dot * (beats[off + t]! - adv[off + t]!)) / d;
        norm += eta[t]! ** 2;
      }
      const scale = (spherical[i]! * d) / (Math.sqrt(norm) || 1);
      // Back onto the sphere of radius d around the clean beat.
      const D = 1 / Math.sqrt(spherical[i]! ** 2 + 1);
      const sph = 2 * k * L;
      for (let t = 0; t < L; t++) rows[sph + t] = clip01(beats[off + t]! + D * (adv[off + t]! - beats[off + t]! + scale * eta[t]!));
      // Then towards the clean beat, to distance (1 − ε)·d.
      const nd = l2Distance(rows.subarray(sph, sph + L), beats.subarray(off, off + L), 0, L);
      const length = Math.max(0, source[i]! * d + nd - d) / (nd || 1);
      for (let t = 0; t < L; t++) rows[sph + L + t] = clip01(rows[sph + t]! + length * (beats[off + t]! - rows[sph + t]!));
      return d;
    });
    const hit = await isAdversarial(s, rows, active.flatMap((i) => [i, i]));
    active.forEach((i, k) => {
      const cand = rows.subarray((2 * k + 1) * L, (2 * k + 2) * L);
      if (hit[2 * k + 1] && l2Distance(cand, beats.subarray(i * L, (i + 1) * L), 0, L) < dist[k]!) adv.set(cand, i * L);
      trials[i]!++;
      if (hit[2 * k]) sphereOk[i]!++;
      if (hit[2 * k] && hit[2 * k + 1]) stepOk[i]!++;
      if (trials[i] === ADAPT_EVERY) {
        const sphereRate = sphereOk[i]! / ADAPT_EVERY;
        const stepRate = stepOk[i]! / Math.max(1, sphereOk[i]!);
        if (sphereRate > 0.5) spherical[i] = Math.min(1, spherical[i]! * 1.5);
        else if (sphereRate < 0.2) spherical[i] = spherical[i]! / 1.5;
        if (stepRate > 0.5) source[i] = Math.min(0.5, source[i]! * 1.5);
        else if (stepRate < 0.2) source[i] = source[i]! / 1.5;
        trials[i] = sphereOk[i] = stepOk[i] = 0;
      }
    });
  }
  return verifiedAdversarial(s);
}

export const boundary: Attack<typeof BoundaryParams> = {
  name: 'boundary',
  params: BoundaryParams,
  run: (model, beats, labels, p, ctx) => runBlackBox(model, beats, labels, (oracle) => boundaryAttack(oracle, beats, labels, p, ctx)),
};
