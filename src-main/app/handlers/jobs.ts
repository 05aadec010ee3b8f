// Jobs: list, inspect, cancel and resume (runners are registered by each domain's handlers).
import type { DomainHandlers } from '../dispatch.ts';
import type { AppContext } from '../context.ts';

export function jobHandlers(ctx: AppContext): DomainHandlers<'jobs.list' | 'jobs.get' | 'jobs.cancel' | 'jobs.resume'> {
  return {
    'jobs.list': ({ limit }) => ctx.jobs.list(limit),
    'jobs.get': ({ id }) => ctx.jobs.get(id),
    'jobs.cancel': ({ id }) => ctx.jobs.cancel(id),
    'jobs.resume': ({ id }) => ctx.jobs.resume(id),
  };
}
