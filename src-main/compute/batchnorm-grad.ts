// FusedBatchNorm gradient without the tile: tfjs-core's version tiles rsqrt(variance) to the
// full N×L×C input before multiplying by dy, and on wasm that Tile was ~40 % of a discriminator
// training step. Broadcasting the [C] factor gives the same values with no N×L×C temporary.
import { add, FusedBatchNorm, mul, registerGradient, reshape, rsqrt, scalar, sub, sum, type GradConfig, type NamedAttrMap, type Tensor } from '@tensorflow/tfjs-core';

export const fusedBatchNormGradConfig: GradConfig = {
  kernelName: FusedBatchNorm,
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const g = dy as Tensor;
    const { varianceEpsilon } = attrs as unknown as { varianceEpsilon: number };
    const [x, mean, variance, scale] = saved as [Tensor, Tensor, Tensor, Tensor | undefined];
    const scaleValue = scale ?? scalar(1);
    // Axes that mean/variance were broadcast over: all but the channel axis when they are per-channel.
    const reduce = mean.rank === 1 ? x.shape.slice(0, -1).map((_, i) => i) : [];
    const toStat = (t: Tensor): Tensor => reshape(reduce.length ? sum(t, reduce) : t, mean.shape);
    const xMinusMean = sub(x, mean);
    const dyTimesScale = mul(g, scaleValue);
    const invStd = rsqrt(add(variance, scalar(varianceEpsilon)));
    const minusHalfInvStdCubed = mul(mul(mul(invStd, invStd), invStd), scalar(-0.5));
    return {
      x: () => reshape(mul(mul(g, invStd), scaleValue), x.shape),
      mean: () => toStat(mul(mul(invStd, scalar(-1)), dyTimesScale)),
      variance: () => toStat(mul(mul(minusHalfInvStdCubed, xMinusMean), dyTimesScale)),
      scale: () => toStat(mul(g, mul(xMinusMean, invStd))),
      offset: () => toStat(g),
    };
  },
};

export function registerBatchNormGradient(): void {
  registerGradient(fusedBatchNormGradConfig);
}
