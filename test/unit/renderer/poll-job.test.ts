// A job run by another process sends this launch no events: the screen follows it by reading it
// until it ends, keeps trying through a failed read, and stops when told to.
import { describe, it, expect } from 'vitest';
import { pollJob } from '../../../src-renderer/api/hooks.ts';
import type { JobStatus } from '../../../src-shared/contract/index.ts';

const status = (state: JobStatus['state'], progress: number): JobStatus =>
  ({ id: 'j1', kind: 'training.run', state, progress, message: '', createdAt: '', updatedAt: '' }) as unknown as JobStatus;

function fakeApi(replies: (JobStatus | Error)[]) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    call: (async (op: string, input: { id: string }) => {
      expect(op).toBe('jobs.get');
      expect(input.id).toBe('j1');
      const r = replies[Math.min(calls++, replies.length - 1)]!;
      if (r instanceof Error) throw r;
      return r;
    }) as never,
  };
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('pollJob', () => {
  it('reads the job until it ends, through a failed read, then stops reading', async () => {
    const api = fakeApi([status('running', 0.1), new Error('connection reset'), status('running', 0.5), status('succeeded', 1), status('running', 0)]);
    const seen: JobStatus[] = [];
    pollJob(api, 'j1', (s) => seen.push(s), 5);
    await settle(150);
    expect(seen.map((s) => [s.state, s.progress])).toEqual([
      ['running', 0.1],
      ['running', 0.5],
      ['succeeded', 1],
    ]);
    expect(api.calls).toBe(4);
  });

  it('stop ends it at once', async () => {
    const api = fakeApi([status('running', 0.1)]);
    const seen: JobStatus[] = [];
    const stop = pollJob(api, 'j1', (s) => seen.push(s), 5);
    await settle(40);
    stop();
    const n = api.calls;
    expect(n).toBeGreaterThan(1);
    await settle(40);
    expect(api.calls).toBe(n);
  });
});
