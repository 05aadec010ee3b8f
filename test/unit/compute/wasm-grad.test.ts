// The wasm backend's conv gradients (our Conv2DBackpropFilter kernel, the stock
// Conv2DBackpropInput and our dilation-aware Conv2D gradient) must match the cpu backend.
import { describe, it, expect, beforeAll } from 'vitest';
import { tf, initCompute } from '../../../src-main/compute/backend.ts';
import { setChunkFloats } from '../../../src-main/compute/wasm-kernels.ts';

interface Case {
  name: string;
  batch: number;
  length: number;
  inCh: number;
  outCh: number;
  kernel: number;
  stride: number;
  dilation: number;
  pad: 'same' | 'valid';
}

const cases: Case[] = [];
for (const pad of ['same', 'valid'] as const) {
  cases.push({ name: `stride 1 ${pad}`, batch: 3, length: 37, inCh: 4, outCh: 5, kernel: 5, stride: 1, dilation: 1, pad });
  cases.push({ name: `stride 2 ${pad}`, batch: 2, length: 40, inCh: 3, outCh: 6, kernel: 4, stride: 2, dilation: 1, pad });
  cases.push({ name: `dilation 2 ${pad}`, batch: 2, length: 33, inCh: 5, outCh: 3, kernel: 2, stride: 1, dilation: 2, pad });
  cases.push({ name: `dilation 2 k3 ${pad}`, batch: 2, length: 29, inCh: 2, outCh: 4, kernel: 3, stride: 1, dilation: 2, pad });
}

function seeded(shape: number[], seed: number): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}

async function gradsOn(backend: string, c: Case): Promise<{ dx: Float32Array; dw: Float32Array }> {
  await tf.setBackend(backend);
  const xShape = [c.batch, c.length, c.inCh];
  const wShape = [c.kernel, c.inCh, c.outCh];
  const x = tf.tensor3d(seeded(xShape, 1), xShape as [number, number, number]);
  const w = tf.tensor3d(seeded(wShape, 2), wShape as [number, number, number]);
  // A non-uniform upstream gradient so every output position is weighted differently.
  const f = (xx: tf.Tensor, ww: tf.Tensor) => {
    const y = tf.conv1d(xx as tf.Tensor3D, ww as tf.Tensor3D, c.stride, c.pad, 'NWC', c.dilation);
    return tf.sum(tf.mul(y, tf.sin(tf.reshape(tf.range(0, y.size), y.shape))));
  };
  const [dx, dw] = tf.grads(f)([x, w]);
  return { dx: (await dx!.data()) as Float32Array, dw: (await dw!.data()) as Float32Array };
}

function relErr(a: Float32Array, b: Float32Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

describe('wasm conv1d gradients match cpu', () => {
  beforeAll(async () => {
    const info = await initCompute('wasm');
    expect(info.backend).toBe('wasm');
  });

  for (const c of cases) {
    it(c.name, async () => {
      const ref = await gradsOn('cpu', c);
      const got = await gradsOn('wasm', c);
      expect(got.dw.length).toBe(ref.dw.length);
      expect(relErr(got.dw, ref.dw)).toBeLessThan(1e-5);
      expect(relErr(got.dx, ref.dx)).toBeLessThan(1e-5);
    });
  }

  it('the chunked path (im2col split over many row blocks) gives the same gradients', async () => {
    const c: Case = { name: 'chunked', batch: 3, length: 50, inCh: 3, outCh: 4, kernel: 5, stride: 2, dilation: 1, pad: 'same' };
    const ref = await gradsOn('cpu', c);
    setChunkFloats(40); // 2 rows of K = 15 per chunk
    try {
      const got = await gradsOn('wasm', c);
      expect(relErr(got.dw, ref.dw)).toBeLessThan(1e-5);
      expect(relErr(got.dx, ref.dx)).toBeLessThan(1e-5);
    } finally {
      setChunkFloats(4 * 1024 * 1024);
    }
  });

  it('dilated gradient equals the gradient of the explicitly zero-inserted filter (cpu)', async () => {
    await tf.setBackend('cpu');
    const x = tf.tensor3d(seeded([1, 20, 2], 3), [1, 20, 2]);
    const w = tf.tensor3d(seeded([2, 2, 3], 4), [2, 2, 3]);
    const dilated = (ww: tf.Tensor) => tf.sum(tf.square(tf.conv1d(x, ww as tf.Tensor3D, 1, 'valid', 'NWC', 2)));
    const dense = (ww: tf.Tensor) => {
      const [w0, w1] = tf.split(ww, 2, 0);
      const k = tf.concat([w0!, tf.zerosLike(w0!), w1!], 0) as tf.Tensor3D;
      return tf.sum(tf.square(tf.conv1d(x, k, 1, 'valid')));
    };
    const a = await tf.grad(dilated)(w).data();
    const b = await tf.grad(dense)(w).data();
    expect(relErr(a as Float32Array, b as Float32Array)).toBeLessThan(1e-6);
  });
});
