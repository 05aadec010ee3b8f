// Long work, typed and persisted. A job is a kind (with its parameter, metrics and result
// schemas in the contract) plus a runner registered for that kind. Every state change is
// written to SQLite, so after a restart jobs that were running show as `interrupted` and a
// resumable kind can be started again from its stored parameters. Heavy kinds share the
// compute pool's one slot and wait as `queued`; io kinds run at once.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  JOB_KINDS,
  JobStatus,
  isResumableJobState,
  isTerminalJobState,
  type JobKind,
  type JobMetrics,
  type JobParams,
  type JobResource,
  type JobResult,
  type JobState,
} from '../../src-shared/contract/index.ts';
import { AppError, isCancelled, type ErrorShape } from '../../src-shared/errors.ts';
import type { JobRepository, JobRow, JobUpdate } from '../store/repositories/jobs.ts';

export interface JobContext<K extends JobKind> {
  readonly id: string;
  readonly signal: AbortSignal;
  /** fraction in [0, 1]; message is shown as is; metrics are the kind's typed numbers. */
  progress(fraction: number, message: string, metrics?: JobMetrics<K>): void;
  /** Throws a CANCELLED AppError if the job was cancelled; call between units of work. */
  throwIfCancelled(): void;
}

export type JobRunner<K extends JobKind> = (params: JobParams<K>, ctx: JobContext<K>) => Promise<JobResult<K>>;
type Listener = (status: JobStatus) => void;

export interface JobManagerOptions {
  /** Minimum gap between progress events per job, so fast loops do not flood the transports. */
  progressIntervalMs?: number;
  /** Minimum gap between progress writes to SQLite. */
  persistIntervalMs?: number;
  /** How often to look for cancel requests from other processes (the CLI). */
  pollIntervalMs?: number;
  /** Jobs of each resource that may run at once. */
  slots?: Partial<Record<JobResource, number>>;
  /** Who runs the jobs (default this launch: `host:pid:random`); tests stand in for another process. */
  owner?: string;
}

interface Live {
  abort: AbortController;
  resource: JobResource;
  lastEmit: number;
  lastPersist: number;
  /** The newest progress not yet written to SQLite (written at most every persistIntervalMs). */
  pending: JobUpdate | null;
}


