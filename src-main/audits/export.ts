// Exporting an audit: one function per format. CSV and JSON are written here; HTML and PDF come
// from the report renderer (reports/html.ts, reports/pdf.ts). Every export goes to the audit log.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import type { Audit, REPORT_FORMATS } from '../../src-shared/contract/index.ts';
import type { Store } from '../store/db.ts';
import { renderReportHtml } from '../reports/html.ts';
import { printPdf } from '../reports/pdf.ts';

export type ReportFormat = (typeof REPORT_FORMATS)[number];

const CSV_COLUMNS = [
  'row', 'model', 'attack', 'label', 'eps', 'beats', 'clean_accuracy', 'robust_accuracy', 'robust_ci95_low', 'robust_ci95_high', 'attack_success_rate',
  'l2_mean', 'l2_median', 'l2_max', 'linf_mean', 'linf_median', 'linf_max', 'snr_db_mean', 'snr_db_median', 'queries_mean', 'queries_max',
  'detection_tpr', 'detection_fpr', 'defended_rate', 'undetected_misclassified', 'seconds',
] as const;

function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per grid cell, then one per worst case (row = "worst", attack = "worst-case"); empty fields where a figure does not apply. */
export function auditCsv(a: Audit): string {
  const rows: Record<(typeof CSV_COLUMNS)[number], unknown>[] = [
    ...a.cells.map((c) => ({
      row: 'cell', model: c.model, attack: c.attack, label: c.label, eps: c.eps, beats: c.beats, clean_accuracy: c.cleanAccuracy, robust_accuracy: c.robustAccuracy,
      robust_ci95_low: c.robustAccuracyCi95.low, robust_ci95_high: c.robustAccuracyCi95.high, attack_success_rate: c.attackSuccessRate,
      l2_mean: c.l2.mean, l2_median: c.l2.median, l2_max: c.l2.max, linf_mean: c.linf.mean, linf_median: c.linf.median, linf_max: c.linf.max,
      snr_db_mean: c.snrDb.mean, snr_db_median: c.snrDb.median, queries_mean: c.queries?.mean, queries_max: c.queries?.max,
      detection_tpr: c.detection?.tpr, detection_fpr: c.detection?.fpr, defended_rate: c.detection?.defendedRate, undetected_misclassified: c.detection?.undetectedMisclassified, seconds: c.seconds,
    })),
    ...a.worst.map((w) => ({
      row: 'worst', model: w.model, attack: 'worst-case', label: 'worst case', eps: w.eps, beats: w.beats, clean_accuracy: a.clean.find((c) => c.model === w.model)?.accuracy,
      robust_accuracy: w.robustAccuracy, robust_ci95_low: w.robustAccuracyCi95.low, robust_ci95_high: w.robustAccuracyCi95.high, defended_rate: w.defendedRate,
    } as Record<(typeof CSV_COLUMNS)[number], unknown>)),
  ];
  return `${[CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((k) => csvField(r[k])).join(','))].join('\n')}\n`;
}

const WRITERS: Record<ReportFormat, (a: Audit, out: string) => Promise<void>> = {
  csv: (a, out) => writeFile(out, auditCsv(a)),
  json: (a, out) => writeFile(out, `${JSON.stringify(a, null, 2)}\n`),
  html: (a, out) => writeFile(out, renderReportHtml(a)),
  pdf: (a, out) => printPdf(renderReportHtml(a), out),
};

/** Writes the audit in `format` to `out` (default `<reports folder>/audit-<id>.<format>`) and logs it. */
export async function exportAudit(store: Store, audit: Audit, format: ReportFormat, reportsDir: string, out?: string): Promise<{ path: string; bytes: number; format: ReportFormat }> {
  const path = out ? resolve(out) : join(reportsDir, `audit-${audit.id.slice(0, 8)}.${format}`);
  await mkdir(dirname(path), { recursive: true });
  await WRITERS[format](audit, path);
  const written = await readFile(path);
  store.audit.append('audit.export', { id: audit.id, format, path, bytes: written.length, sha256: createHash('sha256').update(written).digest('hex') });
  return { path, bytes: written.length, format };
}
