// The model registry, predict and eval as an auditor uses them, on MIT-BIH record 100 with a small
// ATK-GAN discriminator (random weights: these tests check plumbing and bookkeeping, not accuracy).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir, SHARED_DATA } from '../../helpers.ts';
import { initCompute } from '../../../src-main/compute/backend.ts';
import { buildModel } from '../../../src-main/models/architectures.ts';
import { readCard, saveModel } from '../../../src-main/models/io.ts';
import { loadDatasetArrays } from '../../../src-main/datasets/build.ts';
import { validationHoldOut } from '../../../src-main/training/batches.ts';
import { readAnnotations, AAMI } from '../../../src-main/signals/wfdb/annotations.ts';

const BIN = join(import.meta.dirname, '..', '..', '..', 'src-main', 'cli', 'bin.mjs');
const home = tempDir();
const models = tempDir('ecgatk-models-');
afterAll(() => {
  home.cleanup();
  models.cleanup();
});
const W = join(SHARED_DATA, 'wfdb');

function ecgatk(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, ECGATK_HOME: home.path, ECGATK_MODELS_DIR: models.path, ECGATK_WORKERS: '1' }, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  await initCompute('wasm');
  const model = buildModel('atk-gan-d', { length: 280, classes: 4, seed: 7 });
  const dir = join(models.path, 'atk-gan-mitdb-random');
  await saveModel(dir, model, {
    kind: 'atk-gan-d', inputLength: 280, samplingRate: 360, normalisation: 'minmax per beat', classes: ['N', 'S', 'V', 'F'], datasetHash: null,
    seed: 7, epochs: 0, trainingCommand: 'test fixture: initial weights (split random)', backend: 'wasm', wallTimeSeconds: 0, metrics: {}, createdAt: new Date(0).toISOString(),
  });
  model.dispose();
  // A copy with one weight byte changed: the card no longer vouches for it.
  const bad = join(models.path, 'tampered');
  await cp(dir, bad, { recursive: true });
  const w = await readFile(join(bad, 'weights.bin'));
  w[100] = w[100]! ^ 0xff;
  await writeFile(join(bad, 'weights.bin'), w);
  expect(ecgatk('import', join(W, '100.hea')).code).toBe(0);
}, 60_000);

