// ECG paper on a canvas, true to scale: 1 mm / 5 mm grid, a 1 mV calibration pulse, traces in
// one dark ink with every extreme drawn (min/max per device-pixel column when samples outnumber
// pixels). All lengths are CSS px from the calibrated px/mm; devicePixelRatio only sharpens lines.
import { ECG_PAPER } from '../../src-shared/report.ts';
import { CAL_PULSE_SECONDS, calibrationWidth, valueAt, xOfFrame, type LeadSamples, type Panel } from './geometry.ts';

/** One set of paper colours for the viewer and the reports' example overlays. */
export const PAPER = ECG_PAPER;
export const CLASS_COLOURS: Record<string, string> = { N: '#2e7d32', S: '#1565c0', V: '#c62828', F: '#6a1b9a', Q: '#616161' };

/** The grid over the whole canvas, anchored at its top-left corner; lines snapped to device pixels. */
export function drawGrid(ctx: CanvasRenderingContext2D, w: number, h: number, pxPerMm: number, dpr: number): void {
  ctx.fillStyle = PAPER.background;
  ctx.fillRect(0, 0, w, h);
  const snap = (v: number): number => (Math.round(v * dpr) + 0.5) / dpr;
  for (const major of [false, true]) {
    ctx.beginPath();
    ctx.strokeStyle = major ? PAPER.major : PAPER.minor;
    ctx.lineWidth = 1 / dpr;
    const step = major ? 5 : 1;
    for (let i = 0; i * pxPerMm <= w; i += step) if (major || i % 5 !== 0) {
      const x = snap(i * pxPerMm);
      ctx.moveTo(x, 0);
      ctx.lineTo(x, h);
    }
    for (let i = 0; i * pxPerMm <= h; i += step) if (major || i % 5 !== 0) {
      const y = snap(i * pxPerMm);
      ctx.moveTo(0, y);
      ctx.lineTo(w, y);
    }
    ctx.stroke();
  }
}

/** The 1 mV pulse ending where the trace begins. */
export function drawCalibration(ctx: CanvasRenderingContext2D, p: Panel, pxPerMm: number, speedMmPerS: number): { x0: number; x1: number; top: number } {
  const pulse = CAL_PULSE_SECONDS * speedMmPerS * pxPerMm;
  const x0 = p.x - calibrationWidth(pxPerMm, speedMmPerS) + pxPerMm;
  const top = p.baseline - p.pxPerMv;
  ctx.beginPath();
  ctx.strokeStyle = PAPER.ink;
  ctx.lineWidth = 1.2;
  ctx.moveTo(x0, p.baseline);
  ctx.lineTo(x0 + pxPerMm, p.baseline);
  ctx.lineTo(x0 + pxPerMm, top);
  ctx.lineTo(x0 + pxPerMm + pulse, top);
  ctx.lineTo(x0 + pxPerMm + pulse, p.baseline);
  ctx.lineTo(x0 + 2 * pxPerMm + pulse, p.baseline);
  ctx.stroke();
  return { x0, x1: x0 + 2 * pxPerMm + pulse, top };
}

/** The trace of one panel; min/max per device column where several frames share one. `ink`: overlays (clean vs attacked) in their own colours. */
export function drawTrace(ctx: CanvasRenderingContext2D, p: Panel, s: LeadSamples, dpr: number, ink: string = PAPER.ink): void {
  ctx.beginPath();
  ctx.strokeStyle = ink;
  ctx.lineWidth = 1.1;
  ctx.lineJoin = 'round';
  const y = (v: number): number => p.baseline - v * p.pxPerMv;
  const framesPerCol = p.framesPerPx / dpr;
  let pen = false;
  if (framesPerCol <= 1) {
    const first = Math.max(Math.floor(p.from), s.from);
    const last = Math.min(Math.ceil(p.from + p.w * p.framesPerPx), s.to - 1);
    for (let f = first; f <= last; f++) {
      const v = valueAt(s, f);
      if (!Number.isFinite(v)) {
        pen = false;
        continue;
      }
      const x = xOfFrame(p, f);
      if (pen) ctx.lineTo(x, y(v));
      else ctx.moveTo(x, y(v));
      pen = true;
    }
  } else {
    const cols = Math.round(p.w * dpr);
    for (let c = 0; c < cols; c++) {
      const a = Math.round(p.from + c * framesPerCol);
      const b = Math.max(a + 1, Math.round(p.from + (c + 1) * framesPerCol));
      let lo = Infinity;
      let hi = -Infinity;
      for (let f = Math.max(a, s.from); f < Math.min(b, s.to); f++) {
        const v = valueAt(s, f);
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (hi < lo) {
        pen = false;
        continue;
      }
      const x = p.x + (c + 0.5) / dpr;
      if (pen) ctx.lineTo(x, y(hi));
      else ctx.moveTo(x, y(hi));
      ctx.lineTo(x, y(lo));
      pen = true;
    }
  }
  ctx.stroke();
}

/** Lead label on the strip itself, above the calibration pulse. */
export function drawLeadLabel(ctx: CanvasRenderingContext2D, p: Panel, x: number): void {
  ctx.font = 'bold 13px system-ui, sans-serif';
  ctx.fillStyle = PAPER.text;
  ctx.textBaseline = 'top';
  ctx.fillText(p.label, x, p.y + 3);
}

/** Beat labels at their R peaks; where they would overlap, class-coloured ticks (non-N beats win the space). */
export function drawBeatLabels(ctx: CanvasRenderingContext2D, p: Panel, beats: readonly { sample: number; symbol: string; aami: string | null; source: string }[], y: number): void {
  ctx.font = 'bold 12px system-ui, sans-serif';
  ctx.textBaseline = 'top';
  ctx.textAlign = 'center';
  const inView = beats.filter((b) => b.sample >= p.from && xOfFrame(p, b.sample) <= p.x + p.w);
  const taken: number[] = [];
  const free = (x: number): boolean => taken.every((t) => Math.abs(t - x) >= 14);
  const order = [...inView].sort((a, b) => Number(a.aami === 'N') - Number(b.aami === 'N'));
  const labelled = new Set<number>();
  for (const b of order) {
    const x = xOfFrame(p, b.sample);
    if (free(x)) {
      taken.push(x);
      labelled.add(b.sample);
    }
  }
  for (const b of inView) {
    const x = xOfFrame(p, b.sample);
    ctx.fillStyle = CLASS_COLOURS[b.aami ?? 'Q'] ?? CLASS_COLOURS.Q!;
    // Detector beats carry no class: a dot, not a label.
    if (labelled.has(b.sample)) ctx.fillText(b.source === 'detector' ? '•' : b.symbol, x, y);
    else ctx.fillRect(x - 0.75, y + 2, 1.5, 8);
  }
  ctx.textAlign = 'start';
}
