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

/**
 * WFDB mstimstr for records with a base time: "[hh:mm:ss.mmm dd/mm/yyyy]" (date only when the
 * header has one), the wall-clock time of the sample.
 */
export function absoluteTime(sample: number, fs: number, baseTime: string, baseDate: string | null): string {
  const [h = 0, m = 0, sec = 0] = baseTime.split(':').map(Number);
  let ms = Math.round((h * 3600 + m * 60 + sec) * 1000 + (sample * 1000) / fs);
  const days = Math.floor(ms / 86_400_000);
  ms -= days * 86_400_000;
  const two = (v: number): string => String(v).padStart(2, '0');
  const clock = `${two(Math.floor(ms / 3_600_000))}:${two(Math.floor(ms / 60_000) % 60)}:${two(Math.floor(ms / 1000) % 60)}.${String(ms % 1000).padStart(3, '0')}`;
  if (!baseDate) return `[${clock}]`;
  const [d = 1, mo = 1, y = 1970] = baseDate.split('/').map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d + days));
  return `[${clock} ${two(date.getUTCDate())}/${two(date.getUTCMonth() + 1)}/${date.getUTCFullYear()}]`;
}

/** rdann's line: time, sample (%7ld), type (%6s), sub, chan, num (%5d each), then a tab and the aux string. */
export function rdannLine(a: Annotation, fs: number, base: { time: string | null; date: string | null } = { time: null, date: null }): string {
  const aux = a.aux !== null ? `\t${a.aux}` : '';
  const time = base.time ? absoluteTime(a.sample, fs, base.time, base.date) : elapsedTime(a.sample, fs);
  return `${time}  ${pad(String(a.sample), 7)}${pad(a.symbol, 6)}${pad(String(a.subtype), 5)}${pad(String(a.chan), 5)}${pad(String(a.num), 5)}${aux}`;
}
