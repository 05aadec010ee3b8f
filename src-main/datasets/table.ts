// Heartbeat tables (the public MIT-BIH/PTB heartbeat benchmark layout) become datasets as
// they are: a train file and, where it exists, the standard test file; or one file per class
// (PTB: ptbdb_normal.csv, ptbdb_abnormal.csv). Without a test file the split is seeded and stratified.
import { basename } from 'node:path';
import { readCsv, type BeatTable } from '../signals/csv.ts';
import { fail } from '../signals/errors.ts';
import { sha256File } from '../common/hash.ts';
import { persistDataset, stratifiedSplit, type BuildContext, type DatasetManifest, type DatasetParams } from './build.ts';
import type { DatasetImportCsvInput } from '../../src-shared/contract/index.ts';

/** Labels of the MIT-BIH heartbeat benchmark (Kachuee et al. 2018): 0 N, 1 S, 2 V, 3 F, 4 Q. */
export const BENCHMARK_LABELS = ['N', 'S', 'V', 'F', 'Q'];

async function readTables(files: string[]): Promise<BeatTable[]> {
  const tables: BeatTable[] = [];
  for (const f of files) {
    const t = await readCsv(f, { kind: 'beats' });
    if (t.kind !== 'beats') fail(f, 'not a heartbeat table');
    tables.push(t);
  }
  const length = tables[0]!.beatLength;
  tables.forEach((t, i) => {
    if (t.beatLength !== length) fail(files[i]!, `beats have ${t.beatLength} samples but ${basename(files[0]!)} has ${length}`);
  });
  return tables;
}

/** The tables one after another; `labelOf` gives each beat's class index, `record` the file it came from. */
function concat(tables: BeatTable[], labelOf: (table: number, label: number) => number): { values: Float32Array; labels: Int32Array; record: Int32Array } {
  const length = tables[0]!.beatLength;
  const count = tables.reduce((n, t) => n + t.count, 0);
  const values = new Float32Array(count * length);
  const labels = new Int32Array(count);
  const record = new Int32Array(count);
  let at = 0;
  tables.forEach((t, i) => {
    values.set(t.values, at * length);
    t.labels.forEach((l, k) => (labels[at + k] = labelOf(i, l)));
    record.fill(i, at, at + t.count);
    at += t.count;
  });
  return { values, labels, record };
}

export async function importBeatTables(ctx: BuildContext, opts: DatasetImportCsvInput): Promise<DatasetManifest> {
  const byClass = opts.classFiles;
  const files = byClass ? byClass.map((c) => c.path) : [opts.train!, ...(opts.test ? [opts.test] : [])];
  const tables = await readTables(files);
  let labels: string[];
  if (byClass) {
    labels = byClass.map((c) => c.label);
  } else {
    const maxLabel = Math.max(...tables.flatMap((t) => Array.from(t.labels)));
    labels = opts.labels ?? (maxLabel < BENCHMARK_LABELS.length ? BENCHMARK_LABELS : Array.from({ length: maxLabel + 1 }, (_, i) => String(i)));
    if (maxLabel >= labels.length) fail(files[0]!, `label ${maxLabel} has no name (labels given: ${labels.join(', ')})`);
  }
  // One file per class: the file names the class (its own label column is not trusted over it).
  const arrays = concat(tables, byClass ? (table) => table : (_table, label) => label);
  const standard = !byClass && tables.length === 2;
  const count = arrays.labels.length;
  const params: DatasetParams = {
    name: opts.name,
    preset: 'table',
    window: { frequency: opts.frequency ?? 125, before: 0, length: tables[0]!.beatLength, truncateRR: null, normalise: 'none' },
    classes: labels.length,
    split: standard ? 'standard' : 'random',
    testFraction: standard ? tables[1]!.count / count : (opts.testFraction ?? 0.2),
    seed: opts.seed ?? 1,
    lead: '',
  };
  const split = standard ? Uint8Array.from(arrays.record, (r) => r) : stratifiedSplit(arrays.labels, params.testFraction, params.seed);
  const sources = await Promise.all(files.map(async (f) => ({ record: basename(f), files: [{ path: f, sha256: (await sha256File(f)).sha256 }] })));
  const reference = Object.fromEntries(labels.map((l, i) => [l, arrays.labels.filter((x) => x === i).length]));
  return persistDataset(ctx, params, labels, sources, { ...arrays, split }, reference);
}
