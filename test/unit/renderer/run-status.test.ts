// What the Training screen calls a run, from its stored row and its job.
import { describe, it, expect } from 'vitest';
import { TERMINAL_JOB_STATES, TRAINING_RUN_STATES, type JobState } from '../../../src-shared/contract/index.ts';
import { canResume, runStatus } from '../../../src-renderer/routes/run-status.ts';

const JOB_STATES: JobState[] = ['queued', 'running', ...TERMINAL_JOB_STATES];

describe('runStatus', () => {
  it('a run stored as running whose job ended (process killed, app closed) shows the job\'s end and can be resumed', () => {
    expect(runStatus({ status: 'running' }, { state: 'interrupted' })).toBe('interrupted');
    expect(runStatus({ status: 'running' }, { state: 'failed' })).toBe('failed');
    expect(runStatus({ status: 'running' }, { state: 'cancelled' })).toBe('cancelled');
    for (const s of ['interrupted', 'failed', 'cancelled'] as const) expect(canResume(runStatus({ status: 'running' }, { state: s }))).toBe(true);
  });

  it('a live run stays running and cannot be resumed; a finished run whose job still calibrates is calibrating', () => {
    expect(runStatus({ status: 'running' }, { state: 'running' })).toBe('running');
    expect(runStatus({ status: 'running' }, { state: 'queued' })).toBe('running');
    expect(canResume('running')).toBe(false);
    expect(runStatus({ status: 'succeeded' }, { state: 'running' })).toBe('calibrating');
    expect(canResume('calibrating')).toBe(false);
    expect(runStatus({ status: 'succeeded' }, { state: 'succeeded' })).toBe('succeeded');
    expect(canResume('succeeded')).toBe(false);
  });

  it('without its job (older than the job list) the stored status stands; stored ends are never overridden', () => {
    for (const s of TRAINING_RUN_STATES) expect(runStatus({ status: s }, undefined)).toBe(s);
    for (const js of JOB_STATES) {
      expect(runStatus({ status: 'failed' }, { state: js })).toBe('failed');
      expect(runStatus({ status: 'cancelled' }, { state: js })).toBe('cancelled');
    }
  });
});
