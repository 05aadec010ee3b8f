import { describe, it, expect, beforeAll } from 'vitest';
import { initCompute, tf } from '../../../src-main/compute/backend.ts';
import { tfl } from '../../../src-main/compute/layers.ts';
import { conv1dTranspose, cropEnd1d, zeroPad1dEnd } from '../../../src-main/models/layers1d.ts';
import { mulberry32 } from '../../../src-main/common/random.ts';

beforeAll(async () => {
  await initCompute('wasm');
});

const rand = mulberry32(11);
const randArray = (n: number): Float32Array => Float32Array.from({ length: n }, () => rand() * 2 - 1);

describe('1-D layers built from 2-D ones', () => {
  // Reference: the adjoint of a 'same' strided conv1d, scattered sample by sample.
  const [Lin, C, F, k, s] = [7, 3, 4, 3, 2];
  const Lout = Lin * s;
  const padBefore = Math.floor(Math.max((Lin - 1) * s + k - Lout, 0) / 2);
  const W = randArray(k * F * C); // [k, 1, F, C] as conv2dTranspose stores it
  const w = (j: number, f: number, c: number): number => W[(j * F + f) * C + c]!;

  function model(): tfl.LayersModel {
    const input = tfl.input({ shape: [Lin, C] });
    const out = conv1dTranspose(input, { filters: F, kernelSize: k, strides: s, name: 'tc', seed: 1 });
    const m = tfl.model({ inputs: input, outputs: out });
    m.getLayer('tc').setWeights([tf.tensor4d(W, [k, 1, F, C]), tf.zeros([F])]);
    return m;
  }

  it('conv1dTranspose equals the scatter-add reference, forward and input gradient (wasm)', () => {
    const m = model();
    const y = randArray(2 * Lin * C);
    const expected = new Float32Array(2 * Lout * F);
    for (let b = 0; b < 2; b++)
      for (let o = 0; o < Lin; o++)
        for (let j = 0; j < k; j++) {
          const t = o * s + j - padBefore;
          if (t < 0 || t >= Lout) continue;
          for (let f = 0; f < F; f++) for (let c = 0; c < C; c++) expected[(b * Lout + t) * F + f]! += y[(b * Lin + o) * C + c]! * w(j, f, c);
        }
    const yt = tf.tensor3d(y, [2, Lin, C]);
    const out = m.predict(yt) as tf.Tensor;
    expect(out.shape).toEqual([2, Lout, F]);
    const got = out.dataSync();
    expected.forEach((e, i) => expect(got[i]).toBeCloseTo(e, 5));

    // d/dy of Σ out·r is the strided 'same' conv of r with the same kernel.
    const r = randArray(2 * Lout * F);
    const rt = tf.tensor3d(r, [2, Lout, F]);
    const grad = tf.grad((x: tf.Tensor) => (m.apply(x) as tf.Tensor).mul(rt).sum())(yt).dataSync();
    for (let b = 0; b < 2; b++)
      for (let o = 0; o < Lin; o++)
        for (let c = 0; c < C; c++) {
          let g = 0;
          for (let j = 0; j < k; j++) {
            const t = o * s + j - padBefore;
            if (t < 0 || t >= Lout) continue;
            for (let f = 0; f < F; f++) g += r[(b * Lout + t) * F + f]! * w(j, f, c);
          }
          expect(grad[(b * Lin + o) * C + c]).toBeCloseTo(g, 4);
        }
    tf.dispose([yt, out, rt]);
    m.dispose();
  });

  it('zero padding and cropping at the end of the sequence', () => {
    const input = tfl.input({ shape: [5, 2] });
    const padded = zeroPad1dEnd(input, 3, 'p');
    const m = tfl.model({ inputs: input, outputs: [padded, cropEnd1d(padded, 3, 'c')] });
    const x = tf.tensor3d(randArray(10), [1, 5, 2]);
    const [p, c] = m.predict(x) as tf.Tensor[];
    expect(p!.shape).toEqual([1, 8, 2]);
    expect(Array.from(p!.dataSync())).toEqual([...Array.from(x.dataSync()), 0, 0, 0, 0, 0, 0]);
    expect(Array.from(c!.dataSync())).toEqual(Array.from(x.dataSync()));
    tf.dispose([x, p!, c!]);
    m.dispose();
  });
});
