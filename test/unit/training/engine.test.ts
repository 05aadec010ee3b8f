// The training engine on a real compute pool: data-parallel training on 2 workers equals 1 worker
// up to float rounding (Kachuee: no batch norm, no dropout); a run cancelled mid-way and resumed from
// its checkpoint ends bit-identical to one that ran straight through; the GAN and PGD kinds train.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createComputePool, type ComputePool } from '../../../src-main/compute/pool/index.ts';
import { trainModel, shardRanges, runHoldOut, type EngineOptions } from '../../../src-main/training/engine.ts';
import { validationOf } from '../../../src-main/models/card.ts';
import { readLatestCheckpoint } from '../../../src-main/training/checkpoint.ts';
import type { TrainingTasks } from '../../../src-main/training/tasks.ts';
import { TrainingParams, type DatasetManifest } from '../../../src-shared/contract/index.ts';
import { datasetHash } from '../../../src-main/datasets/build.ts';
import { tinyArrays } from './dataset-fixture.ts';
import { tempDir } from '../../helpers.ts';
import { initCompute } from '../../../src-main/compute/backend.ts';
import { loadModel } from '../../../src-main/models/io.ts';
import { trainableVariables } from '../../../src-main/models/weights.ts';

const L = 128;
const arrays = tinyArrays(120, L, 5);
const params = { name: 'tiny', preset: 'table' as const, window: { frequency: 125, before: 0, length: L, truncateRR: null, normalise: 'minmax' as const }, classes: 2, split: 'random' as const, testFraction: 0.2, seed: 5, lead: 'MLII' };
const manifest: DatasetManifest = {
  id: 'tiny',
  name: 'tiny',
  createdAt: 'now',
  appVersion: 'test',
  params,
  classes: ['N', 'V'],
  sources: [],
  counts: { train: {}, test: {}, total: {}, reference: {} },
  classWeights: { N: 1, V: 1.5 },
  beats: 120,
  beatLength: L,
  hash: datasetHash(arrays, params),
};

let pool: ComputePool<TrainingTasks>;
const dir = tempDir();
beforeAll(async () => {
  await initCompute('wasm');
  pool = await createComputePool<TrainingTasks>({ modules: [new URL('../../../src-main/training/tasks.ts', import.meta.url)], size: 2, backend: 'wasm' });
}, 60_000);
afterAll(async () => {
  await pool?.close();
  dir.cleanup();
});

function run(runDir: string, p: Partial<TrainingParams>, extra: Partial<EngineOptions> = {}): ReturnType<typeof trainModel> {
  return trainModel({
    pool,
    params: TrainingParams.parse({ model: 'kachuee', dataset: 'tiny', epochs: 2, batch: 16, seed: 9, checkpointEvery: 2, ...p }),
    runId: runDir.split('/').pop()!,
    runDir,
    manifest,
    arrays,
    checkpoint: null,
    signal: new AbortController().signal,
    onProgress: () => undefined,
    onEpoch: () => undefined,
    onCheckpoint: () => undefined,
    ...extra,
  });
}

