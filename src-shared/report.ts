// A robustness audit as people read it: number formats, the honest caveats, the grid's axes, the
// chart options of its curves and the geometry of an example overlay. Shared by the Reports screen
// and the HTML report so both say and draw the same figures. Pure: no DOM, no Node, no ECharts.
import type { Audit, AuditCell, AuditExample, WorstCase } from './contract/audits.ts';

export interface Interval {
  low: number;
  high: number;
}

/** A share as a percentage ("94.5%"); "—" where there is none. */
export function pct(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(digits)}%`;
}

/** A plain figure with fixed decimals; "—" where there is none (e.g. the SNR of beats left untouched). */
export function fmtNum(x: number | null | undefined, digits: number): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);
}

/** The suite as a phrase: "paper suite", or "suite from /path/suite.json" for a file of attacks. */
export function suiteText(suite: string): string {
  return /^[a-z]+$/.test(suite) ? `${suite} suite` : `suite from ${suite}`;
}

/** A 95% interval as "93.1–96.0%". */
export function ciText(ci: Interval): string {
  return `${(ci.low * 100).toFixed(1)}–${(ci.high * 100).toFixed(1)}%`;
}

/** "94.5% (95% CI 93.1–96.0%)". */
export function withCi(x: number, ci: Interval): string {
  return `${pct(x)} (95% CI ${ciText(ci)})`;
}

/** ε without float noise (0.030000000000000002 → "0.03"). */
export function fmtEps(eps: number): string {
  return String(Number(eps.toPrecision(4)));
}

/** What "flagged" means in the detection table: P(attacked) above each detector's threshold (0.5 uncalibrated). */
export function detectionCaption(cells: readonly Pick<AuditCell, 'model' | 'detection'>[]): string {
  const byModel = new Map<string, number>();
  for (const c of cells) if (c.detection) byModel.set(c.model, c.detection.threshold ?? 0.5);
  const list = [...byModel].map(([m, t]) => `${m} ${fmtNum(t, 4)}`).join(', ');
  return `ATK-GAN attack detection: the attacked/clean head on adversarial and on clean beats; a beat is flagged when P(attacked) exceeds the model's threshold (${list})`;
}

/** A figure whose 95% interval is wider than this (10 points) rests on too few beats to read closely. */
export const WIDE_CI = 0.1;

export function isWide(ci: Interval): boolean {
  return ci.high - ci.low > WIDE_CI;
}

/** One line saying which figures rest on few beats, or null when none does. */
export function fewBeatsCaveat(audit: Pick<Audit, 'cells' | 'worst'>): string | null {
  const wide = [...audit.cells.map((c) => ({ beats: c.beats, ci: c.robustAccuracyCi95 })), ...audit.worst.map((w) => ({ beats: w.beats, ci: w.robustAccuracyCi95 }))].filter((f) => isWide(f.ci));
  if (wide.length === 0) return null;
  const widest = Math.max(...wide.map((f) => f.ci.high - f.ci.low));
  const fewest = Math.min(...wide.map((f) => f.beats));
  const total = audit.cells.length + audit.worst.length;
  return `${wide.length} of ${total} robust-accuracy figures rest on few beats (as few as ${fewest}): their 95% intervals are up to ${(widest * 100).toFixed(0)} points wide, so read them as rough estimates.`;
}

/** The audited models, in the order of the audit. */
export function modelsOf(audit: Pick<Audit, 'models' | 'cells'>): string[] {
  return [...new Set([...audit.models, ...audit.cells.map((c) => c.model)])];
}

/** The ε of the grid, ascending. */
export function epsOf(audit: Pick<Audit, 'eps' | 'cells'>): number[] {
  return [...new Set([...audit.eps, ...audit.cells.map((c) => c.eps)])].sort((a, b) => a - b);
}

/** The attack labels of the grid in suite order (of one model, or of all). */
export function labelsOf(audit: Pick<Audit, 'cells'>, model?: string): string[] {
  return [...new Set(audit.cells.filter((c) => model === undefined || c.model === model).map((c) => c.label))];
}

