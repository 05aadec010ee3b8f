// The training engine's coordinator: runs wherever the job runs (the core worker) and never loads
// TensorFlow.js. Data parallel over W pool workers, each holding identical replicas (tasks.ts):
// per step the batch is cut into W contiguous shards, shard i always to worker i (so batch-norm
// statistics are deterministic for a given W), the gradients are averaged by beat count and the
// same averaged gradient is applied on every replica by the same Adam step.
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { ComputePool } from '../compute/pool/index.ts';
import { mulberry32 } from '../common/random.ts';
import { smoothedNoise } from '../models/noise.ts';
import type { ModelCard } from '../models/card.ts';
import type { WeightMap } from '../models/weights.ts';
import { argmaxRows } from '../attacks/attack.ts';
import type { DatasetArrays, DatasetManifest } from '../datasets/build.ts';
import { AppError } from '../../src-shared/errors.ts';
import { epochEnds, type EpochMetrics, type HoldOutSpec, type TrainingMetrics, type TrainingParams } from '../../src-shared/contract/index.ts';
import { averageGradients, type GradientResult } from './gradients.ts';
import { epochBatches, gatherBatch, validationHoldOut, type IndexedBatch } from './batches.ts';
import { readBestWeights, writeBestWeights, writeCheckpoint, type Checkpoint, type CoordinatorState } from './checkpoint.ts';
import { accuracy, classFigures } from './accuracy.ts';
import { confusionMatrix, macroF1 } from '../metrics/classification.ts';
import type { ShardParams, ShardResult, TrainingTasks } from './tasks.ts';
import { DISCRIMINATOR_KIND, type Part, type Snapshot } from './kinds.ts';

export interface EngineOptions {
  pool: ComputePool<TrainingTasks>;
  params: TrainingParams;
  runId: string;
  runDir: string;
  manifest: DatasetManifest;
  arrays: DatasetArrays;
  /** Continue from here (resume); null starts at step 0. */
  checkpoint: Checkpoint | null;
  /** Warm start of D from this verified model folder (a fresh run only), and the hold-out that model was validated on (null: it kept none). */
  init?: { name: string; dir: string; weightsSha256: string; holdout: HoldOutSpec | null };
  signal: AbortSignal;
  onProgress(fraction: number, message: string, metrics: TrainingMetrics): void;
  onEpoch(history: EpochMetrics[]): void;
  onCheckpoint(path: string): void;
}

export interface EngineOutcome {
  modelDir: string;
  card: ModelCard;
  state: CoordinatorState;
  resumedFromStep: number;
  workers: number;
  testAccuracy: number | null;
  wallSeconds: number;
}

const EVAL_CHUNK = 512;
const TRAIN_EVAL_BEATS = 2048;

export function defaultLearningRate(p: Pick<TrainingParams, 'model' | 'learningRate'>): number {
  return p.learningRate ?? (p.model === 'atk-gan' ? 1e-4 : 1e-3);
}

/** The class-head loss weights a run uses, from the manifest's inverse-frequency weights. */
export function weighClasses(manifestWeights: readonly number[], how: TrainingParams['classWeighting']): number[] {
  return manifestWeights.map((w) => (how === 'none' ? 1 : how === 'sqrt' ? Math.sqrt(w) : w));
}

/** The command that reproduces a run, for the model card. */
export function commandLine(p: TrainingParams): string {
  if (p.command) return p.command;
  const flags = [`--model ${p.model}`, `--dataset ${p.dataset}`, `--epochs ${p.epochs}`, `--batch ${p.batch}`, `--seed ${p.seed}`, `--attack-eps ${p.attackEps}`, `--checkpoint-every ${p.checkpointEvery}`];
  if (p.workers) flags.push(`--workers ${p.workers}`);
  if (p.balanced) flags.push('--balanced');
  if (p.classWeighting !== 'inverse') flags.push(`--class-weighting ${p.classWeighting}`);
  if (p.init) flags.push(`--init ${p.init}`);
  if (p.ganWarmup) flags.push(`--gan-warmup ${p.ganWarmup}`);
  if (p.patience) flags.push(`--patience ${p.patience}`);
  if (p.selectBy !== 'accuracy') flags.push(`--select-by ${p.selectBy}`);
  if (p.validateEvery) flags.push(`--validate-every ${p.validateEvery}`);
  return `ecgatk train ${flags.join(' ')}`;
}

