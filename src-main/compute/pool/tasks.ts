// The API a task module uses to register work for the compute pool. Kept free of TensorFlow.js
// so the pool's own thread can import these types without loading a backend.

/** What a running task may do besides computing. */
export interface TaskContext<Progress = unknown> {
  /** Index of the worker running the task (stable across respawns of that slot). */
  readonly worker: number;
  /** Sends progress to the caller's `onProgress`; cheap, call it once per batch. */
  progress(info: Progress): void;
  /**
   * True once the caller aborted. Cheap: a shared-memory read on threads (works while the
   * worker is busy in synchronous wasm), a flag set by a message in process mode.
   */
  cancelled(): boolean;
  /** Yields to the event loop; in process mode a cancel message only arrives while the task yields. */
  yield(): Promise<void>;
  /** Survives across calls on this worker (e.g. a model replica keyed by a session id); lost if it dies. */
  readonly state: Map<string, unknown>;
}

export type TaskHandler<Params, Result, Progress = never> = (
  params: Params,
  ctx: TaskContext<Progress>,
) => Result | Promise<Result>;

// `never` params make every handler assignable here (parameters are contravariant).
type AnyHandler = (params: never, ctx: TaskContext<never>) => unknown;
export type TaskMap = Record<string, AnyHandler>;

export type TaskParams<H> = H extends (params: infer P, ctx: never) => unknown ? P : never;
export type TaskResult<H> = H extends (params: never, ctx: never) => infer R ? Awaited<R> : never;
export type TaskProgress<H> = H extends (params: never, ctx: TaskContext<infer G>) => unknown ? G : never;

/** Marks a module export as a set of tasks; the pool worker collects every marked export. */
export const TASKS_BRAND: unique symbol = Symbol.for('ecgatk.compute-pool.tasks') as never;

export type TaskSet<T extends TaskMap> = T & { readonly [TASKS_BRAND]: true };

/**
 * Registers named task handlers: `export const tasks = defineTasks({ 'conv.forward': (p, ctx) => … })`.
 * Typed arrays in a result are moved to the caller, not copied: return arrays the task does not keep
 * (`.slice()` what stays in `state`; on the cpu backend `dataSync()` is the tensor's own storage).
 * The caller types the pool with `createComputePool<typeof tasks>(…)` (an `import type` keeps
 * TensorFlow.js off the calling thread).
 */
export function defineTasks<T extends TaskMap>(tasks: T): TaskSet<T> {
  return Object.assign(Object.create(null) as object, tasks, { [TASKS_BRAND]: true as const }) as TaskSet<T>;
}

export function isTaskSet(value: unknown): value is TaskSet<TaskMap> {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[TASKS_BRAND] === true;
}

/**
 * Every non-shared ArrayBuffer under a value (plain objects, arrays, typed arrays), once each:
 * the transfer list that moves a result or a shard instead of copying it.
 */
export function collectTransferables(value: unknown, out: Set<ArrayBuffer> = new Set()): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) out.add(value.buffer);
  } else if (value instanceof ArrayBuffer) {
    out.add(value);
  } else if (Array.isArray(value)) {
    for (const v of value) collectTransferables(v, out);
  } else if (value instanceof Map) {
    for (const v of value.values()) collectTransferables(v, out);
  } else if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) collectTransferables(v, out);
  }
  return [...out];
}
