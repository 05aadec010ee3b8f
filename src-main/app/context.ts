// Opens everything the services need, in flow order: paths → store → jobs → records →
// compute. The composition root: the only module that knows every domain.
import { resolvePaths, packageMeta, type AppPaths, type PackageMeta } from '../config/paths.ts';
import { openStore, type Store } from '../store/db.ts';
import { JobManager, type JobManagerOptions } from '../jobs/jobs.ts';
import { initCompute } from '../compute/backend.ts';
import { RecordCatalog } from '../records/catalog.ts';
import { RecordService } from '../records/service.ts';
import type { BuildContext } from '../datasets/build.ts';
import type { ComputeInfo } from '../../src-shared/contract/index.ts';

export interface AppContext {
  paths: AppPaths;
  meta: PackageMeta;
  store: Store;
  jobs: JobManager;
  catalog: RecordCatalog;
  records: RecordService;
  compute: ComputeInfo;
  /** The dataset services' view of the app. */
  datasets: BuildContext;
  close(): void;
}

export interface OpenOptions {
  env?: NodeJS.ProcessEnv;
  /** Skip TensorFlow.js start-up (CLI commands that never compute). */
  withoutCompute?: boolean;
  jobs?: JobManagerOptions;
}

export async function openApp(opts: OpenOptions = {}): Promise<AppContext> {
  const paths = resolvePaths(opts.env ?? process.env);
  const meta = packageMeta();
  const store = openStore(paths.dbPath);
  try {
    const backend = opts.withoutCompute ? { backend: 'cpu' as const, simd: false, tried: ['compute not started'] } : await initCompute(store.settings.get().backend);
    const compute: ComputeInfo = { ...backend, workers: 1 };
    const jobs = new JobManager(store.jobs, opts.jobs);
    const catalog = new RecordCatalog(store);
    return {
      paths,
      meta,
      store,
      jobs,
      catalog,
      records: new RecordService(catalog),
      compute,
      datasets: { store, catalog, datasetsDir: paths.datasetsDir, appVersion: meta.version },
      close: () => {
        jobs.close();
        store.close();
      },
    };
  } catch (err) {
    store.close();
    throw err;
  }
}
