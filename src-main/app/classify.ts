// Model evaluation and record classification: beats cut exactly as the model's dataset cut them,
// inference spread over the compute pool with `map`, metrics from metrics/, predictions stored.
import { AppError } from '../../src-shared/errors.ts';
import type { ClassifyInput, DatasetManifest, EvaluateResult, JobParams, JobResult, RecordPredictions, RecordSummary } from '../../src-shared/contract/index.ts';
import type { z } from 'zod';
import type { AppContext } from './context.ts';
import type { JobContext } from '../jobs/jobs.ts';
import { BEAT_PRESETS, extractBeats, type BeatWindowSpec } from '../beats/segment.ts';
import { loadRecord } from '../records/sources.ts';
import { loadDatasetArrays, type DatasetArrays } from '../datasets/build.ts';
import { checkModelFitsDataset, resolveModel, type ResolvedModel } from '../models/registry.ts';
import { concatRows, shardRows } from '../compute/pool/batch.ts';
import { gcd } from '../common/math.ts';
import { accuracy, confusionMatrix, flaggedRate, macroF1, perClass, wilson } from '../metrics/index.ts';
import { attackThreshold, DEFAULT_ATTACK_THRESHOLD, flagsAttacked, validationOf } from '../models/card.ts';
import { validationHoldOut } from '../training/batches.ts';
import type { PredictShardResult } from './model-tasks.ts';

/** Beats per `map` item: small enough for progress and cancel between items, large enough to amortise a call. */
export const INFERENCE_CHUNK = 512;

/** The window a model's input was cut with: the preset whose length, rate and normalisation match its card. */
export function windowForModel(m: ResolvedModel): BeatWindowSpec {
  // Cards spell the normalisation for people ("min-max [0, 1] per beat"); the preset's tag must lead it.
  const norm = m.card.normalisation.toLowerCase().replace(/[^a-z]/g, '');
  const spec = Object.values(BEAT_PRESETS).find((p) => p.length === m.card.inputLength && p.frequency === m.card.samplingRate && norm.startsWith(p.normalise));
  if (!spec) throw new AppError('INVALID_INPUT', `Model ${m.name}: no beat preset cuts ${m.card.inputLength} samples at ${m.card.samplingRate} Hz with ${m.card.normalisation} normalisation`);
  return { ...spec };
}

export interface Inference {
  probabilities: Float32Array;
  attacked: Float32Array | null;
  seconds: number;
  workers: number;
}

/** Predicts N×L beats on the pool's workers (each keeps one replica of the model per weights hash). */
export async function infer(ctx: AppContext, m: ResolvedModel, beats: Float32Array, signal: AbortSignal, onDone: (done: number, total: number) => void): Promise<Inference> {
  const pool = await ctx.compute.pool();
  const L = m.card.inputLength;
  const n = beats.length / L;
  const shards = shardRows({ beats }, n, Math.max(1, Math.ceil(n / INFERENCE_CHUNK)));
  const parts: PredictShardResult[] = [];
  const t0 = performance.now();
  // One round = one chunk per worker; progress and cancel between rounds.
  for (let at = 0, done = 0; at < shards.length; at += pool.info.workers) {
    const round = shards.slice(at, at + pool.info.workers);
    parts.push(...(await pool.map('models.predict', round.map((s) => ({ dir: m.dir, hash: m.modelHash, beats: s.data.beats })), { signal })));
    done += round.reduce((a, s) => a + s.rows, 0);
    onDone(done, n);
    if (signal.aborted) throw new AppError('CANCELLED', 'Classification cancelled');
  }
  const seconds = (performance.now() - t0) / 1000;
  return {
    probabilities: parts.length ? concatRows(parts.map((p) => p.probabilities)) : new Float32Array(0),
    attacked: parts.length && parts[0]!.attacked ? concatRows(parts.map((p) => p.attacked!)) : null,
    seconds,
    workers: pool.info.workers,
  };
}

