// App-wide operations: info, settings, audit log, compute self-test.
import type { DomainHandlers } from '../dispatch.ts';
import type { AppContext } from '../context.ts';
import { runSelfTest } from '../../compute/self-test.ts';

type Names = 'app.info' | 'settings.get' | 'settings.update' | 'audit.list' | 'audit.verify' | 'compute.selfTest';

export function appHandlers(ctx: AppContext): DomainHandlers<Names> {
  ctx.jobs.register('compute.selfTest', async ({ steps }, job) => {
    const result = await runSelfTest({
      steps,
      signal: job.signal,
      onStep: (step, loss) => job.progress((step + 1) / steps, `Step ${step + 1}/${steps}: loss ${loss.toFixed(4)}`, { step: step + 1, loss }),
    });
    job.throwIfCancelled();
    return { backend: result.backend, steps: result.steps, firstLoss: result.firstLoss, lastLoss: result.lastLoss, decreased: result.decreased, msPerStep: result.msPerStep };
  });
  return {
    'app.info': () => {
      const { backend, ...backendDetail } = ctx.compute;
      return {
        name: ctx.meta.productName,
        version: ctx.meta.version,
        backend,
        backendDetail,
        node: process.versions.node,
        electron: process.versions.electron ?? null,
        platform: `${process.platform}-${process.arch}`,
        dataDir: ctx.paths.home,
        dbPath: ctx.paths.dbPath,
      };
    },
    'settings.get': () => ctx.store.settings.get(),
    'settings.update': (patch) => ctx.store.settings.update(patch),
    'audit.list': ({ limit }) => ctx.store.audit.list(limit),
    'audit.verify': () => ctx.store.audit.verify(),
    'compute.selfTest': (input) => ({ jobId: ctx.jobs.start('compute.selfTest', input) }),
  };
}
