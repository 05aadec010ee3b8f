// WFDB header (.hea) parser, written from the WFDB header(5) specification.
// Record line:  name[/nseg] nsig [fs[/counterfreq[(basecounter)]] [nsamp [basetime [basedate]]]]
// Signal line:  file format[xspf][:skew][+offset] [gain[(baseline)][/units] [adcres [adczero [initval [checksum [blocksize [desc]]]]]]]
// Segment line: name nsamp   (multi-segment records; "~" is a null segment)
import { fail } from '../errors.ts';

export const DEFAULT_GAIN = 200;
export const DEFAULT_FREQUENCY = 250;
export const SUPPORTED_FORMATS = [0, 8, 16, 61, 80, 160, 212, 310, 311, 24, 32] as const;
export type WfdbFormat = (typeof SUPPORTED_FORMATS)[number];

const DEFAULT_ADC_RES: Record<number, number> = { 0: 12, 8: 8, 16: 16, 61: 16, 80: 8, 160: 16, 212: 12, 310: 10, 311: 10, 24: 24, 32: 32 };

export interface WfdbSignalSpec {
  fileName: string;
  format: WfdbFormat;
  samplesPerFrame: number;
  skew: number;
  byteOffset: number;
  /** ADC units per physical unit; 200 where the header gives none or 0. */
  gain: number;
  gainWasDefault: boolean;
  baseline: number;
  units: string;
  adcResolution: number;
  adcZero: number;
  initialValue: number;
  checksum: number | null;
  blockSize: number;
  description: string;
}

export interface WfdbSegmentSpec {
  name: string;
  numSamples: number;
}

export interface WfdbHeader {
  recordName: string;
  numSegments: number | null;
  numSignals: number;
  /** Frame frequency in Hz. */
  samplingFrequency: number;
  counterFrequency: number | null;
  baseCounter: number | null;
  numSamples: number | null;
  baseTime: string | null;
  baseDate: string | null;
  signals: WfdbSignalSpec[];
  segments: WfdbSegmentSpec[];
  /** Comment lines after the specification lines: the record's info strings. */
  info: string[];
}

function num(file: string, token: string, what: string, lineNo: number, integer = true): number {
  const v = Number(token);
  if (token === '' || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
    fail(file, `line ${lineNo}: ${what} "${token}" is not ${integer ? 'a whole number' : 'a number'}`);
  }
  return v;
}

function parseRecordLine(file: string, tokens: string[], lineNo: number): Omit<WfdbHeader, 'signals' | 'segments' | 'info'> {
  const [nameTok, nsigTok, freqTok, nsampTok, timeTok, dateTok] = tokens;
  if (!nameTok || nsigTok === undefined) fail(file, `line ${lineNo}: record line needs at least a name and a signal count`);
  const [recordName, segTok] = nameTok.split('/');
  if (!recordName || !/^[\w.-]+$/.test(recordName)) fail(file, `line ${lineNo}: bad record name "${nameTok}"`);
  const numSegments = segTok === undefined ? null : num(file, segTok, 'segment count', lineNo);
  if (numSegments !== null && numSegments < 1) fail(file, `line ${lineNo}: segment count must be at least 1`);
  const numSignals = num(file, nsigTok, 'signal count', lineNo);
  if (numSignals < 0 || numSignals > 4096) fail(file, `line ${lineNo}: signal count ${numSignals} is out of range`);
  let samplingFrequency = DEFAULT_FREQUENCY;
  let counterFrequency: number | null = null;
  let baseCounter: number | null = null;
  if (freqTok !== undefined) {
    const m = /^([0-9.eE+-]+)(?:\/([0-9.eE+-]+)(?:\(([0-9.eE+-]+)\))?)?$/.exec(freqTok);
    if (!m) fail(file, `line ${lineNo}: sampling frequency "${freqTok}" is not a number`);
    samplingFrequency = num(file, m[1]!, 'sampling frequency', lineNo, false);
    if (m[2] !== undefined) counterFrequency = num(file, m[2], 'counter frequency', lineNo, false);
    if (m[3] !== undefined) baseCounter = num(file, m[3], 'base counter', lineNo, false);
    if (!(samplingFrequency > 0)) fail(file, `line ${lineNo}: sampling frequency must be positive`);
  }
  const numSamples = nsampTok === undefined ? null : num(file, nsampTok, 'number of samples', lineNo);
  if (numSamples !== null && numSamples < 0) fail(file, `line ${lineNo}: number of samples is negative`);
  let baseTime: string | null = null;
  let baseDate: string | null = null;
  if (timeTok !== undefined) {
    if (!/^\d{1,2}(:\d{1,2}){0,2}(\.\d+)?$/.test(timeTok)) fail(file, `line ${lineNo}: base time "${timeTok}" is not HH:MM:SS`);
    baseTime = timeTok;
  }
  if (dateTok !== undefined) {
    if (!/^\d{1,2}\/\d{1,2}\/\d{1,4}$/.test(dateTok)) fail(file, `line ${lineNo}: base date "${dateTok}" is not DD/MM/YYYY`);
    baseDate = dateTok;
  }
  return { recordName, numSegments, numSignals, samplingFrequency, counterFrequency, baseCounter, numSamples, baseTime, baseDate };
}

