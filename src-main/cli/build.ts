// Builds the app with electron-vite when the build is missing or older than the sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const SOURCES = ['src-main', 'src-renderer', 'electron.vite.config.ts', 'package.json'];
const OUTPUTS = ['out/main/index.js', 'out/main/core-worker.js', 'out/preload/preload.cjs', 'out/renderer/index.html'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function buildIsCurrent(root: string): boolean {
  const outs = OUTPUTS.map((o) => join(root, o));
  if (!outs.every((o) => existsSync(o))) return false;
  const oldestOut = Math.min(...outs.map((o) => statSync(o).mtimeMs));
  return SOURCES.every((s) => newestMtime(join(root, s)) <= oldestOut);
}

export function ensureBuilt(root: string, log: (line: string) => void): void {
  if (buildIsCurrent(root)) return;
  log('Building the app (electron-vite)…');
  const bin = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const res = spawnSync(process.execPath, [bin, 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (res.status !== 0) throw new Error(`electron-vite build failed (exit ${res.status ?? 'signal'})`);
}
