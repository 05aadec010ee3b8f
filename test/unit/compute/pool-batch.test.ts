import { describe, it, expect } from 'vitest';
import { averageGradients, concatRows, shardRows } from '../../../src-main/compute/pool/batch.ts';
import { createComputePool } from '../../../src-main/compute/pool/pool.ts';
import { mulberry32 } from '../../../src-main/common/random.ts';

describe('batch sharding', () => {
  it('splits every array by rows into ordered, near-equal copies that join back to the batch', () => {
    const rows = 11;
    const x = Float32Array.from({ length: rows * 3 }, (_, i) => i);
    const y = Int32Array.from({ length: rows }, (_, i) => i % 4);
    const shards = shardRows({ x, y }, rows, 4);
    expect(shards.map((s) => [s.offset, s.rows])).toEqual([[0, 3], [3, 3], [6, 3], [9, 2]]);
    expect(shards[1]!.data.x).toEqual(Float32Array.of(9, 10, 11, 12, 13, 14, 15, 16, 17));
    expect(shards[3]!.data.y).toEqual(Int32Array.of(1, 2));
    expect(shards[0]!.data.x.buffer).not.toBe(x.buffer); // copies: safe to transfer
    expect(concatRows(shards.map((s) => s.data.x))).toEqual(x);
    expect(concatRows(shards.map((s) => s.data.y))).toEqual(y);
    expect(shardRows({ x }, rows, 50)).toHaveLength(rows); // never an empty shard
    expect(() => shardRows({ x, y: new Int32Array(5) }, rows, 2)).toThrow('"y" has 5 values, not a multiple of 11 rows');
  });
});

describe('averageGradients', () => {
  it('weights shards by rows: the mean of per-shard mean-loss gradients equals the whole-batch gradient', () => {
    // Least squares y ≈ X·w: gradient of the mean loss is (2/N) Xᵀ(Xw − y).
    const rand = mulberry32(21);
    const rows = 13;
    const dim = 4;
    const X = Float32Array.from({ length: rows * dim }, () => rand() - 0.5);
    const y = Float32Array.from({ length: rows }, () => rand());
    const w = Float32Array.from({ length: dim }, () => rand());
    const grad = (Xs: Float32Array, ys: Float32Array): Map<string, Float32Array> => {
      const n = ys.length;
      const g = new Float32Array(dim);
      for (let r = 0; r < n; r++) {
        let e = -ys[r]!;
        for (let j = 0; j < dim; j++) e += Xs[r * dim + j]! * w[j]!;
        for (let j = 0; j < dim; j++) g[j]! += (2 / n) * e * Xs[r * dim + j]!;
      }
      return new Map([['w', g], ['b', Float32Array.of(g.reduce((a, b) => a + b, 0))]]);
    };
    const whole = grad(X, y);
    const shards = shardRows({ X, y }, rows, 3); // 5, 4, 4 rows: unequal weights matter
    const mean = averageGradients(shards.map((s) => ({ grads: grad(s.data.X, s.data.y), rows: s.rows })));
    for (const [name, g] of whole) g.forEach((v, i) => expect(mean.get(name)![i]).toBeCloseTo(v, 6));
    // An unweighted mean would differ.
    const plain = averageGradients(shards.map((s) => ({ grads: grad(s.data.X, s.data.y), rows: 1 })));
    expect(Math.max(...whole.get('w')!.map((v, i) => Math.abs(v - plain.get('w')![i]!)))).toBeGreaterThan(1e-4);
  });

  it('refuses shards whose variables or shapes differ', () => {
    const a = { grads: new Map([['w', new Float32Array(3)]]), rows: 2 };
    expect(() => averageGradients([a, { grads: new Map([['w', new Float32Array(2)]]), rows: 2 }])).toThrow('gradient "w" has 2 values in one shard, 3 in another');
    expect(() => averageGradients([a, { grads: new Map([['v', new Float32Array(3)]]), rows: 2 }])).toThrow('gradient "w" is missing from a shard');
    expect(() => averageGradients([])).toThrow('no gradients to average');
  });
});

describe('pool start-up', () => {
  it('probes tfjs-node in a child process and falls back to threads when it is not the backend', async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'ECGATK_BACKEND'));
    const pool = await createComputePool({ modules: [new URL('./fixtures/pool-tasks.ts', import.meta.url)], backend: 'tensorflow', size: 1, env });
    try {
      expect(pool.info).toMatchObject({ backend: 'cpu', mode: 'thread', workers: 1 });
      expect(pool.info.tried.join('\n')).toContain('@tensorflow/tfjs-node is not installed');
    } finally {
      await pool.close();
    }
  });

  it('fails with the reason when a task module cannot be loaded', async () => {
    await expect(createComputePool({ modules: [new URL('./fixtures/missing-tasks.ts', import.meta.url)], backend: 'cpu', size: 1 })).rejects.toThrow(
      /compute worker 0 could not start: .*missing-tasks\.ts/,
    );
  });
});
