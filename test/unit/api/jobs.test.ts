import { describe, it, expect } from 'vitest';
import { JobManager } from '../../../src-main/jobs/jobs.ts';
import type { JobStatus } from '../../../src-main/api/contract.ts';

describe('jobs', () => {
  it('reports progress and the result', async () => {
    const jobs = new JobManager(0);
    const seen: JobStatus[] = [];
    jobs.onChange((s) => seen.push(s));
    const id = jobs.start('count', async (ctx) => {
      for (let i = 1; i <= 3; i++) ctx.progress(i / 3, `step ${i}`);
      return { total: 3 };
    });
    const done = await jobs.wait(id);
    expect(done.state).toBe('done');
    expect(done.result).toEqual({ total: 3 });
    expect(seen.map((s) => s.message)).toContain('step 2');
    expect(seen.at(-1)?.progress).toBe(1);
  });

  it('cancels cooperatively', async () => {
    const jobs = new JobManager(0);
    let steps = 0;
    const id = jobs.start('forever', async (ctx) => {
      for (;;) {
        ctx.throwIfCancelled();
        steps++;
        await new Promise((r) => setTimeout(r, 5));
      }
    });
    await new Promise((r) => setTimeout(r, 30));
    jobs.cancel(id);
    const end = await jobs.wait(id);
    expect(end.state).toBe('cancelled');
    expect(steps).toBeGreaterThan(0);
  });

  it('records a failure with its message', async () => {
    const jobs = new JobManager(0);
    const id = jobs.start('bad', async () => {
      throw new Error('disk full');
    });
    const end = await jobs.wait(id);
    expect(end.state).toBe('failed');
    expect(end.error).toEqual({ code: 'INTERNAL', message: 'disk full' });
  });
});
