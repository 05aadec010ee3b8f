// Pool tasks for the peak bench: a timed matmul and a conv1d forward layer.
import { defineTasks, type TaskContext } from '../../src-main/compute/pool/tasks.ts';
import { tf } from '../../src-main/compute/backend.ts';

export interface ConvLayer {
  length: number;
  cin: number;
  cout: number;
  kernel: number;
}

export interface MatmulShape {
  m: number;
  k: number;
  n: number;
}

export const peakTasks = defineTasks({
  /** GFLOP/s of repeated m×k · k×n matmuls on this worker, after a warm-up. */
  'peak.matmul': (p: MatmulShape & { reps: number }) => {
    const a = tf.randomNormal([p.m, p.k]);
    const b = tf.randomNormal([p.k, p.n]);
    for (let i = 0; i < 3; i++) tf.matMul(a, b).dispose();
    const t0 = performance.now();
    for (let i = 0; i < p.reps; i++) {
      const c = tf.matMul(a, b);
      c.dataSync();
      c.dispose();
    }
    const seconds = (performance.now() - t0) / 1000;
    tf.dispose([a, b]);
    return { seconds, gflops: (2 * p.m * p.k * p.n * p.reps) / seconds / 1e9 };
  },

  /** One conv1d layer ('same', stride 1) on rows beats; the weights stay loaded on the worker. */
  'peak.conv': (p: ConvLayer & { x: Float32Array; rows: number }, ctx: TaskContext) => {
    const key = `peak.conv:${p.kernel}:${p.cin}:${p.cout}`;
    let w = ctx.state.get(key) as tf.Tensor3D | undefined;
    if (!w) {
      w = tf.randomNormal([p.kernel, p.cin, p.cout], 0, 0.1) as tf.Tensor3D;
      ctx.state.set(key, w);
    }
    const x = tf.tensor3d(p.x, [p.rows, p.length, p.cin]);
    const y = tf.conv1d(x, w, 1, 'same');
    const out = y.dataSync() as Float32Array;
    tf.dispose([x, y]);
    return out;
  },
});

export type PeakTasks = typeof peakTasks;
