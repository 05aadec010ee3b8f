// The core on a worker thread, so training and imports never block the UI or the HTTP loop.
// Imports no services itself: the Electron main thread loads only this, the worker loads the rest.
import { Worker } from 'node:worker_threads';
import type { ApiEvent } from '../../src-shared/contract/index.ts';
import type { Envelope } from '../../src-shared/errors.ts';
import type { Core } from './core.ts';

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'fatal'; message: string }
  | { type: 'result'; id: number; envelope: Envelope<unknown> }
  | { type: 'event'; event: ApiEvent };

export type HostMessage = { type: 'call'; id: number; op: unknown; input: unknown } | { type: 'close' };

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
