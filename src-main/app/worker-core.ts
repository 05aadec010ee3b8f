// The core on a worker thread, so training and imports never block the UI or the HTTP loop.
// Imports no services itself: the Electron main thread loads only this, the worker loads the rest.
// A worker that dies fails the calls it was answering with a clear message and is started
// again, so the app keeps serving (its jobs show as interrupted in the new worker).
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

export interface WorkerCore extends Core {
  /** How many times the worker died and was started again. */
  readonly restarts: number;
}

/** Starts one worker and resolves when it is ready (rejects if it cannot open the app). */
function spawn(workerFile: string | URL, env: NodeJS.ProcessEnv, onMessage: (m: WorkerMessage) => void): Promise<Worker> {
  const worker = new Worker(workerFile, { env: { ...env } });
  return new Promise((resolve, reject) => {
    const early = (err: Error): void => reject(err);
    const earlyExit = (code: number): void => reject(new Error(`The core worker exited during start-up (code ${code})`));
    worker.on('error', early);
    worker.on('exit', earlyExit);
    worker.on('message', (msg: WorkerMessage) => {
      if (msg.type === 'ready') {
        worker.off('error', early);
        worker.off('exit', earlyExit);
        resolve(worker);
      } else if (msg.type === 'fatal') reject(new Error(msg.message));
      else onMessage(msg);
    });
  });
}

export async function createWorkerCore(workerFile: string | URL, env: NodeJS.ProcessEnv = process.env): Promise<WorkerCore> {
  const pending = new Map<number, (e: Envelope<unknown>) => void>();
  const listeners = new Set<(e: ApiEvent) => void>();
  let nextId = 1;
  let closing = false;
  let restarts = 0;
  const onMessage = (msg: WorkerMessage): void => {
    if (msg.type === 'result') {
      pending.get(msg.id)?.(msg.envelope);
      pending.delete(msg.id);
    } else if (msg.type === 'event') {
      for (const l of listeners) l(msg.event);
    }
  };
  const failAll = (message: string): void => {
    for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'INTERNAL', message } });
    pending.clear();
  };

  let current: Promise<Worker> = spawn(workerFile, env, onMessage);
  const watch = (worker: Worker): void => {
    let crash = '';
    worker.on('error', (err) => (crash = err.message));
    worker.on('exit', (code) => {
      if (closing) return;
      restarts++;
      failAll(`The core worker stopped unexpectedly (${crash || `exit code ${code}`}) while answering this call; it has been restarted — try again`);
      current = spawn(workerFile, env, onMessage);
      current.then(watch, () => undefined);
    });
  };
  watch(await current);

  return {
    get restarts() {
      return restarts;
    },
    async call(op, input) {
      let worker: Worker;
      try {
        worker = await current;
      } catch (err) {
        return { ok: false, error: { code: 'INTERNAL', message: `The core worker could not start: ${err instanceof Error ? err.message : String(err)}` } };
      }
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
      closing = true;
      const worker = await current.catch(() => null);
      if (!worker) return;
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
}
