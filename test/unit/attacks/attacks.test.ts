import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { initCompute } from '../../../src-main/compute/backend.ts';
import type { LayersModel } from '../../../src-main/compute/layers.ts';
import { buildModel } from '../../../src-main/models/architectures.ts';
import { classifierHandle, type ModelHandle } from '../../../src-main/models/handle.ts';
import { runAttack } from '../../../src-main/attacks/index.ts';
import { Adam } from '../../../src-main/training/adam.ts';
import { classifierStep } from '../../../src-main/training/steps.ts';
import { classBatch } from '../training/fixtures.ts';

const L = 187;
let model: LayersModel;
let handle: ModelHandle;
const test = classBatch(32, L, 77);
test.beats = test.beats.map((v) => Math.min(1, Math.max(0, v)));

beforeAll(async () => {
  await initCompute('wasm');
  // A small Kachuee classifier trained until it separates the two generated beat shapes.
  model = buildModel('kachuee', { length: L, classes: 2, seed: 12 });
  const opt = new Adam({ learningRate: 2e-3 });
  for (let s = 0; s < 20; s++) classifierStep(model, opt, classBatch(32, L, 100 + s));
  opt.dispose();
  handle = classifierHandle(model);
});
afterAll(() => model.dispose());

/** Mean probability given to the wrong class (the trained model is too confident for float32 log-losses to resolve). */
async function meanWrongProbability(beats: Float32Array, labels: Int32Array): Promise<number> {
  const p = await handle.predict(beats);
  return labels.reduce((s, l, i) => s + p[i * 2 + 1 - l]!, 0) / labels.length;
}

