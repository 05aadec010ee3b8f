// Record classification cuts beats exactly as the model's dataset did: the window of record 100 that
// predict feeds the model equals the dataset's beat at the same R peak, sample for sample.
import { describe, it, expect, afterAll } from 'vitest';
import { join } from 'node:path';
import { tempApp, SHARED_DATA } from '../../helpers.ts';
import { importPaths } from '../../../src-main/records/import.ts';
import { buildDataset, loadDatasetArrays } from '../../../src-main/datasets/build.ts';
import { recordBeats, windowForModel } from '../../../src-main/app/classify.ts';
import type { ResolvedModel } from '../../../src-main/models/registry.ts';
import type { ModelCard } from '../../../src-main/models/card.ts';

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

const modelWith = (card: Partial<ModelCard>): ResolvedModel => ({ name: 'm', dir: '/m', modelHash: 'h', card: { inputLength: 280, samplingRate: 360, normalisation: 'min-max [0, 1] per beat', classes: ['N', 'S', 'V', 'F'], ...card } as ModelCard });

describe('classification beats', () => {
  it('the paper window for a 280 @ 360 Hz card; refuses a card no preset cuts', () => {
    expect(windowForModel(modelWith({}))).toMatchObject({ length: 280, frequency: 360, before: 90, normalise: 'minmax' });
    expect(windowForModel(modelWith({ inputLength: 187, samplingRate: 125 }))).toMatchObject({ before: 0, truncateRR: 1.2 });
    expect(() => windowForModel(modelWith({ inputLength: 300 }))).toThrow(/no beat preset cuts 300 samples at 360 Hz/);
  });

  it("record 100's beats equal the paper dataset's beats at the same R peaks, and edge beats are kept", async () => {
    const t = await tempApp();
    cleanups.push(t.cleanup);
    const [item] = await importPaths(t.ctx.catalog, [join(SHARED_DATA, 'mitdb', '100.hea')], { deidentify: true });
    const id = item!.recordId!;
    const m = await buildDataset({ store: t.ctx.store, catalog: t.ctx.catalog, datasetsDir: t.ctx.paths.datasetsDir, appVersion: '0' }, [id], { name: 'd', preset: 'paper', classes: 4, split: 'random', testFraction: 0.2, seed: 1, lead: 'MLII' });
    const arrays = await loadDatasetArrays(t.ctx.store.datasets.find('d')!.path);
    const got = await recordBeats(t.ctx, id, windowForModel(modelWith({})));
    const reference = t.ctx.catalog.referenceBeats(id);
    expect(Array.from(got.samples)).toEqual(reference.map((b) => b.sample));
    expect(got.reference).toEqual(reference.map((b) => b.aami));
    // The dataset skips edge beats (and Q ones): match its beats by R peak.
    const kept = reference.filter((b) => ['N', 'S', 'V', 'F'].includes(b.aami) && b.sample >= 90 && b.sample - 90 + 280 <= 650000);
    expect(kept.length).toBe(m.beats);
    let compared = 0;
    kept.forEach((b, k) => {
      const i = got.samples.indexOf(b.sample);
      expect(got.values.subarray(i * 280, (i + 1) * 280)).toEqual(arrays.values.subarray(k * 280, (k + 1) * 280));
      compared++;
    });
    expect(compared).toBeGreaterThan(2000);

    // The benchmark window resamples 360 → 125 Hz: the padded record must keep the dataset's grid.
    await buildDataset({ store: t.ctx.store, catalog: t.ctx.catalog, datasetsDir: t.ctx.paths.datasetsDir, appVersion: '0' }, [id], { name: 'b', preset: 'benchmark', classes: 4, split: 'random', testFraction: 0.2, seed: 1, lead: 'MLII' });
    const bench = await loadDatasetArrays(t.ctx.store.datasets.find('b')!.path);
    const gotB = await recordBeats(t.ctx, id, windowForModel(modelWith({ inputLength: 187, samplingRate: 125 })));
    const middle = reference.findIndex((b) => b.sample > 325000);
    // This window starts at the R peak, so no beat of record 100 is cut at the start.
    const k = reference.slice(0, middle).filter((b) => ['N', 'S', 'V', 'F'].includes(b.aami)).length;
    const i = gotB.samples.indexOf(reference[middle]!.sample);
    expect(Array.from(gotB.values.subarray(i * 187, (i + 1) * 187))).toEqual(Array.from(bench.values.subarray(k * 187, (k + 1) * 187)));
  }, 60_000);
});
