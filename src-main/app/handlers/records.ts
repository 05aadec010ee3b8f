// Records: import jobs, the catalog, windows and annotations.
import type { DomainHandlers } from '../dispatch.ts';
import type { AppContext } from '../context.ts';
import { importPaths } from '../../records/import.ts';
import { samplesDir } from '../../config/paths.ts';
import { rhythmLabelsByRecord } from '../../records/rhythm-labels.ts';
import { checkImportPath } from '../../records/check-paths.ts';

type Names =
  | 'records.import'
  | 'records.importSamples'
  | 'records.list'
  | 'records.get'
  | 'records.resolve'
  | 'records.rhythms'
  | 'records.checkPaths'
  | 'records.window'
  | 'records.samples'
  | 'records.overview'
  | 'records.findBeat'
  | 'records.episodes'
  | 'records.annotations';

export function recordHandlers(ctx: AppContext): DomainHandlers<Names> {
  ctx.jobs.register('records.import', async ({ paths, deidentify, annotator, csvFrequency }, job) =>
    importPaths(ctx.catalog, paths, {
      deidentify: deidentify ?? ctx.store.settings.get().deidentifyOnImport,
      annotator,
      csvFrequency,
      signal: job.signal,
      onProgress: (done, total, path) => job.progress(total ? done / total : 1, path ? `Importing ${done + 1}/${total}: ${path}` : 'Finishing', { done, total, path }),
    }),
  );
  return {
    'records.import': (input) => ({ jobId: ctx.jobs.start('records.import', input) }),
    'records.importSamples': () => ({ jobId: ctx.jobs.start('records.import', { paths: [samplesDir()] }) }),
    'records.list': () => ctx.catalog.list(),
    'records.get': ({ id }) => ctx.catalog.get(id),
    'records.resolve': ({ ref }) => ctx.catalog.resolve(ref),
    'records.rhythms': () => rhythmLabelsByRecord(ctx.store),
    'records.checkPaths': ({ paths }) => Promise.all(paths.map((p) => checkImportPath(p))),
    'records.window': ({ id, from, to, leads }) => ctx.records.window(id, from, to, leads),
    'records.samples': ({ id, from, to, signals, physical }) => ctx.records.samples(id, from, to, signals, physical),
    'records.overview': ({ id, lead, columns }) => ctx.records.overview(id, lead, columns),
    'records.findBeat': ({ id, from, direction, aami, symbol }) => ctx.catalog.findBeat({ recordId: id, from, direction, aami, symbol }),
    'records.episodes': ({ id }) => ctx.records.episodes(id),
    'records.annotations': ({ id, from, to, annotator }) => (annotator ? ctx.records.annotationsOf(id, annotator, from, to) : ctx.catalog.annotationsBetween(id, from, to)),
  };
}
