// SQL of the training runs. Rows hold JSON; they are parsed with the contract on the way out.
import type { Db } from '../db.ts';
import { EpochMetrics, TrainingRun, type TrainingParams } from '../../../src-shared/contract/index.ts';

interface Row {
  id: string;
  job_id: string;
  model: string;
  dataset_id: string;
  params: string;
  status: string;
  epochs: string;
  dir: string;
  checkpoint_path: string | null;
  model_dir: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

function fromRow(r: Row): TrainingRun {
  return TrainingRun.parse({
    id: r.id,
    jobId: r.job_id,
    model: r.model,
    datasetId: r.dataset_id,
    params: JSON.parse(r.params),
    status: r.status,
    epochs: JSON.parse(r.epochs),
    dir: r.dir,
    checkpointPath: r.checkpoint_path,
    modelDir: r.model_dir,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
  });
}

export interface NewTrainingRun {
  id: string;
  jobId: string;
  datasetId: string;
  params: TrainingParams;
  dir: string;
}

export type TrainingRunPatch = Partial<Pick<TrainingRun, 'status' | 'epochs' | 'checkpointPath' | 'modelDir' | 'finishedAt'>>;

export class TrainingRepository {
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  insert(run: NewTrainingRun): TrainingRun {
    const now = new Date().toISOString();
    this.db
      .prepare("INSERT INTO training_runs (id, job_id, model, dataset_id, params, status, dir, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?)")
      .run(run.id, run.jobId, run.params.model, run.datasetId, JSON.stringify(run.params), run.dir, now, now);
    return this.get(run.id)!;
  }

  update(id: string, patch: TrainingRunPatch): void {
    const sets: string[] = ['updated_at = @updatedAt'];
    const values: Record<string, unknown> = { id, updatedAt: new Date().toISOString() };
    if (patch.status !== undefined) (sets.push('status = @status'), (values.status = patch.status));
    if (patch.epochs !== undefined) (sets.push('epochs = @epochs'), (values.epochs = JSON.stringify(patch.epochs.map((e) => EpochMetrics.parse(e)))));
    if (patch.checkpointPath !== undefined) (sets.push('checkpoint_path = @checkpointPath'), (values.checkpointPath = patch.checkpointPath));
    if (patch.modelDir !== undefined) (sets.push('model_dir = @modelDir'), (values.modelDir = patch.modelDir));
    if (patch.finishedAt !== undefined) (sets.push('finished_at = @finishedAt'), (values.finishedAt = patch.finishedAt));
    this.db.prepare(`UPDATE training_runs SET ${sets.join(', ')} WHERE id = @id`).run(values);
  }

  get(id: string): TrainingRun | null {
    const r = this.db.prepare('SELECT * FROM training_runs WHERE id = ?').get(id) as Row | undefined;
    return r ? fromRow(r) : null;
  }

  /** A run by id, job id or folder (its run folder or its saved model's). */
  find(ref: string): TrainingRun | null {
    const r = this.db.prepare('SELECT * FROM training_runs WHERE id = @ref OR job_id = @ref OR dir = @ref OR model_dir = @ref LIMIT 1').get({ ref }) as Row | undefined;
    return r ? fromRow(r) : null;
  }

  byJob(jobId: string): TrainingRun | null {
    const r = this.db.prepare('SELECT * FROM training_runs WHERE job_id = ?').get(jobId) as Row | undefined;
    return r ? fromRow(r) : null;
  }

  list(limit: number): TrainingRun[] {
    return (this.db.prepare('SELECT * FROM training_runs ORDER BY created_at DESC, rowid DESC LIMIT ?').all(limit) as Row[]).map(fromRow);
  }
}
