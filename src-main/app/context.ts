// Opens everything the services need, in flow order: paths → store → jobs → records →
// compute. The composition root: the only module that knows every domain.
import { resolvePaths, packageMeta, shippedModelsDir, type AppPaths, type PackageMeta } from '../config/paths.ts';
import { openStore, type Store } from '../store/db.ts';
import { JobManager, type JobManagerOptions } from '../jobs/jobs.ts';
import { RecordCatalog } from '../records/catalog.ts';
import { RecordService } from '../records/service.ts';
import type { BuildContext } from '../datasets/build.ts';
import { computeService, type ComputeService } from './compute.ts';
import { registerModels, type RegisterReport } from '../models/registry.ts';

export interface AppContext {
  paths: AppPaths;
  meta: PackageMeta;
  store: Store;
  jobs: JobManager;
  catalog: RecordCatalog;
  records: RecordService;
  /** The compute pool (TensorFlow.js on worker threads), started on first use. */
  compute: ComputeService;
  /** The dataset services' view of the app. */
  datasets: BuildContext;
  /** What registering the shipped models (models/ or ECGATK_MODELS_DIR) found on start. */
  shippedModels: RegisterReport;
  /** Closes jobs and the database at once; resolves when the compute pool is down. */
  close(): Promise<void>;
}

export interface OpenOptions {
  env?: NodeJS.ProcessEnv;
  /** No compute pool (CLI commands that never compute). */
  withoutCompute?: boolean;
  /** Extra compute task modules (tests). */
  computeModules?: readonly (string | URL)[];
  jobs?: JobManagerOptions;
}

export async function openApp(opts: OpenOptions = {}): Promise<AppContext> {
  const env = opts.env ?? process.env;
  const paths = resolvePaths(env);
  const meta = packageMeta();
  const store = openStore(paths.dbPath);
  try {
    const settings = store.settings.get();
    const compute = computeService(opts.withoutCompute ? null : { backend: settings.backend, workers: settings.computeWorkers, env, modules: opts.computeModules });
    const jobs = new JobManager(store.jobs, opts.jobs);
    const catalog = new RecordCatalog(store);
    const shippedModels = await registerModels(store, shippedModelsDir(env));
    for (const r of shippedModels.refused) process.stderr.write(`model ${r.name} not registered: ${r.reason}\n`);
    return {
      paths,
      meta,
      store,
      jobs,
      catalog,
      records: new RecordService(catalog),
      compute,
      datasets: { store, catalog, datasetsDir: paths.datasetsDir, appVersion: meta.version },
      shippedModels,
      close: () => {
        jobs.close();
        store.close();
        return compute.close();
      },
    };
  } catch (err) {
    store.close();
    throw err;
  }
}
