// Weights as flat Float32Arrays keyed by the layer-scoped name ("d_conv1/kernel"). Layer names are
// fixed by the builders, so every replica of a model has the same keys in any process.
import { tf } from '../compute/backend.ts';
import type { LayersModel } from '../compute/layers.ts';

export type WeightMap = Map<string, Float32Array>;

interface Weight {
  originalName: string;
  shape: number[];
  trainable: boolean;
  read(): tf.Tensor;
  write(v: tf.Tensor): unknown;
}

function weightsOf(model: LayersModel, which: 'all' | 'trainable'): Weight[] {
  return (which === 'all' ? model.weights : model.trainableWeights) as unknown as Weight[];
}

/** Stable key of a weight; unique within a model. */
export function weightKey(w: { originalName: string }): string {
  return w.originalName;
}

/** The tf.Variables behind the trainable weights, by stable key. */
export function trainableVariables(model: LayersModel): Map<string, tf.Variable> {
  return new Map(weightsOf(model, 'trainable').map((w) => [weightKey(w), w.read() as tf.Variable]));
}

/**
 * Runs `f` (a training-mode forward pass) without letting it move the model's non-trainable weights —
 * batch norm's moving mean and variance. The GAN's D step uses it for generated beats: their batch
 * statistics are not those of any beat the classifier will see, and letting them into the moving
 * averages shifted every clean prediction (a D trained this way lost 7 points of clean accuracy that
 * recomputing the statistics on real beats gave back).
 */
export function keepingMovingStatistics<T>(model: LayersModel, f: () => T): T {
  const frozen = (model.nonTrainableWeights as unknown as Weight[]).map((w) => [w, tf.keep(w.read().clone())] as const);
  try {
    return f();
  } finally {
    for (const [w, v] of frozen) {
      w.write(v);
      v.dispose();
    }
  }
}

/**
 * Seeds every dropout layer for the next training-mode pass. tfjs draws an unseeded mask from
 * Math.random, which made training irreproducible; the trainer passes a key derived from (run seed,
 * step, shard), so a run repeats exactly under its seed and a resumed run draws what it would have.
 * A seeded layer draws the same mask on every call, so each pass needs its own key. `null` unseeds
 * the layers again (before saving, so a saved topology does not carry the last step's seed).
 */
export function seedDropout(model: LayersModel, key: number | null): void {
  model.layers.forEach((layer, i) => {
    if (layer.getClassName() === 'Dropout') (layer as unknown as { seed?: number }).seed = key === null ? undefined : (Math.imul(key ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(i + 1, 0x85ebca6b)) >>> 0;
  });
}

/** Every weight (BN moving statistics included), copied out. */
export function getWeights(model: LayersModel): WeightMap {
  return new Map(weightsOf(model, 'all').map((w) => [weightKey(w), Float32Array.from(w.read().dataSync())]));
}

/** Writes every weight; refuses a map with a missing, unknown or mis-sized entry. */
export function setWeights(model: LayersModel, weights: WeightMap): void {
  const all = weightsOf(model, 'all');
  const known = new Set(all.map(weightKey));
  for (const k of weights.keys()) if (!known.has(k)) throw new Error(`${k}: no such weight in model ${model.name}`);
  for (const w of all) {
    const v = weights.get(weightKey(w));
    if (!v) throw new Error(`${weightKey(w)}: missing from the weights`);
    const size = w.shape.reduce((a, b) => a * b, 1);
    if (v.length !== size) throw new Error(`${weightKey(w)}: ${v.length} values, expected ${size}`);
    const t = tf.tensor(v, w.shape);
    w.write(t);
    t.dispose();
  }
}
