// Every operation's handler, one file per domain: validation in (dispatch), a service call,
// validation out (dispatch). Each domain also registers the runners of its job kinds.
import type { Handlers } from '../dispatch.ts';
import type { AppContext } from '../context.ts';
import { appHandlers } from './app.ts';
import { jobHandlers } from './jobs.ts';
import { recordHandlers } from './records.ts';
import { datasetHandlers } from './datasets.ts';
import { modelHandlers } from './models.ts';
import { trainingHandlers } from './training.ts';
import { pendingAuditHandlers } from './audits-pending.ts';

export function createHandlers(ctx: AppContext): Handlers {
  return { ...appHandlers(ctx), ...jobHandlers(ctx), ...recordHandlers(ctx), ...datasetHandlers(ctx), ...modelHandlers(ctx), ...trainingHandlers(ctx), ...pendingAuditHandlers() };
}
