// SQL of the job registry. Rows hold JSON; the job manager parses them with the contract.
import type { Db } from '../db.ts';

export interface JobRow {
  id: string;
  kind: string;
  state: string;
  params: unknown;
  progress: number;
  message: string;
  metrics: unknown;
  result: unknown;
  error: unknown;
  resource: string;
  resumable: boolean;
  owner: string | null;
  cancelRequested: boolean;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

interface Row {
  id: string;
  kind: string;
  state: string;
  params: string;
  progress: number;
  message: string;
  metrics: string | null;
  result: string | null;
  error: string | null;
  resource: string;
  resumable: number;
  owner: string | null;
  cancel_requested: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

const json = (v: string | null): unknown => (v === null ? null : (JSON.parse(v) as unknown));
const text = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));

function fromRow(r: Row): JobRow {
  return {
    id: r.id,
    kind: r.kind,
    state: r.state,
    params: json(r.params),
    progress: r.progress,
    message: r.message,
    metrics: json(r.metrics),
    result: json(r.result),
    error: json(r.error),
    resource: r.resource,
    resumable: r.resumable === 1,
    owner: r.owner,
    cancelRequested: r.cancel_requested === 1,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

export type JobUpdate = Partial<Pick<JobRow, 'state' | 'progress' | 'message' | 'params' | 'metrics' | 'result' | 'error' | 'owner' | 'cancelRequested' | 'startedAt' | 'finishedAt'>>;

const COLUMNS: Record<keyof JobUpdate, string> = {
  state: 'state',
  progress: 'progress',
  message: 'message',
  params: 'params',
  metrics: 'metrics',
  result: 'result',
  error: 'error',
  owner: 'owner',
  cancelRequested: 'cancel_requested',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
};

export class JobRepository {
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  insert(job: JobRow): void {
    this.db
      .prepare(
        `INSERT INTO jobs (id, kind, state, params, progress, message, metrics, result, error, resource, resumable, owner, cancel_requested, created_at, started_at, finished_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(job.id, job.kind, job.state, JSON.stringify(job.params), job.progress, job.message, text(job.metrics), text(job.result), text(job.error), job.resource, job.resumable ? 1 : 0, job.owner, job.cancelRequested ? 1 : 0, job.createdAt, job.startedAt, job.finishedAt);
  }

  update(id: string, patch: JobUpdate): void {
    const keys = (Object.keys(patch) as (keyof JobUpdate)[]).filter((k) => patch[k] !== undefined);
    if (keys.length === 0) return;
    const values = keys.map((k) => {
      const v = patch[k];
      if (k === 'params' || k === 'metrics' || k === 'result' || k === 'error') return text(v);
      if (k === 'cancelRequested') return v ? 1 : 0;
      return v as string | number | null;
    });
    this.db.prepare(`UPDATE jobs SET ${keys.map((k) => `${COLUMNS[k]} = ?`).join(', ')} WHERE id = ?`).run(...values, id);
  }

  get(id: string): JobRow | null {
    const r = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as Row | undefined;
    return r ? fromRow(r) : null;
  }

  list(limit: number): JobRow[] {
    return (this.db.prepare('SELECT * FROM jobs ORDER BY created_at DESC, rowid DESC LIMIT ?').all(limit) as Row[]).map(fromRow);
  }

  /** Queued or running jobs, oldest first. */
  active(): JobRow[] {
    return (this.db.prepare("SELECT * FROM jobs WHERE state IN ('queued', 'running') ORDER BY created_at, rowid").all() as Row[]).map(fromRow);
  }

  /** Ids of this owner's active jobs that another process asked to cancel. */
  cancelRequests(owner: string): string[] {
    return (this.db.prepare("SELECT id FROM jobs WHERE owner = ? AND cancel_requested = 1 AND state IN ('queued', 'running')").all(owner) as { id: string }[]).map((r) => r.id);
  }
}
