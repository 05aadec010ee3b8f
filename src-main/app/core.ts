// A Core is the whole main-process service behind one call/event interface. Transports
// (IPC, HTTP) talk only to a Core, so they never know whether it runs in-process or in a worker.
import { Worker } from 'node:worker_threads';
import type { ApiEvent } from '../api/contract.ts';
import type { Envelope } from '../api/errors.ts';
import { dispatch } from '../api/dispatch.ts';
import { createHandlers } from '../api/handlers.ts';
import type { AppContext } from './context.ts';

export interface Core {
  call(op: unknown, input: unknown): Promise<Envelope<unknown>>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
  close(): Promise<void>;
}

export function createInProcessCore(ctx: AppContext): Core {
  const handlers = createHandlers(ctx);
  const listeners = new Set<(e: ApiEvent) => void>();
  const off = ctx.jobs.onChange((job) => {
    for (const l of listeners) l({ type: 'job', job });
  });
  return {
    call: (op, input) => dispatch(handlers, op, input),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => {
      off();
      ctx.close();
    },
  };
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'fatal'; message: string }
  | { type: 'result'; id: number; envelope: Envelope<unknown> }
  | { type: 'event'; event: ApiEvent };

export type HostMessage = { type: 'call'; id: number; op: unknown; input: unknown } | { type: 'close' };

/** Runs the core on a worker thread so training and imports never block the UI or HTTP loop. */
export function createWorkerCore(workerFile: string | URL, env: NodeJS.ProcessEnv = process.env): Promise<Core> {
  const worker = new Worker(workerFile, { env: { ...env } });
  const pending = new Map<number, (e: Envelope<unknown>) => void>();
  const listeners = new Set<(e: ApiEvent) => void>();
  let nextId = 1;
  let failure: string | null = null;
  const failAll = (message: string): void => {
    failure = message;
    for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'INTERNAL', message } });
    pending.clear();
  };
  return new Promise((resolveCore, rejectCore) => {
    worker.on('message', (msg: WorkerMessage) => {
      switch (msg.type) {
        case 'ready':
          resolveCore(core);
          break;
        case 'fatal':
          rejectCore(new Error(msg.message));
          break;
        case 'result':
          pending.get(msg.id)?.(msg.envelope);
          pending.delete(msg.id);
          break;
        case 'event':
          for (const l of listeners) l(msg.event);
          break;
      }
    });
    worker.on('error', (err) => {
      failAll(`The compute worker crashed: ${err.message}`);
      rejectCore(err);
    });
    worker.on('exit', (code) => failAll(`The compute worker exited (code ${code})`));
    const core: Core = {
      call(op, input) {
        if (failure) return Promise.resolve({ ok: false, error: { code: 'INTERNAL', message: failure } });
        const id = nextId++;
        return new Promise((resolve) => {
          pending.set(id, resolve);
          worker.postMessage({ type: 'call', id, op, input } satisfies HostMessage);
        });
      },
      onEvent(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      async close() {
        worker.postMessage({ type: 'close' } satisfies HostMessage);
        await new Promise<void>((r) => {
          const t = setTimeout(() => void worker.terminate().then(() => r()), 5000);
          worker.once('exit', () => {
            clearTimeout(t);
            r();
          });
        });
      },
    };
  });
}
