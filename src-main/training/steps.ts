// Single-process training steps as pure functions over tensors, split for data parallelism:
// computeGradients (per worker, per shard) → averageGradients (coordinator) → applyGradients (each
// identical replica, or one). Losses are per-beat means, so count-weighted averaging is exact.
//
// Batch norm: in training mode each shard normalises with its own batch statistics (as data-parallel
// training without synchronised BN does), so for models with BN the averaged gradient approximates the
// full-batch one; it is exact for models without BN (Kachuee). Moving statistics are updated on each
// replica by its own shard; a coordinator should copy one replica's (or average them) at checkpoints.
// Dropout masks are drawn from the batch's `dropoutKey` (the trainer derives it from seed, step and
// shard), so a step is a pure function of its inputs.
import { tf } from '../compute/backend.ts';
import type { LayersModel } from '../compute/layers.ts';
import { classOutput, classifierHandle } from '../models/handle.ts';
import { keepingMovingStatistics, seedDropout, trainableVariables, type WeightMap } from '../models/weights.ts';
import { runAttack, type AttackName } from '../attacks/index.ts';
import { leastSquares, weightedCrossEntropy } from './losses.ts';
import type { Adam } from './adam.ts';
import type { GradientResult } from './gradients.ts';

export interface ClassBatch {
  /** N×L beats, row-major. */
  beats: Float32Array;
  labels: Int32Array;
  /** Seeds the dropout masks of this batch's training-mode passes; without it tfjs's unseeded RNG draws them. */
  dropoutKey?: number;
}

export interface GanBatch extends ClassBatch {
  /** 1 where the beat is adversarially attacked, 0 where clean. */
  attacked: Uint8Array;
  /** N×L smoothed noise for the generator (smoothedNoise), drawn by the caller so the step is pure. */
  noise: Float32Array;
}

export { averageGradients, type GradientResult } from './gradients.ts';

function beatsTensor(b: ClassBatch, length: number): tf.Tensor3D {
  const n = b.labels.length;
  if (b.beats.length !== n * length) throw new Error(`beats: ${b.beats.length} values for ${n} beats of ${length} samples`);
  return tf.tensor3d(b.beats, [n, length, 1]);
}

/** Seeds the model's dropout from the batch's key (plus `offset` for a second pass); no key, no seeding. */
function seedBatchDropout(model: LayersModel, batch: ClassBatch, offset = 0): void {
  if (batch.dropoutKey !== undefined) seedDropout(model, batch.dropoutKey + offset);
}

function inputLength(model: LayersModel): number {
  return model.inputs[0]!.shape[1]!;
}

/** Gradients of `loss` w.r.t. the model's trainable variables, copied out by stable name; tensors freed. */
function gradientsOf(model: LayersModel, loss: () => { total: tf.Scalar; parts: Record<string, tf.Scalar> }): { grads: WeightMap; losses: Record<string, number> } {
  const vars = trainableVariables(model);
  const byId = new Map([...vars].map(([k, v]) => [v.name, k]));
  let parts: Record<string, tf.Scalar> = {};
  const { value, grads } = tf.variableGrads(() => {
    const r = loss();
    parts = Object.fromEntries(Object.entries(r.parts).map(([k, t]) => [k, tf.keep(t)]));
    return r.total;
  }, [...vars.values()]);
  const out: WeightMap = new Map();
  for (const [id, g] of Object.entries(grads)) out.set(byId.get(id)!, Float32Array.from(g.dataSync()));
  const losses: Record<string, number> = { total: value.dataSync()[0]! };
  for (const [k, t] of Object.entries(parts)) losses[k] = t.dataSync()[0]!;
  tf.dispose([value, ...Object.values(grads), ...Object.values(parts)]);
  return { grads: out, losses };
}

