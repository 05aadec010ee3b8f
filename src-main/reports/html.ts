// An audit as ONE self-contained HTML page: inline CSS, charts rendered here to inline SVG with
// ECharts' server-side renderer, no script and nothing fetched, so the file can be mailed,
// archived or printed (A4, page breaks between sections) and still show every figure.
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { Audit, AuditCell, AuditExample, WorstCase } from '../../src-shared/contract/audits.ts';
import {
  ECG_PAPER,
  ciText,
  confusionShade,
  epsOf,
  fewBeatsCaveat,
  fmtNum,
  fmtEps,
  isWide,
  labelsOf,
  macroF1,
  detectionCaption,
  modelsOf,
  overlayGeometry,
  pct,
  robustCurveOption,
  strongestCell,
  suiteText,
  worstAt,
  worstCaseOption,
  type ChartSpec,
  type Interval,
} from '../../src-shared/report.ts';

echarts.use([LineChart, GridComponent, LegendComponent, SVGRenderer]);

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or attribute value made inert: every string of the report passes through here. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** One chart as an inline SVG string (no animation, no DOM). */
function svgChart(option: ChartSpec, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    // Static SVG: no tooltip component (it would only warn that it is not loaded).
    const { tooltip: _interactive, ...still } = option;
    chart.setOption(still);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

interface Column<R> {
  head: string;
  num?: boolean;
  cell: (row: R) => string;
}

/** A table of escaped cells; `cell` returns markup, so callers escape what they put in. */
function table<R>(rows: readonly R[], columns: readonly Column<R>[], caption: string, cls = ''): string {
  const head = columns.map((c) => `<th scope="col"${c.num ? ' class="num"' : ''}>${esc(c.head)}</th>`).join('');
  const body = rows.map((r) => `<tr>${columns.map((c) => `<td${c.num ? ' class="num"' : ''}>${c.cell(r)}</td>`).join('')}</tr>`).join('\n');
  return `<div class="scroll"><table class="${cls}"><caption>${esc(caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

/** Robust accuracy and its 95% interval as two columns, flagged with a dagger when the interval is wide. */
function robustColumns<R extends { robustAccuracy: number; robustAccuracyCi95: Interval }>(): Column<R>[] {
  const flag = (r: R): string => (isWide(r.robustAccuracyCi95) ? '<span class="wide" title="few beats">&#8201;†</span>' : '');
  return [
    { head: 'Robust acc.', num: true, cell: (r) => `${esc(pct(r.robustAccuracy))}${flag(r)}` },
    { head: '95% CI', num: true, cell: (r) => esc(ciText(r.robustAccuracyCi95)) },
  ];
}

const STYLE = `
:root { color-scheme: light; --ink: #17202b; --muted: #5b6675; --line: #d5dbe3; --accent: #1565c0; }
* { box-sizing: border-box; }
body { font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0 auto; max-width: 1100px; padding: 24px 28px 48px; background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--ink); }
h3 { font-size: 14px; margin: 16px 0 6px; }
p.sub, .muted { color: var(--muted); }
.caveat { border-left: 4px solid #e0a100; background: #fff8e1; padding: 6px 10px; margin: 10px 0; }
.status { border-left: 4px solid #c62828; background: #fff1f0; padding: 6px 10px; margin: 10px 0; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 14px; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 4px 0; caption-side: top; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #eef1f5; font-weight: 600; }
/* A table wider than the window scrolls on its own instead of being cut at the page edge. */
.scroll { overflow-x: auto; }
td.num, th.num { text-align: right; }
td.num, td:first-child { white-space: nowrap; }
small { color: var(--muted); font-size: 11px; }
.wide { color: #8a5a00; }
table.confusion { width: auto; }
table.confusion td { text-align: right; min-width: 46px; }
table.confusion th[scope="row"] { background: #eef1f5; }
.matrices { display: flex; flex-wrap: wrap; gap: 4px 24px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(470px, 1fr)); gap: 8px 20px; }
figure { margin: 0 0 10px; break-inside: avoid; }
figcaption { color: var(--muted); font-size: 12px; }
svg { max-width: 100%; height: auto; }
.examples { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 10px 20px; }
.legend-clean { color: ${ECG_PAPER.clean}; font-weight: 600; }
.legend-attacked { color: ${ECG_PAPER.attacked}; font-weight: 600; }
dl.prov { display: grid; grid-template-columns: 180px 1fr; gap: 3px 12px; margin: 0; }
dl.prov dt { color: var(--muted); }
dl.prov dd { margin: 0; }
code, .hash { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: 11.5px; word-break: break-all; }
footer { margin-top: 32px; color: var(--muted); font-size: 11px; border-top: 1px solid var(--line); padding-top: 6px; }
@page { size: A4; margin: 12mm; }
@media print {
  body { padding: 0; max-width: none; font-size: 10.5px; }
  h2 { break-after: avoid; }
  section.page { break-before: page; }
  table { break-inside: auto; font-size: 9.5px; }
  .scroll { overflow: visible; }
  th, td { padding: 2px 4px; }
  thead { display: table-header-group; }
  tr, figure, .matrices > table { break-inside: avoid; }
  .charts { grid-template-columns: 1fr 1fr; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

function keyFigures(audit: Audit, models: string[], eps: number[]): string {
  const cols: Column<string>[] = [
    { head: 'Model', cell: (m) => `<strong>${esc(m)}</strong>` },
    { head: 'Clean accuracy', num: true, cell: (m) => esc(pct(audit.clean.find((c) => c.model === m)?.accuracy)) },
    ...eps.map(
      (e): Column<string> => ({
        head: `Worst case, ε = ${fmtEps(e)}`,
        num: true,
        cell: (m) => {
          const w = worstAt(audit, m, e);
          if (!w) return '—';
          const defended = w.defendedRate === null ? '' : `<br><small>defended ${esc(pct(w.defendedRate))}</small>`;
          return `<strong${isWide(w.robustAccuracyCi95) ? ' class="wide"' : ''}>${esc(pct(w.robustAccuracy))}${isWide(w.robustAccuracyCi95) ? '&#8201;†' : ''}</strong><br><small>CI ${esc(ciText(w.robustAccuracyCi95))}</small>${defended}`;
        },
      }),
    ),
  ];
  return table(models, cols, 'Key figures: clean accuracy, and robust accuracy when every attack of the suite held to that ε (all but the paper’s C&W at 10·ε) is tried on each beat (with its 95% CI; “defended”: right or flagged as attacked)');
}

function robustTable(audit: Audit): string {
  // One beat count for the whole grid goes in the caption, so the table fits a page.
  const beats = new Set(audit.cells.map((c) => c.beats));
  const cols: Column<AuditCell>[] = [
    { head: 'Model', cell: (c) => esc(c.model) },
    { head: 'Attack', cell: (c) => esc(c.label) },
    { head: 'ε', num: true, cell: (c) => esc(fmtEps(c.eps)) },
    ...(beats.size > 1 ? [{ head: 'Beats', num: true, cell: (c: AuditCell) => esc(c.beats) }] : []),
    { head: 'Clean acc.', num: true, cell: (c) => esc(pct(c.cleanAccuracy)) },
    ...robustColumns<AuditCell>(),
    { head: 'Attack success', num: true, cell: (c) => esc(pct(c.attackSuccessRate)) },
    { head: 'L∞ mean', num: true, cell: (c) => esc(fmtNum(c.linf.mean, 4)) },
    { head: 'L2 mean', num: true, cell: (c) => esc(fmtNum(c.l2.mean, 3)) },
    { head: 'SNR dB', num: true, cell: (c) => esc(fmtNum(c.snrDb.mean, 1)) },
    { head: 'Queries', num: true, cell: (c) => (c.queries ? `${esc(String(Math.round(c.queries.mean)))}<br><small>max ${esc(String(c.queries.max))}</small>` : '—') },
    { head: 'Time s', num: true, cell: (c) => esc(c.seconds.toFixed(1)) },
  ];
  return table(audit.cells, cols, `Robust accuracy per model, attack and ε${beats.size === 1 ? ` (${[...beats][0]} beats each)` : ''}`);
}

function worstTable(audit: Audit): string {
  return table(
    audit.worst,
    [
      { head: 'Model', cell: (w) => esc(w.model) },
      { head: 'ε', num: true, cell: (w) => esc(fmtEps(w.eps)) },
      { head: 'Beats', num: true, cell: (w) => esc(w.beats) },
      ...robustColumns<WorstCase>(),
      { head: 'Defended (right or flagged)', num: true, cell: (w) => esc(pct(w.defendedRate)) },
    ],
    'Worst case per ε: a beat counts as robust only if every attack of the suite failed on it',
  );
}

function perClassTable(audit: Audit): string {
  type Row = { model: string; condition: string; perClass: AuditCell['perClass'] };
  const rows: Row[] = modelsOf(audit).flatMap((m) => [
    ...audit.clean.filter((c) => c.model === m).map((c) => ({ model: m, condition: 'clean', perClass: c.perClass })),
    ...audit.cells.filter((c) => c.model === m).map((c) => ({ model: m, condition: `${c.label}, ε = ${fmtEps(c.eps)}`, perClass: c.perClass })),
  ]);
  return table(
    rows,
    [
      { head: 'Model', cell: (r) => esc(r.model) },
      { head: 'Beats', cell: (r) => esc(r.condition) },
      ...audit.classes.map((k): Column<Row> => ({ head: `F1 ${k}`, num: true, cell: (r) => (r.perClass[k] ? esc(r.perClass[k].f1.toFixed(3)) : '—') })),
      { head: 'Macro-F1', num: true, cell: (r) => esc(macroF1(r.perClass)?.toFixed(3) ?? '—') },
    ],
    'Per-class F1 on clean and on attacked beats',
  );
}

function detectionTable(audit: Audit): string {
  const cells = audit.cells.filter((c) => c.detection !== null);
  if (cells.length === 0) return '<p class="muted">No audited model has an attacked/clean head (only ECG-ATK-GAN discriminators do), so there are no detection figures.</p>';
  return table(
    cells,
    [
      { head: 'Model', cell: (c) => esc(c.model) },
      { head: 'Attack', cell: (c) => esc(c.label) },
      { head: 'ε', num: true, cell: (c) => esc(fmtEps(c.eps)) },
      { head: 'Beats', num: true, cell: (c) => esc(c.beats) },
      { head: 'TPR (attacked flagged)', num: true, cell: (c) => esc(pct(c.detection?.tpr)) },
      { head: 'FPR (clean flagged)', num: true, cell: (c) => esc(pct(c.detection?.fpr)) },
      { head: 'Defended', num: true, cell: (c) => esc(pct(c.detection?.defendedRate)) },
      { head: 'Undetected & misclassified', num: true, cell: (c) => esc(pct(c.detection?.undetectedMisclassified)) },
    ],
    detectionCaption(cells),
  );
}

function confusionTable(matrix: readonly (readonly number[])[], classes: readonly string[], caption: string): string {
  const head = classes.map((k) => `<th scope="col" class="num">${esc(k)}</th>`).join('');
  const body = classes
    .map((t, i) => {
      const cells = classes
        .map((_, j) => {
          const s = confusionShade(matrix, i, j);
          const fg = s > 0.55 ? '#fff' : 'inherit';
          return `<td style="background: rgba(21, 101, 192, ${s.toFixed(3)}); color: ${fg}">${esc(matrix[i]?.[j] ?? 0)}</td>`;
        })
        .join('');
      return `<tr><th scope="row">${esc(t)}</th>${cells}</tr>`;
    })
    .join('\n');
  return `<table class="confusion"><caption>${esc(caption)}</caption><thead><tr><th>true \\ predicted</th>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function confusions(audit: Audit, models: string[], eps: number[]): string {
  return models
    .map((m) => {
      const clean = audit.clean.find((c) => c.model === m);
      const tables = [
        ...(clean ? [confusionTable(clean.confusion, audit.classes, 'clean')] : []),
        ...eps.flatMap((e) => {
          const c = strongestCell(audit, m, e);
          return c ? [confusionTable(c.confusion, audit.classes, `${c.label}, ε = ${fmtEps(e)} (strongest)`)] : [];
        }),
      ];
      return `<h3>${esc(m)}</h3><div class="matrices">${tables.join('')}</div>`;
    })
    .join('\n');
}

function overlaySvg(ex: AuditExample): string {
  const g = overlayGeometry(ex);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${g.width} ${g.height}" width="${g.width}" height="${g.height}" role="img" aria-label="${esc(`Beat ${ex.beatIndex}: clean and attacked`)}">` +
    `<rect width="${g.width}" height="${g.height}" fill="${ECG_PAPER.background}"/>` +
    `<path d="${g.minor}" stroke="${ECG_PAPER.minor}" stroke-width="0.5" fill="none"/>` +
    `<path d="${g.major}" stroke="${ECG_PAPER.major}" stroke-width="0.9" fill="none"/>` +
    `<path d="${g.clean}" stroke="${ECG_PAPER.clean}" stroke-width="1.5" fill="none" stroke-linejoin="round"/>` +
    `<path d="${g.adversarial}" stroke="${ECG_PAPER.attacked}" stroke-width="1.2" fill="none" stroke-linejoin="round" opacity="0.9"/>` +
    `</svg>`
  );
}

function examples(audit: Audit): string {
  if (audit.examples.length === 0) return '<p class="muted">This audit kept no example beats.</p>';
  const figs = audit.examples.map((ex) => {
    const flag = ex.attacked === null ? '' : `; p(attacked) ${pct(ex.attacked)}`;
    const caption = `${ex.model} · ${ex.label}, ε = ${fmtEps(ex.eps)} · beat ${ex.beatIndex} (reference ${ex.reference}): ${ex.before} → ${ex.after}${flag}`;
    return `<figure>${overlaySvg(ex)}<figcaption>${esc(caption)}</figcaption></figure>`;
  });
  return `<p><span class="legend-clean">━ clean</span> &nbsp; <span class="legend-attacked">━ attacked</span> &nbsp; <span class="muted">beats in normalised units [0, 1]</span></p><div class="examples">${figs.join('\n')}</div>`;
}

function provenance(audit: Audit): string {
  const p = audit.provenance;
  const dl = (pairs: [string, string][]): string => `<dl class="prov">${pairs.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
  const models = table(
    p.models,
    [
      { head: 'Model', cell: (m) => esc(m.name) },
      { head: 'Kind', cell: (m) => esc(m.kind) },
      { head: 'Weights SHA-256', cell: (m) => `<span class="hash">${esc(m.weightsSha256)}</span>` },
      { head: 'model.json SHA-256', cell: (m) => `<span class="hash">${esc(m.modelJsonSha256)}</span>` },
    ],
    'Models',
  );
  const suite = table(
    p.suite,
    [
      { head: 'Attack', cell: (s) => esc(s.name) },
      { head: 'Parameters', cell: (s) => `<code>${esc(JSON.stringify(s.params))}</code>` },
    ],
    'Attack suite (ε filled in per grid cell)',
  );
  const facts = dl([
    ['Audit', `<span class="hash">${esc(audit.id)}</span>${audit.rerunOf ? ` (re-run of <span class="hash">${esc(audit.rerunOf)}</span>)` : ''}`],
    ['Dataset', `${esc(p.dataset.name)} <span class="hash">(${esc(p.dataset.id)})</span>`],
    ['Dataset manifest SHA-256', `<span class="hash">${esc(p.dataset.manifestHash)}</span>`],
    ['Transfer source', p.source ? `${esc(p.source.name)} <span class="hash">${esc(p.source.weightsSha256)}</span>` : 'none (adaptive: each model attacked itself)'],
    ['Seed', esc(p.seed)],
    ['Suite', `${esc(suiteText(audit.suite))}, mode ${esc(audit.mode)}, ε ${esc(audit.eps.map(fmtEps).join(', '))}`],
    ['Backend', `${esc(p.backend)} ${esc(p.backendVersion)}`],
    ['Workers', esc(p.workers)],
    ['App version', esc(p.appVersion)],
    ['Git commit', p.gitCommit ? `<span class="hash">${esc(p.gitCommit)}</span>` : 'unknown'],
    ['Started', esc(p.startedAt)],
    ['Finished', esc(p.finishedAt ?? 'not finished')],
    ['Input', `<code>${esc(JSON.stringify(audit.input))}</code>`],
  ]);
  return `${facts}${models}${suite}`;
}

export function renderReportHtml(audit: Audit): string {
  const models = modelsOf(audit);
  const eps = epsOf(audit);
  const caveat = fewBeatsCaveat(audit);
  const title = `Robustness report — ${models.join(', ')} on ${audit.provenance.dataset.name}`;
  const status =
    audit.status === 'succeeded' ? '' : `<p class="status">This audit is <strong>${esc(audit.status)}</strong>: ${esc(audit.cellsDone)} of ${esc(audit.cellsTotal)} grid cells are done; the figures below cover only those.</p>`;
  const curves = models.map((m) => {
    const labels = labelsOf(audit, m);
    return `<figure>${svgChart(robustCurveOption(audit, m), 520, 330)}<figcaption>${esc(`${m}: robust accuracy against ε for each of ${labels.length} attacks, clean accuracy (dotted) and the worst case over the suite (dashed).`)}</figcaption></figure>`;
  });
  const worstChart = `<figure>${svgChart(worstCaseOption(models.map((m) => ({ name: m, worst: audit.worst.filter((w) => w.model === m) }))), 520, 330)}<figcaption>Worst-case robust accuracy against ε, every model.</figcaption></figure>`;
  const stamp = audit.finishedAt ?? audit.createdAt;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="ECG-ATK Workstation ${esc(audit.provenance.appVersion)}">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Robustness report</h1>
<p class="sub">${esc(models.join(', '))} on <strong>${esc(audit.provenance.dataset.name)}</strong> · ${esc(suiteText(audit.suite))}, ${esc(audit.mode)}${audit.mode === 'transfer' && audit.provenance.source ? ` from ${esc(audit.provenance.source.name)}` : ''} · ${esc(audit.beats)} test beats · ε ${esc(eps.map(fmtEps).join(', '))} · ${esc(stamp)}</p>
</header>
<section id="summary">
<h2>Summary</h2>
${status}
${keyFigures(audit, models, eps)}
${caveat ? `<p class="caveat">${esc(caveat)} († marks them.)</p>` : ''}
</section>
<section id="curves">
<h2>Robust accuracy against ε</h2>
<div class="charts">
${curves.join('\n')}
${worstChart}
</div>
</section>
<section id="robust-accuracy" class="page">
<h2>Robust accuracy per attack</h2>
${robustTable(audit)}
</section>
<section id="worst-case">
<h2>Worst case per ε</h2>
${worstTable(audit)}
</section>
<section id="detection">
<h2>Detection and defence</h2>
${detectionTable(audit)}
</section>
<section id="per-class" class="page">
<h2>Per-class F1</h2>
${perClassTable(audit)}
</section>
<section id="confusion" class="page">
<h2>Confusion matrices</h2>
<p class="muted">Rows: reference class; columns: predicted class; shading: share of the row.</p>
${confusions(audit, models, eps)}
</section>
<section id="examples" class="page">
<h2>Example beats, clean and attacked</h2>
${examples(audit)}
</section>
<section id="provenance" class="page">
<h2>Provenance</h2>
${provenance(audit)}
</section>
<footer>ECG-ATK Workstation ${esc(audit.provenance.appVersion)} · report of audit ${esc(audit.id)} · drawn from the stored figures; the provenance above names what a re-run needs.</footer>
</body>
</html>
`;
}
