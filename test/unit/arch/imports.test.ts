// Import rules (VS Code style): code is separated by where it runs, and each layer imports only
// downward. The rules are data in layers.ts; this test runs them on the real tree and shows
// that they catch a violation on a generated one.
import { describe, it, expect, afterAll } from 'vitest';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LAYERS, layerViolations, sourceFiles, valueImportClosure } from './layers.ts';
import { tempDir } from '../../helpers.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const scratch = tempDir('ecgatk-layers-');
afterAll(() => scratch.cleanup());

function tree(files: Record<string, string>): string {
  const root = join(scratch.path, String(Math.random()).slice(2));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('import rules', () => {
  it('scans a real tree, and every src-main folder has a rule', () => {
    expect(sourceFiles(join(ROOT, 'src-main')).length).toBeGreaterThan(30);
    const folders = readdirSync(join(ROOT, 'src-main'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(folders.filter((f) => !(f in LAYERS))).toEqual([]);
  });

  it('the real tree keeps every layer rule', () => {
    expect(layerViolations(ROOT)).toEqual([]);
  });

  it('catches upward imports, a contract that reaches into the app, a renderer that reaches into main, and electron outside the shell', () => {
    const root = tree({
      'src-main/signals/wfdb.ts': "import { x } from '../records/catalog.ts';\n",
      'src-main/store/db.ts': "import type { R } from '../records/catalog.ts';\n",
      'src-main/records/catalog.ts': "import { y } from '../signals/wfdb.ts';\nexport const x = 1;\n",
      'src-main/compute/pool.ts': "import { d } from '../datasets/build.ts';\n",
      'src-shared/contract/index.ts': "import { z } from 'zod';\nimport { fs } from 'node:fs';\nimport { c } from '../../src-main/records/catalog.ts';\n",
      'src-renderer/App.tsx': "import { c } from '../src-main/records/catalog.ts';\nimport { ops } from '../src-shared/contract/index.ts';\n",
      'src-main/jobs/jobs.ts': "import { app } from 'electron';\n",
    });
    const bad = layerViolations(root);
    expect(bad).toEqual([
      'src-main/compute/pool.ts → ../datasets/build.ts (compute may import only common, config, shared)',
      'src-main/jobs/jobs.ts → electron (only the Electron shell imports electron)',
      'src-main/signals/wfdb.ts → ../records/catalog.ts (signals may import only common, shared)',
      'src-main/store/db.ts → ../records/catalog.ts (store may import only common, config, shared)',
      'src-shared/contract/index.ts → node:fs (the shared contract imports only zod)',
      'src-shared/contract/index.ts → ../../src-main/records/catalog.ts (the shared contract imports nothing of the app)',
      'src-renderer/App.tsx → ../src-main/records/catalog.ts (the renderer imports only the shared contract)',
    ]);
  });

  it('the Electron main thread loads no services: worker-core.ts imports only types and worker_threads', () => {
    const src = readFileSync(join(ROOT, 'src-main/app/worker-core.ts'), 'utf8');
    const valueImports = [...src.matchAll(/^import (?!type )[^;]*from '([^']+)'/gm)].map((m) => m[1]);
    expect(valueImports).toEqual(['node:worker_threads']);
    const shell = readFileSync(join(ROOT, 'src-main/electron/main.ts'), 'utf8');
    // Value imports of the in-process core or the context would load SQLite and TensorFlow.js on the UI thread.
    expect(shell).not.toMatch(/^import \{[^}]*\} from '\.\.\/app\/(core|context)\.ts'/m);
    expect(shell).toMatch(/^import type \{ Core \} from '\.\.\/app\/core\.ts'/m);
  });

  it('TensorFlow.js never loads on the core worker: only the compute pool workers import it', () => {
    const closure = [...valueImportClosure(join(ROOT, 'src-main/app/core-worker.ts'))];
    expect(closure.filter((m) => m.startsWith('@tensorflow/') || m.endsWith('compute/backend.ts'))).toEqual([]);
    expect(closure).toContain('better-sqlite3');
    const pool = [...valueImportClosure(join(ROOT, 'src-main/compute/pool/worker.ts'))];
    expect(pool.some((m) => m.startsWith('@tensorflow/'))).toBe(true);
  });

  it('no SQL outside store/', () => {
    const offenders = sourceFiles(join(ROOT, 'src-main'))
      .filter((f) => !f.includes('/src-main/store/'))
      .filter((f) => /\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE TABLE)\b/.test(readFileSync(f, 'utf8')))
      .map((f) => f.slice(ROOT.length + 1));
    expect(offenders).toEqual([]);
  });
});