describe('FGSM and PGD', () => {
  it('the trained model classifies the clean beats', async () => {
    const r = await runAttack('fgsm', handle, test.beats, test.labels, { eps: 0 });
    const correct = r.outcomes.cleanPrediction.filter((p, i) => p === test.labels[i]).length;
    expect(correct / test.labels.length).toBeGreaterThan(0.85);
    expect(r.adversarial).toEqual(test.beats);
    expect(r.outcomes.fooled.every((f) => f === 0)).toBe(true);
  });

  it('FGSM is exactly x + ε·sign(∇x loss) clipped to [0, 1]', async () => {
    const eps = 0.03;
    const g = await handle.lossGradient(test.beats, test.labels);
    expect(g.some((v) => v !== 0)).toBe(true);
    const expected = test.beats.map((x, i) => Math.min(1, Math.max(0, x + eps * Math.sign(g[i]!))));
    const r = await runAttack('fgsm', handle, test.beats, test.labels, { eps });
    expect(r.adversarial).toEqual(expected);
    expect(r.outcomes.linf.every((d) => d <= eps + 1e-7)).toBe(true);
  });

  it('PGD iterates stay in the ε-ball and in [0, 1], with random starts and restarts', async () => {
    const eps = 0.04;
    const r = await runAttack('pgd', handle, test.beats, test.labels, { eps, alpha: 0.015, steps: 4, randomStart: true, restarts: 2, seed: 3 });
    const outside = r.adversarial.filter((v, i) => v < 0 || v > 1 || Math.abs(v - test.beats[i]!) > eps + 1e-6);
    expect(outside.length).toBe(0);
    expect(Math.max(...r.outcomes.linf)).toBeGreaterThan(eps / 2);
    // Seeded: the same request gives the same beats.
    const again = await runAttack('pgd', handle, test.beats, test.labels, { eps, alpha: 0.015, steps: 4, randomStart: true, restarts: 2, seed: 3 });
    expect(again.adversarial).toEqual(r.adversarial);
  });

  it('PGD is at least as strong as FGSM at the same ε on the trained model', async () => {
    const eps = 0.1;
    const f = await runAttack('fgsm', handle, test.beats, test.labels, { eps });
    const p = await runAttack('pgd', handle, test.beats, test.labels, { eps, alpha: eps / 4, steps: 10, randomStart: false });
    const fooled = (r: typeof f): number => r.outcomes.fooled.reduce((s, v) => s + v, 0);
    expect(fooled(p)).toBeGreaterThanOrEqual(fooled(f));
    const [clean, wf, wp] = [await meanWrongProbability(test.beats, test.labels), await meanWrongProbability(f.adversarial, test.labels), await meanWrongProbability(p.adversarial, test.labels)];
    expect(wf).toBeGreaterThan(clean);
    expect(wp).toBeGreaterThan(wf);
  });

  it('BIM, smooth PGD, C&W L∞ and adaptive PGD iterates stay in the ε-ball and [0, 1]; PGD-L2 in the L2 ball', async () => {
    const eps = 0.04;
    const linf = { eps, alpha: 0.015, steps: 3 };
    for (const [name, params] of [['bim', linf], ['smooth-pgd', { ...linf, seed: 2 }], ['cw-linf', { ...linf, confidence: 50 }], ['adaptive-pgd', { ...linf, seed: 2 }]] as const) {
      const r = await runAttack(name, handle, test.beats, test.labels, params);
      const outside = r.adversarial.filter((v, i) => v < 0 || v > 1 || Math.abs(v - test.beats[i]!) > eps + 1e-6);
      expect(outside.length, name).toBe(0);
      expect(Math.max(...r.outcomes.linf), name).toBeGreaterThan(eps / 4);
    }
    const r = await runAttack('pgd-l2', handle, test.beats, test.labels, { eps: 0.5, alpha: 0.2, steps: 3, seed: 2 });
    for (let i = 0; i < test.labels.length; i++) {
      let sq = 0;
      for (let t = i * L; t < (i + 1) * L; t++) {
        expect(r.adversarial[t]).toBeGreaterThanOrEqual(0);
        expect(r.adversarial[t]).toBeLessThanOrEqual(1);
        sq += (r.adversarial[t]! - test.beats[t]!) ** 2;
      }
      expect(Math.sqrt(sq)).toBeLessThanOrEqual(0.5 + 1e-5);
      expect(Math.sqrt(sq)).toBeGreaterThan(0.1);
    }
  });

  it('adaptive PGD on a model without a detector is plain PGD', async () => {
    const params = { eps: 0.04, alpha: 0.015, steps: 2, seed: 4 };
    const a = await runAttack('adaptive-pgd', handle, test.beats, test.labels, { ...params, lambda: 10 });
    const p = await runAttack('pgd', handle, test.beats, test.labels, params);
    expect(a.adversarial).toEqual(p.adversarial);
  });

  it("smooth PGD's perturbation has less high-frequency energy than PGD's", async () => {
    const params = { eps: 0.04, alpha: 0.015, steps: 3, randomStart: false };
    const s = await runAttack('smooth-pgd', handle, test.beats, test.labels, params);
    const p = await runAttack('pgd', handle, test.beats, test.labels, params);
    /** Share of the perturbation's energy in its first difference (0 for a constant, up to 4 for ±alternation). */
    const roughness = (adv: Float32Array): number => {
      let diff = 0;
      let energy = 0;
      for (let i = 0; i < test.labels.length; i++) {
        for (let t = i * L; t < (i + 1) * L; t++) {
          const d = adv[t]! - test.beats[t]!;
          energy += d * d;
          if (t > i * L) diff += (d - (adv[t - 1]! - test.beats[t - 1]!)) ** 2;
        }
      }
      return diff / energy;
    };
    expect(roughness(p.adversarial)).toBeGreaterThan(0.05);
    // Not zero: clipping to [0, 1] on these beats' zero baseline cuts edges into the smooth δ.
    expect(roughness(s.adversarial)).toBeLessThan(roughness(p.adversarial) / 3);
    // Smooth, but still an attack: the wrong class gains probability.
    expect(await meanWrongProbability(s.adversarial, test.labels)).toBeGreaterThan(await meanWrongProbability(test.beats, test.labels));
  });

  it('refuses bad parameters and inputs, naming the field', async () => {
    const run = (name: 'fgsm' | 'pgd', params: unknown) => runAttack(name, handle, test.beats, test.labels, params);
    await expect(run('fgsm', { eps: -0.1 })).rejects.toThrow(/^fgsm: parameter "eps"/);
    await expect(run('pgd', { eps: 0.1, alpha: 0, steps: 3 })).rejects.toThrow(/^pgd: parameter "alpha"/);
    await expect(run('pgd', { eps: 0.1, alpha: 0.01, steps: 5000 })).rejects.toThrow(/^pgd: parameter "steps"/);
    await expect(run('pgd', { eps: 0.1, alpha: 0.01, steps: 2.5 })).rejects.toThrow(/^pgd: parameter "steps"/);
    await expect(runAttack('fgsm', handle, test.beats.subarray(5), test.labels, { eps: 0.1 })).rejects.toThrow(/^beats: /);
    await expect(runAttack('fgsm', handle, test.beats, test.labels.map(() => 7), { eps: 0.1 })).rejects.toThrow(/^labels: 7 is not a class index/);
  });
});
