// QRS detection after Pan & Tompkins (IEEE TBME 1985): band-pass 5–15 Hz, derivative,
// squaring, 150 ms moving-window integration, adaptive signal/noise thresholds with
// search-back for missed beats and T-wave discrimination. Works at any sampling rate.

export interface QrsOptions {
  /** Refractory period in seconds. */
  refractory?: number;
}

function bandpass(x: Float32Array, fs: number): Float64Array {
  // Second-order Butterworth high-pass at 5 Hz then low-pass at 15 Hz, run forwards and
  // backwards (zero phase) so R-peak positions are not delayed.
  const biquad = (input: Float64Array, b: number[], a: number[]): Float64Array => {
    const y = new Float64Array(input.length);
    let x1 = 0, x2 = 0, y1 = 0, y2 = 0;
    for (let i = 0; i < input.length; i++) {
      const xi = input[i]!;
      const yi = b[0]! * xi + b[1]! * x1 + b[2]! * x2 - a[1]! * y1 - a[2]! * y2;
      x2 = x1; x1 = xi; y2 = y1; y1 = yi;
      y[i] = yi;
    }
    return y;
  };
  const design = (fc: number, high: boolean): [number[], number[]] => {
    const k = Math.tan((Math.PI * fc) / fs);
    const q = Math.SQRT1_2;
    const norm = 1 / (1 + k / q + k * k);
    const b = high ? [norm, -2 * norm, norm] : [k * k * norm, 2 * k * k * norm, k * k * norm];
    const a = [1, 2 * (k * k - 1) * norm, (1 - k / q + k * k) * norm];
    return [b, a];
  };
  const filtfilt = (input: Float64Array, b: number[], a: number[]): Float64Array => {
    const fwd = biquad(input, b, a);
    fwd.reverse();
    const back = biquad(fwd, b, a);
    return back.reverse();
  };
  let y: Float64Array = Float64Array.from(x, (v) => (Number.isFinite(v) ? v : 0));
  const [bh, ah] = design(5, true);
  const [bl, al] = design(15, false);
  y = filtfilt(y, bh, ah);
  y = filtfilt(y, bl, al);
  return y;
}

