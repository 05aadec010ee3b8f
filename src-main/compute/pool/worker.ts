// Compute pool worker: a worker thread or a child process (tfjs-node's native binding allows one
// per process). Initialises TensorFlow.js, imports the task modules, runs one task at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { initCompute } from '../backend.ts';
import { collectTransferables, isTaskSet, type TaskContext } from './tasks.ts';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.ts';

type Handler = (params: unknown, ctx: TaskContext<unknown>) => unknown;

const port = parentPort;
const send = (m: FromWorker, transfer: ArrayBuffer[] = []): void => {
  if (port) port.postMessage(m, transfer);
  else process.send?.(m);
};

let cancelledId = -1; // process mode: set by a 'cancel' message
let flag: Int32Array | null = null; // thread mode: shared with the pool
const state = new Map<string, unknown>();
const handlers = new Map<string, Handler>();

async function start(init: WorkerInit): Promise<void> {
  try {
    if (init.cancelFlag) flag = new Int32Array(init.cancelFlag);
    const info = await initCompute(init.preference);
    for (const url of init.modules) {
      const mod = (await import(url)) as Record<string, unknown>;
      for (const exported of Object.values(mod)) {
        if (!isTaskSet(exported)) continue;
        for (const [name, fn] of Object.entries(exported)) {
          if (handlers.has(name)) throw new Error(`compute task "${name}" is defined twice (${url})`);
          handlers.set(name, fn as Handler);
        }
      }
    }
    send({ type: 'ready', info, tasks: [...handlers.keys()] });
  } catch (err) {
    send({ type: 'fatal', message: err instanceof Error ? err.message : String(err) });
  }
}

async function run(id: number, task: string, params: unknown, index: number): Promise<void> {
  const ctx: TaskContext<unknown> = {
    worker: index,
    progress: (info) => send({ type: 'progress', id, info }), // copied: the task may keep what it reports
    cancelled: () => (flag ? Atomics.load(flag, 0) === id : cancelledId === id),
    yield: () => new Promise((r) => setImmediate(r)),
    state,
  };
  try {
    const handler = handlers.get(task);
    if (!handler) throw new Error(`unknown compute task "${task}"`);
    const value = await handler(params, ctx);
    send({ type: 'result', id, ok: true, value }, collectTransferables(value));
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    send({ type: 'result', id, ok: false, error: { name: e.name, message: e.message, stack: e.stack } });
  }
}

let index = -1;
const onMessage = (msg: ToWorker): void => {
  if (msg.type === 'init') {
    index = msg.init.index;
    void start(msg.init);
  } else if (msg.type === 'run') void run(msg.id, msg.task, msg.params, index);
  else cancelledId = msg.id;
};

if (port) {
  port.on('message', onMessage);
  onMessage({ type: 'init', init: workerData as WorkerInit });
} else {
  if (!process.send) throw new Error('the compute pool worker must run as a worker thread or a forked process');
  process.on('message', onMessage);
  process.on('disconnect', () => process.exit(0)); // the pool went away
  // Say why before dying: the pool names the cause in the error of the task that was running.
  process.on('uncaughtException', (err) => {
    process.exitCode = 1;
    process.send?.({ type: 'fatal', message: err.message } satisfies FromWorker, () => process.exit(1));
  });
}