/** True while a process with this pid exists on this machine. */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class JobManager {
  private readonly repo: JobRepository;
  /** This launch: `host:pid:random`, stored with each job it runs. */
  readonly owner: string;
  private readonly runners = new Map<JobKind, JobRunner<JobKind>>();
  private readonly live = new Map<string, Live>();
  private readonly listeners = new Set<Listener>();
  private readonly opts: Required<Omit<JobManagerOptions, 'slots' | 'owner'>> & { slots: Record<JobResource, number> };
  private poller: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(repo: JobRepository, opts: JobManagerOptions = {}) {
    this.repo = repo;
    this.owner = opts.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.opts = {
      progressIntervalMs: opts.progressIntervalMs ?? 100,
      persistIntervalMs: opts.persistIntervalMs ?? 1000,
      pollIntervalMs: opts.pollIntervalMs ?? 1000,
      slots: { compute: 1, io: Number.POSITIVE_INFINITY, ...opts.slots },
    };
    this.recoverInterrupted();
  }

  /** Jobs left queued or running by a launch that is gone become `interrupted`. */
  private recoverInterrupted(): void {
    const now = new Date().toISOString();
    for (const row of this.repo.active()) {
      const pid = Number(row.owner?.split(':')[1]);
      // Same pid but another owner string: an earlier launch in this process (it closed or was dropped).
      const gone = !row.owner || !Number.isInteger(pid) || (pid === process.pid && row.owner !== this.owner) || !processAlive(pid);
      if (gone) {
        this.repo.update(row.id, { state: 'interrupted', message: 'Interrupted: the app stopped while this job was running', finishedAt: now });
      }
    }
  }

  register<K extends JobKind>(kind: K, runner: JobRunner<K>): void {
    this.runners.set(kind, runner as unknown as JobRunner<JobKind>);
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private status(row: JobRow): JobStatus {
    const base = {
      id: row.id,
      kind: row.kind,
      state: row.state,
      progress: row.progress,
      message: row.message,
      resource: row.resource,
      resumable: row.resumable,
      createdAt: row.createdAt,
      startedAt: row.startedAt,
      finishedAt: row.finishedAt,
      error: row.error,
      params: row.params,
    };
    const full = JobStatus.safeParse({ ...base, metrics: row.metrics, result: row.result });
    if (full.success) return full.data;
    // Metrics or a result stored by an older version that today's schema no longer reads: the job
    // stays in the history without them, saying so, instead of vanishing from every list.
    const issue = full.error.issues[0];
    const where = issue ? `${issue.path.join('.')}: ${issue.message}` : full.error.message;
    return JobStatus.parse({ ...base, metrics: null, result: null, message: `${row.message} (its stored figures no longer read, ${where})` });
  }

  /** The stored row with a running job's newest unwritten progress on top. */
  private current(id: string): JobRow | null {
    const row = this.repo.get(id);
    const pending = this.live.get(id)?.pending;
    return row && pending ? { ...row, ...pending } : row;
  }

  private emit(id: string): void {
    const row = this.current(id);
    if (!row) return;
    const s = this.status(row);
    for (const l of this.listeners) l(s);
  }

  /** Records a new job of `kind` and runs it (or queues it behind the resource's slot). */
  start<K extends JobKind>(kind: K, params: JobParams<K>): string {
    if (this.closed) throw new AppError('CONFLICT', 'The app is shutting down; no new jobs');
    if (!this.runners.has(kind)) throw new AppError('INTERNAL', `No runner registered for job kind ${kind}`);
    const def = JOB_KINDS[kind];
    const checked = def.params.safeParse(params);
    if (!checked.success) throw new AppError('INVALID_INPUT', `Invalid parameters for ${kind}: ${checked.error.issues.map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`).join('; ')}`);
    const id = randomUUID();
    this.repo.insert({
      id,
      kind,
      state: 'queued',
      params: checked.data,
      progress: 0,
      message: 'Waiting to start…',
      metrics: null,
      result: null,
      error: null,
      resource: def.resource,
      resumable: def.resumable,
      owner: this.owner,
      cancelRequested: false,
      createdAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
    });
    this.emit(id);
    // Run on a later tick so the caller gets the id before any work happens.
    setImmediate(() => this.schedule());
    return id;
  }

  /** Starts an interrupted, failed or cancelled job of a resumable kind again, same id and parameters. */
  /** Requeues a stopped resumable job; `patch` changes some of its parameters (validated again). */
  resume(id: string, patch?: Record<string, unknown>): JobStatus {
    const row = this.mustGet(id);
    if (!row.resumable) throw new AppError('CONFLICT', `Jobs of kind ${row.kind} cannot be resumed; start a new one`);
    if (!isResumableJobState(row.state)) throw new AppError('CONFLICT', `Job ${id} is ${row.state}; only interrupted, failed or cancelled jobs can be resumed`);
    let params: unknown;
    if (patch) {
      const checked = JOB_KINDS[row.kind as JobKind].params.safeParse({ ...(row.params as object), ...patch });
      if (!checked.success) throw new AppError('INVALID_INPUT', `Invalid parameters for ${row.kind}: ${checked.error.issues.map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`).join('; ')}`);
      params = checked.data;
    }
    this.repo.update(id, { state: 'queued', message: 'Resuming…', params, error: null, result: null, owner: this.owner, cancelRequested: false, finishedAt: null });
    this.emit(id);
    setImmediate(() => this.schedule());
    return this.get(id);
  }

  private running(resource: JobResource): number {
    let n = 0;
    for (const l of this.live.values()) if (l.resource === resource) n++;
    return n;
  }

  /** Starts queued jobs of this launch, oldest first, while their resource has a free slot. */
  private schedule(): void {
    if (this.closed) return;
    for (const row of this.repo.active()) {
      if (row.state !== 'queued' || row.owner !== this.owner || this.live.has(row.id)) continue;
      const resource = row.resource as JobResource;
      if (this.running(resource) >= this.opts.slots[resource]) continue;
      this.run(row);
    }
  }

  private run(row: JobRow): void {
    const kind = row.kind as JobKind;
    const runner = this.runners.get(kind);
    const abort = new AbortController();
    const live: Live = { abort, resource: row.resource as JobResource, lastEmit: 0, lastPersist: 0, pending: null };
    this.live.set(row.id, live);
    this.repo.update(row.id, { state: 'running', message: 'Starting…', startedAt: new Date().toISOString() });
    this.emit(row.id);
    this.ensurePolling();
    const id = row.id;
    const ctx: JobContext<JobKind> = {
      id,
      signal: abort.signal,
      progress: (fraction, message, metrics) => {
        if (abort.signal.aborted) return;
        const now = Date.now();
        // Keep the newest numbers in memory; write and tell at bounded rates.
        live.pending = { ...live.pending, progress: Math.min(1, Math.max(0, fraction)), message, ...(metrics === undefined ? {} : { metrics }) };
        if (now - live.lastPersist >= this.opts.persistIntervalMs) {
          live.lastPersist = now;
          this.repo.update(id, live.pending);
          live.pending = null;
        }
        if (now - live.lastEmit >= this.opts.progressIntervalMs) {
          live.lastEmit = now;
          this.emit(id);
        }
      },
      throwIfCancelled: () => {
        if (abort.signal.aborted) throw new AppError('CANCELLED', `${kind} was cancelled`);
      },
    };
    const finish = (state: JobState, message: string, extra: { result?: unknown; error?: ErrorShape } = {}): void => {
      if (this.closed) return; // close() already recorded it as interrupted
      if (live.pending) this.repo.update(id, live.pending);
      this.live.delete(id);
      this.repo.update(id, { state, message, finishedAt: new Date().toISOString(), ...(state === 'succeeded' ? { progress: 1 } : {}), ...extra });
      this.emit(id);
      this.schedule();
    };
    const work = runner ? Promise.resolve().then(() => runner(row.params as JobParams<JobKind>, ctx)) : Promise.reject(new AppError('INTERNAL', `No runner for ${kind}`));
    work.then(
      (result) => {
        if (abort.signal.aborted) return finish('cancelled', 'Cancelled');
        const checked = JOB_KINDS[kind].result.safeParse(result);
        if (!checked.success) return finish('failed', `Result of ${kind} broke the contract`, { error: { code: 'INTERNAL', message: `Result of ${kind} broke the contract: ${checked.error.issues[0]?.message ?? ''}` } });
        finish('succeeded', 'Done', { result: checked.data });
      },
      (err: unknown) => {
        if (abort.signal.aborted || isCancelled(err)) return finish('cancelled', 'Cancelled');
        const error: ErrorShape = err instanceof AppError ? { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) } : { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
        finish('failed', error.message, { error });
      },
    );
  }

  /** Picks up cancel requests that another process (the CLI) wrote for this launch's jobs. */
  private ensurePolling(): void {
    if (this.poller || this.closed) return;
    this.poller = setInterval(() => {
      if (this.live.size === 0) {
        clearInterval(this.poller!);
        this.poller = null;
        return;
      }
      for (const id of this.repo.cancelRequests(this.owner)) this.cancel(id);
    }, this.opts.pollIntervalMs);
    this.poller.unref();
  }

  private mustGet(id: string): JobRow {
    const row = this.repo.get(id);
    if (!row) throw new AppError('NOT_FOUND', `No job with id ${id}`);
    return row;
  }

  get(id: string): JobStatus {
    this.mustGet(id);
    return this.status(this.current(id)!);
  }

  /** Newest first; rows a newer app wrote with kinds this one does not know are left out. */
  list(limit = 200): JobStatus[] {
    return this.repo.list(limit).flatMap((row) => {
      try {
        return [this.status(row)];
      } catch {
        return [];
      }
    });
  }

  /**
   * Asks a job to stop. This launch's jobs stop at their next check (a compute job within one
   * batch); another process's running job is flagged for its owner to pick up.
   */
  cancel(id: string): JobStatus {
    const row = this.mustGet(id);
    if (isTerminalJobState(row.state)) return this.status(row);
    const live = this.live.get(id);
    if (live) {
      live.abort.abort();
      if (live.pending) live.pending.message = 'Cancelling…';
      this.repo.update(id, { message: 'Cancelling…' });
    } else if (row.owner === this.owner || row.state === 'queued') {
      this.repo.update(id, { state: 'cancelled', message: 'Cancelled before it started', finishedAt: new Date().toISOString() });
    } else {
      this.repo.update(id, { cancelRequested: true, message: 'Cancel requested…' });
    }
    this.emit(id);
    return this.get(id);
  }

  /** Resolves when the job reaches a terminal state. */
  wait(id: string): Promise<JobStatus> {
    return new Promise((resolve) => {
      const check = (s: JobStatus): void => {
        if (s.id === id && isTerminalJobState(s.state)) {
          off();
          resolve(s);
        }
      };
      const off = this.onChange(check);
      check(this.get(id));
    });
  }

  /** Stops accepting jobs; running and queued ones are recorded as interrupted (resumable ones can be resumed). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.poller) clearInterval(this.poller);
    const now = new Date().toISOString();
    for (const row of this.repo.active()) {
      if (row.owner !== this.owner) continue;
      // Its newest progress and metrics are kept with it, for whoever resumes it.
      this.repo.update(row.id, { ...this.live.get(row.id)?.pending, state: 'interrupted', message: 'Interrupted: the app was closed while this job was running', finishedAt: now });
    }
    for (const l of this.live.values()) l.abort.abort();
    this.live.clear();
  }
}
