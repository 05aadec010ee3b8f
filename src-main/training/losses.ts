// Losses as per-batch means (Σ over beats / N), so the mean of equal-sized shard losses — and of
// their gradients — is the full-batch value; a coordinator weights shards by their beat count.
import { tf } from '../compute/backend.ts';
import { crossEntropyPerBeat } from '../models/handle.ts';

/** Mean over beats of w[label] × cross-entropy; without weights every class counts 1. */
export function weightedCrossEntropy(p: tf.Tensor2D, labels: tf.Tensor1D, classWeights?: readonly number[]): tf.Scalar {
  const ce = crossEntropyPerBeat(p, labels);
  if (!classWeights) return tf.mean(ce);
  if (classWeights.length !== p.shape[1]) throw new Error(`classWeights: ${classWeights.length} weights for ${p.shape[1]} classes`);
  const w = tf.gather(tf.tensor1d(classWeights as number[]), labels);
  return tf.div(tf.sum(tf.mul(w, ce)), ce.shape[0]);
}

/** Least-squares GAN loss: mean (p − target)². */
export function leastSquares(p: tf.Tensor, target: 0 | 1): tf.Scalar {
  return tf.mean(tf.square(tf.sub(p, target)));
}
