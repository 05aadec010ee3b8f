// The training engine's worker half, as compute pool tasks: each worker keeps model replicas and
// their Adam states in its `state` under a session id; the coordinator (engine.ts) sends shards,
// averages what comes back and sends the same averaged gradient to every replica.
import { defineTasks, type TaskContext } from '../compute/pool/tasks.ts';
import { tf } from '../compute/backend.ts';
import type { LayersModel } from '../compute/layers.ts';
import { buildModel, forwardFlops, parameterCount } from '../models/architectures.ts';
import { classOutput, classifierHandle } from '../models/handle.ts';
import { getWeights, seedDropout, setWeights, trainableVariables, type WeightMap } from '../models/weights.ts';
import { loadModel, saveModel } from '../models/io.ts';
import type { ModelCard, ModelCardInput } from '../models/card.ts';
import { runAttack, type AttackName } from '../attacks/index.ts';
import { Adam, GAN_ADAM } from './adam.ts';
import { DISCRIMINATOR_KIND, type Part, type Snapshot } from './kinds.ts';
import { adversarialGradients, applyGradients, classifierGradients, discriminatorGradients, generatorGradients } from './steps.ts';
import type { GradientResult } from './gradients.ts';
import type { TrainModel } from '../../src-shared/contract/index.ts';


interface Session {
  models: Partial<Record<Part, LayersModel>>;
  opts: Partial<Record<Part, Adam>>;
}

export interface InitParams {
  session: string;
  model: TrainModel;
  length: number;
  classes: number;
  seed: number;
  learningRate: number;
  snapshot: Snapshot | null;
  /** Fresh runs only: a model folder whose trunk and class head start D (loaded with hash checks). */
  initDir?: string | null;
}

export interface ShardParams {
  session: string;
  /** 'd' and 'g': the two halves of a GAN step; 'cls' plain classifier; 'adv' PGD adversarial training. */
  phase: 'd' | 'g' | 'cls' | 'adv';
  beats: Float32Array;
  labels: Int32Array;
  classWeights: number[];
  /** GAN only: 1 where the beat is to be attacked (phase d) or was (phase g); and the generator's noise. */
  attacked?: Uint8Array;
  noise?: Float32Array;
  /** Phase d: the attack that crafts the attacked beats against the current D; phase adv: PGD. */
  attack?: { name: Extract<AttackName, 'fgsm' | 'pgd'>; params: Record<string, unknown> };
  /** Seeds this shard's dropout masks (from run seed, step and shard). */
  dropoutKey?: number;
}

export type ShardResult = GradientResult & {
  /** Phase d: the beats as trained on (attacked ones replaced), for the G half of the same step. */
  beats?: Float32Array;
};

function session(ctx: TaskContext<unknown>, id: string): Session {
  const s = ctx.state.get(`training:${id}`) as Session | undefined;
  if (!s) throw new Error(`training session ${id} is not initialised on worker ${ctx.worker}`);
  return s;
}

function dispose(s: Session | undefined): void {
  if (!s) return;
  for (const m of Object.values(s.models)) m?.dispose();
  for (const o of Object.values(s.opts)) o?.dispose();
}

/** Replaces the beats flagged in `mask` with adversarial versions crafted against the model. */
async function craft(model: LayersModel, beats: Float32Array, labels: Int32Array, mask: Uint8Array, attack: NonNullable<ShardParams['attack']>): Promise<Float32Array> {
  const idx = [...mask.keys()].filter((i) => mask[i] === 1);
  const out = Float32Array.from(beats);
  if (idx.length === 0) return out;
  const L = beats.length / labels.length;
  const sub = new Float32Array(idx.length * L);
  idx.forEach((r, k) => sub.set(beats.subarray(r * L, (r + 1) * L), k * L));
  const { adversarial } = await runAttack(attack.name, classifierHandle(model), sub, Int32Array.from(idx, (r) => labels[r]!), attack.params);
  idx.forEach((r, k) => out.set(adversarial.subarray(k * L, (k + 1) * L), r * L));
  return out;
}

/**
 * Copies a saved classifier's weights into D where the layers correspond: the D-CNN and the ATK-GAN
 * discriminator share trunk and class head, named alike up to their prefix ('dcnn_…' / 'd_…');
 * D's other heads keep their initialisation.
 */
async function warmStart(target: LayersModel, dir: string): Promise<void> {
  const { model: source } = await loadModel(dir);
  try {
    const merged = getWeights(target);
    const rename = (k: string): string => (k.startsWith(`${source.name}_`) ? `${target.name}_${k.slice(source.name.length + 1)}` : k);
    for (const [k, v] of getWeights(source)) {
      const to = rename(k);
      const have = merged.get(to);
      if (!have || have.length !== v.length) throw new Error(`${dir}: weight ${k} has no counterpart in ${target.name} (warm start needs the same trunk, beat length and classes)`);
      merged.set(to, v);
    }
    setWeights(target, merged);
  } finally {
    source.dispose();
  }
}

