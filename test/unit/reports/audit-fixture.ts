// A hand-built robustness audit for report tests: per-beat outcomes are simulated (seeded) and
// every figure is computed from them with the app's metrics, so the numbers agree with each other
// the way an engine's would (robust ≤ clean, worst case ≤ every attack, CI from the beat count).
import { Audit, presetSuite, type AuditCell, type AuditExample, type WorstCase } from '../../../src-shared/contract/index.ts';
import { mulberry32 } from '../../../src-main/common/random.ts';
import { accuracy, confusionMatrix, perClass, wilson } from '../../../src-main/metrics/index.ts';

export const CLASSES = ['N', 'S', 'V', 'F'];

export interface FixtureOptions {
  /** Test beats per model (small → wide intervals). */
  beats?: number;
  /** Model names; the first is an ATK-GAN (has the attacked/clean head). */
  models?: string[];
  eps?: number[];
  status?: Audit['status'];
  seed?: number;
}

const LABELS = [
  { attack: 'fgsm', label: 'fgsm', strength: 6 },
  { attack: 'pgd', label: 'pgd', strength: 14 },
  { attack: 'adaptive-pgd', label: 'adaptive-pgd λ=10', strength: 18 },
] as const;

/** A beat shape in [0, 1]: P wave, QRS, T wave. */
function beat(n: number, shift: number): number[] {
  const g = (i: number, c: number, w: number, a: number): number => a * Math.exp(-(((i - c) / w) ** 2));
  const raw = Array.from({ length: n }, (_, i) => 0.3 + g(i, 0.2 * n + shift, 8, 0.08) + g(i, 0.32 * n + shift, 3, 0.65) - g(i, 0.36 * n + shift, 3, 0.2) + g(i, 0.62 * n + shift, 14, 0.15));
  const lo = Math.min(...raw);
  const hi = Math.max(...raw);
  return raw.map((v) => (v - lo) / (hi - lo));
}

function scores(m: number[][]): AuditCell['perClass'] {
  return Object.fromEntries(perClass(m).map((s, i) => [CLASSES[i]!, { precision: s.precision, recall: s.recall, f1: s.f1, support: s.support }]));
}

