// The four networks: the ECG-ATK-GAN discriminator (the robust classifier, three heads) and generator,
// the plain "dcnn" baseline (the discriminator trunk with only the class head) and Kachuee et al. 2018.
// Every layer is named and seeded so that a build is deterministic and replicas share variable names.
import { tfl, type LayersModel, type SymbolicTensor } from '../compute/layers.ts';
import { conv1dTranspose, cropEnd1d, zeroPad1dEnd } from './layers1d.ts';

import { MODEL_KINDS, type ModelKind } from './card.ts';

export { MODEL_KINDS, type ModelKind };

export interface BuildOptions {
  /** Samples per beat. */
  length: number;
  /** Number of classes (4 N,S,V,F; 5 with Q; 2 for PTB). */
  classes: number;
  seed: number;
}

/** Output order of the discriminator's heads. */
export const D_HEADS = ['real_fake', 'attacked', 'class'] as const;

const LEAK = 0.2;

/** Hands out layer names and per-layer initializer seeds in build order. */
class Namer {
  private n = 0;
  private readonly prefix: string;
  private readonly seed: number;
  constructor(prefix: string, seed: number) {
    this.prefix = prefix;
    this.seed = seed;
  }
  next(tag: string): { name: string; seed: number } {
    this.n += 1;
    return { name: `${this.prefix}_${tag}${this.n}`, seed: this.seed * 1000 + this.n };
  }
}

function apply(layer: { apply: (x: SymbolicTensor | SymbolicTensor[]) => unknown }, x: SymbolicTensor | SymbolicTensor[]): SymbolicTensor {
  return layer.apply(x) as SymbolicTensor;
}

function conv(nm: Namer, x: SymbolicTensor, filters: number, kernelSize: number, opts: { strides?: number; dilationRate?: number; activation?: 'relu' | 'sigmoid' } = {}): SymbolicTensor {
  const { name, seed } = nm.next('conv');
  return apply(
    tfl.layers.conv1d({ filters, kernelSize, strides: opts.strides ?? 1, dilationRate: opts.dilationRate ?? 1, padding: 'same', activation: opts.activation, name, kernelInitializer: tfl.initializers.glorotUniform({ seed }) }),
    x,
  );
}

function dense(nm: Namer, x: SymbolicTensor, units: number, activation?: 'relu' | 'sigmoid' | 'softmax', name?: string): SymbolicTensor {
  const n = nm.next('dense');
  return apply(tfl.layers.dense({ units, activation, name: name ?? n.name, kernelInitializer: tfl.initializers.glorotUniform({ seed: n.seed }) }), x);
}

function bnLeaky(nm: Namer, x: SymbolicTensor): SymbolicTensor {
  const bn = apply(tfl.layers.batchNormalization({ name: nm.next('bn').name }), x);
  return apply(tfl.layers.leakyReLU({ alpha: LEAK, name: nm.next('lrelu').name }), bn);
}

/** Conv k3 pairs (stride 1, stride 2) at 32, 64, 128, 256 filters, BN + LeakyReLU(0.2) after each conv, dropout 0.2 after pairs 1, 3, 4; flattened. */
function discriminatorTrunk(nm: Namer, input: SymbolicTensor): SymbolicTensor {
  let x = input;
  [32, 64, 128, 256].forEach((filters, pair) => {
    x = bnLeaky(nm, conv(nm, x, filters, 3));
    x = bnLeaky(nm, conv(nm, x, filters, 3, { strides: 2 }));
    if (pair !== 1) x = apply(tfl.layers.dropout({ rate: 0.2, name: nm.next('drop').name }), x);
  });
  return apply(tfl.layers.flatten({ name: nm.next('flat').name }), x);
}

function beatInput(length: number): SymbolicTensor {
  return tfl.input({ shape: [length, 1], name: 'beat' });
}

function buildDiscriminator(o: BuildOptions, headsWanted: 'all' | 'class'): LayersModel {
  const prefix = headsWanted === 'all' ? 'd' : 'dcnn';
  const nm = new Namer(prefix, o.seed);
  const input = beatInput(o.length);
  const feat = discriminatorTrunk(nm, input);
  const cls = dense(nm, feat, o.classes, 'softmax', `${prefix}_class`);
  if (headsWanted === 'class') return tfl.model({ inputs: input, outputs: cls, name: prefix });
  const rf = dense(nm, feat, 1, 'sigmoid', `${prefix}_real_fake`);
  const atk = dense(nm, feat, 2, 'softmax', `${prefix}_attacked`);
  return tfl.model({ inputs: input, outputs: [rf, atk, cls], name: prefix });
}

