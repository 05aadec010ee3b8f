// Beat datasets: segment annotated records into fixed windows, label by AAMI class, split
// (seeded stratified random, or de Chazal's inter-patient DS1/DS2), and write the arrays
// with a manifest (sources with sha256, parameters, class counts, weights) and a hash.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BEAT_PRESETS, extractBeats, type BeatPreset } from '../beats/segment.ts';
import { loadRecord } from '../records/sources.ts';
import type { RecordCatalog } from '../records/catalog.ts';
import type { Store } from '../store/db.ts';
import { bytesOf, canonicalJson } from '../common/hash.ts';
import { AppError } from '../../src-shared/errors.ts';
import type { AamiClass, BeatWindowSpec, DatasetManifest, DatasetParams } from '../../src-shared/contract/index.ts';
import { mulberry32 } from '../common/random.ts';

export type { DatasetManifest, DatasetParams };

export const DS1 = ['101', '106', '108', '109', '112', '114', '115', '116', '118', '119', '122', '124', '201', '203', '205', '207', '208', '209', '215', '220', '223', '230'];
export const DS2 = ['100', '103', '105', '111', '113', '117', '121', '123', '200', '202', '210', '212', '213', '214', '219', '221', '222', '228', '231', '232', '233', '234'];
export const PACED = ['102', '104', '107', '217'];

export type SplitKind = 'random' | 'interpatient' | 'standard';
export const CLASS_SETS: Record<4 | 5, AamiClass[]> = { 4: ['N', 'S', 'V', 'F'], 5: ['N', 'S', 'V', 'F', 'Q'] };

export interface DatasetArrays {
  values: Float32Array;
  labels: Int32Array;
  /** 0 = train, 1 = test */
  split: Uint8Array;
  /** index into manifest.sources */
  record: Int32Array;
}

/** Per-class seeded shuffle; the first round(fraction × n) of each class go to test. */
export function stratifiedSplit(labels: Int32Array, testFraction: number, seed: number): Uint8Array {
  const rand = mulberry32(seed);
  const split = new Uint8Array(labels.length);
  const byClass = new Map<number, number[]>();
  labels.forEach((l, i) => {
    const list = byClass.get(l);
    if (list) list.push(i);
    else byClass.set(l, [i]);
  });
  for (const idx of [...byClass.keys()].sort((a, b) => a - b).map((k) => byClass.get(k)!)) {
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    const nTest = Math.round(idx.length * testFraction);
    for (let k = 0; k < nTest; k++) split[idx[k]!] = 1;
  }
  return split;
}

export function classWeights(counts: number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (c > 0 ? total / (counts.length * c) : 0));
}

/** Content hash over the arrays and the parameters that made them (not the name), so a rebuild can be checked. */
export function datasetHash(arrays: DatasetArrays, params: DatasetParams): string {
  const h = createHash('sha256');
  const { name: _name, ...recipe } = params;
  h.update(canonicalJson(recipe));
  for (const a of [arrays.values, arrays.labels, arrays.split, arrays.record]) h.update(bytesOf(a));
  return h.digest('hex');
}

/** The dataset services' view of the app. */
export interface BuildContext {
  store: Store;
  catalog: RecordCatalog;
  datasetsDir: string;
  appVersion: string;
}

function assertNameFree(ctx: BuildContext, name: string): void {
  if (ctx.store.datasets.nameTaken(name)) throw new AppError('CONFLICT', `A dataset named "${name}" already exists`);
}

