// What an attack needs from a model: class probabilities and the gradient of the class loss with
// respect to the input. Async so that a handle can also front a model living on a worker.
import { tf } from '../compute/backend.ts';
import type { LayersModel } from '../compute/layers.ts';

export interface ModelHandle {
  /** Samples per beat. */
  readonly length: number;
  readonly classes: number;
  /** N×C class probabilities for N×L beats. */
  predict(beats: Float32Array): Promise<Float32Array>;
  /** N×L gradient of each beat's own cross-entropy with respect to that beat. */
  lossGradient(beats: Float32Array, labels: Int32Array): Promise<Float32Array>;
}

/** The class-probability output of a classifier (the last head of the three-headed discriminator). */
export function classOutput(model: LayersModel, x: tf.Tensor, training = false): tf.Tensor2D {
  const out = model.apply(x, { training }) as tf.Tensor | tf.Tensor[];
  return (Array.isArray(out) ? out[out.length - 1] : out) as tf.Tensor2D;
}

/** Per-beat cross-entropy of probabilities p against integer labels. */
export function crossEntropyPerBeat(p: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  const oneHot = tf.oneHot(labels, p.shape[1]);
  return tf.neg(tf.sum(tf.mul(oneHot, tf.log(tf.clipByValue(p, 1e-7, 1))), 1)) as tf.Tensor1D;
}

export function classifierHandle(model: LayersModel): ModelHandle {
  const length = model.inputs[0]!.shape[1]!;
  const outputs = model.outputs;
  const classes = outputs[outputs.length - 1]!.shape[1]!;
  const asBeats = (beats: Float32Array): tf.Tensor3D => {
    if (beats.length % length !== 0) throw new Error(`beats: ${beats.length} values is not a whole number of ${length}-sample beats`);
    return tf.tensor3d(beats, [beats.length / length, length, 1]);
  };
  return {
    length,
    classes,
    async predict(beats) {
      const x = asBeats(beats);
      const p = tf.tidy(() => classOutput(model, x));
      const v = (await p.data()) as Float32Array;
      tf.dispose([x, p]);
      return v;
    },
    async lossGradient(beats, labels) {
      const x = asBeats(beats);
      if (labels.length !== x.shape[0]) throw new Error(`labels: ${labels.length} labels for ${x.shape[0]} beats`);
      const y = tf.tensor1d(labels, 'int32');
      // The summed loss gives each beat the gradient of its own loss (beats do not interact at inference).
      const g = tf.tidy(() => tf.grad((xi: tf.Tensor) => tf.sum(crossEntropyPerBeat(classOutput(model, xi), y)))(x));
      const v = (await g.data()) as Float32Array;
      tf.dispose([x, y, g]);
      return v;
    },
  };
}