/** Conditional U-Net generator: inputs [beat L×1, smoothed noise L, one-hot class C] → beat L×1 in [0, 1]. */
function buildGenerator(o: BuildOptions): LayersModel {
  const nm = new Namer('g', o.seed);
  const L = o.length;
  const beat = beatInput(L);
  const noise = tfl.input({ shape: [L], name: 'noise' });
  // One-hot × dense without bias is an embedding lookup; it keeps the gradient a matmul (no scatter kernel needed).
  const label = tfl.input({ shape: [o.classes], name: 'label' });
  const emb = dense(nm, label, 50);
  const labelMap = apply(tfl.layers.reshape({ targetShape: [L, o.classes], name: nm.next('reshape').name }), dense(nm, emb, L * o.classes));
  const noiseDense = apply(tfl.layers.leakyReLU({ alpha: LEAK, name: nm.next('lrelu').name }), dense(nm, noise, L * 32));
  const noiseMap = apply(tfl.layers.reshape({ targetShape: [L, 32], name: nm.next('reshape').name }), noiseDense);
  let x = apply(tfl.layers.concatenate({ axis: -1, name: nm.next('concat').name }), [beat, noiseMap, labelMap]);
  // Three stride-2 stages need a length divisible by 8: pad at the end, crop the output back.
  const pad = (8 - (L % 8)) % 8;
  if (pad > 0) x = zeroPad1dEnd(x, pad, nm.next('pad').name);
  const skips: SymbolicTensor[] = [];
  for (const filters of [32, 64, 128]) {
    const c = conv(nm, x, filters, 3);
    const res = apply(tfl.layers.add({ name: nm.next('res').name }), [c, bnLeaky(nm, c)]);
    const skip = bnLeaky(nm, conv(nm, res, filters, 2, { dilationRate: 2 }));
    skips.push(skip);
    x = apply(tfl.layers.leakyReLU({ alpha: LEAK, name: nm.next('lrelu').name }), conv(nm, skip, filters, 3, { strides: 2 }));
  }
  for (const filters of [128, 64, 32]) {
    const up = conv1dTranspose(x, { filters, kernelSize: 3, strides: 2, ...nm.next('tconv') });
    const joined = apply(tfl.layers.add({ name: nm.next('join').name }), [up, skips.pop()!]);
    x = apply(tfl.layers.leakyReLU({ alpha: LEAK, name: nm.next('lrelu').name }), joined);
  }
  let out = conv(nm, x, 1, 3, { activation: 'sigmoid' });
  if (pad > 0) out = cropEnd1d(out, pad, nm.next('crop').name);
  return tfl.model({ inputs: [beat, noise, label], outputs: out, name: 'g' });
}

/** Shortest beat that survives five valid max-pools of 5 with stride 2 (each needs ≥ 5 samples). */
export const KACHUEE_MIN_LENGTH = [0, 0, 0, 0, 0].reduce((l) => 2 * (l - 1) + 5, 1);

/** Kachuee, Fazeli, Sarrafzadeh 2018: conv k5 ×32, five residual blocks with max-pool 5/2, dense 32 → 32 → classes. */
function buildKachuee(o: BuildOptions): LayersModel {
  if (o.length < KACHUEE_MIN_LENGTH) throw new Error(`length: Kachuee needs beats of at least ${KACHUEE_MIN_LENGTH} samples, got ${o.length}`);
  const nm = new Namer('k', o.seed);
  const input = beatInput(o.length);
  let x = conv(nm, input, 32, 5);
  for (let b = 0; b < 5; b++) {
    const h = conv(nm, conv(nm, x, 32, 5, { activation: 'relu' }), 32, 5);
    const sum = apply(tfl.layers.add({ name: nm.next('add').name }), [h, x]);
    const act = apply(tfl.layers.reLU({ name: nm.next('relu').name }), sum);
    x = apply(tfl.layers.maxPooling1d({ poolSize: 5, strides: 2, name: nm.next('pool').name }), act);
  }
  x = apply(tfl.layers.flatten({ name: nm.next('flat').name }), x);
  x = dense(nm, dense(nm, x, 32, 'relu'), 32, 'relu');
  return tfl.model({ inputs: input, outputs: dense(nm, x, o.classes, 'softmax', 'k_class'), name: 'kachuee' });
}

export function buildModel(kind: ModelKind, o: BuildOptions): LayersModel {
  if (!Number.isInteger(o.length) || o.length < 16) throw new Error(`length must be an integer ≥ 16, got ${o.length}`);
  if (!Number.isInteger(o.classes) || o.classes < 2) throw new Error(`classes must be an integer ≥ 2, got ${o.classes}`);
  switch (kind) {
    case 'atk-gan-d':
      return buildDiscriminator(o, 'all');
    case 'dcnn':
      return buildDiscriminator(o, 'class');
    case 'atk-gan-g':
      return buildGenerator(o);
    case 'kachuee':
      return buildKachuee(o);
  }
}

export function parameterCount(model: LayersModel): number {
  return model.countParams();
}

/** Forward FLOPs per beat (2 × multiply-adds) of the conv and dense layers; activations, BN and pooling are not counted. */
export function forwardFlops(model: LayersModel): number {
  let macs = 0;
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    const kernel = layer.getWeights()[0];
    if (!kernel) continue;
    const k = kernel.size;
    const inShape = (layer.input as SymbolicTensor).shape;
    const outShape = (layer.output as SymbolicTensor).shape;
    if (cls === 'Conv1D') macs += outShape[1]! * k;
    else if (cls === 'Conv2DTranspose') macs += inShape[1]! * k;
    else if (cls === 'Dense') macs += k;
  }
  return 2 * macs;
}
