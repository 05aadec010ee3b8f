// What the Training screen says of a run: its stored status, corrected by its job where the two part.
import { isResumableJobState, isTerminalJobState, type JobStatus, type TrainingRun } from '../../src-shared/contract/index.ts';

export type RunStatus = TrainingRun['status'] | 'calibrating' | 'interrupted';

/**
 * - Steps done (stored as succeeded) while the job still calibrates the detector: `calibrating`.
 * - Still running while its job has ended (the main process already reports a killed run as
 *   `interrupted`; the job may also have failed or been cancelled before the row was updated): the
 *   job's state, so the run shows as resumable instead of running forever.
 */
export function runStatus(run: Pick<TrainingRun, 'status'>, job: Pick<JobStatus, 'state'> | undefined): RunStatus {
  if (!job) return run.status;
  if (run.status === 'succeeded' && !isTerminalJobState(job.state)) return 'calibrating';
  if (run.status === 'running' && isResumableJobState(job.state)) return job.state;
  return run.status;
}

/** A run can be resumed from its checkpoint once nothing is running it and it has not finished. */
export const canResume = (status: RunStatus): boolean => isResumableJobState(status);