export function auditFixture(opts: FixtureOptions = {}): Audit {
  const n = opts.beats ?? 400;
  const models = opts.models ?? ['atk-gan-mitdb', 'dcnn-mitdb'];
  const eps = opts.eps ?? [0.005, 0.01, 0.02];
  const rand = mulberry32(opts.seed ?? 7);
  const truth = Array.from({ length: n }, () => {
    const r = rand();
    return r < 0.7 ? 0 : r < 0.82 ? 1 : r < 0.95 ? 2 : 3;
  });
  const wrong = (t: number): number => (t + 1 + Math.floor(rand() * (CLASSES.length - 1))) % CLASSES.length;
  // Plain objects checked by Audit.parse below, so the fixture follows the contract as it grows (e.g. SNR over finite beats).
  const cells: Record<string, unknown>[] = [];
  const worst: WorstCase[] = [];
  const clean: Audit['clean'] = [];
  const examples: AuditExample[] = [];
  models.forEach((model, mi) => {
    const gan = mi === 0;
    const cleanPred = truth.map((t) => (rand() < (gan ? 0.93 : 0.95) ? t : wrong(t)));
    const cm = confusionMatrix(truth, cleanPred, CLASSES.length);
    clean.push({ model, accuracy: accuracy(cm), perClass: scores(cm), confusion: cm });
    for (const e of eps) {
      const robustEverywhere = truth.map(() => true);
      const flaggedEverywhere = truth.map(() => true);
      for (const a of LABELS) {
        if (a.attack === 'adaptive-pgd' && !gan) continue;
        const flip = Math.min(0.95, a.strength * e * (gan ? 2 : 4));
        const adv = cleanPred.map((p, i) => (p === truth[i] && rand() < flip ? wrong(truth[i]!) : p));
        const flagged = adv.map(() => rand() < (a.attack === 'adaptive-pgd' ? 0.35 : 0.8));
        const m = confusionMatrix(truth, adv, CLASSES.length);
        const right = adv.filter((p, i) => p === truth[i]).length;
        const cleanRight = cleanPred.filter((p, i) => p === truth[i]).length;
        const broken = adv.filter((p, i) => cleanPred[i] === truth[i] && p !== truth[i]).length;
        adv.forEach((p, i) => {
          if (p !== truth[i]) robustEverywhere[i] = false;
          if (p !== truth[i] && !flagged[i]) flaggedEverywhere[i] = false;
        });
        const defended = adv.filter((p, i) => p === truth[i] || flagged[i]).length;
        const spec = presetSuite('paper', e).find((s) => s.name === a.attack)!;
        cells.push({
          model,
          attack: a.attack,
          label: a.label,
          eps: e,
          params: spec.params,
          beats: n,
          cleanAccuracy: cleanRight / n,
          robustAccuracy: right / n,
          robustAccuracyCi95: wilson(right, n),
          attackSuccessRate: cleanRight ? broken / cleanRight : 0,
          perClass: scores(m),
          confusion: m,
          l2: { mean: e * 9.1, median: e * 8.7, max: e * 16.2 },
          linf: { mean: e * 0.98, median: e, max: e },
          snrDb: { mean: 38 - 200 * e, median: 38.5 - 200 * e, finiteBeats: n },
          queries: null,
          seconds: 1.5 + a.strength * 0.3,
          detection: gan ? { tpr: flagged.filter(Boolean).length / n, fpr: 0.041, defendedRate: defended / n, undetectedMisclassified: 1 - defended / n } : null,
        });
        if (examples.length < 4 && e === eps[eps.length - 1]) {
          const idx = examples.length * 7 + mi;
          const c = beat(280, examples.length * 3);
          const r2 = mulberry32(idx + 11);
          examples.push({
            model,
            label: a.label,
            eps: e,
            beatIndex: idx,
            reference: CLASSES[truth[idx]!]!,
            clean: c,
            adversarial: c.map((v, i) => Math.min(1, Math.max(0, v + e * Math.sign(Math.sin(i / 5 + r2() * 0.3))))),
            before: CLASSES[cleanPred[idx]!]!,
            after: CLASSES[adv[idx]!]!,
            attacked: gan ? 0.87 : null,
          });
        }
      }
      const robust = robustEverywhere.filter(Boolean).length;
      worst.push({ model, eps: e, beats: n, robustAccuracy: robust / n, robustAccuracyCi95: wilson(robust, n), defendedRate: gan ? flaggedEverywhere.filter(Boolean).length / n : null });
    }
  });
  const status = opts.status ?? 'succeeded';
  const total = models.length * eps.length * LABELS.length - (models.length - 1) * eps.length;
  return Audit.parse({
    id: 'aud-2026-11-24-0001',
    jobId: 'job-1',
    rerunOf: null,
    status,
    models,
    dataset: 'ds-mitdb-paper',
    suite: 'paper',
    mode: 'adaptive',
    eps,
    beats: n,
    cellsDone: cells.length,
    // An unfinished audit still has a cell per model and ε to go.
    cellsTotal: status === 'succeeded' ? total : total + models.length * eps.length,
    createdAt: '2026-11-24T21:00:00.000Z',
    finishedAt: status === 'succeeded' ? '2026-11-24T21:42:10.000Z' : null,
    input: { models, dataset: 'mitdb-paper', suite: 'paper', eps, mode: 'adaptive', seed: 42, limit: n },
    classes: CLASSES,
    clean,
    cells,
    worst,
    examples,
    provenance: {
      models: models.map((name, i) => ({ name, kind: i === 0 ? 'atk-gan' : 'dcnn', weightsSha256: `${String(i + 1).repeat(8)}${'ab'.repeat(28)}`, modelJsonSha256: `${String(i + 5).repeat(8)}${'cd'.repeat(28)}` })),
      source: null,
      dataset: { id: 'ds-mitdb-paper', name: 'mitdb-paper', manifestHash: `feed${'0123456789abcdef'.repeat(3)}beefcafe0000` },
      seed: 42,
      suite: presetSuite('paper', eps[0]!, [10]).filter((s) => LABELS.some((l) => l.attack === s.name)),
      backend: 'wasm',
      backendVersion: '4.22.0',
      workers: 2,
      appVersion: '0.1.0',
      gitCommit: '4c3cdb1e0a9f',
      startedAt: '2026-11-24T21:00:01.000Z',
      finishedAt: status === 'succeeded' ? '2026-11-24T21:42:10.000Z' : null,
    },
  });
}
