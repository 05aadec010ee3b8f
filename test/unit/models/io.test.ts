import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initCompute, tf } from '../../../src-main/compute/backend.ts';
import { buildModel } from '../../../src-main/models/architectures.ts';
import { loadModel, readCard, saveModel } from '../../../src-main/models/io.ts';
import { writeCard } from '../../../src-main/models/verify.ts';
import type { ModelCardInput } from '../../../src-main/models/card.ts';
import { getWeights } from '../../../src-main/models/weights.ts';
import { smoothedNoise } from '../../../src-main/models/noise.ts';
import { mulberry32 } from '../../../src-main/common/random.ts';

let root = '';
beforeAll(async () => {
  await initCompute('wasm');
  root = await mkdtemp(join(tmpdir(), 'ecgatk-models-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const card: ModelCardInput = {
  kind: 'atk-gan-d',
  inputLength: 187,
  samplingRate: 125,
  normalisation: 'min-max [0, 1] per beat',
  classes: ['N', 'S', 'V', 'F'],
  datasetHash: 'a'.repeat(64),
  seed: 3,
  epochs: 0,
  trainingCommand: 'none (initial weights)',
  backend: 'wasm',
  wallTimeSeconds: 0,
  metrics: {},
  createdAt: new Date(0).toISOString(),
};

async function savedD(name: string): Promise<{ dir: string; model: ReturnType<typeof buildModel> }> {
  const model = buildModel('atk-gan-d', { length: 187, classes: 4, seed: 3 });
  const dir = join(root, name);
  await saveModel(dir, model, card);
  return { dir, model };
}

describe('model save and load with cards', () => {
  it('round-trips exactly: same weights, same predictions on all three heads; no temp folder left', async () => {
    const { dir, model } = await savedD('roundtrip');
    const { model: loaded, card: c } = await loadModel(dir);
    expect(c.parameters).toBe(model.countParams());
    expect(c.kind).toBe('atk-gan-d');
    expect(Object.keys(c.files).sort()).toEqual(['model.json', 'weights.bin']);
    expect(getWeights(loaded)).toEqual(getWeights(model));
    const rand = mulberry32(1);
    const x = tf.tensor3d(Float32Array.from({ length: 4 * 187 }, () => rand()), [4, 187, 1]);
    const a = (model.predict(x) as tf.Tensor[]).map((t) => Array.from(t.dataSync()));
    const b = (loaded.predict(x) as tf.Tensor[]).map((t) => Array.from(t.dataSync()));
    expect(b).toEqual(a);
    expect((await readdir(root)).filter((n) => n.startsWith('.'))).toEqual([]);
    // Saving again over the folder replaces it.
    await saveModel(dir, loaded, { ...card, epochs: 1 });
    expect((await loadModel(dir)).card.epochs).toBe(1);
    x.dispose();
    model.dispose();
    loaded.dispose();
  });

  it('round-trips the generator (transposed convs, padding and cropping from 2-D layers) at L=187', async () => {
    const g = buildModel('atk-gan-g', { length: 187, classes: 4, seed: 5 });
    const dir = join(root, 'generator');
    await saveModel(dir, g, { ...card, kind: 'atk-gan-g' });
    const { model: loaded } = await loadModel(dir);
    const rand = mulberry32(2);
    const inputs = [
      tf.tensor3d(Float32Array.from({ length: 2 * 187 }, () => rand()), [2, 187, 1]),
      tf.tensor2d(smoothedNoise(2, 187, rand), [2, 187]),
      tf.oneHot(tf.tensor1d([1, 3], 'int32'), 4).toFloat(),
    ];
    const [a, b] = [g, loaded].map((m) => Array.from((m.predict(inputs) as tf.Tensor).dataSync()));
    expect(b).toEqual(a);
    tf.dispose(inputs);
    g.dispose();
    loaded.dispose();
  });

  it('refuses a tampered weight file, naming it', async () => {
    const { dir, model } = await savedD('tampered');
    model.dispose();
    const p = join(dir, 'weights.bin');
    const bytes = await readFile(p);
    bytes[100] = bytes[100]! ^ 0x01;
    await writeFile(p, bytes);
    await expect(loadModel(dir)).rejects.toThrow('weights.bin: sha256 mismatch — the model file was modified or truncated');
  });

  it('refuses a truncated weight file and a tampered model.json, naming the file', async () => {
    const { dir, model } = await savedD('truncated');
    model.dispose();
    await truncate(join(dir, 'weights.bin'), 1000);
    await expect(loadModel(dir)).rejects.toThrow(/^weights\.bin: 1000 bytes where the card says \d+ — the model file was truncated/);
    const { dir: dir2, model: m2 } = await savedD('topology');
    m2.dispose();
    const p = join(dir2, 'model.json');
    await writeFile(p, (await readFile(p, 'utf8')).replace('"d_conv1"', '"d_convX"'));
    await expect(loadModel(dir2)).rejects.toThrow(/^model\.json: sha256 mismatch/);
  });

  it('refuses a card that fails its schema, naming the field', async () => {
    const { dir, model } = await savedD('badcard');
    model.dispose();
    const p = join(dir, 'card.json');
    const good = JSON.parse(await readFile(p, 'utf8')) as Record<string, unknown>;
    await writeFile(p, JSON.stringify({ ...good, inputLength: -5 }));
    await expect(loadModel(dir)).rejects.toThrow(/^card\.json: field "inputLength"/);
    await writeFile(p, JSON.stringify({ ...good, files: { ...(good.files as object), 'weights.bin': { sha256: 'xyz', bytes: 1 } } }));
    await expect(loadModel(dir)).rejects.toThrow(/^card\.json: field "files\.weights\.bin\.sha256"/);
    await writeFile(p, '{ not json');
    await expect(loadModel(dir)).rejects.toThrow('card.json: not valid JSON');
  });

  it('rewrites a card in place (a calibrated detector) only while it vouches for the same files', async () => {
    const { dir, model } = await savedD('calibrated');
    model.dispose();
    const before = await readCard(dir);
    const detector = { threshold: 0.12, targetFalseAlarmRate: 0.05, falseAlarmRate: 0.049, detectionRate: 0.8, eps: 0.01, beats: 400, calibratedAt: new Date(0).toISOString() };
    await writeCard(dir, { ...before, detector });
    const { card: after, model: loaded } = await loadModel(dir);
    loaded.dispose();
    expect(after.detector).toEqual(detector);
    expect(after.files).toEqual(before.files);
    await expect(writeCard(dir, { ...after, files: { ...after.files, 'weights.bin': { sha256: 'b'.repeat(64), bytes: 1 } } })).rejects.toThrow(/must keep the file hashes/);
    await expect(writeCard(dir, { ...after, detector: { ...detector, threshold: 2 } })).rejects.toThrow();
    expect((await readCard(dir)).detector).toEqual(detector);
    expect((await readdir(dir)).sort()).toEqual(['card.json', 'model.json', 'weights.bin']);
  });
});
