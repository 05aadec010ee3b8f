// Gradient attacks on hand-set linear models, whose margins are known exactly.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { LayersModel } from '../../../src-main/compute/layers.ts';
import { classifierHandle, type ModelHandle } from '../../../src-main/models/handle.ts';
import { runAttack, type AttackResult } from '../../../src-main/attacks/index.ts';
import { ATTACK_NAMES, ATTACK_PARAMS, type AttackName } from '../../../src-shared/contract/attacks.ts';
import { bumpBeats, classScore, linearModelHooks, linearModel, linfMargin, score, template, type LinearScore } from './linear-models.ts';

const L = 64;
const data = bumpBeats(24, L, 5);
const cls = classScore(L);
const fx = linearModelHooks(cls);

const fooledShare = (r: AttackResult): number => r.outcomes.fooled.reduce((a, v) => a + v, 0) / r.outcomes.fooled.length;
const margins = (): number[] => Array.from(data.labels, (_, i) => linfMargin(cls, data.beats, i));

describe('white-box attacks on a fragile linear model', () => {
  it('the model classifies every clean beat, by a known margin', async () => {
    const r = await runAttack('fgsm', fx.handle, data.beats, data.labels, { eps: 0 });
    expect(Array.from(r.outcomes.cleanPrediction)).toEqual(Array.from(data.labels));
    expect(Math.min(...margins())).toBeGreaterThan(0.01);
  });

  it('every white-box attack fools every beat once ε exceeds the largest margin', async () => {
    const eps = 1.5 * Math.max(...margins());
    const alpha = eps / 4;
    const l2 = eps * Math.sqrt(L);
    const requests: [AttackName, Record<string, unknown>][] = [
      ['fgsm', { eps }],
      ['bim', { eps, alpha, steps: 8 }],
      ['pgd', { eps, alpha, steps: 8, restarts: 2 }],
      // The L2 ball holding the L∞ ball's corner, so the same beats are reachable.
      ['pgd-l2', { eps: l2, alpha: l2 / 4, steps: 8 }],
      ['cw-linf', { eps, alpha, steps: 8 }],
      ['smooth-pgd', { eps, alpha, steps: 8 }],
      ['adaptive-pgd', { eps, alpha, steps: 8, lambda: 5 }],
    ];
    for (const [name, params] of requests) {
      const r = await runAttack(name, fx.handle, data.beats, data.labels, params);
      expect(fooledShare(r), name).toBe(1);
    }
    // And none of them below the smallest margin: the budget binds.
    const small = Math.min(...margins()) * 0.9;
    for (const name of ['fgsm', 'bim', 'pgd', 'cw-linf', 'smooth-pgd'] as const) {
      const r = await runAttack(name, fx.handle, data.beats, data.labels, { eps: small, ...(name === 'fgsm' ? {} : { alpha: small / 4, steps: 8 }) });
      expect(fooledShare(r), name).toBe(0);
    }
  });

  it('C&W stops once the margin reaches its confidence', async () => {
    const eps = 2 * Math.max(...margins());
    const alpha = eps / 40;
    const run = (confidence: number) => runAttack('cw-linf', fx.handle, data.beats, data.labels, { eps, alpha, steps: 80, confidence });
    const [low, high] = [await run(0), await run(4)];
    expect(fooledShare(low)).toBe(1);
    expect(fooledShare(high)).toBe(1);
    // Each head logit is ±score: the log-probability margin is 2·|score|.
    for (let i = 0; i < data.labels.length; i++) {
      const m = (r: AttackResult): number => 2 * Math.abs(score(cls, r.adversarial, i));
      // κ = 0 stops within one step of the boundary; κ = 4 goes on to about 4 and stops there too.
      expect(m(low)).toBeLessThan(2 * alpha * cls.w.reduce((a, v) => a + Math.abs(v), 0));
      expect(m(high)).toBeGreaterThanOrEqual(4);
      expect(m(high)).toBeLessThan(4 + 2 * 2 * alpha * cls.w.reduce((a, v) => a + Math.abs(v), 0));
      expect(high.outcomes.linf[i]!).toBeGreaterThan(low.outcomes.linf[i]!);
    }
  });

  it('seeded attacks repeat for their seed and differ for another', async () => {
    // One step, so the random start still shows in the result.
    const requests: [AttackName, Record<string, unknown>][] = [
      ['pgd', { eps: 0.1, alpha: 0.01, steps: 1 }],
      ['pgd-l2', { eps: 0.5, alpha: 0.05, steps: 1 }],
      ['smooth-pgd', { eps: 0.1, alpha: 0.01, steps: 1 }],
      ['adaptive-pgd', { eps: 0.1, alpha: 0.01, steps: 1 }],
      ['boundary', { maxQueries: 100, steps: 20 }],
      ['hopskipjump', { maxQueries: 200, steps: 2, initEvals: 20 }],
    ];
    for (const [name, params] of requests) {
      const [a, b, c] = [await runAttack(name, fx.handle, data.beats, data.labels, { ...params, seed: 1 }), await runAttack(name, fx.handle, data.beats, data.labels, { ...params, seed: 1 }), await runAttack(name, fx.handle, data.beats, data.labels, { ...params, seed: 2 })];
      expect(b.adversarial, name).toEqual(a.adversarial);
      expect(c.adversarial, name).not.toEqual(a.adversarial);
    }
  });

  it('a cancelled attack stops with "attack cancelled"', async () => {
    const params: Record<AttackName, Record<string, unknown>> = {
      fgsm: { eps: 0.1 },
      bim: { eps: 0.1, alpha: 0.01, steps: 5 },
      pgd: { eps: 0.1, alpha: 0.01, steps: 5 },
      'pgd-l2': { eps: 1, alpha: 0.1, steps: 5 },
      'cw-linf': { eps: 0.1, alpha: 0.01, steps: 5 },
      boundary: { maxQueries: 100, steps: 10 },
      hopskipjump: { maxQueries: 100, steps: 2 },
      'smooth-pgd': { eps: 0.1, alpha: 0.01, steps: 5 },
      'adaptive-pgd': { eps: 0.1, alpha: 0.01, steps: 5 },
    };
    for (const name of ATTACK_NAMES) {
      if (name === 'fgsm') continue; // one step: nothing between iterations to cancel
      await expect(runAttack(name, fx.handle, data.beats, data.labels, params[name], { cancelled: () => true }), name).rejects.toThrow('attack cancelled');
    }
  });

  it('refuses out-of-range parameters of every attack, naming the field', async () => {
    const run = (name: AttackName, params: unknown) => runAttack(name, fx.handle, data.beats, data.labels, params);
    for (const name of ATTACK_NAMES) {
      const fields = Object.keys((ATTACK_PARAMS[name] as unknown as { shape: Record<string, unknown> }).shape);
      if (fields.includes('eps')) await expect(run(name, { eps: -1, alpha: 0.01, steps: 3 })).rejects.toThrow(new RegExp(`^${name}: parameter "eps"`));
      if (fields.includes('alpha')) await expect(run(name, { eps: 0.1, alpha: 0, steps: 3 })).rejects.toThrow(new RegExp(`^${name}: parameter "alpha"`));
      if (fields.includes('steps')) await expect(run(name, { eps: 0.1, alpha: 0.01, maxQueries: 10, steps: 1e6 })).rejects.toThrow(new RegExp(`^${name}: parameter "steps"`));
      if (fields.includes('maxQueries')) await expect(run(name, { maxQueries: 0, steps: 3 })).rejects.toThrow(new RegExp(`^${name}: parameter "maxQueries"`));
    }
    await expect(run('hopskipjump', { maxQueries: 10, steps: 3, norm: 'l1' })).rejects.toThrow(/^hopskipjump: parameter "norm"/);
    await expect(run('smooth-pgd', { eps: 0.1, alpha: 0.01, steps: 3, sigmas: [] })).rejects.toThrow(/^smooth-pgd: parameter "sigmas"/);
    await expect(run('adaptive-pgd', { eps: 0.1, alpha: 0.01, steps: 3, lambda: -1 })).rejects.toThrow(/^adaptive-pgd: parameter "lambda"/);
  });
});

