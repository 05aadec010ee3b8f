// The app's compute pool, started on first use (TensorFlow.js never loads on the core worker:
// only the pool's workers import the task modules). Size: ECGATK_WORKERS, the computeWorkers
// setting, or one per core.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createComputePool, type ComputePool } from '../compute/pool/index.ts';
import { AppError } from '../../src-shared/errors.ts';
import type { BackendPreference, ComputeInfo } from '../../src-shared/contract/index.ts';
import type { AppTasks } from './compute-tasks.ts';

export interface ComputeService {
  /** Backend and workers (starts the pool unless compute is off). */
  info(): Promise<ComputeInfo>;
  pool(): Promise<ComputePool<AppTasks>>;
  close(): Promise<void>;
}

/** The app's task module: compute-tasks.ts from source, compute-tasks.js beside the bundled core worker. */
function appTaskModule(): URL {
  const here = fileURLToPath(import.meta.url);
  return pathToFileURL(join(dirname(here), here.endsWith('.ts') ? 'compute-tasks.ts' : 'compute-tasks.js'));
}

export interface ComputeOptions {
  backend: BackendPreference;
  /** Pool size from the settings; null: one per core. */
  workers: number | null;
  env: NodeJS.ProcessEnv;
  /** Extra task modules (tests add their own). */
  modules?: readonly (string | URL)[];
}

export function computeService(opts: ComputeOptions | null): ComputeService {
  let pool: Promise<ComputePool<AppTasks>> | null = null;
  const start = (): Promise<ComputePool<AppTasks>> => {
    if (!opts) return Promise.reject(new AppError('CONFLICT', 'Compute is not started in this command'));
    if (!pool) {
      const fromEnv = Number(opts.env.ECGATK_WORKERS);
      const size = Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : (opts.workers ?? undefined);
      pool = createComputePool<AppTasks>({
        modules: [appTaskModule(), ...(opts.modules ?? [])],
        backend: opts.backend,
        size,
        env: opts.env,
      });
      pool.catch(() => (pool = null)); // a failed start is tried again on the next use
    }
    return pool;
  };
  return {
    async info() {
      if (!opts) return { backend: 'cpu', simd: false, workers: 0, tried: ['compute not started'] };
      const p = await start();
      return { backend: p.info.backend, simd: p.info.simd, workers: p.info.workers, tried: p.info.tried };
    },
    pool: start,
    async close() {
      const p = pool;
      pool = null;
      if (p) await (await p.catch(() => null))?.close();
    },
  };
}
