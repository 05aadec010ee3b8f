import { describe, it, expect, beforeAll } from 'vitest';
import { initCompute, tf } from '../../../src-main/compute/backend.ts';
import { buildModel, forwardFlops, parameterCount, type ModelKind } from '../../../src-main/models/architectures.ts';
import { getWeights } from '../../../src-main/models/weights.ts';
import { smoothedNoise } from '../../../src-main/models/noise.ts';
import { mulberry32 } from '../../../src-main/common/random.ts';

beforeAll(async () => {
  await initCompute('wasm');
});

const halve = (l: number): number => Math.ceil(l / 2);
const conv = (k: number, cin: number, f: number): number => k * cin * f + f;

/** Hand counts from the layer recipes (BN counts gamma, beta, moving mean and variance). */
function trunkParams(L: number): { params: number; flat: number } {
  let params = 0;
  let cin = 1;
  let l = L;
  for (const f of [32, 64, 128, 256]) {
    params += conv(3, cin, f) + 4 * f + conv(3, f, f) + 4 * f;
    cin = f;
    l = halve(l);
  }
  return { params, flat: l * 256 };
}
function expectedParams(kind: ModelKind, L: number, C: number): number {
  if (kind === 'atk-gan-d' || kind === 'dcnn') {
    const { params, flat } = trunkParams(L);
    return params + (flat + 1) * C + (kind === 'atk-gan-d' ? (flat + 1) * 3 : 0);
  }
  if (kind === 'atk-gan-g') {
    let p = C * 50 + 50 + 50 * L * C + L * C + L * L * 32 + L * 32;
    let cin = 1 + 32 + C;
    for (const f of [32, 64, 128]) {
      p += conv(3, cin, f) + 4 * f + conv(2, f, f) + 4 * f + conv(3, f, f);
      cin = f;
    }
    for (const f of [128, 64, 32]) {
      p += conv(3, cin, f);
      cin = f;
    }
    return p + conv(3, 32, 1);
  }
  let l = L;
  for (let b = 0; b < 5; b++) l = Math.floor((l - 5) / 2) + 1;
  return conv(5, 1, 32) + 10 * conv(5, 32, 32) + (l * 32 + 1) * 32 + 33 * 32 + 33 * C;
}

function shapes(m: ReturnType<typeof buildModel>): number[][] {
  return m.outputs.map((o) => o.shape.slice(1) as number[]);
}

describe('model architectures', () => {
  for (const L of [280, 187]) {
    for (const C of [2, 4, 5]) {
      it(`build with the documented shapes and parameter counts at L=${L}, C=${C}`, () => {
        const d = buildModel('atk-gan-d', { length: L, classes: C, seed: 1 });
        expect(shapes(d)).toEqual([[1], [2], [C]]);
        expect(parameterCount(d)).toBe(expectedParams('atk-gan-d', L, C));
        const dc = buildModel('dcnn', { length: L, classes: C, seed: 1 });
        expect(shapes(dc)).toEqual([[C]]);
        expect(parameterCount(dc)).toBe(expectedParams('dcnn', L, C));
        const g = buildModel('atk-gan-g', { length: L, classes: C, seed: 1 });
        expect(g.inputs.map((i) => i.shape.slice(1))).toEqual([[L, 1], [L], [C]]);
        expect(shapes(g)).toEqual([[L, 1]]);
        expect(parameterCount(g)).toBe(expectedParams('atk-gan-g', L, C));
        const k = buildModel('kachuee', { length: L, classes: C, seed: 1 });
        expect(shapes(k)).toEqual([[C]]);
        expect(parameterCount(k)).toBe(expectedParams('kachuee', L, C));
        for (const m of [d, dc, g, k]) m.dispose();
      });
    }
  }

  it('refuses sizes it cannot build, naming the field', () => {
    expect(() => buildModel('kachuee', { length: 124, classes: 4, seed: 1 })).toThrow('length: Kachuee needs beats of at least 125 samples');
    expect(parameterCount(buildModel('kachuee', { length: 125, classes: 4, seed: 1 }))).toBe(expectedParams('kachuee', 125, 4));
    expect(() => buildModel('atk-gan-d', { length: 8, classes: 4, seed: 1 })).toThrow(/^length must be/);
    expect(() => buildModel('dcnn', { length: 187, classes: 1, seed: 1 })).toThrow(/^classes must be/);
  });

  it('runs forward: the generator keeps L=187 (not a multiple of 8) and outputs in (0, 1); heads are distributions', () => {
    const L = 187;
    const rand = mulberry32(3);
    const g = buildModel('atk-gan-g', { length: L, classes: 4, seed: 2 });
    const d = buildModel('atk-gan-d', { length: L, classes: 4, seed: 2 });
    const beats = tf.tensor3d(Float32Array.from({ length: 3 * L }, () => rand()), [3, L, 1]);
    const noise = tf.tensor2d(smoothedNoise(3, L, rand), [3, L]);
    const labels = tf.oneHot(tf.tensor1d([0, 1, 3], 'int32'), 4).toFloat();
    const fake = g.predict([beats, noise, labels]) as tf.Tensor;
    expect(fake.shape).toEqual([3, L, 1]);
    const v = fake.dataSync();
    expect(v.every((x) => x > 0 && x < 1)).toBe(true);
    const [rf, atk, cls] = d.predict(fake) as tf.Tensor[];
    expect(rf!.shape).toEqual([3, 1]);
    for (const head of [atk!, cls!]) {
      const sums = head.sum(1).dataSync();
      for (const s of sums) expect(s).toBeCloseTo(1, 5);
    }
    tf.dispose([beats, noise, labels, fake, rf!, atk!, cls!]);
    g.dispose();
    d.dispose();
  });

  it('initial weights and predictions are deterministic under a seed and differ across seeds', () => {
    const x = tf.tensor3d(Float32Array.from({ length: 2 * 187 }, (_, i) => Math.sin(i / 9) * 0.5 + 0.5), [2, 187, 1]);
    const out = (seed: number): Float32Array => {
      const m = buildModel('kachuee', { length: 187, classes: 5, seed });
      const y = (m.predict(x) as tf.Tensor).dataSync() as Float32Array;
      m.dispose();
      return y;
    };
    expect(out(5)).toEqual(out(5));
    expect(out(5)).not.toEqual(out(6));
    x.dispose();
    for (const kind of ['atk-gan-d', 'atk-gan-g', 'dcnn'] as const) {
      const [a, b] = [0, 1].map(() => buildModel(kind, { length: 64, classes: 4, seed: 9 }));
      expect(getWeights(b!), kind).toEqual(getWeights(a!));
      a!.dispose();
      b!.dispose();
    }
  });

  it('counts forward FLOPs per beat from the conv and dense layers (D at L=280 ≈ 25 MFLOP)', () => {
    const d = buildModel('atk-gan-d', { length: 280, classes: 4, seed: 1 });
    // Hand count of the eight convs: Σ L_out × k × C_in × F, then the three heads on the 18 × 256 features.
    let macs = 0;
    let l = 280;
    let cin = 1;
    for (const f of [32, 64, 128, 256]) {
      macs += l * 3 * cin * f;
      l = halve(l);
      macs += l * 3 * f * f;
      cin = f;
    }
    macs += l * 256 * (1 + 2 + 4);
    expect(forwardFlops(d)).toBe(2 * macs);
    expect(forwardFlops(d) / 1e6).toBeGreaterThan(24);
    expect(forwardFlops(d) / 1e6).toBeLessThan(26);
    d.dispose();
  });
});
