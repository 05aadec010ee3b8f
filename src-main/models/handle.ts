// What an attack needs from a model: class probabilities and input gradients of the class loss (and of
// the C&W margin). Async so that a handle can also front a model living on a worker.
import { tf } from '../compute/backend.ts';
import type { LayersModel } from '../compute/layers.ts';

/** ATK-GAN's attacked/clean head, for detector-aware attacks. */
export interface DetectorHandle {
  /** Probability each of N×L beats is attacked (softmax index 1 of the attacked/clean head). */
  attackedProbability(beats: Float32Array): Promise<Float32Array>;
  /** N×L gradient of CE(class head, label) − λ·CE(attacked/clean head, "clean") for each beat. */
  adaptiveGradient(beats: Float32Array, labels: Int32Array, lambda: number): Promise<Float32Array>;
}

export interface ModelHandle {
  /** Samples per beat. */
  readonly length: number;
  readonly classes: number;
  /** N×C class probabilities for N×L beats. */
  predict(beats: Float32Array): Promise<Float32Array>;
  /** N×L gradient of each beat's own cross-entropy with respect to that beat. */
  lossGradient(beats: Float32Array, labels: Int32Array): Promise<Float32Array>;
  /**
   * N×L gradient of each beat's Carlini–Wagner margin min(max_{j≠y} z_j − z_y, confidence), with log
   * probabilities as the logits z (softmax is shift-invariant, so this is the logit margin).
   */
  marginGradient(beats: Float32Array, labels: Int32Array, confidence: number): Promise<Float32Array>;
  /** Present on a three-headed ATK-GAN discriminator. */
  readonly detector?: DetectorHandle;
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

/** Per-beat C&W margin max_{j≠y} log p_j − log p_y, capped at `confidence`. */
function marginPerBeat(p: tf.Tensor2D, labels: tf.Tensor1D, confidence: number): tf.Tensor1D {
  // A tiny floor instead of a clip keeps the gradient alive for confident beats (a clip zeroes it).
  const z = tf.log(tf.add(p, 1e-30));
  const oneHot = tf.oneHot(labels, p.shape[1]);
  const own = tf.sum(tf.mul(oneHot, z), 1);
  const other = tf.max(tf.sub(z, tf.mul(oneHot, 1e9)), 1);
  return tf.minimum(tf.sub(other, own), confidence) as tf.Tensor1D;
}

export function classifierHandle(model: LayersModel): ModelHandle {
  const length = model.inputs[0]!.shape[1]!;
  const outputs = model.outputs;
  const classes = outputs[outputs.length - 1]!.shape[1]!;
  const asBeats = (beats: Float32Array): tf.Tensor3D => {
    if (beats.length % length !== 0) throw new Error(`beats: ${beats.length} values is not a whole number of ${length}-sample beats`);
    return tf.tensor3d(beats, [beats.length / length, length, 1]);
  };
  /** Input gradient of the sum over beats of a per-beat objective (beats do not interact at inference, so each gets its own). */
  const gradientOf = async (beats: Float32Array, labels: Int32Array, objective: (x: tf.Tensor, y: tf.Tensor1D) => tf.Tensor1D): Promise<Float32Array> => {
    const x = asBeats(beats);
    if (labels.length !== x.shape[0]) throw new Error(`labels: ${labels.length} labels for ${x.shape[0]} beats`);
    const y = tf.tensor1d(labels, 'int32');
    const g = tf.tidy(() => tf.grad((xi: tf.Tensor) => tf.sum(objective(xi, y)))(x));
    const v = (await g.data()) as Float32Array;
    tf.dispose([x, y, g]);
    return v;
  };
  // The three-headed discriminator: [real/fake, attacked/clean (2-way softmax, index 1 = attacked), class].
  const detector: DetectorHandle | undefined =
    outputs.length === 3
      ? {
          async attackedProbability(beats) {
            const x = asBeats(beats);
            const a = tf.tidy(() => tf.slice((model.apply(x, { training: false }) as tf.Tensor[])[1]!, [0, 1], [x.shape[0], 1]));
            const v = (await a.data()) as Float32Array;
            tf.dispose([x, a]);
            return v;
          },
          adaptiveGradient(beats, labels, lambda) {
            return gradientOf(beats, labels, (xi, y) => {
              const [, atk, cls] = model.apply(xi, { training: false }) as tf.Tensor2D[];
              const clean = tf.zerosLike(y);
              return tf.sub(crossEntropyPerBeat(cls!, y), tf.mul(crossEntropyPerBeat(atk!, clean as tf.Tensor1D), lambda)) as tf.Tensor1D;
            });
          },
        }
      : undefined;
  return {
    length,
    classes,
    ...(detector ? { detector } : {}),
    async predict(beats) {
      const x = asBeats(beats);
      const p = tf.tidy(() => classOutput(model, x));
      const v = (await p.data()) as Float32Array;
      tf.dispose([x, p]);
      return v;
    },
    lossGradient(beats, labels) {
      return gradientOf(beats, labels, (xi, y) => crossEntropyPerBeat(classOutput(model, xi), y));
    },
    marginGradient(beats, labels, confidence) {
      return gradientOf(beats, labels, (xi, y) => marginPerBeat(classOutput(model, xi), y, confidence));
    },
  };
}
