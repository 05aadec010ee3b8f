// Drives the real desktop shell where an Electron binary is installed; skipped (and says so) elsewhere.
import { test, expect, _electron as electron } from '@playwright/test';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { findElectronBinary } from '../../src-main/electron/locate.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const binary = findElectronBinary(ROOT);

test('desktop shell: secure window, typed API over IPC, every route', async () => {
  test.skip(binary === null, 'no Electron binary installed on this machine (ELECTRON_SKIP_BINARY_DOWNLOAD); browser-mode tests cover the renderer');
  const home = mkdtempSync(join(tmpdir(), 'ecgatk-electron-'));
  const app = await electron.launch({ executablePath: binary!, args: [ROOT], env: { ...process.env, ECGATK_HOME: home } });
  try {
    const win = await app.firstWindow();
    // No Node in the page, and the bridge exposes exactly the two API entry points.
    expect(await win.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await win.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
    expect(await win.evaluate(() => Object.keys((globalThis as { ecgatk?: object }).ecgatk ?? {}).sort())).toEqual(['call', 'onEvent']);
    await expect(win.getByTestId('status-backend')).toHaveText(/wasm|tensorflow|cpu/);
    for (const name of ['Records', 'Attack simulator', 'Training', 'Reports', 'Settings']) {
      await win.getByRole('link', { name, exact: true }).click();
      await expect(win.getByRole('heading', { level: 1 })).toBeVisible();
    }
  } finally {
    await app.close();
    rmSync(home, { recursive: true, force: true });
  }
});
