// MIT-format annotation files (WFDB annot(5)): a stream of 16-bit little-endian words,
// 6-bit type A and 10-bit field I. SKIP precedes the annotation it delays; NUM, SUB, CHN
// and AUX follow the annotation they modify; num and chan carry over between annotations.
import { AAMI_CLASSES, type AamiClass } from '../../../src-shared/contract/index.ts';
import { readFile } from 'node:fs/promises';
import { fail } from '../errors.ts';

const SKIP = 59;
const NUM = 60;
const SUB = 61;
const CHN = 62;
const AUX = 63;

/** Standard mnemonics by code (WFDB ecgcodes.h / ecgmap.h). */
export const MNEMONICS: Record<number, string> = {
  0: '',
  1: 'N', 2: 'L', 3: 'R', 4: 'a', 5: 'V', 6: 'F', 7: 'J', 8: 'A', 9: 'S', 10: 'E', 11: 'j', 12: '/', 13: 'Q', 14: '~',
  16: '|', 18: 's', 19: 'T', 20: '*', 21: 'D', 22: '"', 23: '=', 24: 'p', 25: 'B', 26: '^', 27: 't', 28: '+', 29: 'u',
  30: '?', 31: '!', 32: '[', 33: ']', 34: 'e', 35: 'n', 36: '@', 37: 'x', 38: 'f', 39: '(', 40: ')', 41: 'r',
};

export const DESCRIPTIONS: Record<string, string> = {
  N: 'Normal beat', L: 'Left bundle branch block beat', R: 'Right bundle branch block beat', a: 'Aberrated atrial premature beat',
  V: 'Premature ventricular contraction', F: 'Fusion of ventricular and normal beat', J: 'Nodal (junctional) premature beat',
  A: 'Atrial premature beat', S: 'Supraventricular premature or ectopic beat', E: 'Ventricular escape beat', j: 'Nodal (junctional) escape beat',
  '/': 'Paced beat', Q: 'Unclassifiable beat', '~': 'Change in signal quality', '|': 'Isolated QRS-like artifact', s: 'ST change', T: 'T-wave change',
  '*': 'Systole', D: 'Diastole', '"': 'Comment annotation', '=': 'Measurement annotation', p: 'P-wave peak', B: 'Bundle branch block beat (unspecified)',
  '^': 'Non-conducted pacer spike', t: 'T-wave peak', '+': 'Rhythm change', u: 'U-wave peak', '?': 'Learning', '!': 'Ventricular flutter wave',
  '[': 'Start of ventricular flutter/fibrillation', ']': 'End of ventricular flutter/fibrillation', e: 'Atrial escape beat', n: 'Supraventricular escape beat',
  '@': 'Link to external data', x: 'Non-conducted P-wave (blocked APC)', f: 'Fusion of paced and normal beat', '(': 'Waveform onset', ')': 'Waveform end',
  r: 'R-on-T premature ventricular contraction',
};

/** Beat-label → AAMI EC57 class (N, S, V, F, Q), as de Chazal et al. (2004) apply it. */
export const AAMI: Record<string, AamiClass> = {
  N: 'N', L: 'N', R: 'N', e: 'N', j: 'N', B: 'N',
  A: 'S', a: 'S', J: 'S', S: 'S', n: 'S',
  V: 'V', E: 'V', r: 'V',
  F: 'F',
  '/': 'Q', f: 'Q', Q: 'Q',
};
export { AAMI_CLASSES, type AamiClass };

export interface Annotation {
  /** Sample number (at the annotation file's time resolution; see `frequency`). */
  sample: number;
  code: number;
  symbol: string;
  subtype: number;
  chan: number;
  num: number;
  aux: string | null;
}

export interface AnnotationSet {
  annotations: Annotation[];
  /** Custom codes defined in the file ("## annotation type definitions"). */
  customTypes: Record<number, { symbol: string; description: string }>;
  /** Time resolution declared in the file, if any ("## time resolution: F"). */
  frequency: number | null;
}