/** Class-weighted cross-entropy gradients of a classifier (dcnn, Kachuee, or the D's class head alone). */
export function classifierGradients(model: LayersModel, batch: ClassBatch, classWeights?: readonly number[]): GradientResult {
  const x = beatsTensor(batch, inputLength(model));
  const y = tf.tensor1d(batch.labels, 'int32');
  try {
    seedBatchDropout(model, batch);
    const r = gradientsOf(model, () => ({ total: weightedCrossEntropy(classOutput(model, x, true), y, classWeights), parts: {} }));
    return { ...r, count: batch.labels.length };
  } finally {
    tf.dispose([x, y]);
  }
}

export interface GanOptions {
  classWeights?: readonly number[];
  /** real/fake : attacked/clean : class weights of the generator loss; the paper's 1 : 10 : 10. */
  generatorLossWeights?: readonly [number, number, number];
}

function generatorInputs(g: LayersModel, batch: GanBatch): { beats: tf.Tensor3D; noise: tf.Tensor2D; label: tf.Tensor2D } {
  const length = inputLength(g);
  const classes = g.inputs[2]!.shape[1]!;
  const n = batch.labels.length;
  if (batch.noise.length !== n * length) throw new Error(`noise: ${batch.noise.length} values for ${n} beats of ${length} samples`);
  if (batch.attacked.length !== n) throw new Error(`attacked: ${batch.attacked.length} flags for ${n} beats`);
  return {
    beats: beatsTensor(batch, length),
    noise: tf.tensor2d(batch.noise, [n, length]),
    label: tf.tidy(() => tf.oneHot(tf.tensor1d(batch.labels, 'int32'), classes).toFloat() as tf.Tensor2D),
  };
}

function dHeads(d: LayersModel, x: tf.Tensor, training: boolean): [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D] {
  const out = d.apply(x, { training }) as tf.Tensor2D[];
  if (out.length !== 3) throw new Error(`${d.name}: expected the three-headed discriminator`);
  return [out[0]!, out[1]!, out[2]!];
}

/**
 * Discriminator gradients: real beats are real with their class and attack flag; generated beats
 * (G in inference mode, conditioned on the same beats) are fake with the conditioning beat's class
 * and flag. One loss sums both halves with the three heads weighted equally. Batch norm's moving
 * statistics follow the real beats only (clean and attacked): those are what D classifies in use.
 */
export function discriminatorGradients(d: LayersModel, g: LayersModel, batch: GanBatch, opts: GanOptions = {}): GradientResult {
  const inp = generatorInputs(g, batch);
  const fake = tf.tidy(() => g.apply([inp.beats, inp.noise, inp.label], { training: false }) as tf.Tensor);
  const y = tf.tensor1d(batch.labels, 'int32');
  const atk = tf.tensor1d(Int32Array.from(batch.attacked), 'int32');
  try {
    const r = gradientsOf(d, () => {
      seedBatchDropout(d, batch);
      const [rfR, atkR, clsR] = dHeads(d, inp.beats, true);
      seedBatchDropout(d, batch, 1);
      const [rfF, atkF, clsF] = keepingMovingStatistics(d, () => dHeads(d, fake, true));
      const realFake = tf.add(leastSquares(rfR, 1), leastSquares(rfF, 0));
      const attacked = tf.add(weightedCrossEntropy(atkR, atk), weightedCrossEntropy(atkF, atk));
      const cls = tf.add(weightedCrossEntropy(clsR, y, opts.classWeights), weightedCrossEntropy(clsF, y, opts.classWeights));
      return { total: tf.addN([realFake, attacked, cls]) as tf.Scalar, parts: { realFake, attacked, class: cls } as Record<string, tf.Scalar> };
    });
    return { ...r, count: batch.labels.length };
  } finally {
    tf.dispose([inp.beats, inp.noise, inp.label, fake, y, atk]);
  }
}

