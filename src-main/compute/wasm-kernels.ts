// Kernels the stock wasm backend lacks for training conv nets.
// Conv2DBackpropFilter is missing in @tensorflow/tfjs-backend-wasm 4.x, so the gradient of
// any conv layer's weights throws there. We build it as im2col (in JS, on the wasm heap)
// followed by the backend's own XNNPACK BatchMatMul: dW = cols^T · dy.
import {
  backend_util,
  Conv2DBackpropFilter,
  getKernel,
  registerKernel,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** Upper bound on one im2col chunk, in floats (16 MiB), so big batches do not balloon the heap. */
const CHUNK_FLOATS = 4 * 1024 * 1024;

interface BackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

export function conv2DBackpropFilterWasm(args: { inputs: { x: TensorInfo; dy: TensorInfo }; backend: BackendWasm; attrs: NamedAttrMap }): TensorInfo {
  const { inputs, backend } = args;
  const attrs = args.attrs as unknown as BackpropFilterAttrs;
  const { x, dy } = inputs;
  if (attrs.dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter (wasm): only NHWC data format is supported');
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  const K = filterHeight * filterWidth * inChannels;
  const P = batchSize * outHeight * outWidth;
  const matMul = getKernel('BatchMatMul', 'wasm')!.kernelFunc as KernelFunc;

  const out = backend.makeOutput([filterHeight, filterWidth, inChannels, outChannels], 'float32');
  backend.typedArrayFromHeap(out).fill(0);
  const rowsPerChunk = Math.max(1, Math.min(P, Math.floor(CHUNK_FLOATS / K)));

  for (let p0 = 0; p0 < P; p0 += rowsPerChunk) {
    const rows = Math.min(rowsPerChunk, P - p0);
    const cols = backend.makeOutput([1, rows, K], 'float32');
    const dyChunk = backend.makeOutput([1, rows, outChannels], 'float32');
    // Views must be taken after every allocation: the wasm heap may have grown and moved.
    const colArr = backend.typedArrayFromHeap(cols) as Float32Array;
    const xArr = backend.typedArrayFromHeap(x) as Float32Array;
    const dyArr = backend.typedArrayFromHeap(dy) as Float32Array;
    (backend.typedArrayFromHeap(dyChunk) as Float32Array).set(dyArr.subarray(p0 * outChannels, (p0 + rows) * outChannels));
    for (let r = 0; r < rows; r++) {
      const p = p0 + r;
      const n = Math.floor(p / (outHeight * outWidth));
      const rem = p - n * outHeight * outWidth;
      const oh = Math.floor(rem / outWidth);
      const ow = rem - oh * outWidth;
      let c = r * K;
      for (let fh = 0; fh < filterHeight; fh++) {
        const ih = oh * strideHeight + fh - padTop;
        for (let fw = 0; fw < filterWidth; fw++) {
          const iw = ow * strideWidth + fw - padLeft;
          if (ih < 0 || ih >= inHeight || iw < 0 || iw >= inWidth) {
            colArr.fill(0, c, c + inChannels);
          } else {
            const base = ((n * inHeight + ih) * inWidth + iw) * inChannels;
            colArr.set(xArr.subarray(base, base + inChannels), c);
          }
          c += inChannels;
        }
      }
    }
    const partial = matMul({ inputs: { a: cols, b: dyChunk }, backend, attrs: { transposeA: true, transposeB: false } }) as TensorInfo;
    const acc = backend.typedArrayFromHeap(out) as Float32Array;
    const part = backend.typedArrayFromHeap(partial) as Float32Array;
    for (let i = 0; i < acc.length; i++) acc[i]! += part[i]!;
    backend.disposeData(partial.dataId);
    backend.disposeData(cols.dataId);
    backend.disposeData(dyChunk.dataId);
  }
  return out;
}

export const conv2DBackpropFilterWasmConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilterWasm as unknown as KernelFunc,
};

/** Registers the missing training kernels once; harmless if the wasm backend later ships them. */
export function registerWasmTrainingKernels(): void {
  if (!getKernel(Conv2DBackpropFilter, 'wasm')) registerKernel(conv2DBackpropFilterWasmConfig);
}
