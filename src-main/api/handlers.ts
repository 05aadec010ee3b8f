// The services behind each contract operation. No transport or Electron knowledge here.
import type { Handlers } from './dispatch.ts';
import type { AppContext } from '../app/context.ts';
import { runSelfTest } from '../compute/self-test.ts';
import { importPaths } from '../records/import.ts';
import { loadRecord, type LoadedRecord } from '../records/sources.ts';
import { buildContextOf, buildDataset, listDatasets, type DatasetManifest } from '../datasets/build.ts';
import { importBeatTables } from '../datasets/table.ts';
import { samplesDir } from '../config/paths.ts';
import { heartRateSeries, summariseRecord, type ColumnExtremes } from '../records/overview.ts';
import { findBeat } from '../records/navigation.ts';
import { rhythmEpisodes } from '../records/rhythms.ts';
import type { RecordOverview } from './contract.ts';

/** What a dataset job reports when it finishes. */
function datasetResult(m: DatasetManifest): { id: string; name: string; beats: number; hash: string; counts: DatasetManifest['counts'] } {
  return { id: m.id, name: m.name, beats: m.beats, hash: m.hash, counts: m.counts };
}

/** Small cache of opened source files so paging through a record does not re-open it. */
function recordCache(): (path: string) => Promise<LoadedRecord> {
  const cache = new Map<string, Promise<LoadedRecord>>();
  return (path) => {
    let hit = cache.get(path);
    if (!hit) {
      hit = loadRecord(path, { verify: false });
      hit.catch(() => cache.delete(path));
      cache.set(path, hit);
      while (cache.size > 8) cache.delete(cache.keys().next().value!);
    }
    return hit;
  };
}

