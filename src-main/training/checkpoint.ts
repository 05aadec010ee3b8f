// Crash-safe checkpoints of a run: every weight of every model, Adam moments and step, and the
// coordinator's position (epoch, batch within the epoch, metrics so far). Each is written into a
// temporary folder, synced and renamed to ckpt-<step>-<tag>; then latest.json is replaced by rename. A kill
// at any moment leaves latest.json naming a complete checkpoint (or none yet).
import { randomBytes } from 'node:crypto';
import { open, mkdir, readFile, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AdamConfig } from './adam.ts';
import type { Part, Snapshot } from './kinds.ts';
import type { WeightMap } from '../models/weights.ts';
import type { EpochMetrics, HoldOutSpec, ModelCard } from '../../src-shared/contract/index.ts';

export interface CoordinatorState {
  /** Optimizer steps done. */
  step: number;
  /** Epoch in progress (0-based) and the index of its next batch. */
  epoch: number;
  position: number;
  /** Loss sums and step count of the epoch in progress. */
  lossSums: Record<string, number>;
  epochSteps: number;
  history: EpochMetrics[];
  /**
   * The kept weights' validation point: accuracy and macro-F1, and the score they were chosen on
   * (step, valMacroF1 and score are absent in older checkpoints: accuracy at an epoch's end).
   */
  best: { epoch: number; valAccuracy: number | null; step?: number; valMacroF1?: number | null; score?: number | null } | null;
  epochsSinceBest: number;
  /** Training seconds before this launch (wall time across resumes). */
  seconds: number;
  /** The validation hold-out the run draws (absent in checkpoints written before it was kept here). */
  holdout?: HoldOutSpec;
  /** Steps at which each resume of the run began, in order (absent: never resumed, or an older checkpoint). */
  resumedAt?: number[];
  /** The warm start's model and weights hash, for the card of a resumed run (resumes load the checkpoint, not --init). */
  initialisedFrom?: NonNullable<ModelCard['training']>['initialisedFrom'];
}

export interface Checkpoint {
  state: CoordinatorState;
  snapshot: Snapshot;
}

const LATEST = 'latest.json';

interface Entry {
  name: string;
  offset: number;
  length: number;
}
interface Index {
  entries: Entry[];
  adam: Partial<Record<Part, { config: AdamConfig; step: number }>>;
  /** Absent in the best-weights folder. */
  state?: CoordinatorState;
}

