// Playwright fixtures: a real `ecgatk serve` process on a temporary data folder, and a page
// opened on its launch URL that records console errors (the test hook every spec asserts on).
import { test as base, expect, type Page } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

export interface Server {
  launchUrl: string;
  origin: string;
  home: string;
  output: () => string;
}

export async function startServer(extraEnv: Record<string, string> = {}): Promise<{ server: Server; stop: () => Promise<void> }> {
  const home = mkdtempSync(join(tmpdir(), 'ecgatk-e2e-'));
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'src-main/cli/bin.mjs'), 'serve', '--port', '0', '--no-build'], {
    cwd: ROOT,
    env: { ...process.env, ECGATK_HOME: home, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const launchUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 90_000);
    const check = (): void => {
      const m = /Open: (\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => reject(new Error(`serve exited (${code}):\n${out}`)));
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(home, { recursive: true, force: true });
  };
  return { server: { launchUrl, origin: new URL(launchUrl).origin, home, output: () => out }, stop };
}

/** One server per worker; a spec that redefines `server` with this gets a worker (and data folder) of its own. */
// Playwright reads the fixture's first parameter as a destructuring pattern: keep `{}`.
export const serverFixture: [(deps: object, use: (s: Server) => Promise<void>) => Promise<void>, { scope: 'worker' }] = [
  async ({}, use) => {
    const { server, stop } = await startServer();
    await use(server);
    await stop();
  },
  { scope: 'worker' },
];

/**
 * A worker-scoped server whose shipped-models folder holds small saved models made by tiny-model.ts,
 * one per argument list (e.g. `[]` for the default ATK-GAN, `['dcnn-e2e-baseline', 'dcnn', '5']`).
 */
export function modelsServerFixture(...models: string[][]): typeof serverFixture {
  return [
    async ({}, use) => {
      const dir = mkdtempSync(join(tmpdir(), 'ecgatk-e2e-models-'));
      for (const args of models) {
        const made = spawnSync(process.execPath, [join(import.meta.dirname, 'tiny-model.ts'), dir, ...args], { encoding: 'utf8', timeout: 60_000 });
        if (made.status !== 0) throw new Error(`tiny-model.ts failed: ${made.stderr}`);
      }
      const { server, stop } = await startServer({ ECGATK_MODELS_DIR: dir, ECGATK_WORKERS: '1' });
      await use(server);
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ];
}

export const test = base.extend<{ consoleErrors: string[]; app: Page }, { server: Server }>({
  server: serverFixture,
  consoleErrors: async ({}, use) => {
    await use([]);
  },
  app: async ({ page, server, consoleErrors }, use) => {
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => consoleErrors.push(err.message));
    await page.goto(server.launchUrl);
    await expect(page.getByTestId('status-backend')).toBeVisible();
    await use(page);
  },
});

export { expect };
