// Inference on the compute pool: each worker loads a model once per weights hash into its `state`
// (hash-checked by loadModel) and then predicts the shards `pool.map` hands it.
import { defineTasks, type TaskContext } from '../compute/pool/tasks.ts';
import { tf } from '../compute/backend.ts';
import type { LayersModel } from '../compute/layers.ts';
import { loadModel } from '../models/io.ts';
import { classifierHandle } from '../models/handle.ts';
import { runAttack } from '../attacks/index.ts';
import type { AttackSpec } from '../../src-shared/contract/index.ts';

interface ModelShard {
  dir: string;
  /** Weights sha256: the replica's key in the worker state. */
  hash: string;
  /** N×L beats. */
  beats: Float32Array;
}

export interface PredictShardResult {
  /** N×C class probabilities. */
  probabilities: Float32Array;
  /** Probability each beat is attacked (ATK-GAN's attacked/clean head, index 1 = attacked); null for other models. */
  attacked: Float32Array | null;
}

/** Replicas kept per worker: a transfer audit needs the source and the evaluated model together. */
const MAX_REPLICAS = 4;

async function replica(ctx: TaskContext<unknown>, dir: string, hash: string): Promise<LayersModel> {
  const key = `model:${hash}`;
  const have = ctx.state.get(key) as LayersModel | undefined;
  if (have) {
    // Most recently used last (Map keeps insertion order).
    ctx.state.delete(key);
    ctx.state.set(key, have);
    return have;
  }
  // Bounded memory: drop the least recently used replicas.
  const held = [...ctx.state.keys()].filter((k) => k.startsWith('model:'));
  for (const k of held.slice(0, Math.max(0, held.length - MAX_REPLICAS + 1))) {
    (ctx.state.get(k) as LayersModel).dispose();
    ctx.state.delete(k);
  }
  const { model, card } = await loadModel(dir);
  if (card.files['weights.bin'].sha256 !== hash) {
    model.dispose();
    throw new Error(`weights.bin: the model at ${dir} changed since it was resolved (hash ${card.files['weights.bin'].sha256.slice(0, 12)}, expected ${hash.slice(0, 12)})`);
  }
  ctx.state.set(key, model);
  return model;
}

function forward(model: LayersModel, beats: Float32Array): PredictShardResult {
  const length = model.inputs[0]!.shape[1]!;
  const n = beats.length / length;
  const [probs, atk] = tf.tidy(() => {
    const out = model.predict(tf.tensor3d(beats, [n, length, 1])) as tf.Tensor | tf.Tensor[];
    const heads = Array.isArray(out) ? out : [out];
    // The three-headed discriminator: [real/fake, attacked/clean (2-way softmax), class].
    return heads.length === 3 ? [heads[2]!, tf.slice(heads[1]!, [0, 1], [n, 1])] : [heads[heads.length - 1]!];
  });
  const result = { probabilities: probs!.dataSync().slice() as Float32Array, attacked: atk ? (atk.dataSync().slice() as Float32Array) : null };
  tf.dispose([probs!, ...(atk ? [atk] : [])]);
  return result;
}

export const modelTasks = defineTasks({
  'models.predict': async (p: ModelShard, ctx: TaskContext<never>): Promise<PredictShardResult> => forward(await replica(ctx, p.dir, p.hash), p.beats),
  /** FGSM copies of the shard's beats against the model itself, and its attacked-head output on them. */
  'models.attackedOnFgsm': async (p: ModelShard & { labels: Int32Array; eps: number }, ctx: TaskContext<never>): Promise<{ attacked: Float32Array | null }> => {
    const model = await replica(ctx, p.dir, p.hash);
    const { adversarial } = await runAttack('fgsm', classifierHandle(model), p.beats, p.labels, { eps: p.eps });
    return { attacked: forward(model, adversarial).attacked };
  },
  /**
   * One attack on a shard: crafted against `source` (transfer) or the model itself (adaptive), then
   * both the clean and the adversarial beats are run through the evaluated model.
   */
  'attacks.run': async (p: AttackShard, ctx: TaskContext<never>): Promise<AttackShardResult> => {
    const model = await replica(ctx, p.dir, p.hash);
    const crafter = p.source ? await replica(ctx, p.source.dir, p.source.hash) : model;
    const t0 = performance.now();
    const r = await runAttack(p.attack.name, classifierHandle(crafter), p.beats, p.labels, p.attack.params, { cancelled: () => ctx.cancelled() });
    const seconds = (performance.now() - t0) / 1000;
    // Replicas may have been dropped while the source was loaded: look the model up again.
    const evaluated = p.source ? await replica(ctx, p.dir, p.hash) : model;
    return { adversarial: r.adversarial, queries: r.queries, clean: forward(evaluated, p.beats), attacked: forward(evaluated, r.adversarial), seconds };
  },
});

export interface AttackShard extends ModelShard {
  labels: Int32Array;
  attack: { name: AttackSpec['name']; params: Record<string, unknown> };
  /** Transfer mode: the model the attack is crafted on. */
  source?: { dir: string; hash: string };
}

export interface AttackShardResult {
  adversarial: Float32Array;
  /** Black-box attacks: model queries per beat; null for gradient attacks. */
  queries: Int32Array | null;
  /** The evaluated model on the clean and on the adversarial beats. */
  clean: PredictShardResult;
  attacked: PredictShardResult;
  /** Time spent crafting. */
  seconds: number;
}
