// The self-test as a compute pool task: runs on a pool worker, reports each step, stops at the
// next step once cancelled and returns what it did.
import { defineTasks, type TaskContext } from './pool/tasks.ts';
import { runSelfTest } from './self-test.ts';
import type { SelfTestResult } from '../../src-shared/contract/index.ts';

export const selfTestTasks = defineTasks({
  'compute.selfTest': async (params: { steps: number }, ctx: TaskContext<{ step: number; loss: number }>): Promise<SelfTestResult> => {
    const r = await runSelfTest({ steps: params.steps, onStep: (step, loss) => ctx.progress({ step: step + 1, loss }), stop: () => ctx.cancelled() });
    return { backend: r.backend, steps: r.steps, firstLoss: r.firstLoss, lastLoss: r.lastLoss, decreased: r.decreased, msPerStep: r.msPerStep };
  },
});
