// Import rules (VS Code style): code is separated by where it runs.
// - only src-main/electron/{main,preload}.ts may import 'electron';
// - the renderer imports nothing from src-main except the pure contract and errors;
// - the contract and errors import nothing but zod and each other.
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|tsx|mts|mjs)$/.test(name) ? [p] : [];
  });
}

function imports(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of src.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g)) {
    out.push((m[1] ?? m[2] ?? m[3])!);
  }
  return out;
}

const rel = (f: string): string => relative(ROOT, f).split('\\').join('/');

describe('import rules', () => {
  it('scans a real tree', () => {
    expect(files(join(ROOT, 'src-main')).length).toBeGreaterThan(10);
  });

  it("only the Electron shell imports 'electron'", () => {
    const allowed = new Set(['src-main/electron/main.ts', 'src-main/electron/preload.ts']);
    const offenders = [...files(join(ROOT, 'src-main')), ...files(join(ROOT, 'src-renderer'))]
      .filter((f) => imports(f).some((i) => i === 'electron' || i.startsWith('electron/')))
      .map(rel)
      .filter((f) => !allowed.has(f));
    expect(offenders).toEqual([]);
  });

  it('nothing outside the shell imports the shell', () => {
    const offenders = files(join(ROOT, 'src-main'))
      .filter((f) => !rel(f).startsWith('src-main/electron/'))
      .filter((f) => imports(f).some((i) => /electron\/(main|preload)(\.ts)?$/.test(i)))
      .map(rel);
    expect(offenders).toEqual([]);
  });

  it('the renderer reaches main code only through the contract', () => {
    const offenders: string[] = [];
    for (const f of files(join(ROOT, 'src-renderer'))) {
      for (const i of imports(f)) {
        if (i.includes('src-main/') && !/src-main\/api\/(contract|errors)\.ts$/.test(i)) offenders.push(`${rel(f)} → ${i}`);
        if (i.startsWith('node:') || ['fs', 'path', 'child_process', 'better-sqlite3'].includes(i) || i.startsWith('@tensorflow/')) offenders.push(`${rel(f)} → ${i}`);
      }
    }
    expect(offenders).toEqual([]);
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

  it('the contract is pure', () => {
    for (const f of ['src-main/api/contract.ts', 'src-main/api/errors.ts', 'src-main/api/channels.ts']) {
      const bad = imports(join(ROOT, f)).filter((i) => i !== 'zod' && !/^\.\/(errors|contract)\.ts$/.test(i));
      expect(bad, f).toEqual([]);
    }
  });
});

describe('model, attack and training layers', () => {
  const ALLOWED: Record<string, string[]> = {
    models: ['compute', 'common'],
    attacks: ['models', 'compute', 'common'],
    training: ['models', 'attacks', 'metrics', 'datasets', 'compute', 'common'],
  };
  for (const [layer, allowed] of Object.entries(ALLOWED)) {
    it(`src-main/${layer} imports only ${allowed.join(', ')} (and TensorFlow.js only through compute)`, () => {
      const offenders: string[] = [];
      for (const f of files(join(ROOT, 'src-main', layer))) {
        const src = readFileSync(f, 'utf8');
        for (const i of imports(f)) {
          const target = /^\.\.\/([^/]+)\//.exec(i)?.[1];
          const typeOnly = new RegExp(`^import type [^;]*from '${i.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}'`, 'm').test(src);
          if (i.startsWith('@tensorflow/')) offenders.push(`${rel(f)} → ${i}`);
          else if (target && !allowed.includes(target) && !(layer === 'models' && target === 'datasets' && typeOnly)) offenders.push(`${rel(f)} → ${i}`);
        }
      }
      expect(offenders).toEqual([]);
    });
  }
});
