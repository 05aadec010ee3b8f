// Helpers for data-parallel work: split a batch by rows into shards, join row-wise results, and
// average per-shard gradients weighted by shard size.

export type RowArray = Float32Array | Float64Array | Int32Array | Uint8Array | Uint16Array | Int16Array;
export type Rows = Record<string, RowArray>;

export interface Shard<B extends Rows> {
  /** First row of the shard in the batch. */
  offset: number;
  rows: number;
  /** The shard's rows of each array, copied so they can be transferred. */
  data: B;
}

/**
 * Splits arrays holding `rows` rows each (a beat matrix N×L, labels N, …) into at most `parts`
 * contiguous shards of near-equal size, in order. Every array's length must be a multiple of `rows`.
 */
export function shardRows<B extends Rows>(batch: B, rows: number, parts: number): Shard<B>[] {
  const columns = Object.entries(batch).map(([k, a]) => {
    if (a.length % rows !== 0) throw new Error(`"${k}" has ${a.length} values, not a multiple of ${rows} rows`);
    return { k, a, width: rows === 0 ? 0 : a.length / rows };
  });
  const n = Math.max(1, Math.min(parts, rows));
  const shards: Shard<B>[] = [];
  for (let s = 0, offset = 0; s < n && offset < rows; s++) {
    const count = Math.floor(rows / n) + (s < rows % n ? 1 : 0);
    const data = Object.fromEntries(
      columns.map(({ k, a, width }) => [k, a.slice(offset * width, (offset + count) * width)]),
    ) as B;
    shards.push({ offset, rows: count, data });
    offset += count;
  }
  return shards;
}

/** Joins row-wise parts (e.g. the outputs of `map` over shards) into one array. */
export function concatRows<A extends RowArray>(parts: readonly A[]): A {
  const first = parts[0];
  if (!first) throw new Error('nothing to join');
  const out = new (first.constructor as new (n: number) => A)(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The mean gradient over shards, each weighted by its number of rows, so the result equals the
 * gradient of the mean loss over the whole batch. Every shard must have the same variables and shapes.
 */
export function averageGradients(shards: readonly { grads: Map<string, Float32Array>; rows: number }[]): Map<string, Float32Array> {
  const head = shards[0];
  if (!head) throw new Error('no gradients to average');
  const total = shards.reduce((n, s) => n + s.rows, 0);
  if (!(total > 0)) throw new Error('gradient shards hold no rows');
  const out = new Map<string, Float32Array>();
  for (const [name, first] of head.grads) {
    const sum = new Float64Array(first.length); // float64 accumulation: order-independent to float32 precision
    for (const s of shards) {
      const g = s.grads.get(name);
      if (!g) throw new Error(`gradient "${name}" is missing from a shard`);
      if (g.length !== first.length) throw new Error(`gradient "${name}" has ${g.length} values in one shard, ${first.length} in another`);
      const w = s.rows / total;
      g.forEach((v, i) => (sum[i] = (sum[i] ?? 0) + w * v));
    }
    out.set(name, Float32Array.from(sum));
  }
  for (const s of shards) {
    for (const name of s.grads.keys()) if (!out.has(name)) throw new Error(`gradient "${name}" is missing from a shard`);
  }
  return out;
}
