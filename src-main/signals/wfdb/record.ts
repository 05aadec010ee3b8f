// Reads WFDB records: single files with interleaved signals, samples-per-frame, skew,
// byte offsets, and multi-segment records (fixed and variable layout). Windows are read
// from disk without decoding the rest of the file, except format 8 (first differences).
import { open, readFile, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, basename, relative, sep } from 'node:path';
import { fail } from '../errors.ts';
import { parseHeader, type WfdbHeader, type WfdbSignalSpec } from './header.ts';
import { bytesForSamples, decode, GROUPS, INVALID, INVALID_STORED, samplesInBytes } from './formats.ts';

export { INVALID };

export interface SignalInfo {
  index: number;
  name: string;
  units: string;
  gain: number;
  baseline: number;
  format: number;
  samplesPerFrame: number;
  /** Samples per second of this signal (frame frequency × samples per frame). */
  frequency: number;
  adcResolution: number;
  initialValue: number;
  checksum: number | null;
  fileName: string;
}

export interface SignalWindow {
  info: SignalInfo;
  /** ADC values; INVALID marks a gap (invalid sample, or beyond the end of the file). */
  raw: Int32Array;
}

export interface WfdbRecord {
  heaPath: string;
  header: WfdbHeader;
  /** Signals of the record (for multi-segment records: of the layout). */
  signals: SignalInfo[];
  frameFrequency: number;
  numFrames: number;
  /** The signal files this record reads, for hashing and catalogs. */
  files: string[];
  segments: { name: string; start: number; numFrames: number; record: WfdbRecord | null }[] | null;
}

interface FileLayout {
  path: string;
  format: number;
  byteOffset: number;
  frameSize: number;
  size: number;
  frames: number;
  members: { signal: number; offset: number }[];
}

function infoOf(spec: WfdbSignalSpec, index: number, fs: number): SignalInfo {
  return {
    index,
    name: spec.description,
    units: spec.units,
    gain: spec.gain,
    baseline: spec.baseline,
    format: spec.format,
    samplesPerFrame: spec.samplesPerFrame,
    frequency: fs * spec.samplesPerFrame,
    adcResolution: spec.adcResolution,
    initialValue: spec.initialValue,
    checksum: spec.checksum,
    fileName: spec.fileName,
  };
}

/**
 * A file named by a header, resolved inside the header's folder (sub-folders allowed). A name
 * that would leave it (absolute, a ".." segment, a symbolic link pointing out) is refused, so a
 * header from an untrusted folder cannot make the app read files elsewhere.
 */
export async function fileInRecordFolder(heaPath: string, name: string, what: string): Promise<string> {
  const outside = (): never => fail(heaPath, `${what} ${name} is outside the record's folder`);
  if (isAbsolute(name) || name.split(/[\\/]/).includes('..')) outside();
  const dir = dirname(heaPath);
  const path = join(dir, name);
  const real = await realpath(path).catch(() => null); // a missing file is the caller's error to report
  if (real !== null) {
    const rel = relative(await realpath(dir), real);
    if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) outside();
  }
  return path;
}

async function fileLayouts(rec: WfdbHeader, heaPath: string): Promise<Map<string, FileLayout>> {
  const files = new Map<string, FileLayout>();
  rec.signals.forEach((s, i) => {
    if (s.format === 0 || s.fileName === '~') return;
    let f = files.get(s.fileName);
    if (!f) {
      f = { path: s.fileName, format: s.format, byteOffset: s.byteOffset, frameSize: 0, size: 0, frames: 0, members: [] };
      files.set(s.fileName, f);
    } else if (f.format !== s.format) {
      fail(heaPath, `signals in ${s.fileName} mix formats ${f.format} and ${s.format}`);
    }
    f.members.push({ signal: i, offset: f.frameSize });
    f.frameSize += s.samplesPerFrame;
  });
  for (const [name, f] of files) {
    f.path = await fileInRecordFolder(heaPath, name, 'signal file');
    const st = await stat(f.path).catch(() => null);
    if (!st?.isFile()) fail(heaPath, `signal file ${basename(f.path)} is missing`);
    f.size = st.size;
    f.frames = Math.floor(samplesInBytes(f.format, Math.max(0, st.size - f.byteOffset)) / f.frameSize);
  }
  return files;
}

const layoutCache = new WeakMap<WfdbRecord, Map<string, FileLayout>>();

