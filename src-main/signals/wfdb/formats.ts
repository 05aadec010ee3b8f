// Decoders for WFDB signal formats (WFDB signal(5)). Each format stores a stream of
// samples, interleaved across the signals of one file, in fixed-size byte groups.

export const INVALID = -2147483648; // our in-memory "no sample" marker (a gap, never a value)

export interface Group {
  samples: number;
  bytes: number;
}

export const GROUPS: Record<number, Group> = {
  8: { samples: 1, bytes: 1 },
  16: { samples: 1, bytes: 2 },
  61: { samples: 1, bytes: 2 },
  80: { samples: 1, bytes: 1 },
  160: { samples: 1, bytes: 2 },
  212: { samples: 2, bytes: 3 },
  310: { samples: 3, bytes: 4 },
  311: { samples: 3, bytes: 4 },
  24: { samples: 1, bytes: 3 },
  32: { samples: 1, bytes: 4 },
};

/** The stored value each format reserves for "invalid sample". */
export const INVALID_STORED: Record<number, number> = { 16: -32768, 61: -32768, 80: -128, 160: -32768, 212: -2048, 310: -512, 311: -512, 24: -8388608, 32: -2147483648 };

const sx = (v: number, bits: number): number => (v << (32 - bits)) >> (32 - bits);

/** Bytes needed to hold `n` samples of a format (the last group may be partial). */
export function bytesForSamples(format: number, n: number): number {
  switch (format) {
    case 212:
      return Math.ceil((n * 3) / 2);
    case 310:
    case 311:
      return Math.floor(n / 3) * 4 + [0, 2, 4][n % 3]!;
    default:
      return n * GROUPS[format]!.bytes;
  }
}

/** Whole samples contained in `bytes` bytes of a format. */
export function samplesInBytes(format: number, bytes: number): number {
  switch (format) {
    case 212:
      return Math.floor((bytes * 2) / 3);
    case 310:
    case 311: {
      const rest = bytes % 4;
      return Math.floor(bytes / 4) * 3 + (rest >= 2 ? 1 : 0);
    }
    default:
      return Math.floor(bytes / GROUPS[format]!.bytes);
  }
}

/**
 * Decodes up to `count` samples from `buf` (which starts on a group boundary) into `out`.
 * Format 8 yields the raw first differences; the record reader integrates them per signal.
 * Returns how many samples were decoded (fewer when the bytes run out).
 */
export function decode(format: number, buf: Uint8Array, count: number, out: Int32Array): number {
  const n = Math.min(count, samplesInBytes(format, buf.length), out.length);
  const inv = INVALID_STORED[format];
  let i = 0;
  switch (format) {
    case 8:
      for (; i < n; i++) out[i] = sx(buf[i]!, 8);
      return n;
    case 80:
      for (; i < n; i++) out[i] = buf[i]! - 128;
      break;
    case 16:
      for (; i < n; i++) out[i] = sx(buf[2 * i]! | (buf[2 * i + 1]! << 8), 16);
      break;
    case 61:
      for (; i < n; i++) out[i] = sx((buf[2 * i]! << 8) | buf[2 * i + 1]!, 16);
      break;
    case 160:
      for (; i < n; i++) out[i] = (buf[2 * i]! | (buf[2 * i + 1]! << 8)) - 32768;
      break;
    case 24:
      for (; i < n; i++) out[i] = sx(buf[3 * i]! | (buf[3 * i + 1]! << 8) | (buf[3 * i + 2]! << 16), 24);
      break;
    case 32:
      for (; i < n; i++) out[i] = buf[4 * i]! | (buf[4 * i + 1]! << 8) | (buf[4 * i + 2]! << 16) | (buf[4 * i + 3]! << 24);
      break;
    case 212:
      for (; i < n; i++) {
        const g = (i >> 1) * 3;
        out[i] = i & 1 ? sx(buf[g + 2]! | ((buf[g + 1]! & 0xf0) << 4), 12) : sx(buf[g]! | ((buf[g + 1]! & 0x0f) << 8), 12);
      }
      break;
    case 310:
      // Two little-endian 16-bit words hold three 10-bit samples: bits 1-10 of each word,
      // and the third split across bits 11-15 of the first (low half) and second word.
      for (; i < n; i++) {
        const g = Math.floor(i / 3) * 4;
        const w0 = buf[g]! | (buf[g + 1]! << 8);
        const k = i % 3;
        if (k === 0) out[i] = sx((w0 >> 1) & 0x3ff, 10);
        else {
          const w1 = buf[g + 2]! | (buf[g + 3]! << 8);
          out[i] = k === 1 ? sx((w1 >> 1) & 0x3ff, 10) : sx(((w0 >> 11) & 0x1f) | (((w1 >> 11) & 0x1f) << 5), 10);
        }
      }
      break;
    case 311:
      // One little-endian 32-bit word holds three 10-bit samples in bits 0-9, 10-19, 20-29.
      for (; i < n; i++) {
        const g = Math.floor(i / 3) * 4;
        const w = (buf[g]! | (buf[g + 1]! << 8) | ((buf[g + 2] ?? 0) << 16) | ((buf[g + 3] ?? 0) << 24)) >>> 0;
        out[i] = sx((w >>> (10 * (i % 3))) & 0x3ff, 10);
      }
      break;
    default:
      throw new Error(`format ${format} has no decoder`);
  }
  if (inv !== undefined) for (let j = 0; j < n; j++) if (out[j] === inv) out[j] = INVALID;
  return n;
}
