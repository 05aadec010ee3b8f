// Text output in the layouts of WFDB's rdsamp and rdann, so auditors can diff against them.
import { INVALID } from './formats.ts';
import type { Annotation } from './annotations.ts';

const pad = (s: string, w: number): string => s.padStart(w, ' ');

/** rdsamp's sample line without the sample-number column: "\t%5d" per signal (raw) or "\t%7.3f" (physical). */
export function rdsampLine(values: number[], physical: boolean): string {
  return values
    .map((v) => {
      if (physical) return Number.isFinite(v) ? pad(v.toFixed(3), 7) : pad('-', 7);
      return pad(String(v === INVALID ? -32768 : v), 5);
    })
    .join('\t');
}

/** WFDB mstimstr for elapsed time: "   mm:ss.mmm" or "hh:mm:ss.mmm", 12 characters wide. */
export function elapsedTime(sample: number, fs: number): string {
  let s = Math.floor(sample / fs);
  let ms = Math.round(((sample - s * fs) * 1000) / fs);
  if (ms === 1000) {
    ms = 0;
    s++;
  }
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const tail = `${String(sec).padStart(2, '0')}.${String(ms).padStart(3, '0')}`;
  return h > 0 ? `${pad(String(h), 2)}:${String(m).padStart(2, '0')}:${tail}` : `   ${pad(String(m), 2)}:${tail}`;
}

/** rdann's line: time, sample (%7ld), type (%6s), sub, chan, num (%5d each), then a tab and the aux string. */
export function rdannLine(a: Annotation, fs: number): string {
  const aux = a.aux !== null ? `\t${a.aux}` : '';
  return `${elapsedTime(a.sample, fs)}  ${pad(String(a.sample), 7)}${pad(a.symbol, 6)}${pad(String(a.subtype), 5)}${pad(String(a.chan), 5)}${pad(String(a.num), 5)}${aux}`;
}
