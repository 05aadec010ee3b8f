// Whole-record summaries for the viewer: a min/max-decimated lead for the overview strip
// (no peak is lost, unlike point-picking decimation), each lead's amplitude range so strip
// heights never change while paging, and the instantaneous heart rate of every beat.

/** Min and max of each of `columns` equal runs of samples; NaN gaps are skipped (NaN where a run is all gap). */
export function minMaxColumns(values: ArrayLike<number>, from: number, to: number, columns: number): { min: Float32Array; max: Float32Array } {
  const n = Math.max(0, to - from);
  const cols = Math.max(1, Math.min(columns, n));
  const min = new Float32Array(cols).fill(NaN);
  const max = new Float32Array(cols).fill(NaN);
  for (let c = 0; c < cols; c++) {
    const a = from + Math.floor((c * n) / cols);
    const b = from + Math.floor(((c + 1) * n) / cols);
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = a; i < b; i++) {
      const v = values[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (hi >= lo) {
      min[c] = lo;
      max[c] = hi;
    }
  }
  return { min, max };
}

/** Beyond this many mV from 0 a sample is taken for an artefact (saturation, electrode off), not for the ECG. */
export const AMPLITUDE_LIMIT_MV = 5;

/**
 * The amplitude range a lead's strip must hold: the record's true extremes (so a single PVC
 * fits its strip), clamped to ±5 mV so a saturated artefact does not make every strip huge.
 */
export function amplitudeRange(values: Float32Array): { min: number; max: number } {
  const { min, max } = minMaxColumns(values, 0, values.length, 1);
  if (!Number.isFinite(min[0]!)) return { min: -1, max: 1 };
  return { min: Math.max(-AMPLITUDE_LIMIT_MV, min[0]!), max: Math.min(AMPLITUDE_LIMIT_MV, max[0]!) };
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
