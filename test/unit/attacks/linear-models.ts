// Hand-set linear models for the attack tests: their decision boundary is known exactly, so how far a
// beat is from being misclassified (its margin) can be computed and attacks judged against it.
import { tf } from '../../../src-main/compute/backend.ts';
import { tfl, type LayersModel, type SymbolicTensor } from '../../../src-main/compute/layers.ts';
import { mulberry32 } from '../../../src-main/common/random.ts';
import { gaussian } from '../../../src-main/attacks/attack.ts';
import { classifierHandle, type ModelHandle } from '../../../src-main/models/handle.ts';
import { initCompute } from '../../../src-main/compute/backend.ts';
import { afterAll, beforeAll } from 'vitest';

/** Class templates: a bump early (class 0) or late (class 1) in the beat, on a 0.3 baseline. */
export function template(cls: number, L: number): Float32Array {
  const centre = L * (cls === 0 ? 0.3 : 0.6);
  return Float32Array.from({ length: L }, (_, t) => 0.3 + 0.5 * Math.exp(-(((t - centre) / (0.06 * L)) ** 2)));
}

/** n beats alternating class 0 / 1: the template with amplitude jitter and Gaussian noise, in [0, 1]. */
export function bumpBeats(n: number, L: number, seed: number): { beats: Float32Array; labels: Int32Array } {
  const rand = mulberry32(seed);
  const labels = Int32Array.from({ length: n }, (_, i) => i % 2);
  const beats = new Float32Array(n * L);
  labels.forEach((c, i) => {
    const tpl = template(c, L);
    const amp = 0.8 + 0.4 * rand();
    for (let t = 0; t < L; t++) beats[i * L + t] = Math.min(1, Math.max(0, 0.3 + amp * (tpl[t]! - 0.3) + 0.02 * gaussian(rand)));
  });
  return { beats, labels };
}

/** A linear score s(x) = w·x + b; a 2-way softmax head over [−s, s] predicts class 1 where s > 0. */
export interface LinearScore {
  w: Float32Array;
  b: number;
}

export function score(f: LinearScore, beats: Float32Array, i: number): number {
  const L = f.w.length;
  let s = f.b;
  for (let t = 0; t < L; t++) s += f.w[t]! * beats[i * L + t]!;
  return s;
}

/** Smallest L∞ change that flips beat i (|s|/‖w‖₁; [0, 1] clipping ignored). */
export function linfMargin(f: LinearScore, beats: Float32Array, i: number): number {
  return Math.abs(score(f, beats, i)) / f.w.reduce((a, v) => a + Math.abs(v), 0);
}

/** The class score: w the template difference, b halfway, scaled so clean beats sit at logits of about ±3. */
export function classScore(L: number): LinearScore {
  const t0 = template(0, L);
  const t1 = template(1, L);
  const w = t1.map((v, t) => v - t0[t]!);
  const b = -w.reduce((a, v, t) => a + (v * (t0[t]! + t1[t]!)) / 2, 0);
  const margin = w.reduce((a, v, t) => a + v * (t1[t]! - t0[t]!), 0) / 2;
  const k = 3 / margin;
  return { w: w.map((v) => v * k), b: b * k };
}

function head(x: SymbolicTensor, f: LinearScore, name: string): SymbolicTensor {
  const L = f.w.length;
  const layer = tfl.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: 'zeros', name });
  const out = layer.apply(x) as SymbolicTensor;
  const kernel = new Float32Array(2 * L);
  f.w.forEach((v, t) => {
    kernel[t * 2] = -v;
    kernel[t * 2 + 1] = v;
  });
  layer.setWeights([tf.tensor2d(kernel, [L, 2]), tf.tensor1d([-f.b, f.b])]);
  return out;
}

/**
 * A linear classifier; with `detector`, the three-headed layout of ATK-GAN's discriminator:
 * [real/fake, attacked/clean (index 1 = attacked, from the detector score), class].
 */
export function linearModel(cls: LinearScore, detector?: LinearScore): LayersModel {
  const L = cls.w.length;
  const input = tfl.input({ shape: [L, 1] });
  const flat = tfl.layers.flatten().apply(input) as SymbolicTensor;
  const classes = head(flat, cls, 'class');
  if (!detector) return tfl.model({ inputs: input, outputs: classes });
  const rf = tfl.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: 'zeros' }).apply(flat) as SymbolicTensor;
  return tfl.model({ inputs: input, outputs: [rf, head(flat, detector, 'attacked'), classes] });
}

/** A handle that counts the beats it predicts and refuses gradients, as a black-box attack must see it. */
export function labelOnly(handle: ModelHandle): { handle: ModelHandle; predicted: () => number } {
  let rows = 0;
  const refuse = (): Promise<Float32Array> => Promise.reject(new Error('gradient asked of a black-box attack'));
  return {
    predicted: () => rows,
    handle: {
      length: handle.length,
      classes: handle.classes,
      predict(beats) {
        rows += beats.length / handle.length;
        return handle.predict(beats);
      },
      lossGradient: refuse,
      marginGradient: refuse,
    },
  };
}

/** A suite's linear model over `cls` and its handle: built after the wasm backend starts, disposed after the suite. */
export function linearModelHooks(cls: LinearScore): { model: LayersModel; handle: ModelHandle } {
  const fx = {} as { model: LayersModel; handle: ModelHandle };
  beforeAll(async () => {
    await initCompute('wasm');
    fx.model = linearModel(cls);
    fx.handle = classifierHandle(fx.model);
  });
  afterAll(() => fx.model.dispose());
  return fx;
}