export function createHandlers(ctx: AppContext): Handlers {
  const open = recordCache();
  // Overview summaries per record content and column count (a re-import changes the hash); small.
  const summaries = new Map<string, Promise<ColumnExtremes[]>>();
  const summary = (rec: { sourcePath: string; contentHash: string; numFrames: number }, columns: number): Promise<ColumnExtremes[]> => {
    const key = `${rec.contentHash}:${columns}`;
    let hit = summaries.get(key);
    if (!hit) {
      hit = open(rec.sourcePath).then((l) => summariseRecord(l, rec.numFrames, columns));
      hit.catch(() => summaries.delete(key));
      summaries.set(key, hit);
      while (summaries.size > 16) summaries.delete(summaries.keys().next().value!);
    }
    return hit;
  };
  const startImport = (paths: string[], deidentify: boolean, csvFrequency?: number): { jobId: string } => ({
    jobId: ctx.jobs.start('records.import', async (job) =>
      importPaths(ctx.catalog, paths, {
        deidentify,
        csvFrequency,
        signal: job.signal,
        onProgress: (done, total, path) => job.progress(total ? done / total : 1, path ? `Importing ${done + 1}/${total}: ${path}` : 'Finishing'),
      }),
    ),
  });
  return {
    'app.info': () => ({
      name: ctx.meta.productName,
      version: ctx.meta.version,
      backend: ctx.compute.backend,
      backendDetail: { simd: ctx.compute.simd, threads: ctx.compute.threads, tried: ctx.compute.tried },
      node: process.versions.node,
      electron: process.versions.electron ?? null,
      platform: `${process.platform}-${process.arch}`,
      dataDir: ctx.paths.home,
      dbPath: ctx.paths.dbPath,
    }),
    'settings.get': () => ctx.settings.get(),
    'settings.update': (patch) => ctx.settings.update(patch),
    'audit.list': ({ limit }) => ctx.audit.list(limit),
    'audit.verify': () => ctx.audit.verify(),
    'jobs.list': () => ctx.jobs.list(),
    'jobs.get': ({ id }) => ctx.jobs.get(id),
    'jobs.cancel': ({ id }) => ctx.jobs.cancel(id),
    'records.import': ({ paths, deidentify, csvFrequency }) => startImport(paths, deidentify ?? ctx.settings.get().deidentifyOnImport, csvFrequency),
    'records.importSamples': () => startImport([samplesDir()], ctx.settings.get().deidentifyOnImport),
    'records.list': () => ctx.catalog.list(),
    'records.get': ({ id }) => ctx.catalog.get(id),
    'records.window': async ({ id, from, to, leads }) => {
      const rec = ctx.catalog.get(id);
      const end = Math.min(to, rec.numFrames);
      const chosen = leads ?? rec.leads.map((_, i) => i);
      const loaded = await open(rec.sourcePath);
      const data = await loaded.readWindow(Math.min(from, end), end, chosen);
      return {
        recordId: id,
        from,
        to: end,
        frequency: rec.frequency,
        leads: chosen.map((l, k) => ({ index: l, ...rec.leads[l]!, values: Array.from(data[k]!, (v) => (Number.isFinite(v) ? Math.round(v * 1e5) / 1e5 : null)) })),
      };
    },
    'records.annotations': ({ id, from, to }) => ctx.catalog.annotationsBetween(id, from, to),
    'datasets.build': (input) => ({
      jobId: ctx.jobs.start('datasets.build', async (job) => {
        const m = await buildDataset(
          buildContextOf(ctx),
          input.recordIds,
          input,
          (done, total, what) => job.progress(done / total, `Segmenting ${what} (${done + 1}/${total})`),
          job.signal,
        );
        return datasetResult(m);
      }),
    }),
    'datasets.importCsv': (input) => ({
      jobId: ctx.jobs.start('datasets.importCsv', async (job) => {
        job.progress(0, `Reading ${input.train}`);
        const m = await importBeatTables(buildContextOf(ctx), input);
        return datasetResult(m);
      }),
    }),
    'datasets.list': () =>
      listDatasets(ctx.store).map((m) => ({
        id: m.id,
        name: m.name,
        createdAt: m.createdAt,
        hash: m.hash,
        beats: m.beats,
        beatLength: m.beatLength,
        classes: m.classes,
        counts: m.counts,
        classWeights: m.classWeights,
        params: m.params as unknown as Record<string, unknown>,
      })),
    'compute.selfTest': ({ steps }) => {
      const jobId = ctx.jobs.start('compute.selfTest', async (job) => {
        const result = await runSelfTest({
          steps,
          signal: job.signal,
          onStep: (step, loss) => job.progress((step + 1) / steps, `Step ${step + 1}/${steps}: loss ${loss.toFixed(4)}`),
        });
        job.throwIfCancelled();
        return { backend: result.backend, steps: result.steps, firstLoss: result.firstLoss, lastLoss: result.lastLoss, decreased: result.decreased, msPerStep: result.msPerStep };
      });
      return { jobId };
    },
    // --- viewer ops ---
    'records.overview': async ({ id, lead, columns }): Promise<RecordOverview> => {
      const rec = ctx.catalog.get(id);
      const leads = await summary(rec, columns);
      const l = Math.min(lead, rec.leads.length - 1);
      const { min, max } = leads[l]!;
      const beats = ctx.catalog.annotationsBetween(id, 0, rec.numFrames, 1_000_000).filter((a) => a.aami !== null || a.source === 'detector');
      const hr = heartRateSeries(beats.map((b) => b.sample), rec.frequency);
      const num = (v: number): number | null => (Number.isFinite(v) ? v : null);
      return {
        recordId: id,
        lead: l,
        framesPerColumn: rec.numFrames / min.length,
        min: Array.from(min, num),
        max: Array.from(max, num),
        ranges: rec.leads.map((info, i) => ({ index: i, name: info.name, ...leads[i]!.range() })),
        marks: beats.flatMap((b) => (b.aami && b.aami !== 'N' ? [{ sample: b.sample, symbol: b.symbol, aami: b.aami }] : [])),
        heartRate: { samples: hr.map((h) => h.sample), bpm: hr.map((h) => Math.round(h.bpm * 10) / 10) },
      };
    },
    'records.findBeat': ({ id, from, direction, aami, symbol }) => findBeat(ctx.store, { recordId: id, from, direction, aami, symbol }),
    'records.episodes': ({ id }) => {
      const rec = ctx.catalog.get(id);
      return rhythmEpisodes(ctx.catalog.annotationsBetween(id, 0, rec.numFrames, 1_000_000), rec.numFrames);
    },
  };
}
