import { describe, it, expect } from 'vitest';
import { initCompute, tf } from '../../../src-main/compute/backend.ts';
import { mulberry32 } from '../../../src-main/common/random.ts';

describe('batch-norm gradient (broadcast, no tile)', () => {
  it('matches the analytic gradients for x, mean, variance, offset and scale (wasm)', async () => {
    await initCompute('wasm');
    const [N, L, C, eps] = [3, 5, 4, 1e-3];
    const rand = mulberry32(4);
    const arr = (n: number, lo = -1, hi = 1): Float32Array => Float32Array.from({ length: n }, () => lo + (hi - lo) * rand());
    const [x, r] = [arr(N * L * C), arr(N * L * C)];
    const [m, v, off, sc] = [arr(C), arr(C, 0.5, 2), arr(C), arr(C, 0.5, 1.5)];
    const t = { x: tf.tensor3d(x, [N, L, C]), m: tf.tensor1d(m), v: tf.tensor1d(v), off: tf.tensor1d(off), sc: tf.tensor1d(sc), r: tf.tensor3d(r, [N, L, C]) };
    const f = (xi: tf.Tensor, mi: tf.Tensor, vi: tf.Tensor, oi: tf.Tensor, si: tf.Tensor): tf.Scalar =>
      tf.sum(tf.mul(tf.batchNorm(xi as tf.Tensor3D, mi as tf.Tensor1D, vi as tf.Tensor1D, oi as tf.Tensor1D, si as tf.Tensor1D, eps), t.r));
    const [gx, gm, gv, go, gs] = tf.grads(f)([t.x, t.m, t.v, t.off, t.sc]).map((g) => g!.dataSync());
    const inv = (c: number): number => 1 / Math.sqrt(v[c]! + eps);
    const exp = { m: new Float64Array(C), v: new Float64Array(C), o: new Float64Array(C), s: new Float64Array(C) };
    for (let i = 0; i < N * L * C; i++) {
      const c = i % C;
      expect(gx![i]).toBeCloseTo(r[i]! * inv(c) * sc[c]!, 5);
      exp.m[c]! += -r[i]! * inv(c) * sc[c]!;
      exp.v[c]! += -0.5 * inv(c) ** 3 * (x[i]! - m[c]!) * r[i]! * sc[c]!;
      exp.o[c]! += r[i]!;
      exp.s[c]! += r[i]! * (x[i]! - m[c]!) * inv(c);
    }
    for (let c = 0; c < C; c++) {
      expect(gm![c]).toBeCloseTo(exp.m[c]!, 4);
      expect(gv![c]).toBeCloseTo(exp.v[c]!, 4);
      expect(go![c]).toBeCloseTo(exp.o[c]!, 4);
      expect(gs![c]).toBeCloseTo(exp.s[c]!, 4);
    }
    tf.dispose(Object.values(t));
  });
});
