// The core on a worker thread (as the Electron shell and browser mode run it).
import { describe, it, expect } from 'vitest';
import { createWorkerCore } from '../../../src-main/app/worker-core.ts';
import type { ApiEvent } from '../../../src-shared/contract/index.ts';
import { tempDir } from '../../helpers.ts';

describe('worker core', () => {
  it('answers calls, validates, streams job events and closes', async () => {
    const home = tempDir();
    const core = await createWorkerCore(new URL('../../../src-main/app/core-worker.ts', import.meta.url), { ...process.env, ECGATK_HOME: home.path });
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
});
