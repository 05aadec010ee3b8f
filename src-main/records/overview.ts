// Whole-record summaries for the viewer: every lead min/max-decimated into columns for the
// overview strip (no peak is lost, unlike point-picking decimation), each lead's amplitude range
// so strip heights never change while paging, and the instantaneous heart rate of every beat.
// The record is read in blocks, so a day-long record is never held in memory at once.
import type { LoadedRecord } from './sources.ts';

/** Beyond this many mV from 0 a sample is taken for an artefact (saturation, electrode off), not for the ECG. */
export const AMPLITUDE_LIMIT_MV = 5;
const BLOCK_FRAMES = 1 << 20;

/** Min and max of each of `columns` equal runs of n frames, fed block by block; NaN gaps are skipped. */
export class ColumnExtremes {
  readonly min: Float32Array;
  readonly max: Float32Array;
  private readonly n: number;
  private readonly cols: number;
  constructor(n: number, columns: number) {
    this.n = Math.max(1, n);
    this.cols = Math.max(1, Math.min(columns, this.n));
    this.min = new Float32Array(this.cols).fill(NaN);
    this.max = new Float32Array(this.cols).fill(NaN);
  }

  private start(c: number): number {
    return Math.floor((c * this.n) / this.cols);
  }

  /** Values of frames from `from` on, `samplesPerFrame` values per frame. */
  add(from: number, values: ArrayLike<number>, samplesPerFrame = 1): void {
    let c = Math.min(this.cols - 1, Math.floor((from * this.cols) / this.n));
    while (c > 0 && this.start(c) > from) c--;
    let next = this.start(c + 1);
    for (let k = 0; k < values.length; k++) {
      const frame = from + Math.floor(k / samplesPerFrame);
      while (frame >= next && c < this.cols - 1) next = this.start(++c + 1);
      const v = values[k]!;
      if (Number.isNaN(v)) continue;
      if (!(v >= this.min[c]!)) this.min[c] = v;
      if (!(v <= this.max[c]!)) this.max[c] = v;
    }
  }

  /**
   * The amplitude range a strip must hold: the true extremes (so a single PVC fits its strip),
   * clamped to ±5 mV so a saturated artefact does not make every strip of the record huge.
   */
  range(): { min: number; max: number } {
    let lo = Infinity;
    let hi = -Infinity;
    for (let c = 0; c < this.cols; c++) {
      if (this.min[c]! < lo) lo = this.min[c]!;
      if (this.max[c]! > hi) hi = this.max[c]!;
    }
    if (hi < lo) return { min: -1, max: 1 };
    return { min: Math.max(-AMPLITUDE_LIMIT_MV, lo), max: Math.min(AMPLITUDE_LIMIT_MV, hi) };
  }
}

/** Column extremes of every lead, reading the record in blocks. */
export async function summariseRecord(rec: Pick<LoadedRecord, 'readWindow'>, numFrames: number, columns: number): Promise<ColumnExtremes[]> {
  let acc: ColumnExtremes[] | null = null;
  for (let from = 0; from < numFrames; from += BLOCK_FRAMES) {
    const to = Math.min(numFrames, from + BLOCK_FRAMES);
    const data = await rec.readWindow(from, to);
    acc ??= data.map(() => new ColumnExtremes(numFrames, columns));
    data.forEach((d, i) => acc![i]!.add(from, d, d.length / (to - from)));
  }
  return acc ?? [];
}

/** Instantaneous rate at each beat from the RR interval ending there (the first beat has none). */
export function heartRateSeries(beatSamples: readonly number[], frequency: number): { sample: number; rr: number; bpm: number }[] {
  const out: { sample: number; rr: number; bpm: number }[] = [];
  for (let i = 1; i < beatSamples.length; i++) {
    const rr = (beatSamples[i]! - beatSamples[i - 1]!) / frequency;
    if (rr > 0) out.push({ sample: beatSamples[i]!, rr, bpm: 60 / rr });
  }
  return out;
}
