// One interface for every attack: (model handle, N×L beats in [0, 1], labels, parameters) →
// adversarial beats and a per-beat outcome. Parameters are validated by each attack's zod schema.
import { z } from 'zod';
import type { ModelHandle } from '../models/handle.ts';
import type { ResolvedModel } from '../models/registry.ts';
import type { AttackSpec } from '../../src-shared/contract/attacks.ts';

export interface BeatOutcomes {
  /** Predicted class of each clean beat. */
  cleanPrediction: Int32Array;
  /** Predicted class of each adversarial beat. */
  adversarialPrediction: Int32Array;
  /** 1 where the clean beat was classified right and its adversarial version wrong. */
  fooled: Uint8Array;
  /** L∞ distance between each adversarial and clean beat. */
  linf: Float32Array;
}

export interface AttackResult {
  adversarial: Float32Array;
  outcomes: BeatOutcomes;
  /** Black-box attacks: model queries spent on each beat; null for gradient attacks. */
  queries: Int32Array | null;
}

/** What a running attack may consult: a cancel flag to check between iterations. */
export interface AttackContext {
  cancelled(): boolean;
}

/**
 * All a decision-based (black-box) attack may ask: the predicted label of candidate beats. Each
 * candidate row is charged as one query to the beat it is crafted for.
 */
export interface LabelOracle {
  readonly length: number;
  readonly classes: number;
  /** Labels of N×L candidates; candidate i is charged to beat owners[i] (default: to beat i). */
  predictLabels(beats: Float32Array, owners?: ArrayLike<number>): Promise<Int32Array>;
  /** Queries charged to each attacked beat so far. */
  readonly queries: Int32Array;
}

/** Candidates per model call of the label oracle. */
const ORACLE_CHUNK = 512;

/** A label-only view of a model for `beatCount` attacked beats: no probabilities, no gradients. */
export function labelOracle(model: ModelHandle, beatCount: number): LabelOracle {
  const queries = new Int32Array(beatCount);
  const { length, classes } = model;
  return {
    length,
    classes,
    queries,
    async predictLabels(beats, owners) {
      const n = beats.length / length;
      if (!Number.isInteger(n)) throw new Error(`beats: ${beats.length} values is not a whole number of ${length}-sample beats`);
      if (owners && owners.length !== n) throw new Error(`owners: ${owners.length} owners for ${n} candidates`);
      for (let i = 0; i < n; i++) queries[owners ? owners[i]! : i]!++;
      // Gradient-estimation batches run to thousands of candidates: predict them in bounded chunks.
      const labels = new Int32Array(n);
      for (let at = 0; at < n; at += ORACLE_CHUNK) {
        const end = Math.min(n, at + ORACLE_CHUNK);
        labels.set(argmaxRows(await model.predict(beats.slice(at * length, end * length)), classes), at);
      }
      return labels;
    },
  };
}

export interface Attack<S extends z.ZodType> {
  name: string;
  params: S;
  run(model: ModelHandle, beats: Float32Array, labels: Int32Array, params: z.infer<S>, ctx: AttackContext): Promise<AttackResult>;
}

export function argmaxRows(p: Float32Array, cols: number): Int32Array {
  const n = p.length / cols;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < cols; c++) if (p[i * cols + c]! > p[i * cols + best]!) best = c;
    out[i] = best;
  }
  return out;
}

export function checkInputs(model: ModelHandle, beats: Float32Array, labels: Int32Array): number {
  const n = labels.length;
  if (beats.length !== n * model.length) throw new Error(`beats: ${beats.length} values for ${n} beats of ${model.length} samples`);
  for (const l of labels) if (!Number.isInteger(l) || l < 0 || l >= model.classes) throw new Error(`labels: ${l} is not a class index below ${model.classes}`);
  return n;
}

/** Predictions on clean and adversarial beats, and the distance between them. */
export async function outcomesOf(model: ModelHandle, beats: Float32Array, adversarial: Float32Array, labels: Int32Array): Promise<BeatOutcomes> {
  const cleanPrediction = argmaxRows(await model.predict(beats), model.classes);
  const adversarialPrediction = argmaxRows(await model.predict(adversarial), model.classes);
  const n = labels.length;
  const L = model.length;
  const fooled = new Uint8Array(n);
  const linf = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    fooled[i] = cleanPrediction[i] === labels[i] && adversarialPrediction[i] !== labels[i] ? 1 : 0;
    let m = 0;
    for (let t = i * L; t < (i + 1) * L; t++) m = Math.max(m, Math.abs(adversarial[t]! - beats[t]!));
    linf[i] = m;
  }
  return { cleanPrediction, adversarialPrediction, fooled, linf };
}

export const clip01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);

/** Throws between iterations once the caller cancelled. */
export function checkCancelled(ctx: AttackContext): void {
  if (ctx.cancelled()) throw new Error('attack cancelled');
}

/** Per-beat cross-entropy from class probabilities. */
export function lossPerBeat(p: Float32Array, labels: Int32Array, classes: number): Float32Array {
  return Float32Array.from(labels, (l, i) => -Math.log(Math.max(p[i * classes + l]!, 1e-7)));
}

/** A standard normal draw (Box–Muller) from a uniform generator. */
export function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** One attack over a batch of beats, run where the models live (the app's compute pool). */
export interface BatchAttackRequest {
  model: ResolvedModel;
  /** Transfer mode: craft on this model, evaluate on `model`. */
  source?: ResolvedModel;
  attack: AttackSpec;
  beats: Float32Array;
  labels: Int32Array;
  signal: AbortSignal;
  onDone?(done: number, total: number): void;
}

/** A batch attack scored by the evaluated model: what audits and the simulator read. */
export interface ScoredAttack {
  adversarial: Float32Array;
  /** Black-box attacks: model queries per beat; null for gradient attacks. */
  queries: Int32Array | null;
  /** N×C probabilities of the evaluated model on the clean and the adversarial beats. */
  cleanProbabilities: Float32Array;
  adversarialProbabilities: Float32Array;
  /** ATK-GAN: P(attacked) on the clean and the adversarial beats; null for other models. */
  cleanAttacked: Float32Array | null;
  adversarialAttacked: Float32Array | null;
  /** Wall time of the whole call. */
  wallSeconds: number;
}
