// Heartbeat tables (the public MIT-BIH/PTB heartbeat benchmark layout) become datasets as
// they are: a train file and, where it exists, the standard test file; otherwise a seeded split.
import { basename } from 'node:path';
import { readCsv } from '../signals/csv.ts';
import { fail } from '../signals/errors.ts';
import { sha256File } from '../common/hash.ts';
import { persistDataset, stratifiedSplit, type BuildContext, type DatasetManifest, type DatasetParams } from './build.ts';

/** Labels of the MIT-BIH heartbeat benchmark (Kachuee et al. 2018): 0 N, 1 S, 2 V, 3 F, 4 Q. */
export const BENCHMARK_LABELS = ['N', 'S', 'V', 'F', 'Q'];

export interface TableImport {
  name: string;
  train: string;
  test?: string;
  labels?: string[];
  /** Beats' sampling rate, for the manifest (the benchmark's is 125 Hz). */
  frequency?: number;
  testFraction?: number;
  seed?: number;
}

export async function importBeatTables(ctx: BuildContext, opts: TableImport): Promise<DatasetManifest> {
  const files = [opts.train, ...(opts.test ? [opts.test] : [])];
  const tables = [];
  for (const f of files) {
    const t = await readCsv(f, { kind: 'beats' });
    if (t.kind !== 'beats') fail(f, 'not a heartbeat table');
    tables.push(t);
  }
  const length = tables[0]!.beatLength;
  tables.forEach((t, i) => {
    if (t.beatLength !== length) fail(files[i]!, `beats have ${t.beatLength} samples but ${basename(files[0]!)} has ${length}`);
  });
  const maxLabel = Math.max(...tables.flatMap((t) => Array.from(t.labels)));
  const labels = opts.labels ?? (maxLabel < BENCHMARK_LABELS.length ? BENCHMARK_LABELS : Array.from({ length: maxLabel + 1 }, (_, i) => String(i)));
  if (maxLabel >= labels.length) fail(opts.train, `label ${maxLabel} has no name (labels given: ${labels.join(', ')})`);
  const count = tables.reduce((n, t) => n + t.count, 0);
  const values = new Float32Array(count * length);
  const labelArr = new Int32Array(count);
  const record = new Int32Array(count);
  let at = 0;
  tables.forEach((t, i) => {
    values.set(t.values, at * length);
    labelArr.set(t.labels, at);
    record.fill(i, at, at + t.count);
    at += t.count;
  });
  const standard = tables.length === 2;
  const params: DatasetParams = {
    name: opts.name,
    preset: 'table',
    window: { frequency: opts.frequency ?? 125, before: 0, length, truncateRR: null, normalise: 'none' },
    classes: labels.length,
    split: standard ? 'standard' : 'random',
    testFraction: standard ? tables[1]!.count / count : (opts.testFraction ?? 0.2),
    seed: opts.seed ?? 1,
    lead: '',
  };
  const split = standard ? Uint8Array.from(record, (r) => r) : stratifiedSplit(labelArr, params.testFraction, params.seed);
  const sources = await Promise.all(files.map(async (f) => ({ record: basename(f), files: [{ path: f, sha256: (await sha256File(f)).sha256 }] })));
  const reference = Object.fromEntries(labels.map((l, i) => [l, labelArr.filter((x) => x === i).length]));
  return persistDataset(ctx, params, labels, sources, { values, labels: labelArr, split, record }, reference);
}
