// Attack simulator: one attack on one beat (a compute job), the beats a record offers, saved cases.
import type { DomainHandlers } from '../dispatch.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../../../src-shared/errors.ts';
import { attackBeat, attackableBeats, beatScale } from '../simulator.ts';

type Names = 'attacks.beat' | 'attacks.beats' | 'attacks.beatScale' | 'attacks.cases.save' | 'attacks.cases.list' | 'attacks.cases.get' | 'attacks.cases.delete';

export function simulatorHandlers(ctx: AppContext): DomainHandlers<Names> {
  ctx.jobs.register('attacks.beat', (input, job) => attackBeat(ctx, input, job));
  return {
    'attacks.beat': (input) => ({ jobId: ctx.jobs.start('attacks.beat', input) }),
    'attacks.beats': ({ record }) => attackableBeats(ctx, ctx.catalog.resolve(record)),
    'attacks.beatScale': (input) => beatScale(ctx, input),
    'attacks.cases.save': ({ name, input, result }) => {
      const id = ctx.store.attackCases.insert({ name, createdAt: new Date().toISOString(), input, result });
      return ctx.store.attackCases.list(id)[0]!;
    },
    'attacks.cases.list': () => ctx.store.attackCases.list(),
    'attacks.cases.get': ({ id }) => {
      const c = ctx.store.attackCases.get(id);
      if (!c) throw new AppError('NOT_FOUND', `No saved attack case with id ${id}`);
      return c;
    },
    'attacks.cases.delete': ({ id }) => ({ deleted: ctx.store.attackCases.delete(id) }),
  };
}
