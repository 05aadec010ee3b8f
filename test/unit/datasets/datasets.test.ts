import { describe, it, expect, afterAll } from 'vitest';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { tempApp, SHARED_DATA } from '../../helpers.ts';
import { importPaths } from '../../../src-main/records/import.ts';
import { buildDataset, loadDatasetArrays, stratifiedSplit, classWeights, datasetHash } from '../../../src-main/datasets/build.ts';

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

describe('datasets', () => {
  it('builds an inter-patient dataset from DS1/DS2 records with manifest, weights and hash', async () => {
    const t = await tempApp();
    cleanups.push(t.cleanup);
    const items = await importPaths(t.ctx.catalog, ['100', '101', '106'].map((r) => join(SHARED_DATA, 'mitdb', `${r}.hea`)), { deidentify: true });
    const ctx = { store: t.ctx.store, catalog: t.ctx.catalog, datasetsDir: t.ctx.paths.datasetsDir, appVersion: '0.0.0' };
    const m = await buildDataset(ctx, items.map((i) => i.recordId!), { name: 'tiny', preset: 'paper', classes: 4, split: 'interpatient', testFraction: 0.2, seed: 1, lead: 'MLII' });
    // Record 100 is in DS2 (test), 101 and 106 in DS1 (train).
    expect(m.counts.test.S).toBe(33);
    expect(m.counts.test.V).toBe(1);
    expect(m.counts.test.N).toBeGreaterThan(2230);
    expect(m.counts.reference.N).toBe(2239 + 1860 + 1507);
    const refN = m.counts.reference.N!;
    const gotN = m.counts.total.N!;
    expect(gotN).toBeLessThanOrEqual(refN);
    expect(refN - gotN).toBeLessThan(6); // only beats at the records' ends
    expect(m.sources.map((s) => s.record).sort()).toEqual(['100', '101', '106']);
    expect(m.sources[0]!.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
    expect(m.classWeights.N).toBeLessThan(1);
    const dir = join(t.ctx.paths.datasetsDir, m.id);
    const arrays = await loadDatasetArrays(dir);
    expect(arrays.values.length).toBe(m.beats * 280);
    expect(datasetHash(arrays, m.params)).toBe(m.hash);
    expect(t.ctx.store.datasets.list().map((d) => d.name)).toEqual(['tiny']);
    expect(t.ctx.store.audit.list(1)[0]!.action).toBe('dataset.build');
    await expect(buildDataset(ctx, [items[0]!.recordId!], { name: 'tiny', preset: 'paper', classes: 4, split: 'random', testFraction: 0.2, seed: 1, lead: 'MLII' })).rejects.toThrow(/already exists/);
    expect(existsSync(`${dir}.partial`)).toBe(false);
    // Rebuilding the same recipe under another name reproduces the same content hash.
    const again = await buildDataset(ctx, items.map((i) => i.recordId!), { name: 'tiny again', preset: 'paper', classes: 4, split: 'interpatient', testFraction: 0.2, seed: 1, lead: 'MLII' });
    expect(again.hash).toBe(m.hash);
    const otherSeed = await buildDataset(ctx, items.map((i) => i.recordId!), { name: 'tiny random', preset: 'paper', classes: 4, split: 'random', testFraction: 0.2, seed: 2, lead: 'MLII' });
    expect(otherSeed.hash).not.toBe(m.hash);
  });

  it('stratified split is seeded, per class, and the right size', () => {
    const labels = Int32Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? 1 : 0));
    const a = stratifiedSplit(labels, 0.2, 7);
    const b = stratifiedSplit(labels, 0.2, 7);
    const c = stratifiedSplit(labels, 0.2, 8);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(a.filter((s, i) => s === 1 && labels[i] === 1).length).toBe(20);
    expect(a.filter((s, i) => s === 1 && labels[i] === 0).length).toBe(180);
  });

  it('class weights are inverse to frequency', () => {
    expect(classWeights([900, 100])).toEqual([1000 / 1800, 1000 / 200]);
  });
});

