// The built app's main-process pieces, as Electron loads them (no Electron binary needed): the
// bundled core worker answers, and a compute job runs on the bundled pool workers.
import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test('the bundled core worker starts the bundled compute pool and runs a compute job', () => {
  const home = mkdtempSync(join(tmpdir(), 'ecgatk-bundle-'));
  try {
    const r = spawnSync(process.execPath, [join(import.meta.dirname, 'fixtures', 'built-core.ts')], { env: { ...process.env, ECGATK_HOME: home }, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { info: { ok: boolean; value: { backend: string; backendDetail: { workers: number } } }; job: { state: string; result: { steps: number; backend: string } } };
    expect(out.info.ok).toBe(true);
    expect(out.info.value.backendDetail.workers).toBe(2);
    expect(out.job.state).toBe('succeeded');
    expect(out.job.result).toMatchObject({ steps: 4, backend: out.info.value.backend });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
