// The compute pool: TensorFlow.js work off the core worker, on one worker thread per core (wasm,
// cpu) or on child processes (tfjs-node / tfjs-node-gpu, whose native binding allows one per
// process). One call per worker at a time, the rest queued FIFO; a worker that dies fails only
// the call it was running and is respawned. Imports nothing domain-specific and no TensorFlow.js.
import { Worker } from 'node:worker_threads';
import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BackendInfo } from '../backend.ts';
import type { BackendPreference, FromWorker, PoolMode, ToWorker, WorkerInit } from './protocol.ts';
import { collectTransferables, type TaskMap, type TaskParams, type TaskProgress, type TaskResult } from './tasks.ts';

export type { BackendPreference, PoolMode } from './protocol.ts';

export interface ComputePoolOptions {
  /** Task modules (file URLs or paths); every worker imports them and collects their `defineTasks` exports. */
  modules: readonly (string | URL)[];
  backend?: BackendPreference;
  /** Workers; default: one per core for threads, 1 for tfjs-node (it already uses every core in one op). */
  size?: number;
  /** Forces a mode; default: 'process' when tfjs-node(-gpu) is the backend, else 'thread'. */
  mode?: PoolMode;
  /** JS heap limit per worker (MiB); past it the worker dies and is respawned, the pool lives on. */
  maxHeapMb?: number;
  /** The worker entry; default worker.ts from source, compute-pool-worker.js next to the bundle. */
  workerFile?: string | URL;
  env?: NodeJS.ProcessEnv;
}

export interface PoolInfo {
  backend: BackendInfo['backend'];
  simd: boolean;
  mode: PoolMode;
  workers: number;
  tried: string[];
}

export interface RunOptions<Progress> {
  onProgress?: (info: Progress) => void;
  /** Aborting sets the task's `cancelled()`; a queued call is dropped and rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Runs on this worker (where a replica lives in its `state`). */
  worker?: number;
  /** Moves the params' ArrayBuffers to the worker instead of copying (threads); the caller loses them. */
  transfer?: boolean;
}

export interface MapOptions<Progress> {
  onProgress?: (item: number, info: Progress) => void;
  signal?: AbortSignal;
  transfer?: boolean;
}

export interface ComputePool<T extends TaskMap> {
  readonly info: PoolInfo;
  /** Tasks the workers registered. */
  readonly tasks: readonly string[];
  /**
   * One task on one worker. If the caller aborts while it runs, the task sees `cancelled()` and
   * whatever it then returns (e.g. a partial result) or throws is what this resolves or rejects with.
   */
  run<K extends keyof T & string>(task: K, params: TaskParams<T[K]>, opts?: RunOptions<TaskProgress<T[K]>>): Promise<TaskResult<T[K]>>;
  /** One call per item (an item or a shard of a batch) across the workers; results in input order. */
  map<K extends keyof T & string>(task: K, items: readonly TaskParams<T[K]>[], opts?: MapOptions<TaskProgress<T[K]>>): Promise<TaskResult<T[K]>[]>;
  /** The same call on every worker (e.g. apply one averaged gradient to each replica); results by worker. */
  broadcast<K extends keyof T & string>(task: K, params: TaskParams<T[K]>, opts?: { signal?: AbortSignal }): Promise<TaskResult<T[K]>[]>;
  /** Terminates every worker; pending calls reject. */
  close(): Promise<void>;
}

interface Job {
  task: string;
  params: unknown;
  transfer: boolean;
  worker: number | null;
  id: number;
  onProgress?: (info: unknown) => void;
  signal?: AbortSignal;
  resolve(value: unknown): void;
  reject(err: unknown): void;
  detach(): void;
}

interface Endpoint {
  post(msg: ToWorker, transfer?: ArrayBuffer[]): void;
  terminate(): Promise<void>;
}

interface Slot {
  index: number;
  endpoint: Endpoint | null;
  ready: boolean;
  flag: Int32Array | null;
  job: Job | null;
  /** Last words of a dying worker (uncaught error), used as the cause. */
  fatal: string | null;
  /** Set when the slot could not be (re)started; it takes no more work. */
  failure: string | null;
  /** Stopped on purpose (the probe worker): its exit is not a crash. */
  retired: boolean;
}

// From source (Node type stripping) the entry is worker.ts; bundled, electron-vite emits
// compute-pool-worker.js next to the chunk holding this code (out/main/).
const DEFAULT_WORKER = import.meta.url.endsWith('.ts')
  ? new URL('./worker.ts', import.meta.url)
  : new URL('./compute-pool-worker.js', import.meta.url);
const NATIVE: Record<string, string> = { 'tensorflow-gpu': '@tensorflow/tfjs-node-gpu', tensorflow: '@tensorflow/tfjs-node' };

function isNative(backend: string): boolean {
  return backend in NATIVE;
}

