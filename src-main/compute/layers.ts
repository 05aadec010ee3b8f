// tfjs-layers through the compute owner, so models/ never imports TensorFlow.js packages directly.
// backend.ts is imported first: it registers the op gradients and the wasm training kernels.
import './backend.ts';
export * as tfl from '@tensorflow/tfjs-layers';
export type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs-layers';
