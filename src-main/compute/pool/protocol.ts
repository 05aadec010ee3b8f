// Messages between the pool and its workers (worker threads and child processes alike).
import type { BackendInfo } from '../backend.ts';

export type PoolMode = 'thread' | 'process';
export type BackendPreference = BackendInfo['backend'] | 'auto';

/** Sent once at start: worker_threads `workerData`, or the first IPC message to a child process. */
export interface WorkerInit {
  index: number;
  preference: BackendPreference;
  modules: string[];
  /** Thread mode: Int32Array slot 0 holds the id of the task the pool cancelled. */
  cancelFlag: SharedArrayBuffer | null;
}

export type ToWorker =
  | { type: 'init'; init: WorkerInit }
  | { type: 'run'; id: number; task: string; params: unknown }
  | { type: 'cancel'; id: number };

export type FromWorker =
  | { type: 'ready'; info: BackendInfo; tasks: string[] }
  | { type: 'fatal'; message: string }
  | { type: 'progress'; id: number; info: unknown }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: { name: string; message: string; stack?: string } };
