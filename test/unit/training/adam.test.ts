// Our Adam (keyed by weight name, state exportable) against TensorFlow.js's own tf.train.adam: the same
// update, step by step, including bias correction and the GAN's β1 = 0.5; and its state round-trips.
import { describe, it, expect, beforeAll } from 'vitest';
import { initCompute, tf } from '../../../src-main/compute/backend.ts';
import { Adam, GAN_ADAM, type AdamConfig } from '../../../src-main/training/adam.ts';
import { mulberry32 } from '../../../src-main/common/random.ts';

beforeAll(async () => {
  await initCompute('wasm');
});

const rand = mulberry32(3);
const values = (n: number, scale = 1): Float32Array => Float32Array.from({ length: n }, () => scale * (rand() * 2 - 1));

function compare(cfg: AdamConfig, steps: number): number {
  const shapes: Record<string, number[]> = { 'a/kernel': [3, 4], 'a/bias': [4] };
  const ours = new Map(Object.entries(shapes).map(([k, s]) => [k, tf.variable(tf.tensor(values(s.reduce((x, y) => x * y)), s))]));
  const theirs = new Map([...ours].map(([k, v]) => [k, tf.variable(v.clone())]));
  const adam = new Adam(cfg);
  const ref = tf.train.adam(cfg.learningRate, cfg.beta1, cfg.beta2, cfg.epsilon);
  for (let s = 0; s < steps; s++) {
    const grads = new Map([...ours].map(([k, v]) => [k, values(v.size, 0.1 * (s + 1))]));
    adam.apply(ours, grads);
    ref.applyGradients([...theirs].map(([k, v]) => ({ name: v.name, tensor: tf.tensor(grads.get(k)!, v.shape) })));
  }
  let worst = 0;
  for (const [k, v] of ours) {
    const [a, b] = [v.dataSync(), theirs.get(k)!.dataSync()];
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  }
  tf.dispose([...ours.values(), ...theirs.values()]);
  ref.dispose();
  return worst;
}

describe('Adam', () => {
  it('takes the same steps as tf.train.adam (classifier and GAN settings)', () => {
    // Each step moves a weight by about lr, so 5 steps by up to 5·lr; a wrong moment or bias correction
    // would differ by a fair share of that. tfjs accumulates β^t and 1 − β^t in float32 (1 − 0.999^t ≈ 0.005
    // keeps ~5 digits), so the two agree to 1e-4 of the distance travelled, not to the last bit.
    const agree = (cfg: AdamConfig): void => expect(compare(cfg, 5)).toBeLessThan(1e-4 * 5 * cfg.learningRate);
    agree({ learningRate: 1e-2, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    agree({ ...GAN_ADAM, learningRate: 3e-2 });
  });

  it('moves the weights, and an exported state continues exactly where it left off', () => {
    const v = (): Map<string, tf.Variable> => new Map([['w', tf.variable(tf.tensor1d([0.5, -0.25, 1]))]]);
    const [a, b] = [v(), v()];
    const g = (s: number): Map<string, Float32Array> => new Map([['w', Float32Array.of(0.1 * s, -0.2, 0.3 / s)]]);
    const first = new Adam({ learningRate: 0.1 });
    for (let s = 1; s <= 3; s++) first.apply(a, g(s));
    // b catches up by loading a's weights and state into a fresh optimizer with other settings.
    b.get('w')!.assign(a.get('w')!);
    const second = new Adam({ learningRate: 0.5 });
    second.importState(first.exportState(), b);
    expect(second.iterations).toBe(3);
    for (let s = 4; s <= 5; s++) {
      first.apply(a, g(s));
      second.apply(b, g(s));
    }
    expect(Array.from(b.get('w')!.dataSync())).toEqual(Array.from(a.get('w')!.dataSync()));
    expect(Math.abs(a.get('w')!.dataSync()[0]! - 0.5)).toBeGreaterThan(0.1);
    expect(() => first.apply(a, new Map([['nope', Float32Array.of(1)]]))).toThrow(/unknown variable/);
    expect(() => first.apply(a, new Map([['w', Float32Array.of(1)]]))).toThrow(/1 values, variable 3/);
  });
});