function parseSignalLine(file: string, line: string, index: number, recordName: string, lineNo: number): WfdbSignalSpec {
  const tokens = line.trim().split(/\s+/);
  const [fileName, fmtTok, gainTok, resTok, zeroTok, initTok, sumTok, blockTok] = tokens;
  if (!fileName || fmtTok === undefined) fail(file, `line ${lineNo}: signal line needs a file name and a format`);
  const fm = /^(\d+)(?:x(\d+))?(?::(\d+))?(?:\+(\d+))?$/.exec(fmtTok);
  if (!fm) fail(file, `line ${lineNo}: format field "${fmtTok}" is not format[xspf][:skew][+offset]`);
  const format = Number(fm[1]);
  if (!(SUPPORTED_FORMATS as readonly number[]).includes(format)) {
    fail(file, `line ${lineNo}: signal format ${format} is not supported (supported: ${SUPPORTED_FORMATS.filter((f) => f !== 0).join(', ')})`);
  }
  const samplesPerFrame = fm[2] === undefined ? 1 : Number(fm[2]);
  if (samplesPerFrame < 1 || samplesPerFrame > 1 << 16) fail(file, `line ${lineNo}: samples per frame ${samplesPerFrame} is out of range`);
  const skew = fm[3] === undefined ? 0 : Number(fm[3]);
  const byteOffset = fm[4] === undefined ? 0 : Number(fm[4]);

  const adcResolution = resTok === undefined || Number(resTok) === 0 ? DEFAULT_ADC_RES[format]! : num(file, resTok, 'ADC resolution', lineNo);
  const adcZero = zeroTok === undefined ? 0 : num(file, zeroTok, 'ADC zero', lineNo);
  let gain = DEFAULT_GAIN;
  let gainWasDefault = true;
  let baseline = adcZero;
  let units = 'mV';
  if (gainTok !== undefined) {
    const gm = /^([0-9.eE+-]+)(?:\((-?\d+)\))?(?:\/(\S+))?$/.exec(gainTok);
    if (!gm) fail(file, `line ${lineNo}: gain field "${gainTok}" is not gain[(baseline)][/units]`);
    const g = num(file, gm[1]!, 'gain', lineNo, false);
    if (g < 0) fail(file, `line ${lineNo}: gain must not be negative`);
    if (g !== 0) {
      gain = g;
      gainWasDefault = false;
    }
    if (gm[2] !== undefined) baseline = Number(gm[2]);
    if (gm[3] !== undefined) units = gm[3];
  }
  const initialValue = initTok === undefined ? adcZero : num(file, initTok, 'initial value', lineNo);
  const checksum = sumTok === undefined ? null : num(file, sumTok, 'checksum', lineNo);
  const blockSize = blockTok === undefined ? 0 : num(file, blockTok, 'block size', lineNo);
  // The description is the rest of the line after the 8th field (it may contain spaces).
  const descMatch = /^(?:\S+\s+){8}(.*)$/.exec(line.trim());
  const description = descMatch?.[1]?.trim() || `record ${recordName}, signal ${index}`;
  return { fileName, format: format as WfdbFormat, samplesPerFrame, skew, byteOffset, gain, gainWasDefault, baseline, units, adcResolution, adcZero, initialValue, checksum, blockSize, description };
}

export function parseHeader(text: string, file: string): WfdbHeader {
  if (text.includes('\0')) fail(file, 'header contains binary data (is this really a .hea file?)');
  const lines = text.split(/\r?\n/);
  let record: ReturnType<typeof parseRecordLine> | null = null;
  const signals: WfdbSignalSpec[] = [];
  const segments: WfdbSegmentSpec[] = [];
  const info: string[] = [];
  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '') return;
    if (trimmed.startsWith('#')) {
      // Comments after the specification lines are the record's info strings.
      if (record) info.push(trimmed.replace(/^#\s?/, ''));
      return;
    }
    const content = trimmed;
    if (!record) {
      record = parseRecordLine(file, content.split(/\s+/), lineNo);
      return;
    }
    if (record.numSegments !== null) {
      if (segments.length >= record.numSegments) fail(file, `line ${lineNo}: more segment lines than the ${record.numSegments} declared`);
      const [name, n] = content.split(/\s+/);
      if (!name || n === undefined) fail(file, `line ${lineNo}: segment line needs a name and a length`);
      segments.push({ name, numSamples: num(file, n, 'segment length', lineNo) });
      return;
    }
    if (signals.length >= record.numSignals) fail(file, `line ${lineNo}: more signal lines than the ${record.numSignals} declared`);
    signals.push(parseSignalLine(file, content, signals.length, record.recordName, lineNo));
  });
  if (!record) fail(file, 'no record line found (empty header?)');
  const rec: ReturnType<typeof parseRecordLine> = record;
  if (rec.numSegments !== null) {
    if (segments.length !== rec.numSegments) fail(file, `declares ${rec.numSegments} segments but lists ${segments.length}`);
  } else if (signals.length !== rec.numSignals) {
    fail(file, `declares ${rec.numSignals} signals but describes ${signals.length}`);
  }
  return { ...rec, signals, segments, info };
}
