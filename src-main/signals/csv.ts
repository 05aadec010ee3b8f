// CSV import with a streaming parser (csv-parse): (a) heartbeat sets in the layout of the
// public MIT-BIH/PTB heartbeat benchmark — one beat per row, fixed-length values, then an
// integer class label; (b) plain signal CSVs — optional time column, one column per lead.
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { fail } from './errors.ts';

export interface BeatTable {
  kind: 'beats';
  beatLength: number;
  count: number;
  /** count × beatLength values, row-major. */
  values: Float32Array;
  labels: Int32Array;
}

export interface SignalTable {
  kind: 'signal';
  leads: string[];
  frequency: number;
  /** One array per lead; empty cells become NaN (a gap). */
  data: Float32Array[];
}

export type CsvContent = BeatTable | SignalTable;

export interface CsvOptions {
  kind?: 'beats' | 'signal' | 'auto';
  /** Sampling frequency for signal CSVs without a time column. */
  frequency?: number;
  maxRows?: number;
}

const FILE_ERRORS: Record<string, string> = {
  ENOENT: 'the file does not exist',
  EISDIR: 'is a folder, not a CSV file',
  EACCES: 'permission denied (the file cannot be read)',
};

const TIME_NAMES = /^(time|t|sec|secs|seconds|elapsed time|time \(s\)|time_s|'elapsed time')$/i;

function cellNumber(file: string, row: number, col: number, cell: string, allowEmpty: boolean): number {
  const t = cell.trim();
  if (t === '') {
    if (allowEmpty) return NaN;
    fail(file, `row ${row}, column ${col + 1}: empty cell`);
  }
  const v = Number(t);
  if (!Number.isFinite(v)) fail(file, `row ${row}, column ${col + 1}: "${t.slice(0, 40)}" is not a number`);
  return v;
}

export async function readCsv(path: string, opts: CsvOptions = {}): Promise<CsvContent> {
  const rows: string[][] = [];
  const source = createReadStream(path);
  const parser = parse({ relax_column_count: true, skip_empty_lines: true, trim: true, bom: true });
  // pipe() does not forward the source's errors: unhandled, a missing file would kill the process.
  source.on('error', (err) => parser.destroy(err));
  source.pipe(parser);
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      rows.push(record);
      if (opts.maxRows && rows.length > opts.maxRows) fail(path, `more than ${opts.maxRows} rows`);
    }
  } catch (err) {
    if (err instanceof Error && err.name === 'SignalFileError') throw err;
    const e = err as NodeJS.ErrnoException & { lines?: number };
    fail(path, FILE_ERRORS[e.code ?? ''] ?? `not valid CSV${e.lines ? ` near line ${e.lines}` : ''} (${e.message})`);
  }
  if (rows.length === 0) fail(path, 'the file is empty');
  const first = rows[0]!;
  const hasHeader = first.some((c) => c.trim() !== '' && !Number.isFinite(Number(c.trim())));
  let kind = opts.kind ?? 'auto';
  if (kind === 'auto') {
    const width = first.length;
    const uniform = rows.every((r) => r.length === width);
    const lastIsLabel = rows.slice(0, 50).every((r) => Number.isInteger(Number(r[r.length - 1])));
    kind = !hasHeader && uniform && width >= 32 && lastIsLabel ? 'beats' : 'signal';
  }
  // A heartbeat table has no header; a first row that is not all numbers is one (the PTB sample files keep a mangled one).
  return kind === 'beats' ? beatTable(path, hasHeader ? rows.slice(1) : rows, hasHeader ? 1 : 0) : signalTable(path, rows, hasHeader, opts.frequency);
}

function beatTable(file: string, rows: string[][], skipped: number): BeatTable {
  if (rows.length === 0) fail(file, 'no beats after the header row');
  const width = rows[0]!.length;
  if (width < 2) fail(file, 'a heartbeat table needs beat values and a label column');
  const beatLength = width - 1;
  const values = new Float32Array(rows.length * beatLength);
  const labels = new Int32Array(rows.length);
  rows.forEach((r, k) => {
    const i = k + skipped; // row numbers as the file counts them
    if (r.length !== width) fail(file, `row ${i + 1} has ${r.length} columns, expected ${width}`);
    for (let c = 0; c < beatLength; c++) values[k * beatLength + c] = cellNumber(file, i + 1, c, r[c]!, false);
    const label = cellNumber(file, i + 1, beatLength, r[beatLength]!, false);
    if (!Number.isInteger(label) || label < 0) fail(file, `row ${i + 1}: class label "${r[beatLength]}" is not a non-negative integer`);
    labels[k] = label;
  });
  return { kind: 'beats', beatLength, count: rows.length, values, labels };
}

function signalTable(file: string, rows: string[][], hasHeader: boolean, frequency?: number): SignalTable {
  const header = hasHeader ? rows[0]!.map((c) => c.trim().replace(/^'|'$/g, '')) : null;
  const body = hasHeader ? rows.slice(1) : rows;
  if (body.length < 2) fail(file, 'a signal CSV needs at least two rows of samples');
  const width = header?.length ?? body[0]!.length;
  const timeCol = header ? header.findIndex((h) => TIME_NAMES.test(h)) : -1;
  const leadCols = [...Array(width).keys()].filter((c) => c !== timeCol);
  if (leadCols.length === 0) fail(file, 'no signal columns besides time');
  const data = leadCols.map(() => new Float32Array(body.length));
  const times = timeCol >= 0 ? new Float64Array(body.length) : null;
  body.forEach((r, i) => {
    const rowNo = i + 1 + (hasHeader ? 1 : 0);
    if (r.length !== width) fail(file, `row ${rowNo} has ${r.length} columns, expected ${width}`);
    if (times) times[i] = cellNumber(file, rowNo, timeCol, r[timeCol]!, false);
    leadCols.forEach((c, k) => (data[k]![i] = cellNumber(file, rowNo, c, r[c]!, true)));
  });
  let fs = frequency;
  if (times) {
    const dt = (times[times.length - 1]! - times[0]!) / (times.length - 1);
    if (!(dt > 0)) fail(file, 'the time column does not increase');
    for (let i = 1; i < times.length; i++) {
      if (Math.abs(times[i]! - times[i - 1]! - dt) > dt * 0.01 + 1e-9) fail(file, `row ${i + 1 + (hasHeader ? 1 : 0)}: uneven sampling in the time column`);
    }
    const inferred = 1 / dt;
    if (fs !== undefined && Math.abs(fs - inferred) / inferred > 0.01) fail(file, `given frequency ${fs} Hz disagrees with the time column (${inferred.toFixed(3)} Hz)`);
    fs = Math.round(inferred * 1000) / 1000;
  }
  if (fs === undefined) fail(file, 'no time column: give the sampling frequency');
  if (!(fs > 0)) fail(file, `sampling frequency ${fs} must be positive`);
  const leads = leadCols.map((c, k) => header?.[c] || `lead ${k + 1}`);
  return { kind: 'signal', leads, frequency: fs, data };
}