/** Contiguous shards of sizes differing by at most one; none empty. */
export function shardRanges(n: number, workers: number): [number, number][] {
  const w = Math.max(1, Math.min(workers, n));
  const base = Math.floor(n / w);
  const out: [number, number][] = [];
  let at = 0;
  for (let i = 0; i < w; i++) {
    const len = base + (i < n % w ? 1 : 0);
    out.push([at, at + len]);
    at += len;
  }
  return out;
}

const sliceRows = <A extends Float32Array | Int32Array | Uint8Array>(a: A, rows: number, [s, e]: [number, number]): A => a.slice((s * a.length) / rows, (e * a.length) / rows) as A;

/** Indices evenly spread over `from`, at most `max` of them. */
function spread(from: Int32Array, max: number): Int32Array {
  if (from.length <= max) return from;
  return Int32Array.from({ length: max }, (_, k) => from[Math.floor((k * from.length) / max)]!);
}

/**
 * The run's validation hold-out. A warm start keeps the one its starting model was validated on:
 * drawn with this run's own seed, the hold-out would hold beats that model trained on, and
 * best-on-validation (and a detector calibrated on it) would be judged on seen beats. A resume keeps
 * the hold-out its run began with; --val-fraction 0 holds out nothing.
 */
export function runHoldOut(p: Pick<TrainingParams, 'valFraction' | 'seed'>, resumed: CoordinatorState | undefined, init: EngineOptions['init']): HoldOutSpec {
  if (resumed?.holdout) return resumed.holdout;
  if (p.valFraction > 0 && init?.holdout) return init.holdout;
  return { fraction: p.valFraction, seed: p.seed };
}

