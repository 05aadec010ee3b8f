// Robustness figures as plain functions over per-beat outcomes (no TensorFlow.js): robust accuracy,
// attack success, perturbation size and SNR, detection, and the worst case over an attack suite.
import { wilson } from './classification.ts';
import { flagsAttacked } from '../../src-shared/contract/model-card.ts';

export interface Stats {
  mean: number;
  median: number;
  max: number;
}

/** Mean, median and max of the finite values; all zeros for none. */
export function stats(values: ArrayLike<number>): Stats {
  const v = Array.from(values).filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return { mean: 0, median: 0, max: 0 };
  const mid = v.length >> 1;
  return { mean: v.reduce((a, b) => a + b, 0) / v.length, median: v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2, max: v[v.length - 1]! };
}

/** Share of beats whose adversarial prediction is the reference, with its 95% Wilson interval. */
export function robustAccuracy(labels: ArrayLike<number>, adversarialPred: ArrayLike<number>): { value: number; correct: number; n: number; ci95: { low: number; high: number } } {
  const n = labels.length;
  let correct = 0;
  for (let i = 0; i < n; i++) if (adversarialPred[i] === labels[i]) correct++;
  return { value: n === 0 ? 0 : correct / n, correct, n, ci95: wilson(correct, n) };
}

/** Of the beats classified right when clean, the share the attack made wrong (0 when none was right). */
export function attackSuccessRate(labels: ArrayLike<number>, cleanPred: ArrayLike<number>, adversarialPred: ArrayLike<number>): number {
  let right = 0;
  let fooled = 0;
  for (let i = 0; i < labels.length; i++) {
    if (cleanPred[i] !== labels[i]) continue;
    right++;
    if (adversarialPred[i] !== labels[i]) fooled++;
  }
  return right === 0 ? 0 : fooled / right;
}

/**
 * SNR of one beat in dB: 10·log10(‖x‖² / ‖δ‖²). +Infinity when δ = 0 (nothing added), NaN when
 * x and δ are both 0 (undefined).
 */
export function snrDb(signalEnergy: number, noiseEnergy: number): number {
  if (noiseEnergy === 0) return signalEnergy === 0 ? Number.NaN : Number.POSITIVE_INFINITY;
  if (signalEnergy === 0) return Number.NEGATIVE_INFINITY;
  return 10 * Math.log10(signalEnergy / noiseEnergy);
}

export interface PerturbationFigures {
  l2: Stats;
  linf: Stats;
  /** Over the beats with a finite SNR; null when there is none (no beat perturbed, or only silent beats). */
  snrDb: { mean: number | null; median: number | null; finiteBeats: number };
  /** Per-beat values, for callers that keep them. */
  perBeat: { l2: Float64Array; linf: Float64Array; snrDb: Float64Array };
}

/** L2, L∞ and SNR of δ = adversarial − clean for each of the N beats of length L. */
export function perturbation(clean: ArrayLike<number>, adversarial: ArrayLike<number>, length: number): PerturbationFigures {
  if (clean.length !== adversarial.length || clean.length % length !== 0) throw new Error(`perturbation: ${clean.length} clean and ${adversarial.length} adversarial values for beats of ${length}`);
  const n = clean.length / length;
  const l2 = new Float64Array(n);
  const linf = new Float64Array(n);
  const snr = new Float64Array(n);
  for (let b = 0; b < n; b++) {
    let sig = 0;
    let noise = 0;
    let max = 0;
    for (let t = b * length; t < (b + 1) * length; t++) {
      const x = clean[t]!;
      const d = adversarial[t]! - x;
      sig += x * x;
      noise += d * d;
      max = Math.max(max, Math.abs(d));
    }
    l2[b] = Math.sqrt(noise);
    linf[b] = max;
    snr[b] = snrDb(sig, noise);
  }
  const s = stats(snr);
  const finiteBeats = snr.filter(Number.isFinite).length;
  return { l2: stats(l2), linf: stats(linf), snrDb: { mean: finiteBeats ? s.mean : null, median: finiteBeats ? s.median : null, finiteBeats }, perBeat: { l2, linf, snrDb: snr } };
}

export interface DetectionFigures {
  /** Share of adversarial beats flagged. */
  tpr: number;
  /** Share of clean beats flagged. */
  fpr: number;
  /** Share of adversarial beats classified right or flagged. */
  defendedRate: number;
  /** Share of adversarial beats misclassified and not flagged. */
  undetectedMisclassified: number;
}

