// Dataset arrays → seeded batches. A validation hold-out is drawn (stratified, seeded) from the train
// split; batches are a seeded shuffle of the train indices or, for imbalanced classes, a
// class-balanced draw (class uniformly, then a beat of that class, with replacement).
import { mulberry32 } from '../common/random.ts';
import { stratifiedSplit, type DatasetArrays } from '../datasets/build.ts';
import type { ClassBatch } from './steps.ts';

export interface HoldOut {
  train: Int32Array;
  validation: Int32Array;
}

/** Splits the train split (split = 0) into train and validation indices; the test split is never touched. */
export function validationHoldOut(arrays: Pick<DatasetArrays, 'labels' | 'split'>, fraction: number, seed: number): HoldOut {
  if (!(fraction >= 0 && fraction < 1)) throw new Error(`validation fraction must be in [0, 1), got ${fraction}`);
  const trainIdx = Int32Array.from(arrays.labels.keys()).filter((i) => arrays.split[i] === 0);
  const mask = stratifiedSplit(Int32Array.from(trainIdx, (i) => arrays.labels[i]!), fraction, seed);
  return { train: trainIdx.filter((_, k) => mask[k] === 0), validation: trainIdx.filter((_, k) => mask[k] === 1) };
}

export interface BatchOptions {
  batchSize: number;
  seed: number;
  /** Draw classes uniformly instead of in proportion to their counts. */
  balanced?: boolean;
  /** Skip a last batch smaller than batchSize (keeps shard sizes equal for data parallelism). */
  dropLast?: boolean;
}

export interface IndexedBatch extends ClassBatch {
  indices: Int32Array;
}

function shuffled(indices: Int32Array, rand: () => number): Int32Array {
  const out = Int32Array.from(indices);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function balancedDraw(labels: Int32Array, indices: Int32Array, rand: () => number): Int32Array {
  const byClass = new Map<number, number[]>();
  for (const i of indices) {
    const l = labels[i]!;
    const list = byClass.get(l);
    if (list) list.push(i);
    else byClass.set(l, [i]);
  }
  const groups = [...byClass.keys()].sort((a, b) => a - b).map((k) => byClass.get(k)!);
  return Int32Array.from(indices, () => {
    const g = groups[Math.floor(rand() * groups.length)]!;
    return g[Math.floor(rand() * g.length)]!;
  });
}

/** Copies the rows `idx` out of the dataset arrays. */
export function gatherBatch(arrays: Pick<DatasetArrays, 'values' | 'labels'>, idx: Int32Array): IndexedBatch {
  const L = arrays.values.length / arrays.labels.length;
  const beats = new Float32Array(idx.length * L);
  idx.forEach((r, k) => beats.set(arrays.values.subarray(r * L, (r + 1) * L), k * L));
  return { beats, labels: Int32Array.from(idx, (r) => arrays.labels[r]!), indices: idx };
}

/** One epoch of batches over `indices`, in a seeded order. */
export function* epochBatches(arrays: Pick<DatasetArrays, 'values' | 'labels'>, indices: Int32Array, opts: BatchOptions): Generator<IndexedBatch> {
  if (!Number.isInteger(opts.batchSize) || opts.batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${opts.batchSize}`);
  const rand = mulberry32(opts.seed);
  const order = opts.balanced ? balancedDraw(arrays.labels, indices, rand) : shuffled(indices, rand);
  for (let s = 0; s < order.length; s += opts.batchSize) {
    const idx = order.subarray(s, Math.min(order.length, s + opts.batchSize));
    if (opts.dropLast && idx.length < opts.batchSize) break;
    yield gatherBatch(arrays, idx);
  }
}