/** Returns the sample indices of detected R peaks in one lead. */
export function detectQrs(signal: Float32Array, fs: number, opts: QrsOptions = {}): number[] {
  const n = signal.length;
  if (n < fs) return [];
  const filtered = bandpass(signal, fs);
  // Five-point derivative, squaring, moving-window integration (150 ms).
  const sq = new Float64Array(n);
  for (let i = 2; i < n - 2; i++) {
    const d = (-filtered[i - 2]! - 2 * filtered[i - 1]! + 2 * filtered[i + 1]! + filtered[i + 2]!) / 8;
    sq[i] = d * d;
  }
  const win = Math.max(1, Math.round(0.15 * fs));
  const mwi = new Float64Array(n);
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc += sq[i]!;
    if (i >= win) acc -= sq[i - win]!;
    mwi[i] = acc / win;
  }
  const refractory = Math.round((opts.refractory ?? 0.2) * fs);
  const half = Math.round(0.075 * fs);

  // Candidate peaks: every local maximum of the integrated signal (50 ms apart, so ripples merge);
  // the adaptive thresholds below decide which are QRS complexes.
  const minDist = Math.round(0.05 * fs);
  const peaks: number[] = [];
  for (let i = 1; i < n - 1; i++) {
    if (mwi[i]! > mwi[i - 1]! && mwi[i]! >= mwi[i + 1]!) {
      if (peaks.length && i - peaks[peaks.length - 1]! < minDist) {
        if (mwi[i]! > mwi[peaks[peaks.length - 1]!]!) peaks[peaks.length - 1] = i;
      } else peaks.push(i);
    }
  }

  // Initialise thresholds on the first 2 s.
  const init = Math.min(n, Math.round(2 * fs));
  let maxInit = 0;
  let meanInit = 0;
  for (let i = 0; i < init; i++) {
    maxInit = Math.max(maxInit, mwi[i]!);
    meanInit += mwi[i]!;
  }
  meanInit /= init;
  let spki = maxInit / 3;
  let npki = meanInit / 2;
  let thr1 = npki + 0.25 * (spki - npki);
  // Second threshold pair on the band-passed signal's R amplitude (the original's dual check).
  let maxF = 0;
  let meanF = 0;
  for (let i = 0; i < init; i++) {
    maxF = Math.max(maxF, Math.abs(filtered[i]!));
    meanF += Math.abs(filtered[i]!);
  }
  meanF /= init;
  let spkf = maxF / 3;
  let npkf = meanF / 2;
  let thrF = npkf + 0.25 * (spkf - npkf);

  const qrs: number[] = [];
  const rr: number[] = [];
  let lastQrs = -Infinity;
  let lastSlope = 0;
  const slopeAt = (i: number): number => {
    let m = 0;
    for (let k = Math.max(1, i - half); k <= i; k++) m = Math.max(m, Math.abs(filtered[k]! - filtered[k - 1]!));
    return m;
  };
  // R peak = max |filtered| near the integrated peak (the integrator lags by ~ the window).
  const locateR = (i: number): number => {
    let best = i;
    let bestV = -Infinity;
    for (let k = Math.max(0, i - win - half); k <= Math.min(n - 1, i + half); k++) {
      const v = Math.abs(filtered[k]!);
      if (v > bestV) {
        bestV = v;
        best = k;
      }
    }
    return best;
  };
  const accept = (i: number, searchBack: boolean): void => {
    const r = locateR(i);
    if (qrs.length && r - qrs[qrs.length - 1]! < refractory) return;
    if (qrs.length) rr.push(r - qrs[qrs.length - 1]!);
    qrs.push(r);
    lastQrs = i;
    lastSlope = slopeAt(i);
    spki = searchBack ? 0.25 * mwi[i]! + 0.75 * spki : 0.125 * mwi[i]! + 0.875 * spki;
    const f = Math.abs(filtered[r]!);
    spkf = searchBack ? 0.25 * f + 0.75 * spkf : 0.125 * f + 0.875 * spkf;
    thrF = npkf + 0.25 * (spkf - npkf);
  };

  let lastPeakIdx = 0;
  for (let p = 0; p < peaks.length; p++) {
    const i = peaks[p]!;
    // Search back when no beat was found for 1.66 × the recent mean RR.
    const recent = rr.slice(-8);
    const meanRR = recent.length ? recent.reduce((a, b) => a + b, 0) / recent.length : fs;
    if (qrs.length && i - lastQrs > 1.66 * meanRR) {
      let best = -1;
      for (let q = lastPeakIdx; q < p; q++) {
        const c = peaks[q]!;
        if (c - lastQrs > refractory && mwi[c]! > 0.5 * thr1 && Math.abs(filtered[locateR(c)]!) > 0.5 * thrF && (best < 0 || mwi[c]! > mwi[best]!)) best = c;
      }
      if (best >= 0) accept(best, true);
    }
    if (i - lastQrs < refractory) continue;
    const fAmp = Math.abs(filtered[locateR(i)]!);
    if (mwi[i]! > thr1 && fAmp > thrF) {
      // Within 360 ms of the last beat, a peak with less than half its slope is a T wave.
      if (qrs.length && i - lastQrs < 0.36 * fs && slopeAt(i) < 0.5 * lastSlope) {
        npki = 0.125 * mwi[i]! + 0.875 * npki;
        npkf = 0.125 * fAmp + 0.875 * npkf;
      } else {
        accept(i, false);
        lastPeakIdx = p + 1;
      }
    } else {
      npki = 0.125 * mwi[i]! + 0.875 * npki;
      npkf = 0.125 * fAmp + 0.875 * npkf;
    }
    thr1 = npki + 0.25 * (spki - npki);
    thrF = npkf + 0.25 * (spkf - npkf);
  }
  return qrs;
}

export interface MatchResult {
  truePositives: number;
  falseNegatives: number;
  falsePositives: number;
  sensitivity: number;
  positivePredictivity: number;
}

/** Beat-by-beat match within ±window samples (150 ms is the EC57 convention). */
export function matchBeats(reference: number[], detected: number[], window: number): MatchResult {
  let i = 0;
  let j = 0;
  let tp = 0;
  while (i < reference.length && j < detected.length) {
    const d = detected[j]! - reference[i]!;
    if (Math.abs(d) <= window) {
      tp++;
      i++;
      j++;
    } else if (d < 0) j++;
    else i++;
  }
  const fn = reference.length - tp;
  const fp = detected.length - tp;
  return { truePositives: tp, falseNegatives: fn, falsePositives: fp, sensitivity: tp / Math.max(1, tp + fn), positivePredictivity: tp / Math.max(1, tp + fp) };
}

/**
 * Sample ranges EC57 leaves out of QRS-detection scoring: ventricular flutter/fibrillation
 * episodes, marked by '[' … ']' annotations or by (VF / (VFL rhythm labels.
 */
export function excludedSpans(annotations: { sample: number; symbol: string; aux: string | null }[], end: number): [number, number][] {
  const spans: [number, number][] = [];
  let open: number | null = null;
  for (const a of annotations) {
    const startsVf = a.symbol === '[' || (a.symbol === '+' && /^\(VF/.test(a.aux ?? ''));
    const endsVf = a.symbol === ']' || (a.symbol === '+' && open !== null && !/^\(VF/.test(a.aux ?? ''));
    if (open === null && startsVf) open = a.sample;
    else if (open !== null && endsVf) {
      spans.push([open, a.sample]);
      open = null;
    }
  }
  if (open !== null) spans.push([open, end]);
  return spans;
}

export function outside(samples: number[], spans: [number, number][]): number[] {
  return samples.filter((s) => !spans.some(([a, b]) => s >= a && s <= b));
}
