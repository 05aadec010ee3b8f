// Models: the registry, evaluation on a dataset, classification of a record and its stored predictions.
import type { DomainHandlers } from '../dispatch.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../../../src-shared/errors.ts';
import { classifyRecord, evaluateModel, recordPredictions } from '../classify.ts';
import { calibrateDetector } from '../calibrate.ts';

type Names = 'models.list' | 'models.setDefault' | 'models.evaluate' | 'models.calibrate' | 'records.classify' | 'records.predictions';

export function modelHandlers(ctx: AppContext): DomainHandlers<Names> {
  ctx.jobs.register('models.evaluate', (input, job) => evaluateModel(ctx, input, job));
  ctx.jobs.register('models.calibrate', async (input, job) => (await calibrateDetector(ctx, input, job)).result);
  ctx.jobs.register('records.classify', (input, job) => classifyRecord(ctx, input, job));
  return {
    'models.list': () => ctx.store.models.list(),
    'models.setDefault': ({ name }) => {
      if (!ctx.store.models.setDefault(name)) throw new AppError('NOT_FOUND', `No registered model named "${name}"`);
      return ctx.store.models.get(name)!;
    },
    'models.evaluate': (input) => ({ jobId: ctx.jobs.start('models.evaluate', input) }),
    'models.calibrate': (input) => ({ jobId: ctx.jobs.start('models.calibrate', input) }),
    'records.classify': (input) => ({ jobId: ctx.jobs.start('records.classify', input) }),
    'records.predictions': ({ record }) => recordPredictions(ctx, record),
  };
}
