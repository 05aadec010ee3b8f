// The job registry: typed results, progress, cancel, failures, persistence across launches,
// the compute slot queue, cross-process cancel requests and resume.
import { describe, it, expect, afterEach } from 'vitest';
import { join } from 'node:path';
import { JobManager } from '../../../src-main/jobs/jobs.ts';
import { openStore, type Store } from '../../../src-main/store/db.ts';
import type { JobStatus, SelfTestResult } from '../../../src-shared/contract/index.ts';
import { tempDir } from '../../helpers.ts';

const RESULT: SelfTestResult = { backend: 'cpu', steps: 3, firstLoss: 1, lastLoss: 0.5, decreased: true, msPerStep: 1 };
const cleanups: (() => void)[] = [];
const managers: JobManager[] = [];
afterEach(async () => {
  await tick(20);
  while (managers.length) managers.pop()!.close();
  while (cleanups.length) cleanups.pop()!();
});

/** A manager that the test closes before its database. */
function manager(...args: ConstructorParameters<typeof JobManager>): JobManager {
  const m = new JobManager(...args);
  managers.push(m);
  return m;
}

function store(): { path: string; open: () => Store } {
  const dir = tempDir();
  const path = join(dir.path, 'db.sqlite');
  const opened: Store[] = [];
  cleanups.push(() => {
    for (const s of opened) {
      try {
        s.close();
      } catch {
        /* closed */
      }
    }
    dir.cleanup();
  });
  return {
    path,
    open: () => {
      const s = openStore(path);
      opened.push(s);
      return s;
    },
  };
}

