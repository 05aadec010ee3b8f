// Detector calibration: the attacked/clean head's flagging threshold is set on the model's own
// validation split (rebuilt from the seed and fraction its card records), so the test split stays
// untouched for `eval`; the threshold and what it gives are written into the model's card.
import { AppError } from '../../src-shared/errors.ts';
import type { CalibratedDetector, CalibrateResult, JobParams } from '../../src-shared/contract/index.ts';
import type { AppContext } from './context.ts';
import type { JobContext } from '../jobs/jobs.ts';
import { registerModel, resolveModel } from '../models/registry.ts';
import { writeCard } from '../models/verify.ts';
import { attackThreshold } from '../models/card.ts';
import { flaggedRate, thresholdAtFalseAlarmRate } from '../metrics/index.ts';
import { attackedOnFgsmCopies, infer, validationRowsOf } from './classify.ts';

/** The details of the refusal a training run passes over: a split too small to hold a beat. */
export const EMPTY_VALIDATION = { reason: 'empty-validation-split' } as const;
export const isEmptyValidation = (err: unknown): boolean => err instanceof AppError && err.details === EMPTY_VALIDATION;

/** What calibration needs of the job it runs in: its own `models.calibrate` job, or a training run's. */
export type CalibrationJob = Pick<JobContext<'models.calibrate'>, 'signal' | 'progress' | 'throwIfCancelled'>;

/** The `models.calibrate` job's result, and the detector it wrote into the card. */
export async function calibrateDetector(ctx: AppContext, input: JobParams<'models.calibrate'>, job: CalibrationJob): Promise<{ result: CalibrateResult; detector: CalibratedDetector }> {
  const m = await resolveModel(ctx.store, input.model);
  const { card } = m;
  if (card.kind !== 'atk-gan-d') throw new AppError('INVALID_INPUT', `Model ${m.name} (${card.kind}) has no attacked/clean head to calibrate`);
  const { ds, data } = await validationRowsOf(ctx, m, 'calibrate on');
  const n = data.labels.length;
  if (n === 0) throw new AppError('INVALID_INPUT', `Model ${m.name}: its validation split of ${ds.manifest.name} holds no beats, so there is nothing to calibrate on`, EMPTY_VALIDATION);
  job.progress(0, `Predicting ${n} validation beats of ${ds.manifest.name}`, { done: 0, total: n, stage: 'predict' });
  const clean = (await infer(ctx, m, data.beats, job.signal, (done, total) => job.progress((0.5 * done) / Math.max(1, total), `Predicted ${done}/${total}`, { done, total, stage: 'predict' }))).attacked;
  if (!clean) throw new AppError('INVALID_INPUT', `Model ${m.name}: its network has no attacked/clean output`);
  job.throwIfCancelled();
  job.progress(0.5, `FGSM ε=${input.attackEps} copies of ${n} validation beats`, { done: 0, total: n, stage: 'attack' });
  const attacked = await attackedOnFgsmCopies(ctx, m, data, input.attackEps, job.signal);
  job.throwIfCancelled();

  const previousThreshold = attackThreshold(card);
  const threshold = thresholdAtFalseAlarmRate(clean, input.falseAlarmRate);
  const result: CalibrateResult = {
    model: m.name,
    modelHash: m.modelHash,
    dataset: ds.manifest.name,
    datasetHash: ds.manifest.hash,
    beats: n,
    eps: input.attackEps,
    previousThreshold,
    threshold,
    falseAlarmRate: flaggedRate(clean, threshold),
    detectionRate: flaggedRate(attacked, threshold),
    previous: { falseAlarmRate: flaggedRate(clean, previousThreshold), detectionRate: flaggedRate(attacked, previousThreshold) },
  };
  const detector: CalibratedDetector = { threshold, targetFalseAlarmRate: input.falseAlarmRate, falseAlarmRate: result.falseAlarmRate, detectionRate: result.detectionRate, eps: input.attackEps, beats: n, calibratedAt: new Date().toISOString() };
  try {
    await writeCard(m.dir, { ...card, detector });
  } catch (err) {
    throw new AppError('BAD_FILE', `Model ${m.name}: could not write its card in ${m.dir}: ${err instanceof Error ? err.message : String(err)}`);
  }
  // A registered model's entry carries its card: refresh it (a folder given by path stays unregistered).
  if (ctx.store.models.get(m.name)?.path === m.dir) await registerModel(ctx.store, m.name, m.dir);
  return { result, detector };
}
