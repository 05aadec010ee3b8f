// Paper geometry without the DOM: where a frame or a millivolt lands in CSS px, from the
// calibrated px/mm. Shared by the drawing code and the layouts (and their unit tests).

/** CSS defines 96 px per inch: the default when the display is not calibrated. */
export const DEFAULT_PX_PER_MM = 96 / 25.4;
/** The standard pulse lasts 0.2 s. */
export const CAL_PULSE_SECONDS = 0.2;

/** One trace drawn on the paper: a lead over frames [from, from + w * framesPerPx). */
export interface Panel {
  lead: number;
  label: string;
  x: number;
  y: number;
  w: number;
  h: number;
  /** Frame at the left edge (may be fractional). */
  from: number;
  framesPerPx: number;
  /** y of 0 mV. */
  baseline: number;
  /** px per mV (gain × px/mm). */
  pxPerMv: number;
  /** Draw the calibration pulse at x - calWidth. */
  calibration: boolean;
  /** Beat labels drawn on this panel. */
  labels: boolean;
}

export interface LeadSamples {
  /** Frames [from, to) covered by values; NaN marks gaps or frames not loaded. */
  from: number;
  to: number;
  values: Float32Array;
}

export function frameAt(p: Panel, x: number): number {
  return p.from + (x - p.x) * p.framesPerPx;
}
export function xOfFrame(p: Panel, frame: number): number {
  return p.x + (frame - p.from) / p.framesPerPx;
}
export function mvAt(p: Panel, y: number): number {
  return (p.baseline - y) / p.pxPerMv;
}

export function valueAt(s: LeadSamples, frame: number): number {
  const r = s.values.length / Math.max(1, s.to - s.from);
  const i = Math.floor((frame - s.from) * r);
  return i >= 0 && i < s.values.length ? s.values[i]! : NaN;
}

/** Width of the calibration pulse block (lead-in, pulse, lead-out) in px. */
export function calibrationWidth(pxPerMm: number, speedMmPerS: number): number {
  return CAL_PULSE_SECONDS * speedMmPerS * pxPerMm + 4 * pxPerMm;
}
