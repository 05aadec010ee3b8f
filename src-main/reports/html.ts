// Seam for the report renderer: a plain HTML page with the audit's tables. The full report (charts,
// examples, styling) replaces this file; export calls renderReportHtml(audit) whatever it becomes.
import type { Audit } from '../../src-shared/contract/index.ts';

const esc = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '–' : `${(100 * x).toFixed(2)}%`);

function table(head: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

export function renderReportHtml(audit: Audit): string {
  const p = audit.provenance;
  const cells = table(
    ['model', 'attack', 'ε', 'beats', 'clean accuracy', 'robust accuracy', '95% CI', 'attack success', 'detected', 'defended'],
    audit.cells.map((c) => [c.model, c.label, c.eps, c.beats, pct(c.cleanAccuracy), pct(c.robustAccuracy), `${pct(c.robustAccuracyCi95.low)}–${pct(c.robustAccuracyCi95.high)}`, pct(c.attackSuccessRate), pct(c.detection?.tpr), pct(c.detection?.defendedRate)]),
  );
  const worst = table(
    ['model', 'ε', 'beats', 'worst-case robust accuracy', '95% CI', 'defended'],
    audit.worst.map((w) => [w.model, w.eps, w.beats, pct(w.robustAccuracy), `${pct(w.robustAccuracyCi95.low)}–${pct(w.robustAccuracyCi95.high)}`, pct(w.defendedRate)]),
  );
  const prov = table(
    ['field', 'value'],
    [
      ['dataset', `${p.dataset.name} (${p.dataset.manifestHash})`],
      ...p.models.map((m) => [`model ${m.name}`, `${m.kind}, weights ${m.weightsSha256}, model.json ${m.modelJsonSha256}`]),
      ['source', p.source ? `${p.source.name} (${p.source.weightsSha256})` : '–'],
      ['seed', p.seed],
      ['backend', `${p.backend} (${p.backendVersion}), ${p.workers} worker(s)`],
      ['app', `${p.appVersion}${p.gitCommit ? ` (${p.gitCommit})` : ''}`],
      ['started / finished', `${p.startedAt} / ${p.finishedAt ?? '–'}`],
    ],
  );
  return `<!doctype html><html><head><meta charset="utf-8"><title>Robustness audit ${esc(audit.id)}</title></head><body><h1>Robustness audit ${esc(audit.id)}</h1><p>${esc(audit.dataset)}, ${audit.beats} test beats, suite ${esc(audit.suite)}, ${esc(audit.mode)} mode, status ${esc(audit.status)}</p><h2>Cells</h2>${cells}<h2>Worst case over the suite</h2>${worst}<h2>Provenance</h2>${prov}</body></html>\n`;
}
