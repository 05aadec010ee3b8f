// Long-running work with progress events and cooperative cancellation.
import { randomUUID } from 'node:crypto';
import type { JobStatus } from '../api/contract.ts';
import { ApiError } from '../api/errors.ts';

export interface JobContext {
  signal: AbortSignal;
  /** fraction in [0, 1]; message is shown to the user as is. */
  progress(fraction: number, message: string): void;
  /** Throws a CANCELLED ApiError if the job was cancelled; call between units of work. */
  throwIfCancelled(): void;
}

export type JobFn = (ctx: JobContext) => Promise<unknown>;
type Listener = (status: JobStatus) => void;

export class JobManager {
  private readonly jobs = new Map<string, { status: JobStatus; abort: AbortController }>();
  private readonly listeners = new Set<Listener>();
  /** Minimum gap between progress events per job, so fast loops do not flood the transports. */
  private readonly progressIntervalMs: number;

  constructor(progressIntervalMs = 100) {
    this.progressIntervalMs = progressIntervalMs;
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(status: JobStatus): void {
    const copy = { ...status };
    for (const l of this.listeners) l(copy);
  }

  start(kind: string, fn: JobFn): string {
    const id = randomUUID();
    const abort = new AbortController();
    const status: JobStatus = { id, kind, state: 'running', progress: 0, message: 'Starting…', startedAt: new Date().toISOString(), finishedAt: null };
    this.jobs.set(id, { status, abort });
    let lastEmit = 0;
    const ctx: JobContext = {
      signal: abort.signal,
      progress: (fraction, message) => {
        if (status.state !== 'running') return;
        status.progress = Math.min(1, Math.max(0, fraction));
        status.message = message;
        const now = Date.now();
        if (now - lastEmit >= this.progressIntervalMs) {
          lastEmit = now;
          this.emit(status);
        }
      },
      throwIfCancelled: () => {
        if (abort.signal.aborted) throw new ApiError('CANCELLED', `${kind} was cancelled`);
      },
    };
    this.emit(status);
    // Run on a later tick so the caller gets the id before any work happens.
    setImmediate(() => {
      fn(ctx).then(
        (result) => {
          if (abort.signal.aborted) return this.finish(status, 'cancelled', `Cancelled`);
          status.result = result;
          status.progress = 1;
          this.finish(status, 'done', 'Done');
        },
        (err: unknown) => {
          if (abort.signal.aborted || (err instanceof ApiError && err.code === 'CANCELLED')) {
            return this.finish(status, 'cancelled', 'Cancelled');
          }
          const shape = err instanceof ApiError ? err.toShape() : { code: 'INTERNAL' as const, message: err instanceof Error ? err.message : String(err) };
          status.error = shape;
          this.finish(status, 'failed', shape.message);
        },
      );
    });
    return id;
  }

  private finish(status: JobStatus, state: JobStatus['state'], message: string): void {
    status.state = state;
    status.message = message;
    status.finishedAt = new Date().toISOString();
    this.emit(status);
  }

  get(id: string): JobStatus {
    const job = this.jobs.get(id);
    if (!job) throw new ApiError('NOT_FOUND', `No job with id ${id}`);
    return { ...job.status };
  }

  list(): JobStatus[] {
    return [...this.jobs.values()].map((j) => ({ ...j.status })).reverse();
  }

  cancel(id: string): JobStatus {
    const job = this.jobs.get(id);
    if (!job) throw new ApiError('NOT_FOUND', `No job with id ${id}`);
    if (job.status.state === 'running' || job.status.state === 'queued') {
      job.abort.abort();
      job.status.message = 'Cancelling…';
      this.emit(job.status);
    }
    return { ...job.status };
  }

  /** Resolves when the job leaves the running state. */
  wait(id: string): Promise<JobStatus> {
    return new Promise((resolve) => {
      const check = (s: JobStatus): void => {
        if (s.id === id && s.state !== 'running' && s.state !== 'queued') {
          off();
          resolve(s);
        }
      };
      const off = this.onChange(check);
      check(this.get(id));
    });
  }
}
