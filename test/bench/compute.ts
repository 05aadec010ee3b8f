// Compute benchmarks: training-step time and inference throughput on the active backend.
import { initCompute, tf } from '../../src-main/compute/backend.ts';
import { buildTinyConvNet, syntheticBeats } from '../../src-main/compute/self-test.ts';
import { mulberry32 } from '../../src-main/common/random.ts';

export async function benchCompute(log: (line: string) => void): Promise<void> {
  const info = await initCompute('auto');
  log(`backend: ${info.backend}${info.backend === 'wasm' ? (info.simd ? ' (SIMD, 1 thread)' : ' (no SIMD)') : ''}`);
  const length = 280;
  const batch = 32;
  const model = buildTinyConvNet(length, 11);
  const rand = mulberry32(11);
  const { x, y } = syntheticBeats(batch, length, rand);
  const xs = tf.tensor3d(x, [batch, length, 1]);
  const ys = tf.tensor2d(y, [batch, 2]);
  for (let i = 0; i < 3; i++) await model.trainOnBatch(xs, ys); // warm-up
  const steps = 20;
  let t0 = performance.now();
  for (let i = 0; i < steps; i++) await model.trainOnBatch(xs, ys);
  const msPerStep = (performance.now() - t0) / steps;
  log(`train step, 3-layer conv1d (280 samples, batch ${batch}): ${msPerStep.toFixed(1)} ms/step`);

  const n = 2048;
  const big = syntheticBeats(n, length, rand);
  const bx = tf.tensor3d(big.x, [n, length, 1]);
  (model.predict(bx.slice([0, 0, 0], [64, length, 1])) as tf.Tensor).dispose();
  t0 = performance.now();
  const out = model.predict(bx, { batchSize: 256 }) as tf.Tensor;
  await out.data();
  const sec = (performance.now() - t0) / 1000;
  log(`inference, same net, batch 256: ${(n / sec).toFixed(0)} beats/s`);
  tf.dispose([xs, ys, bx, out]);
  model.optimizer.dispose();
  model.dispose();
}

/** One realistic conv layer (batch 32, 280 samples, 64→64 channels, kernel 16): forward and both gradients. */
export async function benchConvKernels(log: (line: string) => void): Promise<void> {
  await initCompute('auto');
  const x = tf.randomNormal([32, 1, 280, 64]) as tf.Tensor4D;
  const w = tf.randomNormal([1, 16, 64, 64]) as tf.Tensor4D;
  const dy = tf.conv2d(x, w, 1, 'same');
  const attrs = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined };
  const time = (f: () => tf.Tensor): number => {
    for (let i = 0; i < 2; i++) f().dispose();
    const t0 = performance.now();
    for (let i = 0; i < 5; i++) {
      const r = f();
      r.dataSync();
      r.dispose();
    }
    return (performance.now() - t0) / 5;
  };
  const fwd = time(() => tf.conv2d(x, w, 1, 'same'));
  const bin = time(() => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { ...attrs, inputShape: x.shape } as never) as tf.Tensor);
  const bfl = time(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: w.shape } as never) as tf.Tensor);
  log(`conv layer 32×280×64→64, k=16: forward ${fwd.toFixed(1)} ms, grad input ${bin.toFixed(1)} ms, grad filter ${bfl.toFixed(1)} ms`);
  tf.dispose([x, w, dy]);
}
