// Public surface of the compute pool (see pool.ts for the design).
export { createComputePool } from './pool.ts';
export type { ComputePool, ComputePoolOptions, MapOptions, PoolInfo, PoolMode, RunOptions, BackendPreference } from './pool.ts';
export { defineTasks } from './tasks.ts';
export type { TaskContext, TaskHandler, TaskMap, TaskParams, TaskProgress, TaskResult, TaskSet } from './tasks.ts';
export { averageGradients, concatRows, shardRows } from './batch.ts';
export type { RowArray, Rows, Shard } from './batch.ts';