export function cellAt(audit: Pick<Audit, 'cells'>, model: string, label: string, eps: number): AuditCell | undefined {
  return audit.cells.find((c) => c.model === model && c.label === label && c.eps === eps);
}

/** The cell with the lowest robust accuracy of a model at one ε: the strongest attack there. */
export function strongestCell(audit: Pick<Audit, 'cells'>, model: string, eps: number): AuditCell | undefined {
  return audit.cells.filter((c) => c.model === model && c.eps === eps).reduce<AuditCell | undefined>((a, c) => (a === undefined || c.robustAccuracy < a.robustAccuracy ? c : a), undefined);
}

export function worstAt(audit: Pick<Audit, 'worst'>, model: string, eps: number): WorstCase | undefined {
  return audit.worst.find((w) => w.model === model && w.eps === eps);
}

/** Row-normalised shade of a confusion cell in [0, 1] (0 for an empty row). */
export function confusionShade(matrix: readonly (readonly number[])[], t: number, p: number): number {
  const row = matrix[t] ?? [];
  const total = row.reduce((s, v) => s + v, 0);
  return total === 0 ? 0 : (row[p] ?? 0) / total;
}

/** Mean F1 over the classes that have support. */
export function macroF1(perClass: Record<string, { f1: number; support: number }>): number | null {
  const present = Object.values(perClass).filter((c) => c.support > 0);
  return present.length ? present.reduce((s, c) => s + c.f1, 0) / present.length : null;
}

// ---- Charts -------------------------------------------------------------------------------------
// ECharts options as plain data (percent on the y axis, ε as categories so uneven steps stay
// readable); the screen draws them on a canvas, the HTML report renders them to SVG.

export type ChartSpec = Record<string, unknown>;

/** Distinct, print-safe series colours (no pale yellows or greens). */
export const PALETTE = ['#1565c0', '#e65100', '#2e7d32', '#6a1b9a', '#00838f', '#ad1457', '#5d4037', '#9e9d24', '#546e7a'];

/** Rows a legend of these names takes in a chart this wide (ECharts wraps it; the plot must start below). */
export function legendRows(names: readonly string[], width: number): number {
  // 11 px text ≈ 6.3 px a character, plus the symbol and the gap to the next item.
  const widths = names.map((n) => 18 + 5 + 14 + 6.3 * n.length);
  let rows = 1;
  let used = 0;
  for (const w of widths) {
    if (used > 0 && used + w > width - 10) {
      rows++;
      used = 0;
    }
    used += w;
  }
  return rows;
}

function curveFrame(categories: string[], names: readonly string[], width: number): ChartSpec {
  return {
    animation: false,
    color: PALETTE,
    textStyle: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
    grid: { left: 56, right: 20, top: 16 + 22 * legendRows(names, width), bottom: 44 },
    legend: { top: 0, left: 0, right: 0, itemWidth: 18, itemGap: 14, textStyle: { fontSize: 11 } },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: categories, name: 'ε', nameLocation: 'middle', nameGap: 26, boundaryGap: false },
    yAxis: { type: 'value', name: 'robust accuracy %', min: 0, max: 100, nameLocation: 'middle', nameGap: 38 },
  };
}

const toPercent = (x: number | undefined): number | null => (x === undefined ? null : Math.round(x * 10000) / 100);

/** Robust accuracy against ε of one model: a line per attack, its clean accuracy and the worst case over the suite; `width`: the chart's, in px. */
export function robustCurveOption(audit: Pick<Audit, 'eps' | 'cells' | 'worst' | 'clean'>, model: string, width = 520): ChartSpec {
  const eps = epsOf(audit);
  const labels = labelsOf(audit, model);
  const clean = audit.clean.find((c) => c.model === model)?.accuracy;
  const series: ChartSpec[] = labels.map((label) => ({ type: 'line', name: label, symbolSize: 5, data: eps.map((e) => toPercent(cellAt(audit, model, label, e)?.robustAccuracy)) }));
  if (clean !== undefined) series.push({ type: 'line', name: 'clean', symbol: 'none', lineStyle: { type: 'dotted', color: '#555', width: 1.5 }, itemStyle: { color: '#555' }, data: eps.map(() => toPercent(clean)) });
  series.push({ type: 'line', name: 'worst case', symbol: 'diamond', symbolSize: 8, lineStyle: { color: '#111', width: 3, type: 'dashed' }, itemStyle: { color: '#111' }, data: eps.map((e) => toPercent(worstAt(audit, model, e)?.robustAccuracy)) });
  return { ...curveFrame(eps.map(fmtEps), series.map((x) => String(x.name)), width), series };
}