describe('ecgatk models, predict, eval', () => {
  it('registers the shipped models on start, refuses the tampered copy naming the file, makes the ATK-GAN random-split model default', () => {
    const r = ecgatk('models', '--json');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { name: string; isDefault: boolean; kind: string; classes: string[] }[];
    expect(list.map((m) => m.name)).toEqual(['atk-gan-mitdb-random']);
    expect(list[0]).toMatchObject({ isDefault: true, kind: 'atk-gan-d', classes: ['N', 'S', 'V', 'F'] });
    expect(r.stderr).toMatch(/model tampered not registered: weights\.bin: sha256 mismatch/);
    expect(ecgatk('models', 'default', 'nope').stderr).toMatch(/No registered model named "nope"/);
    expect(ecgatk('models', 'default', 'atk-gan-mitdb-random').stdout).toMatch(/default model: atk-gan-mitdb-random/);
  });

  it('predict --json on record 100: one entry per annotated beat, probabilities summing to 1, deterministic', async () => {
    const a = ecgatk('predict', '--record', '100', '--json');
    expect(a.stderr).not.toMatch(/error/);
    expect(a.code).toBe(0);
    const rows = JSON.parse(a.stdout) as { sample: number; reference: string | null; predicted: string; probabilities: Record<string, number>; attacked: number | null }[];
    const beats = (await readAnnotations(join(W, '100.atr'))).annotations.filter((x) => AAMI[x.symbol] !== undefined);
    expect(rows.map((r) => r.sample)).toEqual(beats.map((b) => b.sample));
    expect(rows.map((r) => r.reference)).toEqual(beats.map((b) => AAMI[b.symbol]));
    for (const r of rows) {
      expect(Object.keys(r.probabilities)).toEqual(['N', 'S', 'V', 'F']);
      expect(Object.values(r.probabilities).reduce((s, p) => s + p, 0)).toBeCloseTo(1, 5);
      expect(r.predicted).toBe(Object.entries(r.probabilities).sort((x, y) => y[1] - x[1])[0]![0]);
      expect(r.attacked).toBeGreaterThanOrEqual(0);
      expect(r.attacked).toBeLessThanOrEqual(1);
    }
    const b = ecgatk('predict', '--model', join(models.path, 'atk-gan-mitdb-random'), '--record', '100', '--json');
    expect(b.stdout).toBe(a.stdout);
    // The tampered folder named directly is refused too.
    const t = ecgatk('predict', '--model', join(models.path, 'tampered'), '--record', '100');
    expect(t.code).toBe(1);
    expect(t.stderr).toMatch(/weights\.bin: sha256 mismatch/);
  }, 60_000);

  it('eval prints a confusion matrix whose total is the test split size, and the attacked-head detection rate', () => {
    expect(ecgatk('dataset', 'build', join(W, '100.hea'), '--name', 'r100', '--preset', 'paper', '--classes', '4', '--split', 'random').code).toBe(0);
    const ds = (JSON.parse(ecgatk('dataset', 'list', '--json').stdout) as { name: string; counts: { test: Record<string, number> } }[]).find((d) => d.name === 'r100')!;
    const testSize = Object.values(ds.counts.test).reduce((a, b) => a + b, 0);
    const r = ecgatk('eval', '--model', 'atk-gan-mitdb-random', '--dataset', 'r100');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('confusion'));
    const matrix = lines.slice(at + 2, at + 6).map((l) => l.trim().split(/\s+/).slice(1).map(Number));
    expect(matrix.flat().reduce((a, b) => a + b, 0)).toBe(testSize);
    expect(r.stdout).toMatch(new RegExp(`${testSize} test beats`));
    expect(r.stdout).toMatch(/attacked\/clean head \(threshold 0\.5000\): flags \d+\.\d+% of FGSM ε=0\.01 copies/);
    const j = JSON.parse(ecgatk('eval', '--model', 'atk-gan-mitdb-random', '--dataset', 'r100', '--json').stdout) as { confusion: number[][]; beats: number; accuracy: number };
    expect(j.confusion).toEqual(matrix);
    expect(j.accuracy).toBeCloseTo(j.confusion.reduce((s, row, i) => s + row[i]!, 0) / testSize, 12);
  }, 90_000);

  it('models calibrate: threshold set on the validation split and written to the card; eval and predict flag with it; eval --split validation reads that split', async () => {
    // Needs the r100 dataset of the eval test. A fixture whose card names that dataset and a validation split.
    const ds = (JSON.parse(ecgatk('dataset', 'list', '--json').stdout) as { id: string; name: string; hash: string }[]).find((d) => d.name === 'r100')!;
    const model = buildModel('atk-gan-d', { length: 280, classes: 4, seed: 11 });
    const dir = join(models.path, 'atk-gan-calibrated');
    await saveModel(dir, model, {
      kind: 'atk-gan-d', inputLength: 280, samplingRate: 360, normalisation: 'minmax per beat', classes: ['N', 'S', 'V', 'F'], datasetHash: ds.hash,
      seed: 3, epochs: 0, trainingCommand: 'test fixture', backend: 'wasm', wallTimeSeconds: 0, metrics: {}, createdAt: new Date(0).toISOString(),
      training: { model: 'atk-gan', runId: 'fixture', workers: 1, batch: 64, learningRate: 1e-4, steps: 0, bestEpoch: 0, adversarial: 'none', attackEps: 0.01, sampler: 'shuffle', classWeights: [1, 1, 1, 1], validationFraction: 0.1, flopsPerBeat: 0 },
    });
    model.dispose();

    const refused = ecgatk('models', 'calibrate', 'atk-gan-mitdb-random');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/atk-gan-mitdb-random: its card records no validation split/);
    expect(ecgatk('models', 'calibrate', 'atk-gan-calibrated', '--false-alarm-rate', '0.9').stderr).toMatch(/--false-alarm-rate: Too big/);

    const c = ecgatk('models', 'calibrate', 'atk-gan-calibrated', '--false-alarm-rate', '0.1', '--json');
    expect(c.stderr).not.toMatch(/error/i);
    const r = JSON.parse(c.stdout) as { beats: number; threshold: number; previousThreshold: number; falseAlarmRate: number; detectionRate: number };
    const arrays = await loadDatasetArrays(join(home.path, 'datasets', ds.id));
    expect(r.beats).toBe(validationHoldOut(arrays, 0.1, 3).validation.length);
    expect(r.previousThreshold).toBe(0.5);
    // The tightest threshold: at most 10% of clean validation beats flagged, and within one beat of it.
    expect(r.falseAlarmRate).toBeLessThanOrEqual(0.1);
    expect(r.falseAlarmRate).toBeGreaterThan(0.1 - 1.5 / r.beats);
    expect((await readCard(dir)).detector).toMatchObject({ threshold: r.threshold, targetFalseAlarmRate: 0.1, beats: r.beats, eps: 0.01 });

    const e = JSON.parse(ecgatk('eval', '--model', 'atk-gan-calibrated', '--dataset', 'r100', '--json').stdout) as { attackDetection: { threshold: number } };
    expect(e.attackDetection.threshold).toBe(r.threshold);

    // eval --split validation reads the same hold-out: the same beats at the same threshold give the
    // same false-alarm rate calibration reported. Only the model's own dataset has its hold-out.
    const v = ecgatk('eval', '--model', 'atk-gan-calibrated', '--dataset', 'r100', '--split', 'validation', '--json');
    expect(v.stderr).not.toMatch(/error/i);
    const ev = JSON.parse(v.stdout) as { split: string; beats: number; confusion: number[][]; attackDetection: { threshold: number; falseAlarmRate: number } };
    expect(ev).toMatchObject({ split: 'validation', beats: r.beats });
    expect(ev.confusion.flat().reduce((a, b) => a + b, 0)).toBe(r.beats);
    expect(ev.attackDetection.falseAlarmRate).toBe(r.falseAlarmRate);
    expect(ecgatk('eval', '--model', 'atk-gan-calibrated', '--dataset', 'r100', '--split', 'validation').stdout).toMatch(new RegExp(`: ${r.beats} validation beats`));
    const other = ecgatk('eval', '--model', 'atk-gan-mitdb-random', '--dataset', 'r100', '--split', 'validation');
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/split: model atk-gan-mitdb-random was not trained on r100/);
    expect(ecgatk('eval', '--model', 'atk-gan-calibrated', '--dataset', 'r100', '--split', 'train').stderr).toMatch(/--split/);
    const rows = JSON.parse(ecgatk('predict', '--model', 'atk-gan-calibrated', '--record', '100', '--json').stdout) as { attacked: number }[];
    const flagged = rows.filter((p) => p.attacked > r.threshold).length;
    expect(flagged).not.toBe(rows.filter((p) => p.attacked > 0.5).length);
    expect(ecgatk('predict', '--model', 'atk-gan-calibrated', '--record', '100').stdout).toMatch(new RegExp(`, ${flagged} beats flagged attacked`));
  }, 180_000);
});
