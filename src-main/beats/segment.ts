// Fixed windows around each R peak, resampled to the dataset's rate and normalised per beat.
import { resample } from './resample.ts';

import type { BeatWindowSpec } from '../../src-shared/contract/index.ts';

export type { BeatWindowSpec };

export const BEAT_PRESETS = {
  /** ECG-ATK-GAN: 280 samples at the MIT-BIH rate (360 Hz), R peak at 90. */
  paper: { frequency: 360, before: 90, length: 280, truncateRR: null, normalise: 'minmax' },
  /** Kachuee et al. 2018 benchmark: 187 samples at 125 Hz from the R peak, cut after 1.2 × median RR. */
  benchmark: { frequency: 125, before: 0, length: 187, truncateRR: 1.2, normalise: 'minmax' },
} as const satisfies Record<string, BeatWindowSpec>;
export type BeatPreset = keyof typeof BEAT_PRESETS;

export interface Peak {
  sample: number;
  label: number;
}

export interface BeatSet {
  length: number;
  count: number;
  values: Float32Array;
  labels: Int32Array;
  /** R-peak sample of each beat in the source record (at the source rate). */
  positions: Int32Array;
}

function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  return s.length ? s[Math.floor(s.length / 2)]! : 0;
}

/** Cuts one beat per peak; beats that run off the record or cross a gap are skipped. */
export function extractBeats(signal: Float32Array, fs: number, peaks: Peak[], spec: BeatWindowSpec): BeatSet {
  const x = fs === spec.frequency ? signal : resample(signal, fs, spec.frequency);
  const ratio = spec.frequency / fs;
  const rs = peaks.map((p) => Math.round(p.sample * ratio));
  const values = new Float32Array(peaks.length * spec.length);
  const labels: number[] = [];
  const positions: number[] = [];
  const beat = new Float32Array(spec.length);
  peaks.forEach((p, k) => {
    const start = rs[k]! - spec.before;
    if (start < 0 || start + spec.length > x.length) return;
    let ok = true;
    for (let i = 0; i < spec.length; i++) {
      const v = x[start + i]!;
      if (!Number.isFinite(v)) {
        ok = false;
        break;
      }
      beat[i] = v;
    }
    if (!ok) return;
    if (spec.normalise === 'minmax') {
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of beat) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      const span = hi - lo || 1;
      for (let i = 0; i < beat.length; i++) beat[i] = (beat[i]! - lo) / span;
    }
    if (spec.truncateRR !== null) {
      const rr: number[] = [];
      for (let j = Math.max(1, k - 5); j <= Math.min(rs.length - 1, k + 5); j++) rr.push(rs[j]! - rs[j - 1]!);
      const cut = spec.before + Math.round(spec.truncateRR * median(rr));
      if (rr.length) for (let i = Math.max(0, cut); i < beat.length; i++) beat[i] = 0;
    }
    values.set(beat, labels.length * spec.length);
    labels.push(p.label);
    positions.push(p.sample);
  });
  return { length: spec.length, count: labels.length, values: values.slice(0, labels.length * spec.length), labels: Int32Array.from(labels), positions: Int32Array.from(positions) };
}