export const trainingTasks = defineTasks({
  'training.init': async (p: InitParams, ctx: TaskContext<never>): Promise<{ parameters: number; flopsPerBeat: number }> => {
    const key = `training:${p.session}`;
    dispose(ctx.state.get(key) as Session | undefined);
    const o = { length: p.length, classes: p.classes, seed: p.seed };
    const s: Session = { models: { d: buildModel(DISCRIMINATOR_KIND[p.model], o) }, opts: {} };
    if (p.model === 'atk-gan') s.models.g = buildModel('atk-gan-g', { ...o, seed: p.seed + 1 });
    for (const part of Object.keys(s.models) as Part[]) {
      const adam = new Adam(p.model === 'atk-gan' ? { ...GAN_ADAM, learningRate: p.learningRate } : { learningRate: p.learningRate });
      const model = s.models[part]!;
      const w = p.snapshot?.weights[part];
      if (w) setWeights(model, w);
      const st = p.snapshot?.adam[part];
      if (st) adam.importState(st, trainableVariables(model));
      s.opts[part] = adam;
    }
    if (p.initDir && !p.snapshot) await warmStart(s.models.d!, p.initDir);
    ctx.state.set(key, s);
    return { parameters: parameterCount(s.models.d!), flopsPerBeat: forwardFlops(s.models.d!) };
  },

  'training.grad': async (p: ShardParams, ctx: TaskContext<never>): Promise<ShardResult> => {
    const { models } = session(ctx, p.session);
    const d = models.d!;
    const batch = { beats: p.beats, labels: p.labels, ...(p.dropoutKey !== undefined ? { dropoutKey: p.dropoutKey } : {}) };
    switch (p.phase) {
      case 'cls':
        return classifierGradients(d, batch, p.classWeights);
      case 'adv':
        if (!p.attack) throw new Error('adversarial training needs an attack');
        return adversarialGradients(d, batch, { attack: p.attack.name, params: p.attack.params, classWeights: p.classWeights });
      case 'd': {
        if (!p.attacked || !p.noise || !p.attack) throw new Error('GAN step without attack flags, noise or attack');
        const beats = await craft(d, p.beats, p.labels, p.attacked, p.attack);
        const r = discriminatorGradients(d, models.g!, { ...batch, beats, attacked: p.attacked, noise: p.noise }, { classWeights: p.classWeights });
        return { ...r, beats };
      }
      case 'g':
        if (!p.attacked || !p.noise) throw new Error('GAN step without attack flags or noise');
        return generatorGradients(d, models.g!, { beats: p.beats, labels: p.labels, attacked: p.attacked, noise: p.noise }, { classWeights: p.classWeights });
    }
  },

  'training.apply': (p: { session: string; part: Part; grads: WeightMap }, ctx: TaskContext<never>): number => {
    const s = session(ctx, p.session);
    applyGradients(s.opts[p.part]!, s.models[p.part]!, p.grads);
    return s.opts[p.part]!.iterations;
  },

  /** Class probabilities of D's class head, inference mode. */
  'training.predict': (p: { session: string; beats: Float32Array }, ctx: TaskContext<never>): Float32Array => {
    const d = session(ctx, p.session).models.d!;
    const L = d.inputs[0]!.shape[1]!;
    const x = tf.tensor3d(p.beats, [p.beats.length / L, L, 1]);
    const y = tf.tidy(() => classOutput(d, x, false));
    const out = Float32Array.from(y.dataSync());
    tf.dispose([x, y]);
    return out;
  },

  'training.snapshot': (p: { session: string }, ctx: TaskContext<never>): Snapshot => {
    const s = session(ctx, p.session);
    const snap: Snapshot = { weights: {}, adam: {} };
    for (const part of Object.keys(s.models) as Part[]) {
      snap.weights[part] = getWeights(s.models[part]!);
      snap.adam[part] = s.opts[part]!.exportState();
    }
    return snap;
  },

  'training.setWeights': (p: { session: string; weights: Partial<Record<Part, WeightMap>> }, ctx: TaskContext<never>): void => {
    const s = session(ctx, p.session);
    for (const [part, w] of Object.entries(p.weights) as [Part, WeightMap][]) setWeights(s.models[part]!, w);
  },

  'training.save': (p: { session: string; dir: string; card: ModelCardInput }, ctx: TaskContext<never>): Promise<ModelCard> => {
    const d = session(ctx, p.session).models.d!;
    seedDropout(d, null);
    return saveModel(p.dir, d, p.card);
  },

  'training.close': (p: { session: string }, ctx: TaskContext<never>): void => {
    const key = `training:${p.session}`;
    dispose(ctx.state.get(key) as Session | undefined);
    ctx.state.delete(key);
  },
});
export type TrainingTasks = typeof trainingTasks;
