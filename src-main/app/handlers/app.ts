// App-wide operations: info, settings, audit log, compute self-test.
import type { DomainHandlers } from '../dispatch.ts';
import type { AppContext } from '../context.ts';

type Names = 'app.info' | 'settings.get' | 'settings.update' | 'audit.list' | 'audit.verify' | 'dialog.openPaths' | 'compute.selfTest';

export function appHandlers(ctx: AppContext): DomainHandlers<Names> {
  ctx.jobs.register('compute.selfTest', async ({ steps }, job) => {
    const pool = await ctx.compute.pool();
    const result = await pool.run('compute.selfTest', { steps }, { signal: job.signal, onProgress: (p) => job.progress(p.step / steps, `Step ${p.step}/${steps}: loss ${p.loss.toFixed(4)}`, p) });
    job.throwIfCancelled();
    return result;
  });
  return {
    'app.info': async () => {
      const { backend, ...backendDetail } = await ctx.compute.info();
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
    // The Electron shell answers this op itself (src-main/electron/local-ops.ts); the core has no dialog.
    'dialog.openPaths': () => ({ available: false, paths: [] }),
    'compute.selfTest': (input) => ({ jobId: ctx.jobs.start('compute.selfTest', input) }),
  };
}
