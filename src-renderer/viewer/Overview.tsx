// The whole record in one strip (min/max per column), the current window marked, V/S/F beats as
// ticks, and the heart-rate trend beneath. Click or drag to move the window there.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { RecordOverview } from '../../src-shared/contract/index.ts';
import { CLASS_COLOURS } from './paper.ts';
import { formatTime } from './time.ts';

const STRIP_H = 56;
const HR_H = 44;

export function Overview({ overview, numFrames, frequency, from, frames, onSeek }: {
  overview: RecordOverview;
  numFrames: number;
  frequency: number;
  from: number;
  frames: number;
  onSeek: (centreFrame: number) => void;
}) {
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(800);
  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.max(200, Math.floor(el.clientWidth))));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  // The record's layer is drawn once per size into an offscreen canvas; moving the window only
  // copies it back and draws the window box (paging stays cheap).
  const layer = useMemo(() => {
    const dpr = window.devicePixelRatio || 1;
    const h = STRIP_H + HR_H;
    const c = document.createElement('canvas');
    c.width = Math.round(width * dpr);
    c.height = Math.round(h * dpr);
    const ctx = c.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, width, h);
    const xOf = (frame: number): number => (frame / numFrames) * width;
    // Trace: combine the server's columns into pixel columns, keeping min and max.
    const r = overview.ranges.find((x) => x.index === overview.lead) ?? { min: -1, max: 1 };
    const y = (v: number): number => 8 + ((r.max - v) / Math.max(1e-6, r.max - r.min)) * (STRIP_H - 12);
    ctx.strokeStyle = '#333';
    ctx.lineWidth = 1 / dpr;
    ctx.beginPath();
    const n = overview.min.length;
    for (let px = 0; px < width * dpr; px++) {
      const a = Math.floor((px / (width * dpr)) * n);
      const b = Math.max(a + 1, Math.floor(((px + 1) / (width * dpr)) * n));
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = a; i < b && i < n; i++) {
        lo = Math.min(lo, overview.min[i] ?? Infinity);
        hi = Math.max(hi, overview.max[i] ?? -Infinity);
      }
      if (hi < lo) continue;
      const x = (px + 0.5) / dpr;
      ctx.moveTo(x, Math.max(0, y(hi)));
      ctx.lineTo(x, Math.min(STRIP_H, y(lo) + 0.5));
    }
    ctx.stroke();
    for (const m of overview.marks) {
      ctx.fillStyle = CLASS_COLOURS[m.aami] ?? '#666';
      ctx.fillRect(xOf(m.sample) - 1, 0, 2, 7);
    }
    // Heart-rate trend over the 1st–99th percentile of the record's rates, so its course is visible.
    const sorted = [...overview.heartRate.bpm].sort((a, b) => a - b);
    const hrMin = Math.floor((sorted[Math.floor(sorted.length * 0.01)] ?? 40) / 10) * 10;
    const hrMax = Math.max(hrMin + 20, Math.ceil((sorted[Math.ceil(sorted.length * 0.99) - 1] ?? 120) / 10) * 10);
    ctx.fillStyle = '#f4f6f8';
    ctx.fillRect(0, STRIP_H, width, HR_H);
    const hy = (bpm: number): number => STRIP_H + HR_H - 2 - ((Math.min(hrMax, Math.max(hrMin, bpm)) - hrMin) / (hrMax - hrMin)) * (HR_H - 4);
    ctx.fillStyle = '#b03030';
    overview.heartRate.samples.forEach((s, i) => ctx.fillRect(xOf(s) - 0.75, hy(overview.heartRate.bpm[i]!) - 0.75, 1.5, 1.5));
    ctx.font = '10px system-ui, sans-serif';
    ctx.textBaseline = 'top';
    const label = `HR ${hrMin}–${hrMax} bpm`;
    // A backing so the dots under it do not read as punctuation.
    ctx.fillStyle = '#f4f6f8';
    ctx.fillRect(0, STRIP_H + 1, ctx.measureText(label).width + 8, 12);
    ctx.fillStyle = '#5b6776';
    ctx.fillText(label, 4, STRIP_H + 2);
    return c;
  }, [overview, width, numFrames]);
  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const dpr = window.devicePixelRatio || 1;
    const h = STRIP_H + HR_H;
    if (c.width !== layer.width || c.height !== layer.height) [c.width, c.height] = [layer.width, layer.height];
    const ctx = c.getContext('2d')!;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(layer, 0, 0);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const xOf = (frame: number): number => (frame / numFrames) * width;
    // The window shown.
    ctx.fillStyle = 'rgba(21, 101, 192, 0.18)';
    ctx.strokeStyle = '#1565c0';
    ctx.lineWidth = 1;
    const wx = xOf(from);
    const ww = Math.max(2, xOf(from + frames) - wx);
    ctx.fillRect(wx, 0, ww, h);
    ctx.strokeRect(wx + 0.5, 0.5, ww - 1, h - 1);
  }, [layer, width, numFrames, from, frames]);

  const drag = useRef(false);
  const seek = (e: React.PointerEvent<HTMLCanvasElement>): void => {
    const rect = e.currentTarget.getBoundingClientRect();
    onSeek(((e.clientX - rect.left) / rect.width) * numFrames);
  };
  const v = overview.marks.filter((m) => m.aami === 'V').length;
  const s = overview.marks.filter((m) => m.aami === 'S').length;
  return (
    <div ref={wrap} className="overview">
      <canvas
        ref={canvas}
        data-testid="overview"
        style={{ width, height: STRIP_H + HR_H, cursor: 'pointer' }}
        role="img"
        aria-label={`Whole record overview, ${formatTime(numFrames / frequency)} long, window at ${formatTime(from / frequency)}; ${v} ventricular and ${s} supraventricular beats marked; heart-rate trend below.`}
        onPointerDown={(e) => {
          drag.current = true;
          e.currentTarget.setPointerCapture(e.pointerId);
          seek(e);
        }}
        onPointerMove={(e) => drag.current && seek(e)}
        onPointerUp={() => (drag.current = false)}
      />
    </div>
  );
}
