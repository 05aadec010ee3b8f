// EDF and EDF+ reader (Kemp et al. 1992; EDF+ 2003). 16-bit little-endian samples in data
// records; EDF+ "EDF Annotations" signals carry time-stamped annotation lists (TALs).
import { readFile } from 'node:fs/promises';
import { fail } from './errors.ts';

export interface EdfSignal {
  label: string;
  transducer: string;
  units: string;
  physicalMin: number;
  physicalMax: number;
  digitalMin: number;
  digitalMax: number;
  prefiltering: string;
  samplesPerRecord: number;
  frequency: number;
}

export interface EdfAnnotation {
  onset: number;
  duration: number | null;
  text: string;
}

export interface EdfFile {
  version: string;
  patient: string;
  recording: string;
  startDate: string;
  startTime: string;
  plus: 'EDF+C' | 'EDF+D' | null;
  numRecords: number;
  recordDuration: number;
  signals: EdfSignal[];
  /** Physical values per ordinary signal (annotation signals excluded). */
  data: Float32Array[];
  /** Digital values, for cross-checks against other formats. */
  digital: Int16Array[];
  annotations: EdfAnnotation[];
}

const ascii = (b: Uint8Array, start: number, len: number): string => {
  let s = '';
  for (let i = start; i < start + len; i++) s += String.fromCharCode(b[i]!);
  return s.trim();
};

export function parseEdf(bytes: Uint8Array, file: string): EdfFile {
  if (bytes.length < 256) fail(file, `too short for an EDF header (${bytes.length} bytes, need 256)`);
  const field = (start: number, len: number, what: string, integer = false): number => {
    const text = ascii(bytes, start, len);
    const v = Number(text);
    if (text === '' || !Number.isFinite(v) || (integer && !Number.isInteger(v))) fail(file, `header field "${what}" is "${text}", not a number`);
    return v;
  };
  const version = ascii(bytes, 0, 8);
  if (version !== '0') fail(file, `not an EDF file (version field is "${version}", expected "0")`);
  const headerBytes = field(184, 8, 'header bytes', true);
  const reserved = ascii(bytes, 192, 44);
  const plus = reserved.startsWith('EDF+C') ? 'EDF+C' : reserved.startsWith('EDF+D') ? 'EDF+D' : null;
  let numRecords = field(236, 8, 'number of data records', true);
  const recordDuration = field(244, 8, 'duration of a data record');
  const ns = field(252, 4, 'number of signals', true);
  if (ns < 1 || ns > 4096) fail(file, `number of signals ${ns} is out of range`);
  if (headerBytes !== 256 * (ns + 1)) fail(file, `header size ${headerBytes} does not match ${ns} signals (expected ${256 * (ns + 1)})`);
  if (bytes.length < headerBytes) fail(file, `file ends inside the header (${bytes.length} of ${headerBytes} bytes)`);
  const at = (offset: number, width: number, i: number): number => 256 + ns * offset + i * width;
  const signals: EdfSignal[] = [];
  for (let i = 0; i < ns; i++) {
    const label = ascii(bytes, at(0, 16, i), 16);
    const spr = field(at(216, 8, i), 8, `samples per record of signal ${i}`, true);
    if (spr < 1) fail(file, `signal ${i} (${label}) has ${spr} samples per record`);
    const s: EdfSignal = {
      label,
      transducer: ascii(bytes, at(16, 80, i), 80),
      units: ascii(bytes, at(96, 8, i), 8),
      physicalMin: field(at(104, 8, i), 8, `physical minimum of signal ${i}`),
      physicalMax: field(at(112, 8, i), 8, `physical maximum of signal ${i}`),
      digitalMin: field(at(120, 8, i), 8, `digital minimum of signal ${i}`, true),
      digitalMax: field(at(128, 8, i), 8, `digital maximum of signal ${i}`, true),
      prefiltering: ascii(bytes, at(136, 80, i), 80),
      samplesPerRecord: spr,
      frequency: recordDuration > 0 ? spr / recordDuration : 0,
    };
    if (s.digitalMax <= s.digitalMin) fail(file, `signal ${i} (${label}): digital maximum must exceed digital minimum`);
    signals.push(s);
  }
  const recordSamples = signals.reduce((n, s) => n + s.samplesPerRecord, 0);
  const available = Math.floor((bytes.length - headerBytes) / (2 * recordSamples));
  if (numRecords === -1) numRecords = available;
  if (numRecords < 0) fail(file, `number of data records is ${numRecords}`);
  if (available < numRecords) fail(file, `truncated: header declares ${numRecords} data records but the file holds ${available}`);

  const isAnn = signals.map((s) => plus !== null && s.label === 'EDF Annotations');
  const data: Float32Array[] = [];
  const digital: Int16Array[] = [];
  const annotations: EdfAnnotation[] = [];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  signals.forEach((s, i) => {
    if (isAnn[i]) return;
    data.push(new Float32Array(numRecords * s.samplesPerRecord));
    digital.push(new Int16Array(numRecords * s.samplesPerRecord));
  });
  for (let r = 0; r < numRecords; r++) {
    let pos = headerBytes + r * recordSamples * 2;
    let k = 0;
    signals.forEach((s, i) => {
      if (isAnn[i]) {
        annotations.push(...parseTals(bytes.subarray(pos, pos + s.samplesPerRecord * 2), file));
      } else {
        const scale = (s.physicalMax - s.physicalMin) / (s.digitalMax - s.digitalMin);
        const d = digital[k]!;
        const p = data[k]!;
        for (let j = 0; j < s.samplesPerRecord; j++) {
          const v = dv.getInt16(pos + 2 * j, true);
          d[r * s.samplesPerRecord + j] = v;
          p[r * s.samplesPerRecord + j] = (v - s.digitalMin) * scale + s.physicalMin;
        }
        k++;
      }
      pos += s.samplesPerRecord * 2;
    });
  }
  return {
    version,
    patient: ascii(bytes, 8, 80),
    recording: ascii(bytes, 88, 80),
    startDate: ascii(bytes, 168, 8),
    startTime: ascii(bytes, 176, 8),
    plus,
    numRecords,
    recordDuration,
    signals: signals.filter((_, i) => !isAnn[i]),
    data,
    digital,
    annotations: annotations.filter((a) => a.text !== ''),
  };
}

/** Time-stamped annotation lists: +onset[\x15duration]\x14text\x14…\x14\x00 */
function parseTals(b: Uint8Array, file: string): EdfAnnotation[] {
  const out: EdfAnnotation[] = [];
  let text = '';
  for (const c of b) text += String.fromCharCode(c);
  for (const tal of text.split('\x00')) {
    if (tal === '') continue;
    const parts = tal.split('\x14');
    const head = parts[0]!;
    const m = /^([+-]\d+(?:\.\d*)?)(?:\x15(\d+(?:\.\d*)?))?$/.exec(head);
    if (!m) fail(file, `malformed EDF+ annotation onset "${head.slice(0, 20)}"`);
    const onset = Number(m[1]);
    const duration = m[2] === undefined ? null : Number(m[2]);
    const texts = parts.slice(1).filter((t) => t !== '');
    // The first TAL of each record with no text is the record's time-keeping stamp.
    if (texts.length === 0) out.push({ onset, duration, text: '' });
    for (const t of texts) out.push({ onset, duration, text: Buffer.from(t, 'latin1').toString('utf8') });
  }
  return out;
}

export async function readEdf(path: string): Promise<EdfFile> {
  const buf = await readFile(path).catch((e: NodeJS.ErrnoException) => fail(path, `cannot read (${e.code ?? e.message})`));
  return parseEdf(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), path);
}
