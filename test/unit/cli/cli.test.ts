// The real `ecgatk` entry, run as users run it (node bin.mjs …), on a temporary data folder.
import { describe, it, expect, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tempDir } from '../../helpers.ts';

const BIN = join(import.meta.dirname, '..', '..', '..', 'src-main', 'cli', 'bin.mjs');
const home = tempDir();
afterAll(() => home.cleanup());

function ecgatk(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, ECGATK_HOME: home.path };
  delete env.ECGATK_BACKEND;
  const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('ecgatk CLI', () => {
  it('info --json reports version, wasm backend, node, data folder and database', () => {
    const r = ecgatk('info', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(info).toMatchObject({ backend: 'wasm', node: process.versions.node, dataDir: home.path, dbPath: join(home.path, 'ecgatk.sqlite') });
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('audit verify passes on a fresh database', () => {
    const r = ecgatk('audit', 'verify');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/intact/);
  });

  it('an unknown command exits 2 with usage', () => {
    const r = ecgatk('frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Unknown command "frobnicate"');
    expect(r.stderr).toContain('Usage: ecgatk');
  });

  it('a bad backend override is a clear error, not a crash', () => {
    const r = spawnSync(process.execPath, [BIN, 'info'], { env: { ...process.env, ECGATK_HOME: home.path, ECGATK_BACKEND: 'quantum' }, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Unknown backend "quantum"');
  });
});
