// Band-limited resampling: each output sample is a Kaiser-windowed-sinc interpolation of
// the input, with the low-pass cutoff at the lower of the two Nyquist frequencies, so
// down-sampling does not alias (unlike nearest-neighbour or linear interpolation).
import { gcd } from '../common/math.ts';

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return sum;
}

export interface ResampleOptions {
  /** Zero crossings of the sinc on each side (filter length). */
  zeros?: number;
  /** Kaiser window beta (stop-band attenuation vs transition width). */
  beta?: number;
}

/** Resamples x from rate `from` to rate `to` (Hz). NaN samples stay NaN-propagating (gaps remain gaps). */
export function resample(x: Float32Array, from: number, to: number, opts: ResampleOptions = {}): Float32Array {
  if (from === to) return Float32Array.from(x);
  if (!(from > 0) || !(to > 0)) throw new Error(`resample: rates must be positive (got ${from} → ${to})`);
  const zeros = opts.zeros ?? 16;
  const beta = opts.beta ?? 8.6;
  const ratio = to / from;
  const cutoff = Math.min(1, ratio); // fraction of the input Nyquist frequency
  const halfWidth = zeros / cutoff; // in input samples
  const n = Math.floor((x.length * to) / from);
  const out = new Float32Array(n);
  // Tabulate the window once; the inner loop then costs a lookup instead of a Bessel series.
  const TABLE = 4096;
  const window = new Float64Array(TABLE + 2);
  const i0beta = besselI0(beta);
  for (let j = 0; j <= TABLE + 1; j++) {
    const u = Math.min(1, j / TABLE);
    window[j] = besselI0(beta * Math.sqrt(1 - u * u)) / i0beta;
  }
  const tap = (d: number): number => {
    const pos = (Math.abs(d) / halfWidth) * TABLE;
    if (pos >= TABLE) return 0;
    const j = Math.floor(pos);
    const w = window[j]! + (window[j + 1]! - window[j]!) * (pos - j);
    const arg = Math.PI * d * cutoff;
    return (arg === 0 ? 1 : Math.sin(arg) / arg) * w;
  };
  // Integer rates: output times repeat their fractional offset every `up` samples, so a bank
  // of `up` filters (polyphase) serves the whole signal.
  const g = gcd(Math.round(from), Math.round(to));
  const up = Math.round(to) / g;
  const down = Math.round(from) / g;
  if (Number.isInteger(from) && Number.isInteger(to) && up <= 4096) {
    const span = Math.ceil(halfWidth) + 1;
    const bank: Float64Array[] = [];
    const sums: number[] = [];
    for (let phase = 0; phase < up; phase++) {
      const frac = (phase * down) / up - Math.floor((phase * down) / up);
      const h = new Float64Array(2 * span + 1);
      let sum = 0;
      for (let k = -span; k <= span; k++) {
        h[k + span] = tap(frac - k);
        sum += h[k + span]!;
      }
      bank.push(h);
      sums.push(sum);
    }
    for (let m = 0; m < n; m++) {
      const base = Math.floor((m * down) / up);
      const h = bank[m % up]!;
      let acc = 0;
      let norm = 0;
      const k0 = Math.max(-span, -base);
      const k1 = Math.min(span, x.length - 1 - base);
      for (let k = k0; k <= k1; k++) {
        const hk = h[k + span]!;
        acc += x[base + k]! * hk;
        norm += hk;
      }
      out[m] = norm !== 0 ? acc / norm : NaN;
    }
    return out;
  }
  for (let m = 0; m < n; m++) {
    const t = m / ratio; // position in input samples
    const k0 = Math.max(0, Math.ceil(t - halfWidth));
    const k1 = Math.min(x.length - 1, Math.floor(t + halfWidth));
    let acc = 0;
    let norm = 0;
    for (let k = k0; k <= k1; k++) {
      const d = t - k;
      const pos = (Math.abs(d) / halfWidth) * TABLE;
      const j = Math.floor(pos);
      const w = window[j]! + (window[j + 1]! - window[j]!) * (pos - j);
      const arg = Math.PI * d * cutoff;
      const h = (arg === 0 ? 1 : Math.sin(arg) / arg) * w;
      acc += x[k]! * h;
      norm += h;
    }
    // Normalising by the tap sum keeps DC gain 1, including near the edges.
    out[m] = norm !== 0 ? acc / norm : NaN;
  }
  return out;
}