/** A detector's figures; a beat is flagged when P(attacked) > threshold. */
export function detection(labels: ArrayLike<number>, adversarialPred: ArrayLike<number>, cleanAttacked: ArrayLike<number>, adversarialAttacked: ArrayLike<number>, threshold = 0.5): DetectionFigures {
  const n = labels.length;
  if (n === 0) return { tpr: 0, fpr: 0, defendedRate: 0, undetectedMisclassified: 0 };
  let tp = 0;
  let fp = 0;
  let defended = 0;
  let undetected = 0;
  for (let i = 0; i < n; i++) {
    const flagged = flagsAttacked(adversarialAttacked[i], threshold);
    const right = adversarialPred[i] === labels[i];
    if (flagged) tp++;
    if (flagsAttacked(cleanAttacked[i], threshold)) fp++;
    if (right || flagged) defended++;
    else undetected++;
  }
  return { tpr: tp / n, fpr: fp / n, defendedRate: defended / n, undetectedMisclassified: undetected / n };
}

/**
 * The detector threshold that flags at most `rate` of these clean beats (flagged: P(attacked) >
 * threshold): the score of the ⌊rate·n⌋+1-th highest beat, so ties can only flag fewer.
 */
export function thresholdAtFalseAlarmRate(cleanAttacked: ArrayLike<number>, rate: number): number {
  const n = cleanAttacked.length;
  if (n === 0) throw new Error('thresholdAtFalseAlarmRate: no clean beats');
  if (!(rate >= 0 && rate < 1)) throw new Error(`false-alarm rate must be in [0, 1), got ${rate}`);
  const sorted = Float64Array.from(cleanAttacked).sort().reverse();
  return sorted[Math.floor(rate * n)]!;
}

/** Share of beats flagged at a threshold. */
export function flaggedRate(attacked: ArrayLike<number>, threshold: number): number {
  let k = 0;
  for (let i = 0; i < attacked.length; i++) if (flagsAttacked(attacked[i], threshold)) k++;
  return attacked.length ? k / attacked.length : 0;
}

/** Per-beat outcome of one attack: classified right, and (with a detector) flagged. */
export interface BeatOutcome {
  correct: ArrayLike<number>;
  flagged: ArrayLike<number> | null;
}

/**
 * Worst case over a suite at one ε: a beat counts as robust only if it was classified right under
 * every attack, and as defended only if under every attack it was right or flagged (null without a
 * detector on every attack).
 */
export function worstCase(outcomes: readonly BeatOutcome[]): { beats: number; robust: number; robustAccuracy: number; ci95: { low: number; high: number }; defendedRate: number | null } {
  if (outcomes.length === 0) throw new Error('worstCase: no attack outcomes');
  const n = outcomes[0]!.correct.length;
  if (outcomes.some((o) => o.correct.length !== n || (o.flagged && o.flagged.length !== n))) throw new Error('worstCase: attacks cover different beats');
  const withDetector = outcomes.every((o) => o.flagged !== null);
  let robust = 0;
  let defended = 0;
  for (let i = 0; i < n; i++) {
    if (outcomes.every((o) => o.correct[i] === 1)) robust++;
    if (withDetector && outcomes.every((o) => o.correct[i] === 1 || o.flagged![i] === 1)) defended++;
  }
  return { beats: n, robust, robustAccuracy: n === 0 ? 0 : robust / n, ci95: wilson(robust, n), defendedRate: withDetector ? (n === 0 ? 0 : defended / n) : null };
}

/** SNR reported for one unchanged beat (δ = 0), where the ratio is infinite and JSON has no Infinity. */
export const SNR_CAP_DB = 200;

/** L2, L∞ and SNR (dB, capped at ±SNR_CAP_DB for JSON) of one beat's perturbation. */
export function beatPerturbation(clean: ArrayLike<number>, adversarial: ArrayLike<number>): { l2: number; linf: number; snrDb: number } {
  if (clean.length !== adversarial.length) throw new Error(`perturbation: ${clean.length} clean samples but ${adversarial.length} adversarial`);
  const { perBeat } = perturbation(clean, adversarial, Math.max(1, clean.length));
  const snr = perBeat.snrDb[0]!;
  return { l2: perBeat.l2[0]!, linf: perBeat.linf[0]!, snrDb: Number.isNaN(snr) ? SNR_CAP_DB : Math.max(-SNR_CAP_DB, Math.min(SNR_CAP_DB, snr)) };
}
