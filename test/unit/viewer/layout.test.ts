// Renderer geometry (pure): true-scale panels that do not depend on the page shown.
import { describe, it, expect } from 'vitest';
import { stripLayout, twelveLeadLayout, standardLeads, displayName } from '../../../src-renderer/viewer/layout.ts';
import { frameAt, xOfFrame, mvAt, DEFAULT_PX_PER_MM } from '../../../src-renderer/viewer/geometry.ts';
import { parseTime, formatTime } from '../../../src-renderer/viewer/time.ts';

const ranges = [
  { index: 0, name: 'MLII', min: -2.6, max: 1.5 },
  { index: 1, name: 'V5', min: -1.9, max: 1.2 },
];
const base = { width: 1200, pxPerMm: 4, speed: 25, gain: 10, frequency: 360, start: 0, ranges };

describe('viewer layout', () => {
  it('time and amplitude scale follow px/mm, speed and gain, not the window width', () => {
    const narrow = stripLayout({ ...base, width: 800 }, [0, 1]);
    const wide = stripLayout({ ...base, width: 1600 }, [0, 1]);
    const p = wide.panels[0]!;
    // 25 mm/s at 4 px/mm: one second is 100 px; 1 mV is 40 px.
    expect(xOfFrame(p, p.from + 360) - p.x).toBeCloseTo(100, 9);
    expect(mvAt(p, p.baseline - 40)).toBeCloseTo(1, 9);
    expect(narrow.panels[0]!.framesPerPx).toBe(p.framesPerPx);
    expect(wide.frames / narrow.frames).toBeGreaterThan(2); // a wider window shows more seconds
    expect(frameAt(p, xOfFrame(p, 1234))).toBeCloseTo(1234, 9);
  });

  it('strip heights come from the whole-record range: paging never changes them', () => {
    const a = stripLayout(base, [0, 1]);
    const b = stripLayout({ ...base, start: 360 * 1500 }, [0, 1]);
    expect(b.panels.map((p) => [p.y, p.h, p.baseline - p.y])).toEqual(a.panels.map((p) => [p.y, p.h, p.baseline - p.y]));
    // MLII spans 4.1 mV (+0.4 margin) at 10 mm/mV, plus the 5 mm label row: 50 mm.
    expect(a.panels[0]!.h).toBe(50 * 4);
    expect(a.panels[0]!.baseline - a.panels[0]!.y).toBeCloseTo((5 + 17) * 4, 9);
  });

  it('12-lead sheet: 4 columns of 2.5 s, each the next 2.5 s, and a 10 s lead II rhythm strip', () => {
    const names = ['i', 'ii', 'iii', 'avr', 'avl', 'avf', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'vx', 'vy', 'vz'];
    const order = standardLeads(names)!;
    const r = names.map((name, index) => ({ index, name, min: -1, max: 1.5 }));
    const l = twelveLeadLayout({ ...base, pxPerMm: DEFAULT_PX_PER_MM, frequency: 1000, ranges: r }, order, []);
    expect(l.panels.map((p) => displayName(names[p.lead]!))).toEqual(['I', 'aVR', 'V1', 'V4', 'II', 'aVL', 'V2', 'V5', 'III', 'aVF', 'V3', 'V6', 'II']);
    expect(l.panels.slice(0, 4).map((p) => p.from)).toEqual([0, 2500, 5000, 7500]);
    expect(l.panels[0]!.w).toBeCloseTo(62.5 * DEFAULT_PX_PER_MM, 9);
    expect(l.panels.at(-1)!.w).toBeCloseTo(250 * DEFAULT_PX_PER_MM, 9);
    expect(l.frames).toBe(10_000);
    expect(standardLeads(['MLII', 'V5'])).toBeNull();
  });

  it('go-to times', () => {
    expect(parseTime('00:25:18')).toBe(1518);
    expect(parseTime('25:18.5')).toBe(1518.5);
    expect(parseTime('90')).toBe(90);
    expect(parseTime('1:xx')).toBeNull();
    expect(formatTime(1518.25, true)).toBe('00:25:18.250');
  });
});