/** Rows `idx` of a dataset's arrays: N×L beats and their labels. */
export function gatherRows(arrays: Pick<DatasetArrays, 'values' | 'labels'>, idx: ArrayLike<number>, L: number): { beats: Float32Array; labels: Int32Array } {
  const beats = new Float32Array(idx.length * L);
  for (let k = 0; k < idx.length; k++) beats.set(arrays.values.subarray(idx[k]! * L, (idx[k]! + 1) * L), k * L);
  return { beats, labels: Int32Array.from(idx, (i) => arrays.labels[i]!) };
}

/**
 * The validation hold-out a model was chosen on, rebuilt from the seed and fraction its card records
 * in the dataset its card names: beats it never trained on, without touching the test split.
 */
export async function validationRowsOf(ctx: AppContext, m: ResolvedModel, purpose: string): Promise<{ ds: { manifest: DatasetManifest; path: string }; data: { beats: Float32Array; labels: Int32Array } }> {
  const holdout = validationOf(m.card);
  if (!m.card.datasetHash || !holdout) {
    throw new AppError('INVALID_INPUT', `Model ${m.name}: its card records no validation split (training run, dataset hash and validation fraction), so there is nothing to ${purpose} without touching the test split`);
  }
  const ds = ctx.store.datasets.findByHash(m.card.datasetHash);
  if (!ds) throw new AppError('NOT_FOUND', `Model ${m.name} was trained on dataset ${m.card.datasetHash.slice(0, 12)}…, which is not in this library: build that dataset first`);
  checkModelFitsDataset(m, ds.manifest);
  const arrays = await loadDatasetArrays(ds.path);
  const { validation } = validationHoldOut(arrays, holdout.fraction, holdout.seed);
  return { ds, data: gatherRows(arrays, validation, m.card.inputLength) };
}

/** The attacked/clean head's P(attacked) on FGSM copies of the beats, crafted against the model itself on the pool. */
export async function attackedOnFgsmCopies(ctx: AppContext, m: ResolvedModel, data: { beats: Float32Array; labels: Int32Array }, eps: number, signal: AbortSignal): Promise<Float32Array> {
  const pool = await ctx.compute.pool();
  const n = data.labels.length;
  const shards = shardRows(data, n, Math.max(1, Math.ceil(n / INFERENCE_CHUNK)));
  const parts = await pool.map('models.attackedOnFgsm', shards.map((s) => ({ dir: m.dir, hash: m.modelHash, beats: s.data.beats, labels: s.data.labels, eps })), { signal });
  return concatRows(parts.map((p) => p.attacked!));
}

export function argmax(p: Float32Array, c: number, i: number): number {
  let best = 0;
  for (let k = 1; k < c; k++) if (p[i * c + k]! > p[i * c + best]!) best = k;
  return best;
}

/** The lead a model reads from a record: MLII where present (as the datasets do), else the first. */
export function modelLead(rec: RecordSummary): number {
  const i = rec.leads.findIndex((l) => l.name === 'MLII');
  return i >= 0 ? i : 0;
}

export interface CutBeats {
  values: Float32Array;
  /** R-peak sample of each cut beat. */
  samples: Int32Array;
  /** Index into the peaks given of each cut beat. */
  index: Int32Array;
}

/**
 * Beats at the given R peaks cut with each window spec from one read of the record's model lead
 * (padded with its end values so edge beats are kept). Pass all of a record's beats: a window that
 * truncates after the RR interval reads the neighbours' peaks.
 */