export async function buildDataset(
  ctx: BuildContext,
  recordIds: number[],
  input: Omit<DatasetParams, 'window' | 'preset' | 'classes'> & { preset: BeatPreset; classes: 4 | 5; window?: BeatWindowSpec },
  progress?: (done: number, total: number, what: string) => void,
  signal?: AbortSignal,
): Promise<DatasetManifest> {
  const params: DatasetParams = { ...input, window: input.window ?? { ...BEAT_PRESETS[input.preset] } };
  assertNameFree(ctx, params.name); // before the slow part; persistDataset checks again
  const classes = CLASS_SETS[input.classes];
  const values: Float32Array[] = [];
  const labels: number[] = [];
  const recIdx: number[] = [];
  const sources: DatasetManifest['sources'] = [];
  const reference: Record<string, number> = Object.fromEntries(classes.map((c) => [c, 0]));
  for (const [k, id] of recordIds.entries()) {
    if (signal?.aborted) throw new AppError('CANCELLED', 'Dataset build cancelled');
    const rec = ctx.catalog.get(id);
    progress?.(k, recordIds.length, rec.name);
    if (params.split === 'interpatient' && PACED.includes(rec.name)) continue;
    const leadIndex = rec.leads.findIndex((l) => l.name === params.lead);
    const lead = leadIndex >= 0 ? leadIndex : 0;
    const beats = ctx.catalog.referenceBeats(id).filter((b) => classes.includes(b.aami));
    if (beats.length === 0) continue;
    for (const b of beats) reference[b.aami]!++;
    const loaded = await loadRecord(rec.sourcePath, { verify: false });
    const [x] = await loaded.readWindow(0, loaded.numFrames, [lead]);
    const set = extractBeats(x!, rec.leads[lead]!.frequency, beats.map((b) => ({ sample: b.sample, label: classes.indexOf(b.aami) })), params.window);
    values.push(set.values);
    for (const l of set.labels) {
      labels.push(l);
      recIdx.push(sources.length);
    }
    sources.push({ record: rec.name, files: rec.files.map((f) => ({ path: f.path, sha256: f.sha256 })) });
  }
  if (labels.length === 0) throw new AppError('INVALID_INPUT', 'No labelled beats in the chosen records for these classes');
  const len = params.window.length;
  const all = new Float32Array(labels.length * len);
  let off = 0;
  for (const v of values) {
    all.set(v, off);
    off += v.length;
  }
  const labelArr = Int32Array.from(labels);
  const recordArr = Int32Array.from(recIdx);
  let split: Uint8Array;
  if (params.split === 'interpatient') {
    split = Uint8Array.from(recIdx, (r) => (DS2.includes(sources[r]!.record) ? 1 : DS1.includes(sources[r]!.record) ? 0 : 2));
    if (split.some((s) => s === 2)) {
      const outside = [...new Set(recIdx.filter((_, i) => split[i] === 2).map((r) => sources[r]!.record))];
      throw new AppError('INVALID_INPUT', `Inter-patient split needs MIT-BIH records in DS1/DS2; not in either: ${outside.join(', ')}`);
    }
  } else {
    split = stratifiedSplit(labelArr, params.testFraction, params.seed);
  }
  return persistDataset(ctx, params, classes, sources, { values: all, labels: labelArr, split, record: recordArr }, reference);
}

/** Counts, weights, hash and manifest for the arrays; writes them atomically and records them in the catalog. */
export async function persistDataset(
  ctx: BuildContext,
  params: DatasetParams,
  classes: string[],
  sources: DatasetManifest['sources'],
  arrays: DatasetArrays,
  reference: Record<string, number>,
): Promise<DatasetManifest> {
  assertNameFree(ctx, params.name);
  const { labels, split } = arrays;
  const count = (which: number | null): Record<string, number> => {
    const c = new Array<number>(classes.length).fill(0);
    labels.forEach((l, i) => {
      if (which === null || split[i] === which) c[l]!++;
    });
    return Object.fromEntries(classes.map((name, i) => [name, c[i]!]));
  };
  const trainCounts = count(0);
  const weights = classWeights(classes.map((c) => trainCounts[c]!));
  const hash = datasetHash(arrays, params);
  const id = randomUUID();
  const manifest: DatasetManifest = {
    id,
    name: params.name,
    createdAt: new Date().toISOString(),
    appVersion: ctx.appVersion,
    params,
    classes,
    sources,
    counts: { train: trainCounts, test: count(1), total: count(null), reference },
    classWeights: Object.fromEntries(classes.map((c, i) => [c, weights[i]!])),
    beats: labels.length,
    beatLength: params.window.length,
    hash,
  };
  // Write to a temporary folder and rename, so a crash never leaves a half-written dataset.
  const dir = join(ctx.datasetsDir, id);
  const tmp = `${dir}.partial`;
  await mkdir(tmp, { recursive: true });
  try {
    await writeFile(join(tmp, 'beats.f32'), bytesOf(arrays.values));
    await writeFile(join(tmp, 'labels.i32'), bytesOf(labels));
    await writeFile(join(tmp, 'split.u8'), split);
    await writeFile(join(tmp, 'record.i32'), bytesOf(arrays.record));
    await writeFile(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2));
    await rename(tmp, dir);
    ctx.store.tx(() => {
      ctx.store.datasets.insert(manifest, dir);
      ctx.store.audit.append('dataset.build', { id, name: params.name, hash, beats: labels.length, params });
    });
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return manifest;
}

export async function loadDatasetArrays(dir: string): Promise<DatasetArrays> {
  const f32 = async (n: string): Promise<ArrayBuffer> => {
    const b = await readFile(join(dir, n));
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  };
  return {
    values: new Float32Array(await f32('beats.f32')),
    labels: new Int32Array(await f32('labels.i32')),
    split: new Uint8Array(await f32('split.u8')),
    record: new Int32Array(await f32('record.i32')),
  };
}
