// One attacked beat on true-scale ECG paper (the viewer's grid, pulse and trace drawing): the clean
// beat in blue and the attacked one in red overlaid at the chosen speed and gain, then the
// perturbation δ in its own strip at a gain large enough to see it (stated on the strip).
import type { SimulatorBeat } from '../../src-shared/contract/index.ts';
import { PAPER, drawCalibration, drawGrid, drawTrace } from '../viewer/paper.ts';
import { calibrationWidth, type Panel } from '../viewer/geometry.ts';

export const CLEAN_INK = '#1565c0';
export const ATTACKED_INK = '#c62828';
export const DELTA_INK = '#6a1b9a';

export interface PaperScale {
  pxPerMm: number;
  /** mm/s */
  speed: number;
  /** mm/mV */
  gain: number;
}

/** Gains of the perturbation strip, mm/mV: the largest that keeps δ within ±8 mm. */
const DELTA_GAINS = [10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];
const DELTA_HALF_MM = 8;
const STRIP_GAP_MM = 4;
const HEADER_MM = 5;

export interface BeatLayout {
  width: number;
  height: number;
  overlay: Panel;
  delta: Panel;
  deltaGain: number;
  /** mV per normalised unit used to draw (1 where the record gave no mV scale). */
  unit: number;
}

function span(values: readonly number[]): { lo: number; hi: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return { lo, hi };
}

export function layoutBeat(r: SimulatorBeat, s: PaperScale): BeatLayout {
  const unit = r.mvPerUnit ?? 1;
  const mm = s.pxPerMm;
  const framesPerPx = r.samplingRate / (s.speed * mm);
  const x = calibrationWidth(mm, s.speed) + mm;
  const w = r.clean.length / framesPerPx;
  // Both beats in mV about the clean beat's middle; the strip holds them and the 1 mV pulse.
  const { lo, hi } = span([...r.clean, ...r.adversarial]);
  const top = Math.max((hi - 0.5) * unit, 1);
  const bottom = Math.max((0.5 - lo) * unit, 0);
  const overlayH = Math.ceil(((top + bottom) * s.gain + 2 * HEADER_MM) / 5) * 5 * mm;
  const baseline = HEADER_MM * mm + top * s.gain * mm;
  const overlay: Panel = { lead: 0, label: 'clean / attacked', x, y: 0, w, h: overlayH, from: 0, framesPerPx, baseline, pxPerMv: s.gain * mm, calibration: true, labels: false };
  const maxDelta = Math.max(1e-9, ...r.adversarial.map((v, i) => Math.abs(v - r.clean[i]!) * unit));
  const deltaGain = [...DELTA_GAINS].reverse().find((g) => g * maxDelta <= DELTA_HALF_MM) ?? DELTA_GAINS[0]!;
  const deltaY = overlayH + STRIP_GAP_MM * mm;
  const deltaH = (2 * DELTA_HALF_MM + 2 * HEADER_MM) * mm;
  const delta: Panel = { lead: 0, label: 'δ', x, y: deltaY, w, h: deltaH, from: 0, framesPerPx, baseline: deltaY + deltaH / 2, pxPerMv: deltaGain * mm, calibration: false, labels: false };
  const width = Math.ceil((x + w) / (5 * mm) + 1) * 5 * mm;
  return { width, height: deltaY + deltaH, overlay, delta, deltaGain, unit };
}

const samples = (values: readonly number[], f: (v: number, i: number) => number): { from: number; to: number; values: Float32Array } => ({ from: 0, to: values.length, values: Float32Array.from(values, f) });

/** Draws the beat at (0, 0) of ctx, whose transform already scales CSS px to device px. */
export function drawBeat(ctx: CanvasRenderingContext2D, r: SimulatorBeat, l: BeatLayout, s: PaperScale, dpr: number): void {
  drawGrid(ctx, l.width, l.height, s.pxPerMm, dpr);
  const p = l.overlay;
  drawCalibration(ctx, p, s.pxPerMm, s.speed);
  const mv = (v: number): number => (v - 0.5) * l.unit;
  drawTrace(ctx, p, samples(r.clean, mv), dpr, CLEAN_INK);
  drawTrace(ctx, p, samples(r.adversarial, mv), dpr, ATTACKED_INK);
  const d = l.delta;
  // The ε budget (L∞ attacks): dashed lines at ±ε in the δ strip.
  const eps = typeof r.parameters.eps === 'number' && !r.attack.endsWith('l2') ? r.parameters.eps * l.unit : null;
  if (eps !== null && eps * d.pxPerMv < d.h / 2) {
    ctx.save();
    ctx.setLineDash([4, 3]);
    ctx.strokeStyle = PAPER.text;
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (const y of [d.baseline - eps * d.pxPerMv, d.baseline + eps * d.pxPerMv]) {
      ctx.moveTo(d.x, y);
      ctx.lineTo(d.x + d.w, y);
    }
    ctx.stroke();
    ctx.restore();
  }
  drawTrace(ctx, d, samples(r.adversarial, (v, i) => (v - r.clean[i]!) * l.unit), dpr, DELTA_INK);
  ctx.font = '12px system-ui, sans-serif';
  ctx.fillStyle = PAPER.text;
  ctx.textBaseline = 'top';
  const units = r.mvPerUnit === null ? 'normalised units (no mV scale for this record)' : `${s.gain} mm/mV`;
  ctx.fillText(`${s.speed} mm/s · ${units}`, 4, 3);
  ctx.fillText(`perturbation δ at ${l.deltaGain} mm/mV${eps !== null ? ' (dashed: ±ε)' : ''}`, 4, d.y + 3);
}
