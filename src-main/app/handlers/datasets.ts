// Datasets: build from catalog records, import heartbeat tables, list.
import type { DomainHandlers } from '../dispatch.ts';
import type { AppContext } from '../context.ts';
import { buildDataset, type DatasetManifest } from '../../datasets/build.ts';
import { importBeatTables } from '../../datasets/table.ts';
import type { DatasetResult } from '../../../src-shared/contract/index.ts';

function datasetResult(m: DatasetManifest): DatasetResult {
  return { id: m.id, name: m.name, beats: m.beats, hash: m.hash, counts: m.counts };
}

export function datasetHandlers(ctx: AppContext): DomainHandlers<'datasets.build' | 'datasets.importCsv' | 'datasets.list'> {
  ctx.jobs.register('datasets.build', async (input, job) =>
    datasetResult(
      await buildDataset(
        ctx.datasets,
        input.recordIds,
        input,
        (done, total, what) => job.progress(done / total, `Segmenting ${what} (${done + 1}/${total})`, { done, total, what }),
        job.signal,
      ),
    ),
  );
  ctx.jobs.register('datasets.importCsv', async (input, job) => {
    const what = input.train ?? input.classFiles!.map((c) => c.path).join(', ');
    job.progress(0, `Reading ${what}`, { done: 0, total: 1, what });
    return datasetResult(await importBeatTables(ctx.datasets, input));
  });
  return {
    'datasets.build': (input) => ({ jobId: ctx.jobs.start('datasets.build', input) }),
    'datasets.importCsv': (input) => ({ jobId: ctx.jobs.start('datasets.importCsv', input) }),
    'datasets.list': () => ctx.store.datasets.list().map(({ sources: _sources, ...summary }) => summary),
  };
}
