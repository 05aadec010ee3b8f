// Audits: start or re-run one (a resumable compute job), list, read, compare and export them.
import type { DomainHandlers } from '../dispatch.ts';
import type { AppContext } from '../context.ts';
import { attackOnPool } from '../attack-runner.ts';
import { appRoot } from '../../config/paths.ts';
import { compareAudits, findAudit, getAudit, listAudits, runAudit, type AuditDeps } from '../../audits/service.ts';
import { exportAudit } from '../../audits/export.ts';
import { AuditInput } from '../../../src-shared/contract/index.ts';
import { AppError } from '../../../src-shared/errors.ts';

type Names = 'audits.start' | 'audits.resume' | 'audits.rerun' | 'audits.list' | 'audits.get' | 'audits.compare' | 'audits.export';

export function auditHandlers(ctx: AppContext): DomainHandlers<Names> {
  const deps: AuditDeps = {
    store: ctx.store,
    attack: (o) => attackOnPool(ctx, o),
    compute: async () => {
      const p = await ctx.compute.pool();
      return { backend: p.info.backend, workers: p.info.workers };
    },
    appVersion: ctx.meta.version,
    appRoot: appRoot(),
  };
  ctx.jobs.register('audits.run', (params, job) => runAudit(deps, params, job));
  return {
    'audits.start': (input) => ({ jobId: ctx.jobs.start('audits.run', { input, rerunOf: null, suiteSpecs: null }) }),
    'audits.resume': ({ id }) => {
      const row = findAudit(ctx.store, id);
      if (!row.jobId) throw new AppError('CONFLICT', `Audit ${row.id} has no job to resume`);
      return { jobId: ctx.jobs.resume(row.jobId).id };
    },
    'audits.rerun': ({ id }) => {
      const row = findAudit(ctx.store, id);
      // A file suite re-runs the specs it was read as, not what the file holds now.
      return { jobId: ctx.jobs.start('audits.run', { input: AuditInput.parse(row.input), rerunOf: row.id, suiteSpecs: row.suiteSpecs.length ? row.suiteSpecs : null }) };
    },
    'audits.list': ({ limit }) => listAudits(ctx.store, limit),
    'audits.get': ({ id }) => getAudit(ctx.store, id),
    'audits.compare': ({ id, with: other }) => compareAudits(ctx.store, id, other),
    'audits.export': ({ id, format, out }) => exportAudit(ctx.store, getAudit(ctx.store, id), format, ctx.paths.reportsDir, out),
  };
}