describe('heartbeat tables', () => {
  it('a train and a test CSV become a dataset with the standard split; a table given to the importer says where it belongs', async () => {
    const { importBeatTables } = await import('../../../src-main/datasets/table.ts');
    const { importPaths } = await import('../../../src-main/records/import.ts');
    const { writeFileSync } = await import('node:fs');
    const t = await tempApp();
    cleanups.push(t.cleanup);
    const row = (label: number, k: number): string => [...Array.from({ length: 40 }, (_, j) => (((j + k) % 9) / 9).toExponential(18)), label.toExponential(18)].join(',');
    const train = join(t.dir, 'bench_train.csv');
    const test = join(t.dir, 'bench_test.csv');
    writeFileSync(train, Array.from({ length: 30 }, (_, k) => row(k % 5, k)).join('\n'));
    writeFileSync(test, Array.from({ length: 10 }, (_, k) => row(k % 2, k)).join('\n'));
    const ctx = { store: t.ctx.store, catalog: t.ctx.catalog, datasetsDir: t.ctx.paths.datasetsDir, appVersion: '0.0.0' };
    const m = await importBeatTables(ctx, { name: 'bench', train, test });
    expect(m.params.split).toBe('standard');
    expect(m.classes).toEqual(['N', 'S', 'V', 'F', 'Q']);
    expect(m.counts.train).toEqual({ N: 6, S: 6, V: 6, F: 6, Q: 6 });
    expect(m.counts.test).toEqual({ N: 5, S: 5, V: 0, F: 0, Q: 0 });
    expect(m.beatLength).toBe(40);
    const [item] = await importPaths(t.ctx.catalog, [train], { deidentify: true });
    expect(item!.error).toMatch(/bench_train\.csv: this is a heartbeat table \(30 beats of 40 samples\).*dataset import-csv/);
  });

  it('PTB: one table per class (the real files\' layout, here their 10-row samples) becomes a 2-class dataset with a seeded stratified split', async () => {
    const { importBeatTables } = await import('../../../src-main/datasets/table.ts');
    const { loadDatasetArrays } = await import('../../../src-main/datasets/build.ts');
    const { readFileSync } = await import('node:fs');
    const t = await tempApp();
    cleanups.push(t.cleanup);
    const ctx = { store: t.ctx.store, catalog: t.ctx.catalog, datasetsDir: t.ctx.paths.datasetsDir, appVersion: '0.0.0' };
    const PTB = join(SHARED_DATA, 'ptb', 'samples_only');
    const classFiles = [
      { label: 'normal', path: join(PTB, 'ptb_n10.csv') },
      { label: 'abnormal', path: join(PTB, 'ptb_ab10.csv') },
    ];
    const m = await importBeatTables(ctx, { name: 'ptb', classFiles, seed: 3 });
    expect(m.classes).toEqual(['normal', 'abnormal']);
    expect(m.beatLength).toBe(187);
    // Each sample file keeps its first row as a mangled header: 10 beats remain in each.
    expect(m.counts.total).toEqual({ normal: 10, abnormal: 10 });
    expect(m.counts.test).toEqual({ normal: 2, abnormal: 2 });
    expect(m.sources.map((s) => s.record)).toEqual(['ptb_n10.csv', 'ptb_ab10.csv']);
    // The beats are the files' rows (the second line of the normal file is the first beat).
    const arrays = await loadDatasetArrays(t.ctx.store.datasets.find('ptb')!.path);
    const second = readFileSync(classFiles[0]!.path, 'utf8').split('\n')[1]!.split(',').slice(0, 187).map(Number);
    expect(Array.from(arrays.values.subarray(0, 187))).toEqual(second.map((v) => Math.fround(v)));
    expect(Array.from(arrays.labels.subarray(0, 10))).toEqual(new Array(10).fill(0));
    // Same seed, same split: the content hash repeats.
    const again = await importBeatTables(ctx, { name: 'ptb-again', classFiles, seed: 3 });
    expect(again.hash).toBe(m.hash);
  });
});
