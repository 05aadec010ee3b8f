// Placeholder handlers of the audit operations until the audit engine is merged: the contract
// (contract/audit-ops.ts) and the Reports screen exist already, so every call says plainly that
// the engine is missing. Replaced by the engine's handlers/audits.ts at merge.
import type { DomainHandlers } from '../dispatch.ts';
import { AppError } from '../../../src-shared/errors.ts';

type AuditOp = 'audits.start' | 'audits.rerun' | 'audits.list' | 'audits.get' | 'audits.export';

function missing(): never {
  throw new AppError('INTERNAL', 'The audit engine is not part of this build');
}

export function pendingAuditHandlers(): DomainHandlers<AuditOp> {
  return { 'audits.start': missing, 'audits.rerun': missing, 'audits.list': missing, 'audits.get': missing, 'audits.export': missing };
}