describe('detector-aware PGD on a three-headed model', () => {
  // The attacked/clean head scores how far half of the beat (every other sample) has moved along the
  // class direction, so plain PGD against the class head sets it off. Class-0 beats only: PGD moves
  // them along +sign(w), the direction this linear detector can see.
  const beats0 = bumpBeats(24, L, 9);
  const idx = Array.from({ length: 12 }, (_, k) => 2 * k);
  const beats = new Float32Array(idx.length * L);
  idx.forEach((i, k) => beats.set(beats0.beats.subarray(i * L, (i + 1) * L), k * L));
  const labels = new Int32Array(idx.length);
  const eps = 2.5 * Math.max(...idx.map((i) => linfMargin(cls, beats0.beats, i)));
  const a = cls.w.map((v, t) => (t % 2 === 0 ? Math.sign(v) : 0));
  const aNorm = a.reduce((s, v) => s + Math.abs(v), 0);
  // Clean class-0 template at score −2 (P(attacked) ≈ 0.02); a full ε step along sign(w) adds +6.
  const detector: LinearScore = { w: a.map((v) => (6 * v) / (eps * aNorm)), b: 0 };
  detector.b = -2 - template(0, L).reduce((s, v, t) => s + detector.w[t]! * v, 0);
  let three: LayersModel;
  let h: ModelHandle;
  beforeAll(() => {
    three = linearModel(cls, detector);
    h = classifierHandle(three);
  });
  afterAll(() => three.dispose());

  it('has a detector that flags plain PGD, and adaptive PGD with λ > 0 slips past it', async () => {
    expect(h.detector).toBeDefined();
    expect(classifierHandle(fx.model).detector).toBeUndefined();
    const mean = (v: Float32Array): number => v.reduce((s, x) => s + x, 0) / v.length;
    const clean = mean(await h.detector!.attackedProbability(beats));
    const params = { eps, alpha: eps / 4, steps: 10, randomStart: false };
    const plain = await runAttack('pgd', h, beats, labels, params);
    const lambda0 = await runAttack('adaptive-pgd', h, beats, labels, { ...params, lambda: 0 });
    const adaptive = await runAttack('adaptive-pgd', h, beats, labels, { ...params, lambda: 10 });
    // λ = 0 is plain PGD.
    expect(lambda0.adversarial).toEqual(plain.adversarial);
    const [pPlain, pAdaptive] = [mean(await h.detector!.attackedProbability(plain.adversarial)), mean(await h.detector!.attackedProbability(adaptive.adversarial))];
    expect(clean).toBeLessThan(0.1);
    expect(pPlain).toBeGreaterThan(0.9);
    expect(pAdaptive).toBeLessThan(0.2);
    expect(pAdaptive).toBeLessThan(pPlain);
    // Still misclassified: the other half of the samples carries the class change.
    expect(fooledShare(adaptive)).toBeGreaterThan(0.9);
    expect(adaptive.outcomes.linf.every((d) => d <= eps + 1e-6)).toBe(true);
  });
});
