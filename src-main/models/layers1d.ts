// 1-D layers that tfjs-layers lacks (transposed conv, zero padding, cropping), each built as
// reshape [L, C] → [L, 1, C] → the 2-D layer with a [k, 1] window → reshape back. Built only from
// stock layers, so saved models load with no custom-class registration.
import { tfl, type SymbolicTensor } from '../compute/layers.ts';

function lengthOf(x: SymbolicTensor): number {
  const l = x.shape[1];
  if (l == null) throw new Error('1-D layers need a known sequence length');
  return l;
}

function channelsOf(x: SymbolicTensor): number {
  return x.shape[2] ?? 1;
}

function to2d(x: SymbolicTensor, name: string): SymbolicTensor {
  return tfl.layers.reshape({ targetShape: [lengthOf(x), 1, channelsOf(x)], name: `${name}_to2d` }).apply(x) as SymbolicTensor;
}

function to1d(x: SymbolicTensor, name: string): SymbolicTensor {
  const s = x.shape;
  return tfl.layers.reshape({ targetShape: [s[1]!, s[3]!], name: `${name}_to1d` }).apply(x) as SymbolicTensor;
}

export interface Conv1dTransposeArgs {
  filters: number;
  kernelSize: number;
  strides: number;
  name: string;
  seed: number;
}

/** Transposed 1-D convolution, 'same' padding: output length = input length × strides. */
export function conv1dTranspose(x: SymbolicTensor, a: Conv1dTransposeArgs): SymbolicTensor {
  const y = tfl.layers
    .conv2dTranspose({
      filters: a.filters,
      kernelSize: [a.kernelSize, 1],
      strides: [a.strides, 1],
      padding: 'same',
      name: a.name,
      kernelInitializer: tfl.initializers.glorotUniform({ seed: a.seed }),
    })
    .apply(to2d(x, a.name)) as SymbolicTensor;
  return to1d(y, a.name);
}

/** Zeros appended after the last sample. */
export function zeroPad1dEnd(x: SymbolicTensor, pad: number, name: string): SymbolicTensor {
  const y = tfl.layers.zeroPadding2d({ padding: [[0, pad], [0, 0]], name }).apply(to2d(x, name)) as SymbolicTensor;
  return to1d(y, name);
}

/** Drops the last `crop` samples. */
export function cropEnd1d(x: SymbolicTensor, crop: number, name: string): SymbolicTensor {
  const y = tfl.layers.cropping2D({ cropping: [[0, crop], [0, 0]], name }).apply(to2d(x, name)) as SymbolicTensor;
  return to1d(y, name);
}
