// Shared test helpers: temporary data folders and an app context on them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, type AppContext } from '../src-main/app/context.ts';

export function tempDir(prefix = 'ecgatk-test-'): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

export async function tempApp(opts: { compute?: boolean } = {}): Promise<{ ctx: AppContext; dir: string; cleanup: () => void }> {
  const dir = tempDir();
  const ctx = await openApp({ env: { ...process.env, ECGATK_HOME: dir.path }, withoutCompute: !opts.compute });
  return {
    ctx,
    dir: dir.path,
    cleanup: () => {
      try {
        ctx.close();
      } catch {
        /* already closed */
      }
      dir.cleanup();
    },
  };
}

export const SHARED_DATA = join(import.meta.dirname, '..', '..', 'shared', 'data');
