// Compute jobs on the pool, seen from the core: records stay responsive while a compute job
// runs, cancel reaches it within a step, and a compute worker that dies fails its job with a
// clear message while the app keeps serving.
import { describe, it, expect } from 'vitest';
import { createWorkerCore } from '../../../src-main/app/worker-core.ts';
import { createInProcessCore } from '../../../src-main/app/core.ts';
import { openApp } from '../../../src-main/app/context.ts';
import type { ApiEvent, JobStatus } from '../../../src-shared/contract/index.ts';
import { tempDir, SHARED_DATA } from '../../helpers.ts';
import { join } from 'node:path';

const CORE_WORKER = new URL('../../../src-main/app/core-worker.ts', import.meta.url);

describe('compute jobs on the pool', () => {
  it('records.window and jobs.cancel answer while a compute job runs; cancel stops it early', async () => {
    const home = tempDir();
    const core = await createWorkerCore(CORE_WORKER, { ...process.env, ECGATK_HOME: home.path, ECGATK_WORKERS: '1' });
    const log: string[] = [];
    const events: JobStatus[] = [];
    core.onEvent((e: ApiEvent) => events.push(e.job));
    try {
      const imp = await core.call('records.import', { paths: [join(SHARED_DATA, 'wfdb', '100.hea')] });
      const importId = imp.ok ? (imp.value as { jobId: string }).jobId : '';
      while (!events.some((j) => j.id === importId && j.state === 'succeeded')) await new Promise((r) => setTimeout(r, 20));
      const recordId = (events.find((j) => j.id === importId && j.state === 'succeeded') as Extract<JobStatus, { kind: 'records.import' }>).result![0]!.recordId!;

      const started = await core.call('compute.selfTest', { steps: 500 });
      const jobId = started.ok ? (started.value as { jobId: string }).jobId : '';
      core.onEvent((e) => {
        if (e.job.id === jobId) log.push(`job ${e.job.state} ${e.job.kind === 'compute.selfTest' ? (e.job.metrics?.step ?? 0) : ''}`);
      });
      // Wait until the pool reports training steps, then browse.
      while (!events.some((j) => j.id === jobId && j.kind === 'compute.selfTest' && (j.metrics?.step ?? 0) >= 2)) await new Promise((r) => setTimeout(r, 20));
      for (let i = 0; i < 5; i++) {
        const w = await core.call('records.window', { id: recordId, from: i * 3600, to: i * 3600 + 3600 });
        expect(w.ok).toBe(true);
        log.push('window answered');
      }
      const cancelled = await core.call('jobs.cancel', { id: jobId });
      expect(cancelled.ok).toBe(true);
      log.push('cancel answered');
      let end: JobStatus | undefined;
      while (!(end = events.find((j) => j.id === jobId && ['cancelled', 'succeeded', 'failed'].includes(j.state)))) await new Promise((r) => setTimeout(r, 20));
      expect(end.state).toBe('cancelled');
      // The windows and the cancel were answered while the job was running, before it ended.
      const firstWindow = log.indexOf('window answered');
      expect(log.slice(0, firstWindow).some((l) => l.startsWith('job running'))).toBe(true);
      expect(log.indexOf('cancel answered')).toBeLessThan(log.findIndex((l) => l.startsWith('job cancelled')));
      // It stopped early, not after its 500 steps.
      const atCancel = (await core.call('jobs.get', { id: jobId })) as { ok: true; value: JobStatus };
      const stepsAfter = events.filter((j) => j.id === jobId && j.kind === 'compute.selfTest').map((j) => (j.kind === 'compute.selfTest' ? (j.metrics?.step ?? 0) : 0));
      expect(Math.max(...stepsAfter)).toBeLessThan(500);
      expect(atCancel.value.state).toBe('cancelled');
    } finally {
      await core.close();
      home.cleanup();
    }
  });

  it('a compute worker that dies fails its job with a message naming it, and the app keeps serving', async () => {
    const home = tempDir();
    const ctx = await openApp({ env: { ...process.env, ECGATK_HOME: home.path, ECGATK_WORKERS: '1' }, computeModules: [new URL('../compute/fixtures/pool-tasks.ts', import.meta.url)] });
    const core = createInProcessCore(ctx);
    try {
      // A job whose task kills its worker (the fixture module's `crash` task).
      ctx.jobs.register('compute.selfTest', async () => {
        const pool = (await ctx.compute.pool()) as unknown as { run(task: string, params: unknown): Promise<never> };
        return pool.run('crash', { how: 'exit' });
      });
      const started = await core.call('compute.selfTest', { steps: 1 });
      const id = started.ok ? (started.value as { jobId: string }).jobId : '';
      const end = await ctx.jobs.wait(id);
      expect(end.state).toBe('failed');
      expect(end.error?.message).toMatch(/compute worker 0 exited unexpectedly \(code 3\) while running "crash"/);
      const info = await core.call('app.info', {});
      expect(info.ok && (info.value as { backendDetail: { workers: number } }).backendDetail.workers).toBe(1);
      // The pool replaced the worker: the real self-test runs on it.
      ctx.jobs.register('compute.selfTest', async ({ steps }) => (await ctx.compute.pool()).run('compute.selfTest', { steps }));
      const again = await ctx.jobs.wait(ctx.jobs.start('compute.selfTest', { steps: 3 }));
      expect(again.state).toBe('succeeded');
    } finally {
      await core.close();
      home.cleanup();
    }
  });
});

describe('compute pool size', () => {
  it('follows the computeWorkers setting at the next start, and ECGATK_WORKERS over it', async () => {
    const home = tempDir();
    const env: NodeJS.ProcessEnv = { ...process.env, ECGATK_HOME: home.path };
    delete env.ECGATK_WORKERS;
    try {
      const first = await openApp({ env });
      first.store.settings.update({ computeWorkers: 1 });
      await first.close();
      const second = await openApp({ env });
      expect((await second.compute.info()).workers).toBe(1);
      await second.close();
      const third = await openApp({ env: { ...env, ECGATK_WORKERS: '2' } });
      expect((await third.compute.info()).workers).toBe(2);
      await third.close();
    } finally {
      home.cleanup();
    }
  });
});