/** Whether the workers might end up on tfjs-node: then the first one starts as a process to find out. */
function nativeCandidate(preference: BackendPreference, env: NodeJS.ProcessEnv): boolean {
  const choice = env.ECGATK_BACKEND && env.ECGATK_BACKEND !== 'auto' ? env.ECGATK_BACKEND : preference;
  if (choice !== 'auto') return isNative(choice);
  const require = createRequire(import.meta.url);
  return Object.values(NATIVE).some((pkg) => {
    try {
      require.resolve(pkg);
      return true;
    } catch {
      return false;
    }
  });
}

export async function createComputePool<T extends TaskMap>(options: ComputePoolOptions): Promise<ComputePool<T>> {
  const env = options.env ?? process.env;
  const preference = options.backend ?? 'auto';
  const file = options.workerFile ?? DEFAULT_WORKER;
  const modules = options.modules.map((m) => (m instanceof URL ? m.href : m.startsWith('file:') ? m : pathToFileURL(m).href));
  let mode: PoolMode = options.mode ?? (nativeCandidate(preference, env) ? 'process' : 'thread');

  const slots: Slot[] = [];
  const queue: Job[] = [];
  let nextId = 1;
  let closed = false;
  let info: PoolInfo | null = null;
  let tasks: string[] = [];

  const spawn = (slot: Slot): Promise<void> =>
    new Promise((resolveReady, rejectReady) => {
      const init: WorkerInit = { index: slot.index, preference, modules, cancelFlag: null };
      let settled = false;
      const onMessage = (msg: FromWorker): void => {
        switch (msg.type) {
          case 'ready':
            settled = true;
            slot.ready = true;
            if (!info) {
              info = { backend: msg.info.backend, simd: msg.info.simd, mode, workers: 0, tried: msg.info.tried };
              tasks = msg.tasks;
            }
            resolveReady();
            pump();
            break;
          case 'fatal':
            slot.fatal = msg.message;
            if (!settled) {
              settled = true;
              rejectReady(new Error(`compute worker ${slot.index} could not start: ${msg.message}`));
            }
            break;
          case 'progress':
            if (slot.job?.id === msg.id) slot.job.onProgress?.(msg.info);
            break;
          case 'result': {
            const job = slot.job;
            if (job?.id !== msg.id) break;
            slot.job = null;
            job.detach();
            if (msg.ok) job.resolve(msg.value);
            else job.reject(Object.assign(new Error(msg.error.message), { name: msg.error.name, stack: msg.error.stack }));
            pump();
            break;
          }
        }
      };
      const onExit = (how: string): void => {
        const cause = slot.fatal ? `crashed (${slot.fatal})` : `exited unexpectedly (${how})`;
        slot.endpoint = null;
        slot.ready = false;
        slot.fatal = null;
        if (closed || slot.retired) return;
        if (!settled) {
          settled = true;
          rejectReady(new Error(`compute worker ${slot.index} ${cause} while starting`));
          return;
        }
        const job = slot.job;
        slot.job = null;
        if (job) {
          job.detach();
          job.reject(new Error(`compute worker ${slot.index} ${cause} while running "${job.task}"`));
        }
        spawn(slot).catch((err: unknown) => {
          slot.failure = err instanceof Error ? err.message : String(err);
          failUnservable();
        });
      };

      if (mode === 'thread') {
        const buf = new SharedArrayBuffer(4);
        slot.flag = new Int32Array(buf);
        init.cancelFlag = buf;
        const resourceLimits = options.maxHeapMb ? { maxOldGenerationSizeMb: options.maxHeapMb } : undefined;
        const worker = new Worker(file, { workerData: init, env: { ...env }, resourceLimits });
        worker.on('message', onMessage);
        worker.on('error', (err) => (slot.fatal = err.message));
        worker.on('exit', (code) => onExit(`code ${code}`));
        slot.endpoint = {
          post: (msg, transfer = []) => worker.postMessage(msg, transfer),
          terminate: async () => void (await worker.terminate()),
        };
      } else {
        slot.flag = null;
        const path = file instanceof URL ? fileURLToPath(file) : file;
        const execArgv = options.maxHeapMb ? [`--max-old-space-size=${options.maxHeapMb}`] : [];
        const child = fork(path, [], { serialization: 'advanced', env: { ...env }, execArgv });
        child.on('message', (m) => onMessage(m as FromWorker));
        // A send racing the child's death: the exit that follows fails the call.
        child.on('error', () => undefined);
        // 'close' comes after the exit and after the IPC channel drained, so a dying child's last
        // message (its uncaught error) is in before the exit is handled.
        child.on('close', (code, signal) => onExit(signal ? `signal ${signal}` : `code ${code}`));
        const exited = new Promise<void>((r) => child.once('close', () => r()));
        slot.endpoint = {
          // IPC copies (structured clone); there is no transfer between processes.
          post: (msg) => void child.send(msg),
          terminate: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill();
            await exited;
          },
        };
        slot.endpoint.post({ type: 'init', init });
      }
    });

  /** Rejects queued jobs no live slot can take. */
  const failUnservable = (): void => {
    for (const job of [...queue]) {
      const usable = slots.some((s) => !s.failure && (job.worker === null || job.worker === s.index));
      if (usable) continue;
      queue.splice(queue.indexOf(job), 1);
      job.detach();
      const reason = slots.find((s) => s.failure && (job.worker === null || job.worker === s.index))?.failure;
      job.reject(new Error(`no compute worker can run "${job.task}": ${reason ?? 'none left'}`));
    }
  };

  const pump = (): void => {
    for (const slot of slots) {
      if (!slot.ready || slot.job || !slot.endpoint) continue;
      const i = queue.findIndex((j) => j.worker === null || j.worker === slot.index);
      if (i < 0) continue;
      const job = queue.splice(i, 1)[0]!;
      slot.job = job;
      job.id = nextId++;
      if (slot.flag) Atomics.store(slot.flag, 0, 0);
      slot.endpoint.post({ type: 'run', id: job.id, task: job.task, params: job.params }, job.transfer ? collectTransferables(job.params) : []);
    }
  };

  const cancel = (job: Job): void => {
    const queued = queue.indexOf(job);
    if (queued >= 0) {
      queue.splice(queued, 1);
      job.detach();
      job.reject(job.signal?.reason);
      return;
    }
    const slot = slots.find((s) => s.job === job);
    if (!slot) return;
    if (slot.flag) Atomics.store(slot.flag, 0, job.id);
    else slot.endpoint?.post({ type: 'cancel', id: job.id });
  };

  const submit = (task: string, params: unknown, o: RunOptions<unknown>): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (closed) return reject(new Error('the compute pool is closed'));
      if (!tasks.includes(task)) return reject(new Error(`unknown compute task "${task}"`));
      if (o.worker !== undefined && !(o.worker >= 0 && o.worker < slots.length)) {
        return reject(new RangeError(`no compute worker ${o.worker} (the pool has ${slots.length})`));
      }
      if (o.signal?.aborted) return reject(o.signal.reason);
      const job: Job = {
        task, params, transfer: o.transfer ?? false, worker: o.worker ?? null, id: 0,
        onProgress: o.onProgress, signal: o.signal, resolve, reject, detach: () => undefined,
      };
      if (o.signal) {
        const onAbort = (): void => cancel(job);
        o.signal.addEventListener('abort', onAbort, { once: true });
        job.detach = () => o.signal?.removeEventListener('abort', onAbort);
      }
      queue.push(job);
      failUnservable();
      pump();
    });

  const newSlot = (index: number): Slot => ({ index, endpoint: null, ready: false, flag: null, job: null, fatal: null, failure: null, retired: false });
  const closeAll = async (): Promise<void> => {
    closed = true;
    const err = new Error('the compute pool is closed');
    const pending = [...queue.splice(0), ...slots.flatMap((s) => (s.job ? [s.job] : []))];
    for (const slot of slots) slot.job = null;
    for (const job of pending) {
      job.detach();
      job.reject(err);
    }
    await Promise.all(slots.map((s) => s.endpoint?.terminate()));
  };

  // The first worker tells which backend won; tfjs-node needs processes, anything else runs on threads.
  try {
    let first = newSlot(0);
    slots.push(first);
    await spawn(first);
    if (!options.mode && mode === 'process' && !isNative(info!.backend)) {
      first.retired = true;
      await first.endpoint?.terminate();
      mode = 'thread';
      info = null;
      first = newSlot(0);
      slots.splice(0, 1, first);
      await spawn(first);
    }
    const size = Math.max(1, Math.floor(options.size ?? (isNative(info!.backend) ? 1 : availableParallelism())));
    for (let i = 1; i < size; i++) slots.push(newSlot(i));
    await Promise.all(slots.slice(1).map(spawn));
  } catch (err) {
    await closeAll();
    throw err;
  }
  info!.workers = slots.length;
  info!.mode = mode;

  const pool: ComputePool<T> = {
    get info() {
      return { ...info!, tried: [...info!.tried] };
    },
    get tasks() {
      return tasks;
    },
    run: (task, params, opts = {}) => submit(task, params, opts as RunOptions<unknown>) as never,
    map: async (task, items, opts = {}) => {
      // One failure cancels the rest so the workers are free again soon.
      const inner = new AbortController();
      const signal = opts.signal ? AbortSignal.any([opts.signal, inner.signal]) : inner.signal;
      const calls = items.map((item, i) =>
        submit(task, item, {
          signal,
          transfer: opts.transfer,
          onProgress: opts.onProgress && ((info) => opts.onProgress?.(i, info as never)),
        }),
      );
      try {
        return (await Promise.all(calls)) as never;
      } catch (err) {
        inner.abort(err);
        await Promise.allSettled(calls);
        throw err;
      }
    },
    broadcast: async (task, params, opts = {}) =>
      (await Promise.all(slots.map((s) => submit(task, params, { signal: opts.signal, worker: s.index })))) as never,
    close: closeAll,
  };
  return pool;
}
