// A tiny conv1d classifier trained on generated signals: proves the active backend can
// train conv nets (forward, both conv gradients, Adam) and gives the bench a fixed workload.
import * as tfl from '@tensorflow/tfjs-layers';
import { tf } from './backend.ts';
import { BackendName, type SelfTestResult } from '../../src-shared/contract/index.ts';
import { mulberry32 } from '../common/random.ts';

export interface SelfTestOptions {
  steps: number;
  batch?: number;
  length?: number;
  seed?: number;
  onStep?: (step: number, loss: number) => void;
  /** Checked before each step: true stops the run early (its result covers the steps done). */
  stop?: () => boolean;
}

/** The contract's self-test result plus every step's loss (for the bench). */
export type SelfTestRun = SelfTestResult & { losses: number[] };

/** Two classes of beat-like shapes: a narrow spike vs a wide bump, at jittered positions, with noise. */
export function syntheticBeats(n: number, length: number, rand: () => number): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array(n * length);
  const y = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const cls = i % 2;
    const centre = length * (0.35 + 0.3 * rand());
    const width = cls === 0 ? length * 0.02 : length * 0.09;
    for (let t = 0; t < length; t++) {
      x[i * length + t] = Math.exp(-(((t - centre) / width) ** 2)) + 0.05 * (rand() - 0.5);
    }
    y[i * 2 + cls] = 1;
  }
  return { x, y };
}

export function buildTinyConvNet(length: number, seed: number): tfl.Sequential {
  const model = tfl.sequential();
  model.add(tfl.layers.conv1d({ inputShape: [length, 1], filters: 8, kernelSize: 5, padding: 'same', activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed }) }));
  model.add(tfl.layers.conv1d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }) }));
  model.add(tfl.layers.conv1d({ filters: 8, kernelSize: 2, dilationRate: 2, padding: 'same', activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 2 }) }));
  model.add(tfl.layers.globalMaxPooling1d());
  model.add(tfl.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 3 }) }));
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
  return model;
}

export async function runSelfTest(opts: SelfTestOptions): Promise<SelfTestRun> {
  const batch = opts.batch ?? 16;
  const length = opts.length ?? 128;
  const seed = opts.seed ?? 7;
  const rand = mulberry32(seed);
  const model = buildTinyConvNet(length, seed);
  const losses: number[] = [];
  let elapsed = 0;
  try {
    for (let step = 0; step < opts.steps; step++) {
      if (opts.stop?.()) break;
      const { x, y } = syntheticBeats(batch, length, rand);
      const xs = tf.tensor3d(x, [batch, length, 1]);
      const ys = tf.tensor2d(y, [batch, 2]);
      const t0 = performance.now();
      const loss = (await model.trainOnBatch(xs, ys)) as number;
      elapsed += performance.now() - t0;
      tf.dispose([xs, ys]);
      losses.push(loss);
      opts.onStep?.(step, loss);
      // Yield so progress events and cancel requests get through between steps.
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    // model.dispose() frees the weights but not the optimizer's moment estimates.
    model.optimizer.dispose();
    model.dispose();
  }
  const k = Math.max(1, Math.floor(losses.length / 4));
  const mean = (a: number[]): number => a.reduce((s, v) => s + v, 0) / Math.max(1, a.length);
  const firstLoss = mean(losses.slice(0, k));
  const lastLoss = mean(losses.slice(-k));
  return { backend: BackendName.parse(tf.getBackend()), steps: losses.length, losses, firstLoss, lastLoss, decreased: lastLoss < firstLoss, msPerStep: elapsed / Math.max(1, losses.length) };
}
