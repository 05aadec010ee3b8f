// Opens everything the services need, in flow order: paths → store → settings → compute.
import { resolvePaths, packageMeta, type AppPaths, type PackageMeta } from '../config/paths.ts';
import { openStore, type Store } from '../store/db.ts';
import { AuditLog } from '../store/audit.ts';
import { SettingsStore } from '../store/settings.ts';
import { JobManager } from '../jobs/jobs.ts';
import { initCompute, type ComputeInfo } from '../compute/backend.ts';
import { RecordCatalog } from '../records/catalog.ts';

export interface AppContext {
  paths: AppPaths;
  meta: PackageMeta;
  store: Store;
  audit: AuditLog;
  settings: SettingsStore;
  jobs: JobManager;
  catalog: RecordCatalog;
  compute: ComputeInfo;
  close(): void;
}

export interface OpenOptions {
  env?: NodeJS.ProcessEnv;
  /** Skip TensorFlow.js start-up (CLI commands that never compute). */
  withoutCompute?: boolean;
}

export async function openApp(opts: OpenOptions = {}): Promise<AppContext> {
  const paths = resolvePaths(opts.env ?? process.env);
  const meta = packageMeta();
  const store = openStore(paths.dbPath);
  try {
    const audit = new AuditLog(store.db);
    const settings = new SettingsStore(store, audit);
    const compute: ComputeInfo = opts.withoutCompute
      ? { backend: 'cpu', simd: false, threads: 1, tried: ['compute not started'] }
      : await initCompute(settings.get().backend);
    const jobs = new JobManager();
    const catalog = new RecordCatalog(store, audit);
    return { paths, meta, store, audit, settings, jobs, catalog, compute, close: () => store.close() };
  } catch (err) {
    store.close();
    throw err;
  }
}
