// Conv2D gradient that also handles dilation > 1 (tfjs-core 4.x asserts dilation 1 in its
// gradient, so dilated conv1d layers — the paper's skip-attention blocks — cannot train).
// A dilated filter equals a dense filter with zeros between the taps, so both gradients
// come from the dense kernels on that zero-inserted filter; the filter gradient is then
// read back at the tap positions. Dilation 1 takes exactly the stock path.
import {
  concat,
  Conv2D,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  engine,
  registerGradient,
  reshape,
  slice,
  stridedSlice,
  zeros,
  type GradConfig,
  type NamedAttrMap,
  type Tensor,
  type Tensor4D,
} from '@tensorflow/tfjs-core';

interface Conv2DAttrs {
  strides: [number, number] | number;
  pad: unknown;
  dataFormat: 'NHWC' | 'NCHW';
  dilations: [number, number] | number;
  dimRoundingMode?: string;
}

function pair(v: [number, number] | number): [number, number] {
  return typeof v === 'number' ? [v, v] : v;
}

/** Inserts (rate - 1) zeros between taps along `axis` (0 = height, 1 = width) of an HWIO filter. */
export function dilateFilter(filter: Tensor4D, rate: number, axis: 0 | 1): Tensor4D {
  if (rate === 1) return filter;
  const [h, w, i, o] = filter.shape;
  const taps = axis === 0 ? h : w;
  const eff = (taps - 1) * rate + 1;
  if (axis === 0) {
    const expanded = reshape(filter, [h, 1, w, i, o]);
    const padded = concat([expanded, zeros([h, rate - 1, w, i, o])], 1);
    return slice(reshape(padded, [h * rate, w, i, o]), [0, 0, 0, 0], [eff, w, i, o]) as Tensor4D;
  }
  const expanded = reshape(filter, [h, w, 1, i, o]);
  const padded = concat([expanded, zeros([h, w, rate - 1, i, o])], 2);
  return slice(reshape(padded, [h, w * rate, i, o]), [0, 0, 0, 0], [h, eff, i, o]) as Tensor4D;
}

export const conv2DDilatedGradConfig: GradConfig = {
  kernelName: Conv2D,
  inputsToSave: ['x', 'filter'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x, filter] = saved as [Tensor4D, Tensor4D];
    const dy4 = dy as Tensor4D;
    const { strides, pad, dataFormat, dilations, dimRoundingMode } = attrs as unknown as Conv2DAttrs;
    const [dh, dw] = pair(dilations);
    const dense = dilateFilter(dilateFilter(filter, dh, 0), dw, 1);
    const common = { strides, pad, dataFormat, dimRoundingMode };
    return {
      x: () =>
        engine().runKernel(Conv2DBackpropInput, { dy: dy4, filter: dense }, { ...common, inputShape: x.shape } as unknown as NamedAttrMap) as Tensor,
      filter: () => {
        const g = engine().runKernel(Conv2DBackpropFilter, { x, dy: dy4 }, { ...common, filterShape: dense.shape } as unknown as NamedAttrMap) as Tensor4D;
        if (dh === 1 && dw === 1) return g;
        return stridedSlice(g, [0, 0, 0, 0], g.shape, [dh, dw, 1, 1]);
      },
    };
  },
};

export function registerDilatedConvGradient(): void {
  registerGradient(conv2DDilatedGradConfig);
}
