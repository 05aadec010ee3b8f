// Placeholder handlers of the audit operations until the audit engine is merged: the contract
// (contract/audit-ops.ts) and the Reports screen exist already. Without the engine there are no
// audits to list or read; starting or exporting one says plainly that the engine is missing.
// Replaced by the engine's handlers at merge.
import type { DomainHandlers } from '../dispatch.ts';
import { AppError } from '../../../src-shared/errors.ts';

type AuditOp = 'audits.start' | 'audits.resume' | 'audits.rerun' | 'audits.list' | 'audits.get' | 'audits.export';

function missing(): never {
  throw new AppError('INTERNAL', 'The audit engine is not part of this build');
}

export function pendingAuditHandlers(): DomainHandlers<AuditOp> {
  return {
    'audits.start': missing,
    'audits.resume': missing,
    'audits.rerun': missing,
    'audits.list': () => [],
    'audits.get': ({ id }) => {
      throw new AppError('NOT_FOUND', `No audit ${id} (the audit engine is not part of this build)`);
    },
    'audits.export': missing,
  };
}
