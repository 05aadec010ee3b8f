// Cancelling a classification stops it between rounds of shards and stores nothing; a finished one
// replaces the record's predictions as a whole.
import { describe, it, expect, afterAll } from 'vitest';
import { join } from 'node:path';
import { tempDir, SHARED_DATA } from '../../helpers.ts';
import { openApp } from '../../../src-main/app/context.ts';
import { importPaths } from '../../../src-main/records/import.ts';
import { initCompute } from '../../../src-main/compute/backend.ts';
import { buildModel } from '../../../src-main/models/architectures.ts';
import { saveModel } from '../../../src-main/models/io.ts';
import { createHandlers } from '../../../src-main/app/handlers/index.ts';

const home = tempDir();
const models = tempDir('ecgatk-models-');
afterAll(() => {
  home.cleanup();
  models.cleanup();
});

describe('records.classify job', () => {
  it('cancel after the first round stores nothing; a full run stores one prediction per beat', async () => {
    await initCompute('wasm');
    const model = buildModel('dcnn', { length: 280, classes: 4, seed: 5 });
    await saveModel(join(models.path, 'dcnn-small'), model, {
      kind: 'dcnn', inputLength: 280, samplingRate: 360, normalisation: 'minmax', classes: ['N', 'S', 'V', 'F'], datasetHash: null,
      seed: 5, epochs: 0, trainingCommand: 'test fixture', backend: 'wasm', wallTimeSeconds: 0, metrics: {}, createdAt: new Date(0).toISOString(),
    });
    model.dispose();
    const ctx = await openApp({ env: { ...process.env, ECGATK_HOME: home.path, ECGATK_MODELS_DIR: models.path, ECGATK_WORKERS: '1' } });
    try {
      expect(ctx.shippedModels).toEqual({ registered: ['dcnn-small'], refused: [], madeDefault: 'dcnn-small' });
      const handlers = createHandlers(ctx);
      const [item] = await importPaths(ctx.catalog, [join(SHARED_DATA, 'mitdb', '100.hea')], { deidentify: true });
      const record = String(item!.recordId!);

      const { jobId } = await handlers['records.classify']({ record });
      const off = ctx.jobs.onChange((s) => {
        if (s.id === jobId && s.kind === 'records.classify' && (s.metrics?.done ?? 0) > 0) ctx.jobs.cancel(jobId);
      });
      const end = await ctx.jobs.wait(jobId);
      off();
      expect(end.state).toBe('cancelled');
      expect((await handlers['records.predictions']({ record })).predictions).toEqual([]);

      const { jobId: again } = await handlers['records.classify']({ record, model: 'dcnn-small' });
      const done = await ctx.jobs.wait(again);
      expect(done.state).toBe('succeeded');
      const stored = await handlers['records.predictions']({ record });
      expect(stored.predictions.length).toBe(ctx.catalog.referenceBeats(item!.recordId!).length);
      expect(stored.predictions.every((p) => p.attacked === null)).toBe(true); // not an ATK-GAN
      expect(stored.summary!.confusion.flat().reduce((a, b) => a + b, 0)).toBe(stored.predictions.filter((p) => p.reference !== 'Q').length);
    } finally {
      await ctx.close();
    }
  }, 60_000);
});