export async function openWfdbRecord(heaPath: string): Promise<WfdbRecord> {
  const text = await readFile(heaPath, 'utf8').catch((e: NodeJS.ErrnoException) => fail(heaPath, `cannot read header (${e.code ?? e.message})`));
  const header = parseHeader(text, heaPath);
  const fs = header.samplingFrequency;

  if (header.numSegments !== null) {
    const segments: NonNullable<WfdbRecord['segments']> = [];
    let start = 0;
    let layout: WfdbRecord | null = null;
    const files: string[] = [];
    for (const [i, seg] of header.segments.entries()) {
      if (seg.name === '~') {
        segments.push({ name: seg.name, start, numFrames: seg.numSamples, record: null });
        start += seg.numSamples;
        continue;
      }
      const segHea = await fileInRecordFolder(heaPath, `${seg.name}.hea`, 'segment header');
      const sub = await openWfdbRecord(segHea).catch((e: unknown) =>
        fail(heaPath, `segment ${seg.name}: ${e instanceof Error ? e.message : String(e)}`),
      );
      if (i === 0 && seg.numSamples === 0) {
        layout = sub; // variable layout: the layout header lists every signal
        continue;
      }
      segments.push({ name: seg.name, start, numFrames: seg.numSamples, record: sub });
      files.push(...sub.files);
      start += seg.numSamples;
    }
    const first = layout ?? segments.find((s) => s.record)?.record;
    if (!first) fail(heaPath, 'multi-segment record has no segment with signals');
    const signals = first.header.signals.map((s, i) => infoOf(s, i, fs));
    return { heaPath, header, signals, frameFrequency: fs, numFrames: header.numSamples ?? start, files, segments };
  }

  const layouts = await fileLayouts(header, heaPath);
  const firstFile = [...layouts.values()][0];
  const numFrames = header.numSamples ?? firstFile?.frames ?? 0;
  const rec: WfdbRecord = {
    heaPath,
    header,
    signals: header.signals.map((s, i) => infoOf(s, i, fs)),
    frameFrequency: fs,
    numFrames,
    files: [...layouts.values()].map((f) => f.path),
    segments: null,
  };
  layoutCache.set(rec, layouts);
  return rec;
}

async function readBytes(path: string, start: number, length: number): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const buf = new Uint8Array(length);
    let got = 0;
    while (got < length) {
      const { bytesRead } = await fh.read(buf, got, length - got, start + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  } finally {
    await fh.close();
  }
}

export interface ReadOptions {
  from?: number;
  to?: number;
  signals?: number[];
  /** Read samples as stored, ignoring skew (checksums are defined over the stored data). */
  ignoreSkew?: boolean;
}

/** Reads frames [from, to) of the selected signals as raw ADC values. */
export async function readWfdbWindow(rec: WfdbRecord, opts: ReadOptions = {}): Promise<SignalWindow[]> {
  const from = Math.max(0, opts.from ?? 0);
  const to = Math.min(rec.numFrames, opts.to ?? rec.numFrames);
  const wanted = opts.signals ?? rec.signals.map((s) => s.index);
  for (const s of wanted) if (!rec.signals[s]) fail(rec.heaPath, `signal ${s} does not exist (record has ${rec.signals.length})`);
  const len = Math.max(0, to - from);
  const out = wanted.map((s) => ({ info: rec.signals[s]!, raw: new Int32Array(len * rec.signals[s]!.samplesPerFrame).fill(INVALID) }));
  if (len === 0) return out;

  if (rec.segments) {
    for (const seg of rec.segments) {
      const a = Math.max(from, seg.start);
      const b = Math.min(to, seg.start + seg.numFrames);
      if (a >= b || !seg.record) continue;
      const subRec = seg.record;
      // Match signals by name (variable layout) and fall back to position (fixed layout).
      const map = wanted.map((s) => {
        const name = rec.signals[s]!.name;
        const byName = subRec.signals.findIndex((x) => x.name === name);
        return byName >= 0 ? byName : subRec.signals.length === rec.signals.length ? s : -1;
      });
      const present = map.filter((m) => m >= 0);
      if (present.length === 0) continue;
      const part = await readWfdbWindow(subRec, { from: a - seg.start, to: b - seg.start, signals: present, ignoreSkew: opts.ignoreSkew });
      map.forEach((m, k) => {
        if (m < 0) return;
        const src = part[present.indexOf(m)]!.raw;
        out[k]!.raw.set(src.subarray(0, Math.min(src.length, out[k]!.raw.length - (a - from) * out[k]!.info.samplesPerFrame)), (a - from) * out[k]!.info.samplesPerFrame);
      });
    }
    return out;
  }

  const layouts = layoutCache.get(rec);
  if (!layouts) fail(rec.heaPath, 'record is not open');
  for (const f of layouts.values()) {
    const members = f.members.filter((m) => wanted.includes(m.signal));
    if (members.length === 0) continue;
    const skews = members.map((m) => (opts.ignoreSkew ? 0 : rec.header.signals[m.signal]!.skew));
    const firstFrame = f.format === 8 ? 0 : Math.min(f.frames, from + Math.min(...skews));
    const endFrame = Math.min(f.frames, to + Math.max(...skews));
    if (endFrame <= firstFrame) continue;
    const group = GROUPS[f.format]!;
    const s0 = Math.floor((firstFrame * f.frameSize) / group.samples) * group.samples;
    const need = endFrame * f.frameSize - s0;
    const byteStart = f.byteOffset + (s0 / group.samples) * group.bytes;
    const bytes = await readBytes(f.path, byteStart, bytesForSamples(f.format, need));
    const stream = new Int32Array(need);
    const got = decode(f.format, bytes, need, stream);
    if (f.format === 8) integrateFirstDifferences(rec, f, stream, got);
    members.forEach((m, k) => {
      const spec = rec.header.signals[m.signal]!;
      const spf = spec.samplesPerFrame;
      const target = out[wanted.indexOf(m.signal)]!.raw;
      const skew = skews[k]!;
      for (let t = from; t < to; t++) {
        const ft = t + skew;
        if (ft >= endFrame) break;
        for (let j = 0; j < spf; j++) {
          const idx = ft * f.frameSize + m.offset + j - s0;
          if (idx >= 0 && idx < got) target[(t - from) * spf + j] = stream[idx]!;
        }
      }
    });
  }
  return out;
}