export async function cutBeats(ctx: AppContext, recordId: number, peaks: readonly number[], specs: readonly BeatWindowSpec[]): Promise<CutBeats[]> {
  const rec = ctx.catalog.get(recordId);
  const lead = modelLead(rec);
  const fs = rec.leads[lead]!.frequency;
  const loaded = await loadRecord(rec.sourcePath, { verify: false });
  const [x] = await loaded.readWindow(0, loaded.numFrames, [lead]);
  return specs.map((spec) => {
    // A pad that is a whole number of resampling periods keeps the resampled grid where the dataset had it.
    const period = Number.isInteger(fs) && Number.isInteger(spec.frequency) ? fs / gcd(fs, spec.frequency) : 1;
    const pad = Math.ceil((Math.ceil((spec.length * fs) / spec.frequency) + 2) / period) * period;
    const padded = new Float32Array(x!.length + 2 * pad);
    padded.set(x!, pad);
    padded.fill(x![0] ?? 0, 0, pad);
    padded.fill(x![x!.length - 1] ?? 0, pad + x!.length);
    const set = extractBeats(padded, fs, peaks.map((sample, i) => ({ sample: sample + pad, label: i })), spec);
    return { values: set.values, samples: Int32Array.from(set.positions, (p) => p - pad), index: set.labels };
  });
}

/** Every reference-annotated beat of a record, cut like the model's dataset. */
export async function recordBeats(ctx: AppContext, recordId: number, spec: BeatWindowSpec): Promise<{ values: Float32Array; samples: Int32Array; reference: (string | null)[] }> {
  const beats = ctx.catalog.referenceBeats(recordId);
  const [cut] = await cutBeats(ctx, recordId, beats.map((b) => b.sample), [spec]);
  return { values: cut!.values, samples: cut!.samples, reference: Array.from(cut!.index, (i) => beats[i]!.aami) };
}

export async function classifyRecord(ctx: AppContext, input: z.output<typeof ClassifyInput>, job: JobContext<'records.classify'>): Promise<JobResult<'records.classify'>> {
  const rec = ctx.catalog.resolve(input.record);
  const m = await resolveModel(ctx.store, input.model);
  job.progress(0, `Cutting the beats of ${rec.name}`, { done: 0, total: 0 });
  const beats = await recordBeats(ctx, rec.id, windowForModel(m));
  const n = beats.samples.length;
  job.progress(0.05, `Classifying ${n} beats of ${rec.name} with ${m.name}`, { done: 0, total: n });
  const inf = await infer(ctx, m, beats.values, job.signal, (done, total) => job.progress(0.05 + (0.9 * done) / Math.max(1, total), `Classified ${done}/${total} beats`, { done, total }));
  job.throwIfCancelled();
  const C = m.card.classes.length;
  const rows = Array.from(beats.samples, (sample, i) => ({
    sample,
    predicted: m.card.classes[argmax(inf.probabilities, C, i)]!,
    probabilities: Object.fromEntries(m.card.classes.map((c, k) => [c, inf.probabilities[i * C + k]!])),
    attacked: inf.attacked ? inf.attacked[i]! : null,
  }));
  ctx.store.models.replacePredictions(rec.id, m.name, m.modelHash, rows, new Date().toISOString());
  return { recordId: rec.id, model: m.name, modelHash: m.modelHash, beats: n, beatsPerSecond: n / Math.max(inf.seconds, 1e-9), workers: inf.workers };
}

/** A record's stored predictions joined with its reference labels, and their confusion. */
export function recordPredictions(ctx: AppContext, ref: string): RecordPredictions {
  const rec = ctx.catalog.resolve(ref);
  const stored = ctx.store.models.predictions(rec.id);
  const reference = new Map(ctx.catalog.referenceBeats(rec.id).map((b) => [b.sample, b.aami as string]));
  const first = stored[0];
  const classes = first ? (ctx.store.models.get(first.modelName)?.classes ?? Object.keys(first.probabilities)) : [];
  const predictions = stored.map((p) => ({ sample: p.sample, reference: reference.get(p.sample) ?? null, predicted: p.predicted, probabilities: p.probabilities, attacked: p.attacked }));
  // The detector threshold of the model that made them, while the registry still holds those weights.
  const entry = first ? ctx.store.models.get(first.modelName) : null;
  const threshold = predictions.some((p) => p.attacked !== null) ? (entry && entry.modelHash === first!.modelHash ? attackThreshold(entry.card) : DEFAULT_ATTACK_THRESHOLD) : null;
  let summary: RecordPredictions['summary'] = null;
  if (first) {
    const scored = predictions.filter((p) => p.reference !== null && classes.includes(p.reference));
    const confusion = confusionMatrix(scored.map((p) => classes.indexOf(p.reference!)), scored.map((p) => classes.indexOf(p.predicted)), classes.length);
    summary = { confusion, accuracy: accuracy(confusion), mismatches: scored.filter((p) => p.reference !== p.predicted).length, flaggedAttacked: predictions.filter((p) => flagsAttacked(p.attacked, threshold)).length };
  }
  return { recordId: rec.id, model: first?.modelName ?? null, modelHash: first?.modelHash ?? null, createdAt: first?.createdAt ?? null, classes, predictions, attackThreshold: threshold, summary };
}