const weightsOf = (modelDir: string): Float32Array => {
  const b = readFileSync(join(modelDir, 'weights.bin'));
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

describe('training engine', () => {
  it('cuts a batch into contiguous non-empty shards', () => {
    expect(shardRanges(10, 3)).toEqual([[0, 4], [4, 7], [7, 10]]);
    expect(shardRanges(1, 2)).toEqual([[0, 1]]);
  });

  it('2 workers train the same model as 1 worker (up to float rounding)', async () => {
    const progress: number[] = [];
    const one = await run(join(dir.path, 'w1'), { workers: 1, maxSteps: 6 }, { onProgress: (_f, _m, m) => progress.push(m.lossPerHead.total!) });
    const two = await run(join(dir.path, 'w2'), { workers: 2, maxSteps: 6 });
    expect(one.workers).toBe(1);
    expect(two.workers).toBe(2);
    const a = weightsOf(one.modelDir);
    const b = weightsOf(two.modelDir);
    expect(a.length).toBe(b.length);
    let maxDiff = 0;
    for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
    expect(maxDiff).toBeLessThan(1e-4);
    // Not trivially equal: five more steps moved the weights far more than the 1-vs-2 difference.
    const early = weightsOf((await run(join(dir.path, 'w1-early'), { workers: 1, maxSteps: 1 })).modelDir);
    let moved = 0;
    for (let i = 0; i < a.length; i++) moved = Math.max(moved, Math.abs(a[i]! - early[i]!));
    expect(moved).toBeGreaterThan(100 * maxDiff);
    expect(one.card.training?.workers).toBe(1);
    expect(one.card.epochs).toBe(1);
    expect(one.card.metrics['test.accuracy']).toBeGreaterThanOrEqual(0);
    expect(progress).toHaveLength(6);
  }, 60_000);

  it('a run cancelled at a step resumes from its checkpoint and ends bit-identical to a straight run', async () => {
    const straight = await run(join(dir.path, 'straight'), { workers: 1, epochs: 2 });
    const runDir = join(dir.path, 'resumed');
    const abort = new AbortController();
    await expect(run(runDir, { workers: 1, epochs: 2 }, { signal: abort.signal, onProgress: (_f, _m, m) => m.step === 7 && abort.abort() })).rejects.toThrow(/cancelled at step 7/);
    const ck = await readLatestCheckpoint(runDir);
    expect(ck?.state.step).toBe(7);
    expect(ck?.state.epoch).toBe(1); // 6 steps per epoch: the cancel came one step into epoch 2
    expect(ck?.state.history).toHaveLength(1);
    const steps: number[] = [];
    const resumed = await run(runDir, { workers: 1, epochs: 2 }, { checkpoint: ck, onProgress: (_f, _m, m) => steps.push(m.step) });
    expect(resumed.resumedFromStep).toBe(7);
    expect(steps[0]).toBe(8);
    expect(resumed.state.step).toBe(straight.state.step);
    expect(Array.from(weightsOf(resumed.modelDir))).toEqual(Array.from(weightsOf(straight.modelDir)));
    // The card records the resume; the straight run's card has none. A plain resume leaves the command as it was.
    expect(resumed.card.training?.resumedAtSteps).toEqual([7]);
    expect(straight.card.training?.resumedAtSteps).toBeUndefined();
    expect(resumed.card.trainingCommand).toBe(straight.card.trainingCommand);
  }, 60_000);

  it('a D-CNN (batch norm, dropout) on 2 workers trains bit-identically under its seed, resumed or not', async () => {
    const p = { model: 'dcnn' as const, workers: 2, epochs: 1, maxSteps: 4 };
    const first = await run(join(dir.path, 'dcnn-a'), p);
    const a = weightsOf(first.modelDir);
    // The saved topology does not carry the last step's dropout seed.
    const topology = JSON.parse(readFileSync(join(first.modelDir, 'model.json'), 'utf8')) as { modelTopology: { config: { layers: { class_name: string; config: { seed?: number | null } }[] } } };
    const drops = topology.modelTopology.config.layers.filter((l) => l.class_name === 'Dropout');
    expect(drops.length).toBe(3);
    for (const l of drops) expect(l.config.seed ?? null).toBeNull();
    const b = weightsOf((await run(join(dir.path, 'dcnn-b'), p)).modelDir);
    // Counted, not diffed: a failing diff of two 100k-value arrays takes Vitest minutes to print.
    const differing = (x: Float32Array, y: Float32Array): number => x.reduce((n, v, i) => n + (Object.is(v, y[i]) ? 0 : 1), 0);
    expect(b.length).toBe(a.length);
    expect(differing(a, b)).toBe(0);
    const runDir = join(dir.path, 'dcnn-resumed');
    const abort = new AbortController();
    await expect(run(runDir, p, { signal: abort.signal, onProgress: (_f, _m, m) => m.step === 2 && abort.abort() })).rejects.toThrow(/cancelled at step 2/);
    const resumed = await run(runDir, p, { checkpoint: await readLatestCheckpoint(runDir) });
    expect(resumed.resumedFromStep).toBe(2);
    expect(differing(weightsOf(resumed.modelDir), a)).toBe(0);
  }, 60_000);

  it('early stopping: no better validation accuracy for `patience` epochs ends the run and keeps the best epoch', async () => {
    // A learning rate too small to change any prediction: epoch 2 cannot beat epoch 1.
    const r = await run(join(dir.path, 'early'), { workers: 1, epochs: 10, patience: 1, learningRate: 1e-12 });
    expect(r.state.history.map((e) => e.epoch)).toEqual([1, 2]);
    expect(r.state.best?.epoch).toBe(1);
    expect(r.card.training?.bestEpoch).toBe(1);
    expect(r.card.epochs).toBe(2);
  }, 60_000);

  it('--validate-every adds points inside epochs; the kept weights are the best on --select-by, and a resume across a point repeats none', async () => {
    const p = { workers: 1, epochs: 2, validateEvery: 2, selectBy: 'macro-f1' as const };
    const straight = await run(join(dir.path, 'every'), p);
    const h = straight.state.history;
    const perEpoch = h.find((e) => !e.partial)!.step;
    expect(perEpoch).toBeGreaterThan(2);
    // Every multiple of 2 inside an epoch, and each epoch's end once (never twice when they coincide).
    const want = [...new Set([...Array.from({ length: Math.floor((2 * perEpoch - 1) / 2) }, (_, k) => 2 * (k + 1)), perEpoch, 2 * perEpoch])].sort((a, b) => a - b);
    expect(h.map((e) => e.step)).toEqual(want);
    expect(h.filter((e) => !e.partial).map((e) => e.step)).toEqual([perEpoch, 2 * perEpoch]);
    for (const e of h) expect(e.valMacroF1).toBeGreaterThanOrEqual(0);
    // The first point with the highest validation macro-F1 is the one kept.
    const top = Math.max(...h.map((e) => e.valMacroF1!));
    const chosen = h.find((e) => e.valMacroF1 === top)!;
    expect(straight.state.best?.step).toBe(chosen.step);
    expect(straight.card.training?.bestStep).toBe(chosen.step);
    expect(straight.card.training?.selectedBy).toBe('macro-f1');
    expect(straight.card.training?.validateEvery).toBe(2);
    // Points inside epochs are not epochs.
    expect(straight.card.epochs).toBe(2);
    expect(straight.card.metrics['validation.macroF1']).toBe(top);
    // Those weights are the ones a run stopped at that step ends with.
    const upTo = await run(join(dir.path, 'every-upto'), { ...p, maxSteps: chosen.step });
    expect(Array.from(weightsOf(straight.modelDir))).toEqual(Array.from(weightsOf(upTo.modelDir)));
    // Cancelled one step after a point inside epoch 1, then resumed: the same points, the same kept weights.
    const runDir = join(dir.path, 'every-resumed');
    const abort = new AbortController();
    await expect(run(runDir, p, { signal: abort.signal, onProgress: (_f, _m, m) => m.step === 3 && abort.abort() })).rejects.toThrow(/cancelled at step 3/);
    const resumed = await run(runDir, p, { checkpoint: await readLatestCheckpoint(runDir) });
    const strip = (x: typeof h): unknown[] => x.map(({ seconds: _s, ...rest }) => rest);
    expect(strip(resumed.state.history)).toEqual(strip(h));
    expect(Array.from(weightsOf(resumed.modelDir))).toEqual(Array.from(weightsOf(straight.modelDir)));
    // Selected on accuracy instead, the kept point is the first best on accuracy.
    const byAcc = await run(join(dir.path, 'every-acc'), { ...p, selectBy: 'accuracy' });
    const topAcc = Math.max(...byAcc.state.history.map((e) => e.valAccuracy!));
    expect(byAcc.state.best?.step).toBe(byAcc.state.history.find((e) => e.valAccuracy === topAcc)!.step);
    expect(byAcc.card.trainingCommand).not.toMatch(/select-by/);
    expect(straight.card.trainingCommand).toMatch(/--select-by macro-f1 --validate-every 2/);
  }, 120_000);

  it('atk-gan trains D and G with attacks crafted against D; dcnn-pgd records PGD', async () => {
    const heads: Record<string, number>[] = [];
    const gan = await run(join(dir.path, 'gan'), { model: 'atk-gan', workers: 2, batch: 8, maxSteps: 2, pgdSteps: 2, attackEps: 0.05 }, { onProgress: (_f, _m, m) => heads.push(m.lossPerHead) });
    expect(Object.keys(heads[1]!).sort()).toEqual(['d.attacked', 'd.class', 'd.realFake', 'd.total', 'g.attacked', 'g.class', 'g.realFake', 'g.total']);
    for (const v of Object.values(heads[1]!)) expect(Number.isFinite(v)).toBe(true);
    expect(gan.card.kind).toBe('atk-gan-d');
    expect(gan.card.training?.adversarial).toMatch(/against D/);
    const pgd = await run(join(dir.path, 'pgd'), { model: 'dcnn-pgd', workers: 2, batch: 8, maxSteps: 2, pgdSteps: 2 });
    expect(pgd.card.kind).toBe('dcnn');
    expect(pgd.card.training?.adversarial).toMatch(/PGD-2/);
  }, 60_000);

  it('a warm start copies a trained D-CNN trunk and class head into the ATK-GAN discriminator; class weighting is recorded', async () => {
    const source = await run(join(dir.path, 'warm-src'), { model: 'dcnn', workers: 1, batch: 8, maxSteps: 3, classWeighting: 'sqrt' });
    expect(source.card.training?.classWeights).toEqual([1, Math.sqrt(1.5)]);
    expect(source.card.training?.classWeighting).toBe('sqrt');
    // A learning rate too small to move a weight: what is saved is what the warm start wrote.
    // A seed of its own: the run still validates on the beats its source was validated on, never on beats it trained on.
    const holdout = validationOf(source.card);
    expect(holdout).toEqual({ fraction: 0.1, seed: 9 });
    const gan = await run(join(dir.path, 'warm-gan'), { model: 'atk-gan', workers: 1, batch: 8, maxSteps: 1, learningRate: 1e-12, classWeighting: 'none', seed: 7 }, { init: { name: 'src', dir: source.modelDir, weightsSha256: source.card.files['weights.bin'].sha256, holdout } });
    expect(gan.card.training?.initialisedFrom).toEqual({ name: 'src', weightsSha256: source.card.files['weights.bin'].sha256 });
    expect(gan.card.seed).toBe(7);
    expect(validationOf(gan.card)).toEqual(holdout);
    // Kept in its checkpoint, so a resume (which no longer warm-starts) draws the same beats.
    expect((await readLatestCheckpoint(join(dir.path, 'warm-gan')))?.state.holdout).toEqual(holdout);
    expect(gan.card.training?.classWeights).toEqual([1, 1]);
    // A warm-started run cancelled and resumed (a resume loads the checkpoint, not --init) still names its warm start.
    const init = { name: 'src', dir: source.modelDir, weightsSha256: source.card.files['weights.bin'].sha256, holdout };
    const againDir = join(dir.path, 'warm-resumed');
    const abort = new AbortController();
    const p2 = { model: 'dcnn' as const, workers: 1, batch: 8, maxSteps: 2, seed: 7 };
    await expect(run(againDir, p2, { init, signal: abort.signal, onProgress: (_f, _m, m) => m.step === 1 && abort.abort() })).rejects.toThrow(/cancelled at step 1/);
    const again = await run(againDir, p2, { checkpoint: await readLatestCheckpoint(againDir) });
    expect(again.card.training?.initialisedFrom).toEqual({ name: 'src', weightsSha256: init.weightsSha256 });
    expect(again.card.training?.resumedAtSteps).toEqual([1]);
    expect(validationOf(again.card)).toEqual(holdout);
    const [{ model: a }, { model: b }] = await Promise.all([loadModel(source.modelDir), loadModel(gan.modelDir)]);
    try {
      const src = trainableVariables(a);
      const dst = trainableVariables(b);
      expect(src.size).toBeGreaterThan(10);
      for (const [k, v] of src) {
        const twin = dst.get(k.replace(/^dcnn_/, 'd_'));
        expect(twin, k).toBeDefined();
        const [x, y] = [v.dataSync(), twin!.dataSync()];
        let maxDiff = 0;
        for (let i = 0; i < x.length; i++) maxDiff = Math.max(maxDiff, Math.abs(x[i]! - y[i]!));
        expect(maxDiff, k).toBeLessThan(1e-6);
      }
      // D's own heads are not in the D-CNN and keep their fresh initialisation.
      expect([...dst.keys()].filter((k) => /real_fake|attacked/.test(k)).length).toBeGreaterThan(0);
    } finally {
      a.dispose();
      b.dispose();
    }
  }, 60_000);

  it('the validation hold-out: a resume keeps its run\'s, a warm start its source\'s, otherwise the run\'s own seed', () => {
    const own = { valFraction: 0.1, seed: 3 };
    const init = { name: 'src', dir: '/m', weightsSha256: 'x', holdout: { fraction: 0.2, seed: 1 } };
    expect(runHoldOut(own, undefined, undefined)).toEqual({ fraction: 0.1, seed: 3 });
    expect(runHoldOut(own, undefined, init)).toEqual({ fraction: 0.2, seed: 1 });
    // A source that kept no hold-out (or one of another dataset) leaves the run its own.
    expect(runHoldOut(own, undefined, { ...init, holdout: null })).toEqual({ fraction: 0.1, seed: 3 });
    // --val-fraction 0 holds out nothing, whatever the source did.
    expect(runHoldOut({ valFraction: 0, seed: 3 }, undefined, init)).toEqual({ fraction: 0, seed: 3 });
    const resumed = { step: 5, epoch: 0, position: 5, lossSums: {}, epochSteps: 5, history: [], best: null, epochsSinceBest: 0, seconds: 1 };
    expect(runHoldOut(own, { ...resumed, holdout: { fraction: 0.2, seed: 1 } }, undefined)).toEqual({ fraction: 0.2, seed: 1 });
    // A checkpoint from before the hold-out was kept in it: the run's own parameters, as then.
    expect(runHoldOut(own, resumed, undefined)).toEqual({ fraction: 0.1, seed: 3 });
  });

  it('GAN warm-up: for the first N steps only G learns, so the warm-started D is unchanged', async () => {
    const source = await run(join(dir.path, 'wu-src'), { model: 'dcnn', workers: 1, batch: 8, maxSteps: 2 });
    const init = { name: 'src', dir: source.modelDir, weightsSha256: source.card.files['weights.bin'].sha256, holdout: validationOf(source.card) };
    const warm = await run(join(dir.path, 'wu-gan'), { model: 'atk-gan', workers: 1, batch: 8, maxSteps: 3, ganWarmup: 3, learningRate: 1e-2 }, { init });
    expect(warm.card.training?.adversarial).toMatch(/first 3 steps update only G/);
    // Validation points inside the warm-up are recorded but never kept: D has not trained there.
    const lr0 = await run(join(dir.path, 'wu-every'), { model: 'atk-gan', workers: 1, batch: 8, maxSteps: 4, ganWarmup: 2, validateEvery: 1, learningRate: 1e-12 }, { init });
    expect(lr0.state.history.map((e) => e.step)).toEqual([1, 2, 3, 4]);
    // At lr 1e-12 every point scores alike, so without the rule the first (step 1) would be kept.
    expect(lr0.state.best?.step).toBe(3);
    const free = await run(join(dir.path, 'wu-free'), { model: 'atk-gan', workers: 1, batch: 8, maxSteps: 3, learningRate: 1e-2 }, { init });
    const [{ model: a }, { model: b }, { model: c }] = await Promise.all([loadModel(source.modelDir), loadModel(warm.modelDir), loadModel(free.modelDir)]);
    try {
      const maxDiff = (x: ArrayLike<number>, y: ArrayLike<number>): number => {
        let m = 0;
        for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
        return m;
      };
      const [src, held, moved] = [trainableVariables(a), trainableVariables(b), trainableVariables(c)];
      let heldMax = 0;
      let movedMax = 0;
      for (const [k, v] of src) {
        const twin = k.replace(/^dcnn_/, 'd_');
        heldMax = Math.max(heldMax, maxDiff(v.dataSync(), held.get(twin)!.dataSync()));
        movedMax = Math.max(movedMax, maxDiff(v.dataSync(), moved.get(twin)!.dataSync()));
      }
      expect(heldMax).toBe(0);
      expect(movedMax).toBeGreaterThan(1e-4);
    } finally {
      [a, b, c].forEach((m) => m.dispose());
    }
  }, 90_000);
});