export function isBeat(symbol: string): boolean {
  return symbol in AAMI;
}

export function parseAnnotations(bytes: Uint8Array, file: string): AnnotationSet {
  if (bytes.length % 2 !== 0) fail(file, `annotation file has an odd length (${bytes.length} bytes); it is truncated or not MIT format`);
  const out: Annotation[] = [];
  let time = 0;
  let pendingSkip = 0;
  let chan = 0;
  let num = 0;
  let cur: Annotation | null = null;
  let i = 0;
  const word = (at: number): number => bytes[at]! | (bytes[at + 1]! << 8);
  while (i + 1 < bytes.length) {
    const w = word(i);
    i += 2;
    if (w === 0) break; // end of file
    const a = w >> 10;
    const field = w & 0x3ff;
    switch (a) {
      case SKIP: {
        if (i + 4 > bytes.length) fail(file, `truncated SKIP at byte ${i - 2}`);
        // 32-bit interval stored as two 16-bit words, high word first.
        pendingSkip += ((word(i) << 16) | word(i + 2)) | 0;
        i += 4;
        break;
      }
      case NUM:
        if (!cur) fail(file, `NUM before any annotation at byte ${i - 2}`);
        cur.num = num = field;
        break;
      case SUB:
        if (!cur) fail(file, `SUB before any annotation at byte ${i - 2}`);
        cur.subtype = field;
        break;
      case CHN:
        if (!cur) fail(file, `CHN before any annotation at byte ${i - 2}`);
        cur.chan = chan = field;
        break;
      case AUX: {
        if (!cur) fail(file, `AUX before any annotation at byte ${i - 2}`);
        if (i + field > bytes.length) fail(file, `AUX string at byte ${i - 2} runs past the end of the file`);
        let text = '';
        for (let k = 0; k < field; k++) text += String.fromCharCode(bytes[i + k]!);
        cur.aux = text.replace(/\0+$/, '');
        i += field + (field & 1);
        break;
      }
      default:
        time += pendingSkip + field;
        pendingSkip = 0;
        cur = { sample: time, code: a, symbol: MNEMONICS[a] ?? `[${a}]`, subtype: 0, chan, num, aux: null };
        out.push(cur);
    }
  }
  // Custom type definitions and time resolution live in NOTE annotations at the start.
  const customTypes: AnnotationSet['customTypes'] = {};
  let frequency: number | null = null;
  let inDefs = false;
  for (const ann of out) {
    if (ann.code !== 22 || ann.aux === null) continue;
    const text = ann.aux.trim();
    const res = /^## time resolution: ([0-9.]+)/.exec(text);
    if (res) frequency = Number(res[1]);
    else if (text.startsWith('## annotation type definitions')) inDefs = true;
    else if (text.startsWith('## end of definitions')) inDefs = false;
    else if (inDefs) {
      const m = /^(\d+)\s+(\S+)\s*(.*)$/.exec(text);
      if (m) customTypes[Number(m[1])] = { symbol: m[2]!, description: m[3]! };
    }
  }
  for (const ann of out) {
    const custom = customTypes[ann.code];
    if (custom) ann.symbol = custom.symbol;
  }
  return { annotations: out, customTypes, frequency };
}

export async function readAnnotations(path: string): Promise<AnnotationSet> {
  const bytes = await readFile(path).catch((e: NodeJS.ErrnoException) => fail(path, `cannot read annotations (${e.code ?? e.message})`));
  return parseAnnotations(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
}

/** Counts of beats per AAMI class, plus the count of beat labels outside the mapping. */
export function aamiCounts(annotations: Annotation[]): Record<AamiClass, number> {
  const counts: Record<AamiClass, number> = { N: 0, S: 0, V: 0, F: 0, Q: 0 };
  for (const a of annotations) {
    const c = AAMI[a.symbol];
    if (c) counts[c]++;
  }
  return counts;
}