export async function evaluateModel(ctx: AppContext, input: JobParams<'models.evaluate'>, job: JobContext<'models.evaluate'>): Promise<EvaluateResult> {
  const m = await resolveModel(ctx.store, input.model);
  const named = ctx.store.datasets.find(input.dataset);
  if (!named) throw new AppError('NOT_FOUND', `No dataset "${input.dataset}"`);
  let manifest = named.manifest;
  let rows: { beats: Float32Array; labels: Int32Array };
  if (input.split === 'validation') {
    // Only the model's own dataset has its hold-out: another one's training beats are not unseen.
    if (m.card.datasetHash !== named.manifest.hash) throw new AppError('INVALID_INPUT', `split: model ${m.name} was not trained on ${named.manifest.name}, so that dataset holds no validation split of it (evaluate its test split instead)`);
    const { ds, data } = await validationRowsOf(ctx, m, 'evaluate on');
    manifest = ds.manifest;
    rows = data;
  } else {
    checkModelFitsDataset(m, manifest);
    const arrays = await loadDatasetArrays(named.path);
    rows = gatherRows(arrays, [...arrays.split.keys()].filter((i) => arrays.split[i] === 1), manifest.beatLength);
  }
  const { beats, labels } = rows;
  const n = labels.length;
  const which = input.split === 'validation' ? 'validation' : 'test';
  job.progress(0, `Predicting ${n} ${which} beats`, { done: 0, total: n, stage: 'predict' });
  const inf = await infer(ctx, m, beats, job.signal, (done, total) => job.progress((0.5 * done) / Math.max(1, total), `Predicted ${done}/${total}`, { done, total, stage: 'predict' }));
  job.throwIfCancelled();
  const C = m.card.classes.length;
  const predicted = Int32Array.from({ length: n }, (_, i) => argmax(inf.probabilities, C, i));
  const confusion = confusionMatrix(labels, predicted, C);
  const scores = perClass(confusion);
  const correct = confusion.reduce((s, row, i) => s + row[i]!, 0);
  let attackDetection: EvaluateResult['attackDetection'] = null;
  if (inf.attacked) {
    job.progress(0.5, `FGSM ε=${input.attackEps} copies of ${n} ${which} beats`, { done: 0, total: n, stage: 'attack' });
    const onAttacked = await attackedOnFgsmCopies(ctx, m, { beats, labels }, input.attackEps, job.signal);
    job.throwIfCancelled();
    const threshold = attackThreshold(m.card);
    attackDetection = { eps: input.attackEps, threshold, detectionRate: flaggedRate(onAttacked, threshold), falseAlarmRate: flaggedRate(inf.attacked, threshold) };
  }
  return {
    model: m.name,
    modelHash: m.modelHash,
    dataset: manifest.name,
    datasetHash: manifest.hash,
    split: input.split,
    classes: m.card.classes,
    beats: n,
    accuracy: accuracy(confusion),
    accuracyCi95: wilson(correct, n),
    macroF1: macroF1(confusion),
    perClass: Object.fromEntries(m.card.classes.map((c, k) => [c, scores[k]!])),
    confusion,
    attackDetection,
    beatsPerSecond: n / Math.max(inf.seconds, 1e-9),
    workers: inf.workers,
  };
}
