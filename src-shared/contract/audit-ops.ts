// Operations of robustness audits (the shapes live in audits.ts): start or re-run an audit as a
// job, list and read audits, and export one as a report file. zod only.
import { z } from 'zod';
import { job, op, StringId } from './define.ts';
import { Audit, AuditInput, AuditSummary, ReportExportInput, ReportExportResult } from './audits.ts';

export const auditOps = {
  'audits.start': job(AuditInput, 'Run a robustness audit (models × attacks × ε over a dataset’s test split) on the compute pool.'),
  'audits.resume': job(StringId, 'Continue an interrupted, failed or cancelled audit (same job) after its last stored cell.'),
  'audits.rerun': job(StringId, 'Run an audit again with the stored input of an earlier one (same seed, same beats).'),
  'audits.list': op(z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(), z.array(AuditSummary), 'Audits, newest first.'),
  'audits.get': op(StringId, Audit, 'One audit with every figure, its examples and provenance.'),
  'audits.export': op(ReportExportInput, ReportExportResult, 'Write an audit as a report file: self-contained HTML, PDF, CSV of the grid, or JSON.'),
};