export interface WorstCurve {
  name: string;
  worst: readonly WorstCase[];
  /** Fixed colour (one per model when two audits are compared) and a dashed line (the second audit). */
  color?: string;
  dashed?: boolean;
}

/** Worst-case robust accuracy against ε of several curves (the models of one audit, or of two audits compared). */
export function worstCaseOption(curves: readonly WorstCurve[], width = 520): ChartSpec {
  const eps = [...new Set(curves.flatMap((c) => c.worst.map((w) => w.eps)))].sort((a, b) => a - b);
  const series = curves.map((c) => ({
    type: 'line',
    name: c.name,
    symbol: c.dashed ? 'triangle' : 'diamond',
    symbolSize: 8,
    lineStyle: { width: 2.5, ...(c.dashed ? { type: 'dashed' } : {}), ...(c.color ? { color: c.color } : {}) },
    ...(c.color ? { itemStyle: { color: c.color } } : {}),
    data: eps.map((e) => toPercent(c.worst.find((w) => w.eps === e)?.robustAccuracy)),
  }));
  return { ...curveFrame(eps.map(fmtEps), curves.map((c) => c.name), width), series };
}

// ---- Example overlays ---------------------------------------------------------------------------

/** ECG paper colours (the viewer's), and the two traces: clean blue, attacked red. */
export const ECG_PAPER = { background: '#fffaf8', minor: '#f6d3d3', major: '#e59a9a', ink: '#111418', text: '#3a2020', clean: '#1565c0', attacked: '#c62828' } as const;

export interface OverlayGeometry {
  width: number;
  height: number;
  /** SVG path data of the minor and major grid lines and of the two traces. */
  minor: string;
  major: string;
  clean: string;
  adversarial: string;
}

const r2 = (v: number): string => String(Math.round(v * 100) / 100);

function tracePath(values: readonly number[], x: (i: number) => number, y: (v: number) => number): string {
  return values.map((v, i) => `${i === 0 ? 'M' : 'L'}${r2(x(i))} ${r2(y(v))}`).join('');
}

/**
 * A clean beat and its attacked copy on one strip of ECG paper: minor lines every `cell` px, major
 * every five; both traces on one vertical scale spanning [0, 1] (the beats' units) and any overshoot.
 */
export function overlayGeometry(example: Pick<AuditExample, 'clean' | 'adversarial'>, width = 360, height = 150, cell = 6): OverlayGeometry {
  const all = [...example.clean, ...example.adversarial];
  const lo = Math.min(0, ...all);
  const hi = Math.max(1, ...all);
  const pad = cell;
  const n = Math.max(example.clean.length, example.adversarial.length, 2);
  const x = (i: number): number => (i * width) / (n - 1);
  const y = (v: number): number => pad + ((hi - v) / (hi - lo)) * (height - 2 * pad);
  const lines = (major: boolean): string => {
    let d = '';
    for (let i = 0; i * cell <= width; i++) if (major === (i % 5 === 0)) d += `M${r2(i * cell)} 0V${height}`;
    for (let j = 0; j * cell <= height; j++) if (major === (j % 5 === 0)) d += `M0 ${r2(j * cell)}H${width}`;
    return d;
  };
  return { width, height, minor: lines(false), major: lines(true), clean: tracePath(example.clean, x, y), adversarial: tracePath(example.adversarial, x, y) };
}
