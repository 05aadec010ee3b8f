// The CLI's one path to the services: the same typed core and dispatcher as the UI, so the
// CLI and the app can never disagree. `call` returns the op's output type or throws an
// AppError; `runJob` starts a job op, prints its progress and waits for it.
import { openApp, type OpenOptions } from '../app/context.ts';
import { createInProcessCore, type Core } from '../app/core.ts';
import { ops, isTerminalJobState, type JobKind, type JobResult, type JobStatus, type OpInput, type OpName, type OpOutput } from '../../src-shared/contract/index.ts';
import { AppError } from '../../src-shared/errors.ts';

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  write: (s: string) => void;
}

export interface CoreClient {
  call<K extends OpName>(op: K, input: OpInput<K>): Promise<OpOutput<K>>;
  /** Starts a job op, prints throttled progress to stderr, cancels it on Ctrl+C, resolves with the final status. */
  runJob<K extends OpName>(op: K, input: OpInput<K>): Promise<JobStatus>;
  close(): Promise<void>;
}

/** Fields whose flag is not the kebab-case of their name. */
const FLAG_NAMES: Record<string, string> = { classFiles: '--class-file', recordIds: 'the records given', paths: 'the paths given' };

/** Field paths in a validation error become the CLI's flag names (`testFraction` → `--test-fraction`). */
function asFlags(err: AppError, extra: Record<string, string>): AppError {
  const flags = { ...FLAG_NAMES, ...extra };
  if (err.code !== 'INVALID_INPUT' || !Array.isArray(err.details)) return err;
  const parts = (err.details as { path: string[]; message: string }[]).map((d) => {
    const field = d.path.join('.');
    const top = String(d.path[0] ?? '');
    return `${flags[field] ?? flags[top] ?? (field ? `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : 'input')}: ${d.message}`;
  });
  return new AppError('INVALID_INPUT', parts.join('; '), err.details);
}

export function coreClient(core: Core, io: Io, flags: Record<string, string> = {}): CoreClient {
  const call = async <K extends OpName>(op: K, input: OpInput<K>): Promise<OpOutput<K>> => {
    const env = await core.call(op, input);
    if (!env.ok) throw asFlags(AppError.from(env.error), flags);
    return env.value as OpOutput<K>;
  };
  return {
    call,
    async runJob(op, input) {
      if (!ops[op].job) throw new AppError('INTERNAL', `${op} is not a job`);
      let last = 0;
      let jobId: string | null = null;
      // Every ending is kept by id: a fast job may end before its id is known here.
      const ended = new Map<string, JobStatus>();
      let wake: (() => void) | null = null;
      const off = core.onEvent((e) => {
        if (e.type !== 'job') return;
        if (isTerminalJobState(e.job.state)) {
          ended.set(e.job.id, e.job);
          wake?.();
        } else if (e.job.id === jobId && e.job.state === 'running' && Date.now() - last > 250) {
          last = Date.now();
          io.err(`[${Math.round(e.job.progress * 100)}%] ${e.job.message}`);
        }
      });
      const onSigint = (): void => {
        if (jobId) void call('jobs.cancel', { id: jobId });
      };
      process.once('SIGINT', onSigint);
      try {
        const { jobId: id } = (await call(op, input)) as { jobId: string };
        jobId = id;
        while (!ended.has(id)) await new Promise<void>((r) => (wake = r));
        return await call('jobs.get', { id });
      } finally {
        off();
        process.off('SIGINT', onSigint);
      }
    },
    close: () => core.close(),
  };
}

/** Opens the app in this process (no TensorFlow.js unless asked) behind a typed client. */
export async function openClient(io: Io, opts: OpenOptions & { flags?: Record<string, string> } = {}): Promise<CoreClient> {
  return coreClient(createInProcessCore(await openApp({ withoutCompute: true, ...opts })), io, opts.flags);
}

/** Throws the job's error (or a cancel) so the caller prints it; returns its typed result. */
export function jobResult<K extends JobKind>(s: JobStatus, kind: K): JobResult<K> {
  if (s.state === 'failed' && s.error) throw AppError.from(s.error);
  if (s.state !== 'succeeded') throw new AppError('CANCELLED', `${s.kind} ${s.state}: ${s.message}`);
  if (s.kind !== kind || s.result === null) throw new AppError('INTERNAL', `Job ${s.id} is a ${s.kind} job, not ${kind}`);
  return s.result as JobResult<K>;
}