const tick = (ms = 5): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('jobs', () => {
  it('reports typed progress metrics and the result, and persists them', async () => {
    const db = store();
    const s = db.open();
    const jobs = manager(s.jobs, { progressIntervalMs: 0, persistIntervalMs: 0 });
    jobs.register('compute.selfTest', async ({ steps }, ctx) => {
      for (let i = 1; i <= steps; i++) ctx.progress(i / steps, `step ${i}`, { step: i, loss: 1 / i });
      return RESULT;
    });
    const seen: JobStatus[] = [];
    jobs.onChange((j) => seen.push(j));
    const id = jobs.start('compute.selfTest', { steps: 3 });
    const done = await jobs.wait(id);
    expect(done.state).toBe('succeeded');
    expect(done.kind === 'compute.selfTest' && done.result).toEqual(RESULT);
    expect(seen.map((j) => j.state)).toEqual(expect.arrayContaining(['queued', 'running', 'succeeded']));
    expect(seen.find((j) => j.message === 'step 2')?.metrics).toEqual({ step: 2, loss: 0.5 });
    jobs.close();
    s.close();
    // A new launch sees the finished job as it was.
    const again = manager(db.open().jobs);
    expect(again.get(id)).toMatchObject({ state: 'succeeded', result: RESULT, params: { steps: 3 } });
  });

  it('writes progress to SQLite at a bounded rate, yet events, get() and the finished row carry the newest numbers', async () => {
    const db = store();
    const jobs = manager(db.open().jobs, { progressIntervalMs: 0, persistIntervalMs: 60_000 });
    const reader = db.open().jobs; // another connection sees only what was written
    let midway: unknown = null;
    let stored: unknown = null;
    jobs.register('compute.selfTest', async ({ steps }, ctx) => {
      for (let i = 1; i <= steps; i++) ctx.progress(i / steps, `step ${i}`, { step: i, loss: 1 / i });
      midway = jobs.get(ctx.id).metrics;
      stored = reader.get(ctx.id)!.metrics;
      return RESULT;
    });
    const seen: JobStatus[] = [];
    jobs.onChange((j) => seen.push(j));
    const id = jobs.start('compute.selfTest', { steps: 5 });
    await jobs.wait(id);
    expect(seen.filter((j) => j.state === 'running').map((j) => j.metrics)).toContainEqual({ step: 4, loss: 0.25 });
    expect(midway).toEqual({ step: 5, loss: 0.2 });
    expect(stored).toEqual({ step: 1, loss: 1 }); // only the first write fell inside the interval
    expect(reader.get(id)!.metrics).toEqual({ step: 5, loss: 0.2 }); // flushed when it finished
  });

  it('refuses parameters that break the kind schema, naming the field', () => {
    const jobs = manager(store().open().jobs);
    jobs.register('compute.selfTest', async () => RESULT);
    expect(() => jobs.start('compute.selfTest', { steps: 0 })).toThrow(/steps/);
  });

  it('cancels cooperatively', async () => {
    const jobs = manager(store().open().jobs);
    let steps = 0;
    jobs.register('compute.selfTest', async (_p, ctx) => {
      for (;;) {
        ctx.throwIfCancelled();
        steps++;
        await tick();
      }
    });
    const id = jobs.start('compute.selfTest', { steps: 1 });
    while (steps < 3) await tick();
    jobs.cancel(id);
    const end = await jobs.wait(id);
    expect(end.state).toBe('cancelled');
  });

  it('records a failure with its message', async () => {
    const jobs = manager(store().open().jobs);
    jobs.register('compute.selfTest', async () => {
      throw new Error('disk full');
    });
    const end = await jobs.wait(jobs.start('compute.selfTest', { steps: 1 }));
    expect(end.state).toBe('failed');
    expect(end.error).toEqual({ code: 'INTERNAL', message: 'disk full' });
  });

  it('runs one compute job at a time: the second waits as queued, io jobs are not held', async () => {
    const jobs = manager(store().open().jobs);
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    jobs.register('compute.selfTest', async ({ steps }) => {
      order.push(`start ${steps}`);
      if (steps === 1) await gate;
      order.push(`end ${steps}`);
      return RESULT;
    });
    jobs.register('records.import', async () => {
      order.push('import');
      return [];
    });
    const first = jobs.start('compute.selfTest', { steps: 1 });
    const second = jobs.start('compute.selfTest', { steps: 2 });
    const io = jobs.start('records.import', { paths: ['/nowhere'] });
    await jobs.wait(io);
    expect(jobs.get(first).state).toBe('running');
    expect(jobs.get(second).state).toBe('queued');
    release();
    await jobs.wait(second);
    expect(order).toEqual(['start 1', 'import', 'end 1', 'start 2', 'end 2']);
  });

  it('keeps a finished job whose stored result today\'s schema no longer reads, listed without it and saying why', async () => {
    const db = store();
    const s = db.open();
    const jobs = manager(s.jobs, { progressIntervalMs: 0, persistIntervalMs: 0 });
    jobs.register('compute.selfTest', async () => RESULT);
    const id = jobs.start('compute.selfTest', { steps: 3 });
    await jobs.wait(id);
    // As an older version might have stored it: a field the schema now requires is missing.
    const { decreased: _dropped, ...older } = RESULT;
    s.jobs.update(id, { result: older });
    const again = manager(db.open().jobs);
    const listed = again.list(10).find((j) => j.id === id);
    expect(listed).toMatchObject({ state: 'succeeded', result: null, metrics: null });
    expect(listed!.message).toMatch(/no longer read.*result\.decreased/);
    expect(again.get(id).message).toBe(listed!.message);
  });

  it('shows jobs of a launch that died as interrupted, and resumes a resumable one from its parameters', async () => {
    const db = store();
    const first = manager(db.open().jobs);
    first.register('records.import', () => new Promise(() => {})); // never ends: the launch "dies"
    const id = first.start('records.import', { paths: ['/data/a'], deidentify: false });
    while (first.get(id).state !== 'running') await tick();
    // A later launch (same process, new manager) finds it running under an owner that is gone.
    const second = manager(db.open().jobs);
    const lost = second.get(id);
    expect(lost.state).toBe('interrupted');
    expect(lost.resumable).toBe(true);
    let got: unknown = null;
    second.register('records.import', async (params) => {
      got = params;
      return [];
    });
    second.resume(id);
    const end = await second.wait(id);
    expect(end.state).toBe('succeeded');
    expect(got).toEqual({ paths: ['/data/a'], deidentify: false });
    expect(() => second.resume(id)).toThrow(/succeeded/);
  });

  it('resumes with changed parameters, validated again, and keeps them for later resumes', async () => {
    const db = store();
    const jobs = manager(db.open().jobs);
    const seen: unknown[] = [];
    jobs.register('records.import', async (params) => {
      seen.push(params);
      throw new Error('disk full');
    });
    const id = jobs.start('records.import', { paths: ['/data/a'], deidentify: false });
    await jobs.wait(id);
    expect(() => jobs.resume(id, { deidentify: 'yes' })).toThrow(/deidentify/);
    expect(jobs.get(id).state).toBe('failed');
    jobs.resume(id, { deidentify: true });
    await jobs.wait(id);
    jobs.resume(id);
    await jobs.wait(id);
    expect(seen).toEqual([{ paths: ['/data/a'], deidentify: false }, { paths: ['/data/a'], deidentify: true }, { paths: ['/data/a'], deidentify: true }]);
  });

  it('refuses to resume a kind that is not resumable', async () => {
    const jobs = manager(store().open().jobs);
    jobs.register('compute.selfTest', async () => {
      throw new Error('x');
    });
    const id = jobs.start('compute.selfTest', { steps: 1 });
    await jobs.wait(id);
    expect(() => jobs.resume(id)).toThrow(/cannot be resumed/);
  });

  it('lets another process cancel a running job: the owner picks up the request', async () => {
    const db = store();
    // The owner stands in for another live process (our parent's pid is alive).
    const owner = manager(db.open().jobs, { pollIntervalMs: 10, owner: `host:${process.ppid}:app` });
    owner.register('compute.selfTest', async (_p, ctx) => {
      for (;;) {
        ctx.throwIfCancelled();
        await tick();
      }
    });
    const id = owner.start('compute.selfTest', { steps: 1 });
    while (owner.get(id).state !== 'running') await tick();
    // The CLI's manager on the same database: its recovery must not touch a live owner's job.
    const cli = manager(db.open().jobs);
    expect(cli.get(id).state).toBe('running');
    expect(cli.cancel(id).message).toMatch(/Cancel requested/);
    expect((await owner.wait(id)).state).toBe('cancelled');
  });

  it('close() records running jobs as interrupted', async () => {
    const db = store();
    const s = db.open();
    const jobs = manager(s.jobs);
    jobs.register('records.import', () => new Promise(() => {}));
    const id = jobs.start('records.import', { paths: ['/x'] });
    while (jobs.get(id).state !== 'running') await tick();
    jobs.close();
    expect(jobs.get(id).state).toBe('interrupted');
    expect(() => jobs.start('records.import', { paths: ['/x'] })).toThrow(/shutting down/);
  });
});
