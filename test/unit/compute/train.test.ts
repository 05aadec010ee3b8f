import { describe, it, expect } from 'vitest';
import { initCompute, tf } from '../../../src-main/compute/backend.ts';
import { runSelfTest } from '../../../src-main/compute/self-test.ts';

describe('training on the wasm backend', () => {
  it('a tiny conv1d model (strided and dilated layers) learns: loss decreases', async () => {
    const info = await initCompute('wasm');
    expect(info.backend).toBe('wasm');
    const before = tf.memory().numTensors;
    const r = await runSelfTest({ steps: 24, batch: 16, length: 96, seed: 3 });
    expect(r.backend).toBe('wasm');
    expect(r.steps).toBe(24);
    expect(r.losses.every(Number.isFinite)).toBe(true);
    expect(r.lastLoss).toBeLessThan(r.firstLoss * 0.7);
    // No tensors leak from a training run.
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
  });

  it('stops early when told to', async () => {
    await initCompute('wasm');
    let stop = false;
    const r = await runSelfTest({ steps: 1000, batch: 4, length: 32, onStep: (s) => (stop = s === 2), stop: () => stop });
    expect(r.steps).toBe(3);
  });
});
