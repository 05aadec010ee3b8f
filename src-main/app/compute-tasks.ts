// Every task the app runs on the compute pool, in one module that each pool worker imports
// (a build entry of its own, so the bundled app finds it beside the core worker).
export { selfTestTasks } from '../compute/self-test-tasks.ts';
export { modelTasks } from './model-tasks.ts';
export { trainingTasks } from '../training/tasks.ts';

import type { selfTestTasks } from '../compute/self-test-tasks.ts';
import type { modelTasks } from './model-tasks.ts';
import type { trainingTasks } from '../training/tasks.ts';
export type AppTasks = typeof selfTestTasks & typeof modelTasks & typeof trainingTasks;
