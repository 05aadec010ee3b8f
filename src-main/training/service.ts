// A training run as a job: finds the dataset, creates the run row (or finds the one this job
// already has, when it is resumed), continues from the run's last checkpoint and keeps the row
// current (epochs, checkpoint, status, model folder).
import { registerModel, resolveModel } from '../models/registry.ts';
import { validationOf } from '../models/card.ts';
import { randomUUID } from 'node:crypto';
import { isAbsolute, join, resolve } from 'node:path';
import type { ComputePool } from '../compute/pool/index.ts';
import type { Store } from '../store/db.ts';
import { loadDatasetArrays, type DatasetManifest } from '../datasets/build.ts';
import { AppError, isCancelled } from '../../src-shared/errors.ts';
import { epochEnds, type TrainingMetrics, type TrainingParams, type TrainingResult, type TrainingRun } from '../../src-shared/contract/index.ts';
import { readLatestCheckpoint } from './checkpoint.ts';
import { trainModel, type EngineOptions } from './engine.ts';
import type { TrainingTasks } from './tasks.ts';

export interface TrainingDeps {
  store: Store;
  pool(): Promise<ComputePool<TrainingTasks>>;
  runsDir: string;
}

/** What the runner needs from its job. */
export interface TrainingJob {
  id: string;
  signal: AbortSignal;
  progress(fraction: number, message: string, metrics?: TrainingMetrics): void;
}

/** A process killed mid-run leaves the row running; its job row says it was interrupted. */
function withJobEnd(store: Store, run: TrainingRun): TrainingRun {
  return run.status === 'running' && store.jobs.get(run.jobId)?.state === 'interrupted' ? { ...run, status: 'interrupted' } : run;
}

export function findRun(store: Store, ref: string): TrainingRun {
  const run = store.training.find(ref) ?? (isAbsolute(ref) ? null : store.training.find(resolve(ref)));
  if (!run) throw new AppError('NOT_FOUND', `No training run ${ref} (give a run id, job id or run folder)`);
  return withJobEnd(store, run);
}

export function listRuns(store: Store, limit: number): TrainingRun[] {
  return store.training.list(limit).map((r) => withJobEnd(store, r));
}

export async function runTraining(deps: TrainingDeps, params: TrainingParams, job: TrainingJob): Promise<TrainingResult> {
  const { store } = deps;
  const dataset = store.datasets.find(params.dataset);
  if (!dataset) throw new AppError('NOT_FOUND', `No dataset ${params.dataset} (see ecgatk dataset list)`);
  let run = store.training.byJob(job.id);
  if (!run) {
    const id = randomUUID();
    run = store.training.insert({ id, jobId: job.id, datasetId: dataset.manifest.id, params, dir: params.outDir ? resolve(params.outDir) : join(deps.runsDir, id) });
  } else {
    store.training.update(run.id, { status: 'running', finishedAt: null });
  }
  const runId = run.id;
  try {
    const checkpoint = await readLatestCheckpoint(run.dir);
    const init = params.init && !checkpoint ? await warmStartFrom(store, params.init, dataset.manifest) : undefined;
    const pool = await deps.pool();
    const out = await trainModel({
      pool,
      params,
      runId,
      runDir: run.dir,
      manifest: dataset.manifest,
      arrays: await loadDatasetArrays(dataset.path),
      checkpoint,
      init,
      signal: job.signal,
      onProgress: (f, msg, m) => job.progress(f, msg, m),
      onEpoch: (epochs) => store.training.update(runId, { epochs }),
      onCheckpoint: (path) => store.training.update(runId, { checkpointPath: path }),
    });
    store.training.update(runId, { status: 'succeeded', modelDir: out.modelDir, finishedAt: new Date().toISOString() });
    // Into the registry, so it can be evaluated, used to classify and made the default by name.
    const modelName = `${params.model}-${dataset.manifest.name}-${runId.slice(0, 8)}`;
    await registerModel(store, modelName, out.modelDir);
    return {
      runId,
      modelDir: out.modelDir,
      modelName,
      epochs: epochEnds(out.state.history).length,
      steps: out.state.step,
      bestEpoch: out.state.best?.epoch ?? 0,
      bestValAccuracy: out.state.best?.valAccuracy ?? null,
      ...(out.state.best?.step !== undefined ? { bestStep: out.state.best.step } : {}),
      bestValMacroF1: out.state.best?.valMacroF1 ?? null,
      selectedBy: params.selectBy,
      testAccuracy: out.testAccuracy,
      wallSeconds: out.wallSeconds,
      resumedFromStep: out.resumedFromStep,
      workers: out.workers,
    };
  } catch (err) {
    store.training.update(runId, { status: isCancelled(err) || job.signal.aborted ? 'cancelled' : 'failed', finishedAt: new Date().toISOString() });
    throw err;
  }
}

/** The verified model a run warm-starts from; it must take the same beats and classes. */
async function warmStartFrom(store: Store, ref: string, manifest: DatasetManifest): Promise<NonNullable<EngineOptions['init']>> {
  const m = await resolveModel(store, ref);
  if (m.card.inputLength !== manifest.beatLength || m.card.classes.join() !== manifest.classes.join()) {
    throw new AppError('INVALID_INPUT', `--init ${ref}: the model takes ${m.card.inputLength}-sample beats of classes ${m.card.classes.join(',')}; dataset ${manifest.name} has ${manifest.beatLength} samples and ${manifest.classes.join(',')}`);
  }
  // Its hold-out counts only if it was drawn from this very dataset.
  const holdout = m.card.datasetHash === manifest.hash ? validationOf(m.card) : null;
  return { name: m.name, dir: m.dir, weightsSha256: m.modelHash, holdout };
}
