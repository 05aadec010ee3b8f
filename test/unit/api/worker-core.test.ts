// The core on a worker thread (as the Electron shell and browser mode run it).
import { describe, it, expect } from 'vitest';
import { createWorkerCore } from '../../../src-main/app/worker-core.ts';
import type { ApiEvent, JobStatus } from '../../../src-shared/contract/index.ts';
import { tempDir } from '../../helpers.ts';

const CORE_WORKER = new URL('../../../src-main/app/core-worker.ts', import.meta.url);

async function finished(core: Awaited<ReturnType<typeof createWorkerCore>>, jobId: string): Promise<JobStatus> {
  for (;;) {
    const s = await core.call('jobs.get', { id: jobId });
    if (s.ok && !['queued', 'running'].includes((s.value as JobStatus).state)) return s.value as JobStatus;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('worker core', () => {
  it('answers calls, validates, streams job events and closes', async () => {
    const home = tempDir();
    const core = await createWorkerCore(CORE_WORKER, { ...process.env, ECGATK_HOME: home.path });
    try {
      const info = await core.call('app.info', {});
      expect(info.ok && (info.value as { backend: string }).backend).toBe('wasm');
      const bad = await core.call('settings.update', { backend: 42 });
      expect(!bad.ok && bad.error.code).toBe('INVALID_INPUT');
      const events: ApiEvent[] = [];
      core.onEvent((e) => events.push(e));
      const started = await core.call('compute.selfTest', { steps: 5 });
      expect(started.ok).toBe(true);
      const jobId = started.ok ? (started.value as { jobId: string }).jobId : '';
      for (let i = 0; i < 200 && !events.some((e) => e.job.id === jobId && e.job.state === 'succeeded'); i++) await new Promise((r) => setTimeout(r, 50));
      const done = events.find((e) => e.job.state === 'succeeded');
      expect(done?.job.result).toMatchObject({ backend: 'wasm', steps: 5 });
    } finally {
      await core.close();
      home.cleanup();
    }
  });

  it('a missing CSV or path is a per-file error and the worker keeps serving (it used to die on the stream error)', async () => {
    const home = tempDir();
    const core = await createWorkerCore(CORE_WORKER, { ...process.env, ECGATK_HOME: home.path });
    try {
      const imp = await core.call('records.import', { paths: ['/nonexistent/foo.csv', '/nonexistent/path'] });
      const job = await finished(core, (imp.ok && (imp.value as { jobId: string }).jobId) || '');
      expect(job.state).toBe('succeeded');
      expect(job.kind === 'records.import' && job.result?.map((i) => i.error)).toEqual(['foo.csv: does not exist (/nonexistent/foo.csv)', 'path: does not exist (/nonexistent/path)']);
      const csv = await core.call('datasets.importCsv', { name: 'm', train: '/nonexistent/missing.csv' });
      const failed = await finished(core, (csv.ok && (csv.value as { jobId: string }).jobId) || '');
      expect(failed.state).toBe('failed');
      expect(failed.error?.message).toBe('missing.csv: the file does not exist');
      const info = await core.call('app.info', {});
      expect(info.ok).toBe(true);
      expect(core.restarts).toBe(0);
    } finally {
      await core.close();
      home.cleanup();
    }
  });

  it('a worker that dies fails the call in flight with a clear message, is restarted and serves the next call', async () => {
    const core = await createWorkerCore(new URL('./fixtures/crash-worker.ts', import.meta.url));
    try {
      expect(await core.call('ping', {})).toEqual({ ok: true, value: 'pong ping' });
      const crashed = await core.call('crash', {});
      expect(crashed).toEqual({ ok: false, error: { code: 'INTERNAL', message: expect.stringMatching(/stopped unexpectedly \(exit code 3\).*restarted/) } });
      expect(await core.call('ping', {})).toEqual({ ok: true, value: 'pong ping' });
      const thrown = await core.call('throw', {});
      expect(!thrown.ok && thrown.error.message).toMatch(/worker blew up/);
      expect(await core.call('again', {})).toEqual({ ok: true, value: 'pong again' });
      expect(core.restarts).toBe(2);
    } finally {
      await core.close();
    }
  });
});