/** Format 8 stores differences; each signal starts from its header's initial value. */
function integrateFirstDifferences(rec: WfdbRecord, f: FileLayout, stream: Int32Array, got: number): void {
  const values = f.members.map((m) => rec.header.signals[m.signal]!.initialValue);
  for (let i = 0; i < got; i++) {
    const pos = i % f.frameSize;
    let k = f.members.length - 1;
    while (f.members[k]!.offset > pos) k--;
    values[k]! += stream[i]!;
    stream[i] = values[k]!;
  }
}

export function toPhysical(w: SignalWindow): Float32Array {
  const { gain, baseline } = w.info;
  const out = new Float32Array(w.raw.length);
  for (let i = 0; i < w.raw.length; i++) out[i] = w.raw[i] === INVALID ? NaN : (w.raw[i]! - baseline) / gain;
  return out;
}

export interface ChecksumResult {
  file: string;
  signal: number;
  name: string;
  expected: number | null;
  actual: number;
  ok: boolean;
}

/** 16-bit checksums of every signal over the whole record, as WFDB defines them. */
export async function computeChecksums(rec: WfdbRecord): Promise<ChecksumResult[]> {
  if (rec.segments) {
    // Each segment header carries the checksums of its own stretch of data.
    const parts = await Promise.all(rec.segments.filter((s) => s.record).map((s) => computeChecksums(s.record!)));
    return parts.flat();
  }
  const windows = await readWfdbWindow(rec, { ignoreSkew: true });
  return windows.map((w) => {
    const stored = INVALID_STORED[w.info.format] ?? 0;
    let sum = 0;
    for (let i = 0; i < w.raw.length; i++) sum = (sum + (w.raw[i] === INVALID ? stored : w.raw[i]!)) & 0xffff;
    const actual = (sum << 16) >> 16;
    return { file: join(dirname(rec.heaPath), w.info.fileName), signal: w.info.index, name: w.info.name, expected: w.info.checksum, actual, ok: w.info.checksum === null || ((w.info.checksum - actual) & 0xffff) === 0 };
  });
}

/** Frames actually present in the signal files (a header may declare more than was written). */
export function availableFrames(rec: WfdbRecord): number {
  if (rec.segments) return rec.numFrames;
  const files = [...(layoutCache.get(rec)?.values() ?? [])];
  return files.length ? Math.min(rec.numFrames, ...files.map((f) => f.frames)) : rec.numFrames;
}

/** Fails, naming the signal file, when the header claims more samples than a file holds. */
export function verifyLengths(rec: WfdbRecord): void {
  if (rec.segments) {
    for (const s of rec.segments) if (s.record) verifyLengths(s.record);
    return;
  }
  for (const f of layoutCache.get(rec)?.values() ?? []) {
    if (f.frames < rec.numFrames) {
      fail(f.path, `truncated: the header declares ${rec.numFrames} samples per signal but the file holds ${f.frames} (${f.size} bytes)`);
    }
  }
}

/** Throws a BAD_FILE error naming the file and signal when a length or checksum does not match. */
export async function verifyChecksums(rec: WfdbRecord): Promise<ChecksumResult[]> {
  verifyLengths(rec);
  const results = await computeChecksums(rec);
  const bad = results.find((r) => !r.ok);
  if (bad) {
    fail(bad.file, `checksum mismatch in signal ${bad.signal} (${bad.name}): header says ${bad.expected}, data gives ${bad.actual}`);
  }
  return results;
}
