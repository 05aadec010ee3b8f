import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { SHARED_DATA } from '../../helpers.ts';
import { resample } from '../../../src-main/beats/resample.ts';
import { detectQrs, matchBeats, excludedSpans, outside } from '../../../src-main/beats/qrs.ts';
import { extractBeats, BEAT_PRESETS } from '../../../src-main/beats/segment.ts';
import { openWfdbRecord, readWfdbWindow, toPhysical } from '../../../src-main/signals/wfdb/record.ts';
import { readAnnotations, isBeat } from '../../../src-main/signals/wfdb/annotations.ts';

const sine = (n: number, fs: number, f: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * f * i) / fs));

describe('resampling', () => {
  it('keeps an in-band tone and removes one above the new Nyquist (360 → 125 Hz)', () => {
    const fs = 360;
    const x = sine(36000, fs, 5).map((v, i) => v + 0.5 * Math.sin((2 * Math.PI * 100 * i) / fs));
    const y = resample(x, fs, 125);
    expect(y.length).toBe(12500);
    const ref = sine(12500, 125, 5);
    let maxErr = 0;
    for (let i = 200; i < y.length - 200; i++) maxErr = Math.max(maxErr, Math.abs(y[i]! - ref[i]!));
    expect(maxErr).toBeLessThan(1e-3);
  });

  it('up-sampling interpolates band-limited signals (125 → 360 Hz) and leaves equal rates alone', () => {
    const y = resample(sine(1250, 125, 3), 125, 360);
    const ref = sine(3600, 360, 3);
    let maxErr = 0;
    for (let i = 300; i < y.length - 300; i++) maxErr = Math.max(maxErr, Math.abs(y[i]! - ref[i]!));
    expect(maxErr).toBeLessThan(1e-3);
    const same = sine(10, 100, 1);
    expect(Array.from(resample(same, 100, 100))).toEqual(Array.from(same));
  });
});

describe('QRS detection', () => {
  it.each(['100', '203'])('finds the reference beats of MIT-BIH record %s (Se and +P of at least 99 percent)', async (name) => {
    const rec = await openWfdbRecord(join(SHARED_DATA, 'mitdb', `${name}.hea`));
    const [w] = await readWfdbWindow(rec, { signals: [0] });
    const anns = (await readAnnotations(join(SHARED_DATA, 'mitdb', `${name}.atr`))).annotations;
    const spans = excludedSpans(anns, rec.numFrames);
    const ref = outside(anns.filter((a) => isBeat(a.symbol)).map((a) => a.sample), spans);
    const det = outside(detectQrs(toPhysical(w!), 360), spans);
    const m = matchBeats(ref, det, 54);
    expect(m.sensitivity).toBeGreaterThan(0.97);
    expect(m.positivePredictivity).toBeGreaterThan(0.99);
    if (name === '100') expect(m.falseNegatives + m.falsePositives).toBeLessThan(5);
  });

  it('matchBeats counts TP, FN and FP within the window', () => {
    expect(matchBeats([100, 200, 300], [105, 260, 301, 400], 10)).toMatchObject({ truePositives: 2, falseNegatives: 1, falsePositives: 2 });
  });
});

describe('beat segmentation', () => {
  it('cuts paper-layout beats (280 @ 360 Hz, R at 90) normalised to [0, 1]', async () => {
    const rec = await openWfdbRecord(join(SHARED_DATA, 'mitdb', '100.hea'));
    const [w] = await readWfdbWindow(rec, { signals: [0], to: 36000 });
    const anns = (await readAnnotations(join(SHARED_DATA, 'mitdb', '100.atr'))).annotations.filter((a) => isBeat(a.symbol) && a.sample < 36000);
    const set = extractBeats(toPhysical(w!), 360, anns.map((a) => ({ sample: a.sample, label: 0 })), BEAT_PRESETS.paper);
    expect(set.length).toBe(280);
    expect(set.count).toBe(anns.filter((a) => a.sample >= 90 && a.sample + 190 <= 36000).length);
    const first = set.values.subarray(0, 280);
    expect(Math.min(...first)).toBe(0);
    expect(Math.max(...first)).toBe(1);
    // The R peak sits at the window's 90th sample: the beat's maximum is within a few samples of it.
    expect(Math.abs(first.indexOf(1) - 90)).toBeLessThan(10);
  });

  it('benchmark layout: 187 @ 125 Hz from the R peak, zero after 1.2 × median RR', () => {
    const fs = 360;
    const x = new Float32Array(fs * 20);
    const peaks = Array.from({ length: 20 }, (_, k) => 100 + k * 300);
    for (const p of peaks) for (let d = -5; d <= 5; d++) x[p + d] = 1 - Math.abs(d) / 5;
    const set = extractBeats(x, fs, peaks.map((s) => ({ sample: s, label: 1 })), BEAT_PRESETS.benchmark);
    expect(set.length).toBe(187);
    const rr125 = Math.round((300 * 125) / 360);
    const cut = Math.round(1.2 * rr125);
    const beat = set.values.subarray(187 * 3, 187 * 4);
    expect(beat.subarray(cut).every((v) => v === 0)).toBe(true);
    expect(beat[0]).toBeGreaterThan(0.8);
  });
});
