// The services behind each contract operation. No transport or Electron knowledge here.
import type { Handlers } from './dispatch.ts';
import type { AppContext } from '../app/context.ts';
import { runSelfTest } from '../compute/self-test.ts';

export function createHandlers(ctx: AppContext): Handlers {
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
  };
}