async function writeSynced(path: string, data: string | Uint8Array): Promise<void> {
  const fh = await open(path, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Named arrays of a snapshot, concatenated: w/<part>/<key>, m/<part>/<key>, v/<part>/<key>. */
function flatten(s: Snapshot): { entries: Entry[]; bytes: Uint8Array } {
  const arrays: [string, Float32Array][] = [];
  for (const part of ['d', 'g'] as Part[]) {
    for (const [k, v] of s.weights[part] ?? []) arrays.push([`w/${part}/${k}`, v]);
    const a = s.adam[part];
    if (a) for (const [which, map] of [['m', a.m], ['v', a.v]] as const) for (const [k, v] of map) arrays.push([`${which}/${part}/${k}`, v]);
  }
  const total = arrays.reduce((n, [, v]) => n + v.length, 0);
  const all = new Float32Array(total);
  const entries: Entry[] = [];
  let off = 0;
  for (const [name, v] of arrays) {
    all.set(v, off);
    entries.push({ name, offset: off, length: v.length });
    off += v.length;
  }
  return { entries, bytes: new Uint8Array(all.buffer) };
}

/** Replaces `dir` by a folder with the snapshot's arrays and an index: built aside, synced, renamed in. */
async function writeSnapshotDir(dir: string, snapshot: Snapshot, extra: Omit<Index, 'entries' | 'adam'>): Promise<void> {
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const { entries, bytes } = flatten(snapshot);
  const adam: Index['adam'] = {};
  for (const part of ['d', 'g'] as Part[]) {
    const a = snapshot.adam[part];
    if (a) adam[part] = { config: a.config, step: a.step };
  }
  await writeSynced(join(tmp, 'arrays.f32'), bytes);
  await writeSynced(join(tmp, 'index.json'), JSON.stringify({ ...extra, entries, adam } satisfies Index));
  // A folder cannot be renamed over a non-empty one: move the old one aside first.
  const old = `${dir}.old-${process.pid}`;
  await rm(old, { recursive: true, force: true });
  await rename(dir, old).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
  await rename(tmp, dir);
  await rm(old, { recursive: true, force: true });
}

async function readSnapshotDir(dir: string): Promise<{ index: Index; snapshot: Snapshot }> {
  const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as Index;
  const buf = await readFile(join(dir, 'arrays.f32'));
  const all = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const need = index.entries.reduce((n, e) => Math.max(n, e.offset + e.length), 0);
  if (all.length < need) throw new Error(`${dir}: arrays.f32 holds ${all.length} values, the index needs ${need}`);
  const snapshot: Snapshot = { weights: {}, adam: {} };
  const maps = new Map<string, WeightMap>();
  for (const e of index.entries) {
    const [which, part, ...rest] = e.name.split('/');
    const key = `${which}/${part}`;
    if (!maps.has(key)) maps.set(key, new Map());
    maps.get(key)!.set(rest.join('/'), all.slice(e.offset, e.offset + e.length));
  }
  for (const part of ['d', 'g'] as Part[]) {
    const w = maps.get(`w/${part}`);
    if (w) snapshot.weights[part] = w;
    const a = index.adam[part];
    if (a) snapshot.adam[part] = { config: a.config, step: a.step, m: maps.get(`m/${part}`) ?? new Map(), v: maps.get(`v/${part}`) ?? new Map() };
  }
  return { index, snapshot };
}

export async function writeCheckpoint(runDir: string, ck: Checkpoint): Promise<string> {
  // A fresh name each time (the epoch-end checkpoint may share its step with a periodic one), so the
  // folder latest.json names is never the one being replaced.
  const name = `ckpt-${String(ck.state.step).padStart(8, '0')}-${randomBytes(3).toString('hex')}`;
  const dir = join(runDir, name);
  await writeSnapshotDir(dir, ck.snapshot, { state: ck.state });
  await writeSynced(join(runDir, `${LATEST}.tmp`), JSON.stringify({ checkpoint: name, step: ck.state.step }));
  await rename(join(runDir, `${LATEST}.tmp`), join(runDir, LATEST));
  // Older checkpoints are no longer needed once latest.json names this one.
  for (const f of await readdir(runDir)) if (/^ckpt-\d+-[0-9a-f]+$/.test(f) && f !== name) await rm(join(runDir, f), { recursive: true, force: true });
  return dir;
}

/** The checkpoint latest.json names, or null when the run has none yet. */
export async function readLatestCheckpoint(runDir: string): Promise<Checkpoint | null> {
  let latest: { checkpoint: string };
  try {
    latest = JSON.parse(await readFile(join(runDir, LATEST), 'utf8')) as { checkpoint: string };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const { index, snapshot } = await readSnapshotDir(join(runDir, latest.checkpoint));
  if (!index.state) throw new Error(`${latest.checkpoint}: checkpoint without its training state`);
  return { state: index.state, snapshot };
}

const BEST = 'best';

/** The best-on-validation weights so far (every model of the run), replaced atomically. */
export function writeBestWeights(runDir: string, weights: Snapshot['weights']): Promise<void> {
  return writeSnapshotDir(join(runDir, BEST), { weights, adam: {} }, {});
}

export async function readBestWeights(runDir: string): Promise<Snapshot['weights'] | null> {
  try {
    return (await readSnapshotDir(join(runDir, BEST))).snapshot.weights;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
