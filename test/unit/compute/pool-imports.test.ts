// The pool stays generic: node built-ins, the backend module and common/ only; and only the worker
// loads TensorFlow.js (the pool's own thread imports backend types, never the module).
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(import.meta.dirname, '..', '..', '..', 'src-main', 'compute', 'pool');

function imports(file: string): { spec: string; typeOnly: boolean }[] {
  const src = readFileSync(join(DIR, file), 'utf8');
  return [...src.matchAll(/^(import|export)\s+(type\s+)?[^'"]*?from\s*['"]([^'"]+)['"]|^import\s+['"]([^'"]+)['"]/gm)].map((m) => ({
    spec: (m[3] ?? m[4])!,
    typeOnly: Boolean(m[2]),
  }));
}

describe('compute pool imports', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'));

  it('imports nothing domain-specific', () => {
    expect(files).toEqual(expect.arrayContaining(['pool.ts', 'worker.ts', 'tasks.ts']));
    const offenders = files.flatMap((f) =>
      imports(f)
        .filter(({ spec }) => !(spec.startsWith('node:') || spec.startsWith('./') || spec === '../backend.ts' || spec.startsWith('../../common/')))
        .map(({ spec }) => `${f} → ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('only the worker loads the backend', () => {
    const offenders = files
      .filter((f) => f !== 'worker.ts')
      .flatMap((f) => imports(f).filter(({ spec, typeOnly }) => spec === '../backend.ts' && !typeOnly).map(() => f));
    expect(offenders).toEqual([]);
    expect(imports('worker.ts')).toContainEqual({ spec: '../backend.ts', typeOnly: false });
  });
});
