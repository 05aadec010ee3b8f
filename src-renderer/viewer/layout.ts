// Where each trace goes on the paper, in CSS px from the calibrated px/mm. Strip heights follow
// from the gain and each lead's whole-record amplitude range, so nothing rescales while paging.
import { calibrationWidth, type Panel } from './geometry.ts';

export interface LeadRange {
  index: number;
  name: string;
  min: number;
  max: number;
}

export interface LayoutInput {
  width: number;
  pxPerMm: number;
  speed: number;
  gain: number;
  frequency: number;
  start: number;
  ranges: LeadRange[];
}

export interface Layout {
  panels: Panel[];
  width: number;
  height: number;
  /** Frames the layout shows from `start` (the page length). */
  frames: number;
  /** Top of the rhythm band and of the first strip. */
  bandY: number;
  bandH: number;
}

const STANDARD_12 = ['i', 'ii', 'iii', 'avr', 'avl', 'avf', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6'] as const;
const FRANK = ['vx', 'vy', 'vz'] as const;
const DISPLAY: Record<string, string> = { i: 'I', ii: 'II', iii: 'III', avr: 'aVR', avl: 'aVL', avf: 'aVF', vx: 'Vx', vy: 'Vy', vz: 'Vz' };

export function displayName(name: string): string {
  const k = name.trim().toLowerCase();
  return DISPLAY[k] ?? (/^v\d$/.test(k) ? k.toUpperCase() : name);
}

/** Lead indices of the 12 standard leads in order, or null when the record lacks one. */
export function standardLeads(names: readonly string[]): number[] | null {
  const lower = names.map((n) => n.trim().toLowerCase());
  const idx = STANDARD_12.map((n) => lower.indexOf(n));
  return idx.every((i) => i >= 0) ? idx : null;
}
export function frankLeads(names: readonly string[]): number[] {
  const lower = names.map((n) => n.trim().toLowerCase());
  return FRANK.map((n) => lower.indexOf(n)).filter((i) => i >= 0);
}

function geometry(inp: LayoutInput): { x0: number; mm: number; framesPerPx: number; pxPerMv: number } {
  const mm = inp.pxPerMm;
  // The trace starts on a whole millimetre after the calibration pulse, so the grid lines up with it.
  const x0 = Math.ceil(calibrationWidth(mm, inp.speed) / mm + 1) * mm;
  return { x0, mm, framesPerPx: inp.frequency / (inp.speed * mm), pxPerMv: inp.gain * mm };
}

function rangeOf(ranges: LeadRange[], lead: number): { top: number; bottom: number } {
  const r = ranges.find((x) => x.index === lead) ?? { min: -1, max: 1 };
  // Room for the 1 mV pulse above the baseline and a little margin either side.
  return { top: Math.max(r.max, 1) + 0.2, bottom: Math.min(r.min, 0) - 0.2 };
}

const BAND_MM = 6;
const LABEL_MM = 5;

/** One strip per lead, as wide as the view: a wider window shows more seconds. */
export function stripLayout(inp: LayoutInput, leads: number[]): Layout {
  const g = geometry(inp);
  const w = Math.max(20 * g.mm, Math.floor((inp.width - g.x0 - 2 * g.mm) / g.mm) * g.mm);
  let y = BAND_MM * g.mm;
  const panels: Panel[] = leads.map((lead, k) => {
    const r = rangeOf(inp.ranges, lead);
    const h = Math.ceil(LABEL_MM + (r.top - r.bottom) * inp.gain) * g.mm;
    const p: Panel = {
      lead,
      label: displayName(inp.ranges.find((x) => x.index === lead)?.name ?? String(lead)),
      x: g.x0,
      y,
      w,
      h,
      from: inp.start,
      framesPerPx: g.framesPerPx,
      baseline: y + LABEL_MM * g.mm + r.top * g.pxPerMv,
      pxPerMv: g.pxPerMv,
      calibration: true,
      labels: k === 0,
    };
    y += h;
    return p;
  });
  return { panels, width: g.x0 + w + 2 * g.mm, height: y + 2 * g.mm, frames: Math.floor(w * g.framesPerPx), bandY: 0, bandH: BAND_MM * g.mm };
}

/**
 * The standard 12-lead sheet: 3 rows × 4 columns of 2.5 s (I II III | aVR aVL aVF | V1 V2 V3 |
 * V4 V5 V6, each column the next 2.5 s), a 10 s lead II rhythm strip, and the Frank leads if asked.
 */
export function twelveLeadLayout(inp: LayoutInput, order: number[], extra: number[]): Layout {
  const g = geometry(inp);
  const colFrames = 2.5 * inp.frequency;
  const colW = colFrames / g.framesPerPx;
  let y = BAND_MM * g.mm;
  const panels: Panel[] = [];
  const label = (l: number): string => displayName(inp.ranges.find((x) => x.index === l)?.name ?? String(l));
  const row = (leads: number[], colWidth: number, calibration: boolean, labels: boolean): void => {
    // A row holds its leads' common range, capped (as on printed sheets, a tall QRS may overlap).
    const top = Math.min(Math.max(...leads.map((l) => rangeOf(inp.ranges, l).top)), 2.5);
    const bottom = Math.max(Math.min(...leads.map((l) => rangeOf(inp.ranges, l).bottom)), -1.5);
    const h = Math.ceil(LABEL_MM + (top - bottom) * inp.gain) * g.mm;
    leads.forEach((lead, c) => {
      panels.push({
        lead,
        label: label(lead),
        x: g.x0 + c * colWidth,
        y,
        w: colWidth,
        h,
        from: inp.start + (colWidth === colW ? c * colFrames : 0),
        framesPerPx: g.framesPerPx,
        baseline: y + LABEL_MM * g.mm + top * g.pxPerMv,
        pxPerMv: g.pxPerMv,
        calibration: calibration && c === 0,
        labels,
      });
    });
    y += h;
  };
  for (let r = 0; r < 3; r++) row([order[r]!, order[3 + r]!, order[6 + r]!, order[9 + r]!], colW, true, false);
  row([order[1]!], 4 * colW, true, true);
  for (const l of extra) row([l], 4 * colW, true, false);
  return { panels, width: g.x0 + 4 * colW + 2 * g.mm, height: y + 2 * g.mm, frames: 4 * colFrames, bandY: 0, bandH: BAND_MM * g.mm };
}
