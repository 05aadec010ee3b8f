// Conv kernels for training on the wasm backend.
// - Conv2DBackpropFilter is missing in @tensorflow/tfjs-backend-wasm 4.x, so the weight
//   gradient of any conv layer throws there.
// - The stock Conv2DBackpropInput is a naive loop, about 9× slower than the forward conv.
// Both are built here as im2col/col2im in JS on the wasm heap around the backend's own
// XNNPACK BatchMatMul, always called without transposes (its transposed paths are ~40× slower):
//   dW  = (dy^T · cols)^T          cols = im2col(x)   [rows × K],  K = FH·FW·Cin
//   dx  = col2im(dy · W^T)         W^T laid out [Cout × K]
import {
  backend_util,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  getKernel,
  registerKernel,
  unregisterKernel,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** Upper bound on one im2col chunk, in floats, so big batches do not balloon the wasm heap. */
let chunkFloats = 4 * 1024 * 1024;

/** Tests shrink the chunk to exercise the chunked path on small tensors. */
export function setChunkFloats(n: number): void {
  chunkFloats = n;
}

interface ConvAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape?: [number, number, number, number];
  inputShape?: [number, number, number, number];
}

type Args<I> = { inputs: I; backend: BackendWasm; attrs: NamedAttrMap };

function convInfo(xShape: number[], filterShape: number[], attrs: ConvAttrs, kernel: string): backend_util.Conv2DInfo {
  if (attrs.dataFormat === 'NCHW') throw new Error(`${kernel} (wasm): only NHWC data format is supported`);
  return backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}

const matMulOf = (): KernelFunc => getKernel('BatchMatMul', 'wasm')!.kernelFunc as KernelFunc;
const f32 = (backend: BackendWasm, t: TensorInfo): Float32Array => backend.typedArrayFromHeap(t) as Float32Array;

/** Calls fn(row, n, oh, ow, tapOffset, inputOffset) for every in-bounds (output position, filter tap) pair of rows [p0, p0+rows). */
function forEachTap(
  info: backend_util.Conv2DInfo,
  p0: number,
  rows: number,
  fn: (r: number, colOffset: number, inputOffset: number) => void,
  fnOut: (r: number, colOffset: number) => void,
): void {
  const { inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  const K = filterHeight * filterWidth * inChannels;
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
        if (ih < 0 || ih >= inHeight || iw < 0 || iw >= inWidth) fnOut(r, c);
        else fn(r, c, ((n * inHeight + ih) * inWidth + iw) * inChannels);
        c += inChannels;
      }
    }
  }
}

export function conv2DBackpropFilterWasm(args: Args<{ x: TensorInfo; dy: TensorInfo }>): TensorInfo {
  const { inputs, backend } = args;
  const attrs = args.attrs as unknown as ConvAttrs;
  const { x, dy } = inputs;
  const info = convInfo(x.shape, attrs.filterShape!, attrs, 'Conv2DBackpropFilter');
  const { batchSize, outHeight, outWidth, outChannels: CO, inChannels: C, filterHeight, filterWidth } = info;
  const K = filterHeight * filterWidth * C;
  const P = batchSize * outHeight * outWidth;
  const matMul = matMulOf();
  const accT = new Float32Array(CO * K); // dW^T, accumulated over chunks
  const rowsPerChunk = Math.max(1, Math.min(P, Math.floor(chunkFloats / K)));
  for (let p0 = 0; p0 < P; p0 += rowsPerChunk) {
    const rows = Math.min(rowsPerChunk, P - p0);
    const cols = backend.makeOutput([1, rows, K], 'float32');
    const dyT = backend.makeOutput([1, CO, rows], 'float32');
    // Views are taken after every allocation: the wasm heap may have grown and moved.
    const colArr = f32(backend, cols);
    const xArr = f32(backend, x);
    const dyArr = f32(backend, dy);
    const dyTArr = f32(backend, dyT);
    for (let r = 0; r < rows; r++) for (let co = 0; co < CO; co++) dyTArr[co * rows + r] = dyArr[(p0 + r) * CO + co]!;
    forEachTap(
      info,
      p0,
      rows,
      (_r, c, xi) => colArr.set(xArr.subarray(xi, xi + C), c),
      (_r, c) => colArr.fill(0, c, c + C),
    );
    const part = matMul({ inputs: { a: dyT, b: cols }, backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
    const partArr = f32(backend, part);
    for (let i = 0; i < accT.length; i++) accT[i]! += partArr[i]!;
    backend.disposeData(part.dataId);
    backend.disposeData(cols.dataId);
    backend.disposeData(dyT.dataId);
  }
  const out = backend.makeOutput([filterHeight, filterWidth, C, CO], 'float32');
  const outArr = f32(backend, out);
  for (let k = 0; k < K; k++) for (let co = 0; co < CO; co++) outArr[k * CO + co] = accT[co * K + k]!;
  return out;
}

export function conv2DBackpropInputWasm(args: Args<{ dy: TensorInfo; filter: TensorInfo }>): TensorInfo {
  const { inputs, backend } = args;
  const attrs = args.attrs as unknown as ConvAttrs;
  const { dy, filter } = inputs;
  const info = convInfo(attrs.inputShape!, filter.shape, attrs, 'Conv2DBackpropInput');
  const { batchSize, outHeight, outWidth, outChannels: CO, inChannels: C, filterHeight, filterWidth } = info;
  const K = filterHeight * filterWidth * C;
  const P = batchSize * outHeight * outWidth;
  const matMul = matMulOf();
  const dx = new Float32Array(attrs.inputShape!.reduce((a, b) => a * b, 1));
  const wT = backend.makeOutput([1, CO, K], 'float32');
  {
    const w = f32(backend, filter);
    const wTArr = f32(backend, wT);
    for (let k = 0; k < K; k++) for (let co = 0; co < CO; co++) wTArr[co * K + k] = w[k * CO + co]!;
  }
  const rowsPerChunk = Math.max(1, Math.min(P, Math.floor(chunkFloats / K)));
  for (let p0 = 0; p0 < P; p0 += rowsPerChunk) {
    const rows = Math.min(rowsPerChunk, P - p0);
    const dyChunk = backend.makeOutput([1, rows, CO], 'float32');
    f32(backend, dyChunk).set(f32(backend, dy).subarray(p0 * CO, (p0 + rows) * CO));
    const cols = matMul({ inputs: { a: dyChunk, b: wT }, backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
    const colArr = f32(backend, cols);
    forEachTap(
      info,
      p0,
      rows,
      (_r, c, xi) => {
        for (let ci = 0; ci < C; ci++) dx[xi + ci]! += colArr[c + ci]!;
      },
      () => {},
    );
    backend.disposeData(cols.dataId);
    backend.disposeData(dyChunk.dataId);
  }
  backend.disposeData(wT.dataId);
  const out = backend.makeOutput(attrs.inputShape!, 'float32');
  f32(backend, out).set(dx);
  return out;
}

export const conv2DBackpropFilterWasmConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilterWasm as unknown as KernelFunc,
};

export const conv2DBackpropInputWasmConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInputWasm as unknown as KernelFunc,
};

let registered = false;

/** Registers both kernels once (replacing the stock, slow Conv2DBackpropInput). */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  for (const config of [conv2DBackpropFilterWasmConfig, conv2DBackpropInputWasmConfig]) {
    if (getKernel(config.kernelName, 'wasm')) unregisterKernel(config.kernelName, 'wasm');
    registerKernel(config);
  }
}