export async function trainModel(o: EngineOptions): Promise<EngineOutcome> {
  const { pool, params: p, manifest, arrays } = o;
  const W = Math.min(p.workers ?? pool.info.workers, pool.info.workers);
  if (p.workers && p.workers > pool.info.workers) throw new AppError('INVALID_INPUT', `--workers ${p.workers}: the compute pool has ${pool.info.workers} workers (set ECGATK_WORKERS)`);
  const workers = Array.from({ length: W }, (_, i) => i);
  const session = o.runId;
  const classes = manifest.classes;
  const L = manifest.beatLength;
  const classWeights = weighClasses(classes.map((c) => manifest.classWeights[c] ?? 1), p.classWeighting);
  const lr = defaultLearningRate(p);
  const holdout = runHoldOut(p, o.checkpoint?.state, o.init);
  const hold = validationHoldOut(arrays, holdout.fraction, holdout.seed);
  if (hold.train.length === 0) throw new AppError('INVALID_INPUT', `Dataset ${manifest.name} has no training beats`);
  const testIdx = Int32Array.from(arrays.labels.keys()).filter((i) => arrays.split[i] === 1);
  const trainEvalIdx = spread(hold.train, TRAIN_EVAL_BEATS);
  const stepsPerEpoch = Math.ceil(hold.train.length / p.batch);
  const totalSteps = Math.min(stepsPerEpoch * p.epochs, p.maxSteps ?? Number.POSITIVE_INFINITY);

  const st: CoordinatorState = { ...(o.checkpoint?.state ?? { step: 0, epoch: 0, position: 0, lossSums: {}, epochSteps: 0, history: [], best: null, epochsSinceBest: 0, seconds: 0 }), holdout };
  if (o.checkpoint) st.resumedAt = [...(st.resumedAt ?? []), st.step];
  else if (o.init) st.initialisedFrom = { name: o.init.name, weightsSha256: o.init.weightsSha256 };
  const resumedFromStep = st.step;
  const t0 = Date.now();
  const seconds = (): number => st.seconds + (Date.now() - t0) / 1000;
  await mkdir(o.runDir, { recursive: true });

  const inits = await Promise.all(workers.map((i) => pool.run('training.init', { session, model: p.model, length: L, classes: classes.length, seed: p.seed, learningRate: lr, snapshot: o.checkpoint?.snapshot ?? null, initDir: o.checkpoint ? null : (o.init?.dir ?? null) }, { worker: i })));
  const flopsPerBeat = inits[0]!.flopsPerBeat;

  const onAll = <R>(f: (worker: number) => Promise<R>): Promise<R[]> => Promise.all(workers.map(f));
  // Trainable weights are identical on every replica; batch-norm statistics are taken from worker 0's.
  const snapshot = (): Promise<Snapshot> => pool.run('training.snapshot', { session }, { worker: 0 });
  const checkpoint = async (): Promise<void> => {
    const path = await writeCheckpoint(o.runDir, { state: { ...st, seconds: seconds() }, snapshot: await snapshot() });
    o.onCheckpoint(path);
  };

  /** Shards to workers 0..k, averaged result (and the shards' own results). */
  const gradients = async (phase: ShardParams['phase'], b: { beats: Float32Array; labels: Int32Array; attacked?: Uint8Array; noise?: Float32Array }, attack?: ShardParams['attack']): Promise<{ avg: GradientResult; parts: ShardResult[] }> => {
    const n = b.labels.length;
    const parts = await Promise.all(
      shardRanges(n, W).map((r, i) =>
        pool.run(
          'training.grad',
          {
            session,
            phase,
            beats: sliceRows(b.beats, n, r),
            labels: sliceRows(b.labels, n, r),
            classWeights,
            attacked: b.attacked && sliceRows(b.attacked, n, r),
            noise: b.noise && sliceRows(b.noise, n, r),
            attack,
            dropoutKey: (Math.imul(p.seed, 0x27d4eb2f) ^ Math.imul(st.step + 1, 0x165667b1) ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0,
          },
          // The shard arrays are fresh slices: move them instead of copying.
          { worker: i, transfer: true },
        ),
      ),
    );
    return { avg: averageGradients(parts), parts };
  };
  const apply = (part: Part, grads: WeightMap): Promise<number[]> => onAll((i) => pool.run('training.apply', { session, part, grads }, { worker: i }));
  const prefixed = (prefix: string, l: Record<string, number>): Record<string, number> => Object.fromEntries(Object.entries(l).map(([k, v]) => [`${prefix}${k}`, v]));

  const pgd = (seed: number): NonNullable<ShardParams['attack']> => ({ name: 'pgd', params: { eps: p.attackEps, alpha: (2.5 * p.attackEps) / p.pgdSteps || 1e-6, steps: p.pgdSteps, randomStart: true, restarts: 1, seed } });

  /** One optimizer step of the run's kind; returns the losses by head. */
  const step = async (b: IndexedBatch): Promise<Record<string, number>> => {
    switch (p.model) {
      case 'kachuee':
      case 'dcnn': {
        const { avg } = await gradients('cls', b);
        await apply('d', avg.grads);
        return prefixed('', avg.losses);
      }
      case 'dcnn-pgd': {
        const { avg } = await gradients('adv', b, pgd(st.step));
        await apply('d', avg.grads);
        return prefixed('', avg.losses);
      }
      case 'atk-gan': {
        // Per-step randomness from (seed, step): a resumed run draws exactly what it would have.
        const rand = mulberry32((Math.imul(p.seed, 0x9e3779b1) ^ st.step) >>> 0);
        const n = b.labels.length;
        const attacked = Uint8Array.from({ length: n }, () => (rand() < 0.5 ? 1 : 0));
        const noise = smoothedNoise(n, L, rand);
        const attack = st.step % 2 === 0 ? { name: 'fgsm' as const, params: { eps: p.attackEps } } : pgd(st.step);
        const d = await gradients('d', { beats: b.beats, labels: b.labels, attacked, noise }, attack);
        // Warm-up: D's gradients are computed (the same pass crafts G's attacked inputs) but not applied.
        if (st.step >= p.ganWarmup) await apply('d', d.avg.grads);
        const crafted = new Float32Array(b.beats.length);
        let at = 0;
        for (const part of d.parts) {
          crafted.set(part.beats!, at);
          at += part.beats!.length;
        }
        const g = await gradients('g', { beats: crafted, labels: b.labels, attacked, noise });
        await apply('g', g.avg.grads);
        return { ...prefixed('d.', d.avg.losses), ...prefixed('g.', g.avg.losses) };
      }
    }
  };

  const predict = async (idx: Int32Array): Promise<Int32Array> => {
    const chunks: Int32Array[] = [];
    for (let s = 0; s < idx.length; s += EVAL_CHUNK) chunks.push(idx.subarray(s, s + EVAL_CHUNK));
    const probs = await Promise.all(chunks.map((c, k) => pool.run('training.predict', { session, beats: gatherBatch(arrays, c).beats }, { worker: k % W })));
    const out = new Int32Array(idx.length);
    let at = 0;
    for (const pr of probs) {
      const labels = argmaxRows(pr, classes.length);
      out.set(labels, at);
      at += labels.length;
    }
    return out;
  };
  const accuracyOn = async (idx: Int32Array): Promise<number | null> => accuracy(await predict(idx), Int32Array.from(idx, (i) => arrays.labels[i]!));

  let launchBeats = 0;
  let stopped = false;
  let lastTrainAcc = st.history.at(-1)?.trainAccuracy ?? null;
  let lastValAcc = st.history.at(-1)?.valAccuracy ?? null;
  let epochStart = Date.now();

  /** A validation point (inside an epoch or at its end): its history entry, and the kept weights if it is the best so far. */
  const validate = async (partial: boolean): Promise<void> => {
    lastTrainAcc = await accuracyOn(trainEvalIdx);
    let valMacroF1: number | null = null;
    lastValAcc = null;
    if (hold.validation.length > 0) {
      const truth = Int32Array.from(hold.validation, (i) => arrays.labels[i]!);
      const pred = await predict(hold.validation);
      lastValAcc = accuracy(pred, truth);
      valMacroF1 = macroF1(confusionMatrix(truth, pred, classes.length));
    }
    st.history.push({
      epoch: st.epoch + 1,
      step: st.step,
      lossPerHead: Object.fromEntries(Object.entries(st.lossSums).map(([h, v]) => [h, v / Math.max(1, st.epochSteps)])),
      trainAccuracy: lastTrainAcc,
      valAccuracy: lastValAcc,
      valMacroF1,
      ...(partial ? { partial } : {}),
      seconds: (Date.now() - epochStart) / 1000,
    });
    // Best on validation (on the train sample when nothing is held out). Points inside a GAN warm-up
    // are no candidates: D has not trained there, so one would ship the starting classifier as an ATK-GAN.
    const candidate = !(p.model === 'atk-gan' && st.step <= p.ganWarmup);
    const score = lastValAcc === null ? lastTrainAcc : p.selectBy === 'macro-f1' ? valMacroF1 : lastValAcc;
    const bestScore = st.best === null ? null : st.best.score !== undefined ? st.best.score : st.best.valAccuracy;
    if (candidate && (st.best === null || (score !== null && (bestScore === null || score > bestScore)))) {
      st.best = { epoch: st.epoch + 1, step: st.step, valAccuracy: lastValAcc ?? lastTrainAcc, valMacroF1, score };
      await writeBestWeights(o.runDir, (await snapshot()).weights);
    }
    o.onEpoch(st.history);
  };

  try {
    while (!stopped && st.epoch < p.epochs && st.step < totalSteps) {
      epochStart = Date.now();
      const batches = epochBatches(arrays, hold.train, { batchSize: p.batch, seed: (p.seed * 7919 + st.epoch) >>> 0, balanced: p.balanced });
      let k = 0;
      for (const b of batches) {
        if (k++ < st.position) continue;
        if (o.signal.aborted) {
          await checkpoint();
          throw new AppError('CANCELLED', `Training cancelled at step ${st.step}; resume continues from there`);
        }
        const losses = await step(b);
        st.step++;
        st.position++;
        st.epochSteps++;
        launchBeats += b.labels.length;
        for (const [h, v] of Object.entries(losses)) st.lossSums[h] = (st.lossSums[h] ?? 0) + v;
        const elapsed = (Date.now() - t0) / 1000;
        const bps = elapsed > 0 ? launchBeats / elapsed : 0;
        const secPerStep = st.step > resumedFromStep ? elapsed / (st.step - resumedFromStep) : null;
        const lossPerHead = Object.fromEntries(Object.entries(st.lossSums).map(([h, v]) => [h, v / st.epochSteps]));
        const metrics: TrainingMetrics = {
          runId: o.runId,
          epoch: st.epoch + 1,
          step: st.step,
          stepsPerEpoch,
          lossPerHead,
          trainAccuracy: lastTrainAcc,
          valAccuracy: lastValAcc,
          beatsPerSecond: bps,
          etaSeconds: secPerStep === null ? null : secPerStep * (totalSteps - st.step),
        };
        const heads = Object.entries(lossPerHead)
          .map(([h, v]) => `${h} ${v.toFixed(4)}`)
          .join(' ');
        o.onProgress(st.step / totalSteps, `epoch ${st.epoch + 1}/${p.epochs} step ${st.step} (${st.position}/${stepsPerEpoch}) ${heads} | val acc ${lastValAcc === null ? '–' : lastValAcc.toFixed(4)} | ${bps.toFixed(0)} beats/s | ETA ${metrics.etaSeconds === null ? '–' : `${Math.round(metrics.etaSeconds)} s`}`, metrics);
        if (st.step >= totalSteps || st.position >= stepsPerEpoch) break;
        // A point inside the epoch (the epoch's last step is validated below); checkpointed with it,
        // so a resume neither repeats nor skips it.
        if (p.validateEvery && st.step % p.validateEvery === 0) {
          await validate(true);
          await checkpoint();
        } else if (st.step % p.checkpointEvery === 0) await checkpoint();
      }
      const epochDone = st.position >= stepsPerEpoch;
      const epochFirstStep = st.step - st.epochSteps;
      await validate(false);
      // Patience counts epochs whose validation points (inside or at the end) found nothing better.
      if (st.best && (st.best.step ?? st.step) > epochFirstStep) st.epochsSinceBest = 0;
      else st.epochsSinceBest++;
      if (epochDone) {
        st.epoch++;
        st.position = 0;
        st.lossSums = {};
        st.epochSteps = 0;
      }
      if (p.patience && st.epochsSinceBest >= p.patience) stopped = true;
      await checkpoint();
    }

    // The saved model: the best-on-validation weights, evaluated on the test split.
    const best = await readBestWeights(o.runDir);
    if (best) await onAll((i) => pool.run('training.setWeights', { session, weights: best }, { worker: i }));
    const testPred = await predict(testIdx);
    const testTruth = Int32Array.from(testIdx, (i) => arrays.labels[i]!);
    const modelDir = join(o.runDir, 'model');
    const wallSeconds = seconds();
    const card = await pool.run(
      'training.save',
      {
        session,
        dir: modelDir,
        card: {
          kind: DISCRIMINATOR_KIND[p.model],
          inputLength: L,
          samplingRate: manifest.params.window.frequency,
          normalisation: manifest.params.window.normalise === 'minmax' ? 'per-beat min-max to [0, 1]' : 'none',
          classes,
          datasetHash: manifest.hash,
          seed: p.seed,
          epochs: epochEnds(st.history).length,
          // A plain resume repeats the run bit-identically, so the command stands for it (resumedAtSteps lists them);
          // a resume that changes the epoch limit is appended to params.command by training.resume.
          trainingCommand: commandLine(p),
          backend: pool.info.backend,
          wallTimeSeconds: wallSeconds,
          metrics: {
            ...classFigures(testPred, testTruth, classes, 'test'),
            ...(st.best?.valAccuracy != null ? { 'validation.accuracy': st.best.valAccuracy } : {}),
            ...(st.best?.valMacroF1 != null ? { 'validation.macroF1': st.best.valMacroF1 } : {}),
          },
          createdAt: new Date().toISOString(),
          training: {
            model: p.model,
            runId: o.runId,
            workers: W,
            batch: p.batch,
            learningRate: lr,
            steps: st.step,
            bestEpoch: st.best?.epoch ?? 0,
            ...(st.best?.step !== undefined ? { bestStep: st.best.step } : {}),
            selectedBy: p.selectBy,
            ...(p.validateEvery ? { validateEvery: p.validateEvery } : {}),
            adversarial: p.model === 'atk-gan' ? `FGSM (even steps) and PGD-${p.pgdSteps} (odd steps) against D itself on half of each batch${p.ganWarmup ? `; the first ${p.ganWarmup} steps update only G` : ''}` : p.model === 'dcnn-pgd' ? `PGD-${p.pgdSteps} with random start (Madry et al.)` : 'none',
            attackEps: p.model === 'atk-gan' || p.model === 'dcnn-pgd' ? p.attackEps : 0,
            sampler: p.balanced ? 'balanced' : 'shuffle',
            classWeights,
            classWeighting: p.classWeighting,
            ...(st.initialisedFrom ? { initialisedFrom: st.initialisedFrom } : {}),
            validationFraction: holdout.fraction,
            validationSeed: holdout.seed,
            ...(st.resumedAt?.length ? { resumedAtSteps: st.resumedAt } : {}),
            flopsPerBeat,
          },
        },
      },
      { worker: 0 },
    );
    return { modelDir, card, state: st, resumedFromStep, workers: W, testAccuracy: accuracy(testPred, testTruth), wallSeconds };
  } finally {
    await onAll((i) => pool.run('training.close', { session }, { worker: i })).catch(() => undefined);
  }
}
