// Training: start or resume a run (a compute job), list and read runs. An ATK-GAN run's detector
// is calibrated on its validation split as the job's last stage, so a new model flags at a known
// false-alarm rate from the start rather than at the arbitrary 0.5.
import type { DomainHandlers } from '../dispatch.ts';
import type { AppContext } from '../context.ts';
import type { JobContext } from '../../jobs/jobs.ts';
import { CalibrateInput, type TrainingMetrics, type TrainingParams, type TrainingResult } from '../../../src-shared/contract/index.ts';
import { findRun, listRuns, runTraining } from '../../training/service.ts';
import { commandLine } from '../../training/engine.ts';
import { calibrateDetector, isEmptyValidation } from '../calibrate.ts';

async function trainAndCalibrate(ctx: AppContext, params: TrainingParams, job: JobContext<'training.run'>): Promise<TrainingResult> {
  // The last step's numbers stay on show while calibrating, marked as that stage.
  let last: TrainingMetrics | undefined;
  const training: JobContext<'training.run'> = {
    id: job.id,
    signal: job.signal,
    throwIfCancelled: () => job.throwIfCancelled(),
    progress: (fraction, message, metrics) => {
      if (metrics) last = metrics;
      job.progress(fraction, message, metrics);
    },
  };
  const result = await runTraining({ store: ctx.store, pool: ctx.compute.pool, runsDir: ctx.paths.runsDir }, params, training);
  if (params.model !== 'atk-gan' || params.valFraction <= 0 || !result.modelName) return { ...result, detector: null };
  // The run's own ε (the contract default when it trained on ε = 0); 5 % false alarms, the calibrate default.
  const input = CalibrateInput.parse({ model: result.modelName, ...(params.attackEps > 0 ? { attackEps: params.attackEps } : {}) });
  try {
    const { detector } = await calibrateDetector(ctx, input, {
      signal: job.signal,
      throwIfCancelled: () => job.throwIfCancelled(),
      progress: (fraction, message) =>
        job.progress(1, `Training done; calibrating the detector (${Math.round(100 * fraction)} %): ${message}`, last ? { ...last, stage: 'calibrate' } : undefined),
    });
    return { ...result, detector };
  } catch (err) {
    // A split too small to calibrate on leaves the trained model as it is (0.5); the run itself succeeded.
    if (isEmptyValidation(err)) return { ...result, detector: null };
    throw err;
  }
}

export function trainingHandlers(ctx: AppContext): DomainHandlers<'training.start' | 'training.resume' | 'training.runs' | 'training.get'> {
  ctx.jobs.register('training.run', (params, job) => trainAndCalibrate(ctx, params, job));
  return {
    'training.start': (input) => ({ jobId: ctx.jobs.start('training.run', input) }),
    'training.resume': ({ run, epochs }) => {
      const r = findRun(ctx.store, run);
      // The card's command must say how the run really ended: the resume with its new limit is appended.
      const patch = epochs === undefined ? undefined : { epochs, command: `${commandLine(r.params)} && ecgatk train --resume ${r.id} --epochs ${epochs}` };
      return { jobId: ctx.jobs.resume(r.jobId, patch).id };
    },
    'training.runs': ({ limit }) => listRuns(ctx.store, limit),
    'training.get': ({ id }) => findRun(ctx.store, id),
  };
}
