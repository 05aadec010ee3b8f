// A tiny generated beat dataset persisted like a built one (two classes: narrow spike / wide bump),
// for training runs in tests.
import { syntheticBeats } from '../../../src-main/compute/self-test.ts';
import { mulberry32 } from '../../../src-main/common/random.ts';
import { persistDataset, stratifiedSplit, type BuildContext, type DatasetArrays, type DatasetManifest } from '../../../src-main/datasets/build.ts';

export function tinyArrays(n: number, length: number, seed: number): DatasetArrays {
  const { x, y } = syntheticBeats(n, length, mulberry32(seed));
  // Min-max per beat to [0, 1], as the real datasets are.
  const values = Float32Array.from(x);
  for (let b = 0; b < n; b++) {
    const row = values.subarray(b * length, (b + 1) * length);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of row) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
    for (let t = 0; t < length; t++) row[t] = hi > lo ? (row[t]! - lo) / (hi - lo) : 0;
  }
  const labels = Int32Array.from({ length: n }, (_, i) => (y[i * 2 + 1] === 1 ? 1 : 0));
  return { values, labels, split: stratifiedSplit(labels, 0.2, seed), record: new Int32Array(n) };
}

export function tinyDataset(ctx: BuildContext, name: string, n = 240, length = 128, seed = 3): Promise<DatasetManifest> {
  return persistDataset(
    ctx,
    { name, preset: 'table', window: { frequency: 125, before: 0, length, truncateRR: null, normalise: 'minmax' as const }, classes: 2, split: 'random', testFraction: 0.2, seed, lead: 'MLII' },
    ['N', 'V'],
    [],
    tinyArrays(n, length, seed),
    {},
  );
}
