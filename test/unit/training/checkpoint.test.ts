// Checkpoint files: exact round trip of weights, Adam state and coordinator state; only the latest
// is kept; a half-written checkpoint (a kill mid-write) leaves the previous one in force; a
// truncated array file is refused with its name.
import { describe, it, expect, afterAll } from 'vitest';
import { mkdirSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readBestWeights, readLatestCheckpoint, writeBestWeights, writeCheckpoint, type Checkpoint } from '../../../src-main/training/checkpoint.ts';
import { tempDir } from '../../helpers.ts';

const dir = tempDir();
afterAll(() => dir.cleanup());

function ck(step: number): Checkpoint {
  const w = (k: number): Float32Array => Float32Array.from({ length: 5 + k }, (_, i) => Math.fround(step * 0.1 + i / 7 + k));
  const cfg = { learningRate: 1e-4, beta1: 0.5, beta2: 0.999, epsilon: 1e-7 };
  return {
    state: { step, epoch: 1, position: 3, lossSums: { total: 1.25 }, epochSteps: 3, history: [{ epoch: 1, step: step - 3, lossPerHead: { total: 0.5 }, trainAccuracy: 0.75, valAccuracy: null, seconds: 2 }], best: { epoch: 1, valAccuracy: 0.5 }, epochsSinceBest: 0, seconds: 12.5 },
    snapshot: {
      weights: { d: new Map([['d_conv1/kernel', w(0)], ['d_conv1/bias', w(1)]]), g: new Map([['g_dense/kernel', w(2)]]) },
      adam: { d: { config: cfg, step, m: new Map([['d_conv1/kernel', w(3)]]), v: new Map([['d_conv1/kernel', w(4)]]) } },
    },
  };
}

describe('checkpoints', () => {
  it('round-trip exactly and keep only the latest', async () => {
    const run = join(dir.path, 'a');
    mkdirSync(run);
    expect(await readLatestCheckpoint(run)).toBeNull();
    await writeCheckpoint(run, ck(3));
    await writeCheckpoint(run, ck(6));
    expect(await readLatestCheckpoint(run)).toEqual(ck(6));
    expect(readdirSync(run).filter((f) => f.startsWith('ckpt-'))).toHaveLength(1);
    await writeBestWeights(run, ck(6).snapshot.weights);
    await writeBestWeights(run, ck(9).snapshot.weights);
    expect(await readBestWeights(run)).toEqual(ck(9).snapshot.weights);
  });

  it('a checkpoint half written when the process died does not replace the last complete one', async () => {
    const run = join(dir.path, 'b');
    mkdirSync(run);
    await writeCheckpoint(run, ck(4));
    // What a kill during the next write leaves: its temporary folder, no latest.json update.
    mkdirSync(join(run, `ckpt-00000008-abcdef.tmp-999`));
    writeFileSync(join(run, `ckpt-00000008-abcdef.tmp-999`, 'arrays.f32'), new Uint8Array(10));
    expect((await readLatestCheckpoint(run))?.state.step).toBe(4);
  });

  it('refuses a truncated array file, naming it', async () => {
    const run = join(dir.path, 'c');
    mkdirSync(run);
    const path = await writeCheckpoint(run, ck(5));
    truncateSync(join(path, 'arrays.f32'), 16);
    await expect(readLatestCheckpoint(run)).rejects.toThrow(/arrays\.f32 holds 4 values/);
  });
});
