// Turns a signal file (WFDB header, EDF, signal CSV) into one LoadedRecord: metadata,
// reference annotations and a window reader in physical units. Formats stop here.
import { existsSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { fail } from '../signals/errors.ts';
import { fileInRecordFolder, openWfdbRecord, readWfdbWindow, toPhysical, verifyChecksums } from '../signals/wfdb/record.ts';
import { readAnnotations, type Annotation } from '../signals/wfdb/annotations.ts';
import { readEdf } from '../signals/edf.ts';
import { readCsv } from '../signals/csv.ts';
import { gcd } from '../common/math.ts';

import type { LeadInfo, RecordFormat, RecordSummary } from '../../src-shared/contract/index.ts';

export type { LeadInfo, RecordFormat };

/** A record read from its files: the catalog's metadata fields (frequency is the frame rate, Hz), its annotations and a reader. */
export interface LoadedRecord extends Pick<RecordSummary, 'format' | 'name' | 'sourcePath' | 'frequency' | 'numFrames' | 'startTime' | 'startDate' | 'leads' | 'info' | 'annotator'> {
  /** Every file the record was read from (header, signals, annotations). */
  files: string[];
  annotations: Annotation[];
  /** Physical values of frames [from, to) for the chosen leads; NaN marks gaps. */
  readWindow(from: number, to: number, leads?: number[]): Promise<Float32Array[]>;
}

export const IMPORTABLE = new Set(['.hea', '.edf', '.csv']);

export async function loadRecord(path: string, opts: { annotator?: string; verify?: boolean; csvFrequency?: number } = {}): Promise<LoadedRecord> {
  const ext = extname(path).toLowerCase();
  if (ext === '.hea') return loadWfdb(path, opts.annotator ?? 'atr', opts.verify ?? true);
  if (ext === '.edf') return loadEdf(path);
  if (ext === '.csv') return loadCsv(path, opts.csvFrequency);
  fail(path, `unsupported file type "${ext || '(none)'}" (import .hea, .edf or .csv)`);
}

async function loadWfdb(heaPath: string, annotator: string, verify: boolean): Promise<LoadedRecord> {
  const rec = await openWfdbRecord(heaPath);
  if (verify) await verifyChecksums(rec);
  const annPath = await fileInRecordFolder(heaPath, `${rec.header.recordName}.${annotator}`, 'annotation file');
  const hasAnn = existsSync(annPath);
  const annotations = hasAnn ? (await readAnnotations(annPath)).annotations : [];
  return {
    format: 'wfdb',
    name: rec.header.recordName,
    sourcePath: heaPath,
    files: [heaPath, ...rec.files, ...(hasAnn ? [annPath] : [])],
    frequency: rec.frameFrequency,
    numFrames: rec.numFrames,
    startTime: rec.header.baseTime,
    startDate: rec.header.baseDate,
    leads: rec.signals.map((s) => ({ name: s.name, units: s.units, frequency: s.frequency })),
    info: rec.header.info,
    annotations,
    annotator: hasAnn ? annotator : null,
    readWindow: async (from, to, leads) => (await readWfdbWindow(rec, { from, to, signals: leads })).map(toPhysical),
  };
}

function sliceLeads(data: Float32Array[], spf: number[], from: number, to: number, leads?: number[]): Float32Array[] {
  const chosen = leads ?? data.map((_, i) => i);
  return chosen.map((l) => {
    const d = data[l];
    if (!d) throw new Error(`lead ${l} does not exist`);
    return d.slice(from * spf[l]!, to * spf[l]!);
  });
}

async function loadEdf(path: string): Promise<LoadedRecord> {
  const edf = await readEdf(path);
  if (edf.signals.length === 0) fail(path, 'EDF file has no signals (only annotations)');
  // Frames follow the slowest common rate: one frame per data record / gcd of samples per record.
  const common = edf.signals.map((s) => s.samplesPerRecord).reduce(gcd);
  const spf = edf.signals.map((s) => s.samplesPerRecord / common);
  const frequency = common / edf.recordDuration;
  const [dd, mm, yy] = edf.startDate.split('.');
  return {
    format: 'edf',
    name: basename(path, extname(path)),
    sourcePath: path,
    files: [path],
    frequency,
    numFrames: edf.numRecords * common,
    startTime: edf.startTime.replace(/\./g, ':') || null,
    startDate: dd && mm && yy ? `${dd}/${mm}/${Number(yy) >= 85 ? 1900 + Number(yy) : 2000 + Number(yy)}` : null,
    leads: edf.signals.map((s) => ({ name: s.label, units: s.units, frequency: s.frequency })),
    info: [`EDF patient: ${edf.patient}`, `EDF recording: ${edf.recording}`],
    annotations: edf.annotations.map((a) => ({ sample: Math.round(a.onset * frequency), code: 22, symbol: '"', subtype: 0, chan: 0, num: 0, aux: a.text })),
    annotator: edf.annotations.length ? 'edf+' : null,
    readWindow: async (from, to, leads) => sliceLeads(edf.data, spf, from, to, leads),
  };
}

async function loadCsv(path: string, frequency?: number): Promise<LoadedRecord> {
  const csv = await readCsv(path, { kind: frequency === undefined ? 'auto' : 'signal', frequency });
  if (csv.kind !== 'signal') fail(path, `this is a heartbeat table (${csv.count} beats of ${csv.beatLength} samples), not a recording: import it with "ecgatk dataset import-csv"`);
  return {
    format: 'csv',
    name: basename(path, extname(path)),
    sourcePath: path,
    files: [path],
    frequency: csv.frequency,
    numFrames: csv.data[0]!.length,
    startTime: null,
    startDate: null,
    leads: csv.leads.map((name) => ({ name, units: 'mV', frequency: csv.frequency })),
    info: [],
    annotations: [],
    annotator: null,
    readWindow: async (from, to, leads) => sliceLeads(csv.data, csv.leads.map(() => 1), from, to, leads),
  };
}