/** Generator gradients through the frozen discriminator (inference mode: moving BN statistics, no dropout). */
export function generatorGradients(d: LayersModel, g: LayersModel, batch: GanBatch, opts: GanOptions = {}): GradientResult {
  const [wRf, wAtk, wCls] = opts.generatorLossWeights ?? [1, 10, 10];
  const inp = generatorInputs(g, batch);
  const y = tf.tensor1d(batch.labels, 'int32');
  const atk = tf.tensor1d(Int32Array.from(batch.attacked), 'int32');
  try {
    const r = gradientsOf(g, () => {
      const fake = g.apply([inp.beats, inp.noise, inp.label], { training: true }) as tf.Tensor;
      const [rf, atkP, clsP] = dHeads(d, fake, false);
      const realFake = leastSquares(rf, 1);
      const attacked = weightedCrossEntropy(atkP, atk);
      const cls = weightedCrossEntropy(clsP, y, opts.classWeights);
      const total = tf.addN([tf.mul(realFake, wRf), tf.mul(attacked, wAtk), tf.mul(cls, wCls)]) as tf.Scalar;
      return { total, parts: { realFake, attacked, class: cls } as Record<string, tf.Scalar> };
    });
    return { ...r, count: batch.labels.length };
  } finally {
    tf.dispose([inp.beats, inp.noise, inp.label, y, atk]);
  }
}

export interface AdversarialOptions {
  attack: Extract<AttackName, 'pgd' | 'fgsm'>;
  /** Raw attack parameters, validated by the attack's schema. */
  params: Record<string, unknown>;
  classWeights?: readonly number[];
}

/**
 * Madry et al. adversarial training: the loss on adversarial beats made against the current weights.
 * Fast adversarial training (Wong et al. 2020) is PGD with steps 1, randomStart, alpha 1.25·eps.
 */
export async function adversarialGradients(model: LayersModel, batch: ClassBatch, opts: AdversarialOptions): Promise<GradientResult> {
  const { adversarial } = await runAttack(opts.attack, classifierHandle(model), batch.beats, batch.labels, opts.params);
  return classifierGradients(model, { ...batch, beats: adversarial }, opts.classWeights);
}

/** Every step's gradient half behind one entry point, for a worker that receives step requests. */
export type StepRequest =
  | { step: 'classifier'; model: LayersModel; batch: ClassBatch; classWeights?: readonly number[] }
  | { step: 'gan-discriminator' | 'gan-generator'; d: LayersModel; g: LayersModel; batch: GanBatch; options?: GanOptions }
  | { step: 'adversarial'; model: LayersModel; batch: ClassBatch; options: AdversarialOptions };

export async function computeGradients(req: StepRequest): Promise<GradientResult> {
  switch (req.step) {
    case 'classifier':
      return classifierGradients(req.model, req.batch, req.classWeights);
    case 'gan-discriminator':
      return discriminatorGradients(req.d, req.g, req.batch, req.options);
    case 'gan-generator':
      return generatorGradients(req.d, req.g, req.batch, req.options);
    case 'adversarial':
      return adversarialGradients(req.model, req.batch, req.options);
  }
}

export function applyGradients(optimizer: Adam, model: LayersModel, grads: WeightMap): void {
  optimizer.apply(trainableVariables(model), grads);
}

/** One full GAN step in one process: D update, then G update through the updated, frozen D. */
export function ganStep(d: LayersModel, g: LayersModel, optD: Adam, optG: Adam, batch: GanBatch, opts: GanOptions = {}): { d: Record<string, number>; g: Record<string, number> } {
  const dr = discriminatorGradients(d, g, batch, opts);
  applyGradients(optD, d, dr.grads);
  const gr = generatorGradients(d, g, batch, opts);
  applyGradients(optG, g, gr.grads);
  return { d: dr.losses, g: gr.losses };
}

/** One classifier step in one process. */
export function classifierStep(model: LayersModel, opt: Adam, batch: ClassBatch, classWeights?: readonly number[]): Record<string, number> {
  const r = classifierGradients(model, batch, classWeights);
  applyGradients(opt, model, r.grads);
  return r.losses;
}
