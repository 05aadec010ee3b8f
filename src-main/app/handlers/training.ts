// Training: start or resume a run (a compute job), list and read runs.
import type { DomainHandlers } from '../dispatch.ts';
import type { AppContext } from '../context.ts';
import { findRun, runTraining } from '../../training/service.ts';
import { commandLine } from '../../training/engine.ts';

export function trainingHandlers(ctx: AppContext): DomainHandlers<'training.start' | 'training.resume' | 'training.runs' | 'training.get'> {
  ctx.jobs.register('training.run', (params, job) => runTraining({ store: ctx.store, pool: ctx.compute.pool, runsDir: ctx.paths.runsDir }, params, job));
  return {
    'training.start': (input) => ({ jobId: ctx.jobs.start('training.run', input) }),
    'training.resume': ({ run, epochs }) => {
      const r = findRun(ctx.store, run);
      // The card's command must say how the run really ended: the resume with its new limit is appended.
      const patch = epochs === undefined ? undefined : { epochs, command: `${commandLine(r.params)} && ecgatk train --resume ${r.id} --epochs ${epochs}` };
      return { jobId: ctx.jobs.resume(r.jobId, patch).id };
    },
    'training.runs': ({ limit }) => ctx.store.training.list(limit),
    'training.get': ({ id }) => findRun(ctx.store, id),
  };
}
