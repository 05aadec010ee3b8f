// Server side of the record list: rhythm labels per record, typed-path checks, and the
// native-dialog op that only the Electron shell answers.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { tempApp, SHARED_DATA } from '../../helpers.ts';
import { importPaths } from '../../../src-main/records/import.ts';
import { readAnnotations } from '../../../src-main/signals/wfdb/annotations.ts';
import { rhythmLabel } from '../../../src-shared/rhythms.ts';
import { createInProcessCore, type Core } from '../../../src-main/app/core.ts';
import { withLocalOps } from '../../../src-main/electron/local-ops.ts';
import type { AppContext } from '../../../src-main/app/context.ts';

const M = join(SHARED_DATA, 'mitdb');
let ctx: AppContext;
let core: Core;
let cleanup: () => void;
const scratch = mkdtempSync(join(tmpdir(), 'ecgatk-paths-'));

beforeAll(async () => {
  const t = await tempApp();
  ctx = t.ctx;
  cleanup = t.cleanup;
  await importPaths(ctx.catalog, [join(M, '100.hea'), join(M, '201.hea'), join(SHARED_DATA, 'wfdb', 'test01_00s.hea')], { deidentify: true });
  core = createInProcessCore(ctx);
});
afterAll(() => {
  cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

async function call(c: Core, op: string, input: unknown): Promise<unknown> {
  const env = await c.call(op, input);
  if (!env.ok) throw new Error(env.error.message);
  return env.value;
}

describe('records.rhythms', () => {
  it('reads the label out of aux strings, ignoring padding and comments', () => {
    expect(rhythmLabel('(AFIB')).toBe('(AFIB');
    expect(rhythmLabel('(N\0')).toBe('(N');
    expect(rhythmLabel('(B ')).toBe('(B');
    expect(rhythmLabel('(VT\0\0')).toBe('(VT');
    expect(rhythmLabel('noise')).toBeNull();
    expect(rhythmLabel('(')).toBeNull();
    expect(rhythmLabel(null)).toBeNull();
  });

  it('lists the distinct rhythm labels of each record, as in its annotation file', async () => {
    const value = (await call(core, 'records.rhythms', {})) as { recordId: number; labels: string[] }[];
    const byName = new Map(ctx.catalog.list().map((r) => [r.name, r.id]));
    for (const name of ['100', '201']) {
      const ann = await readAnnotations(join(M, `${name}.atr`));
      const expected = [...new Set(ann.annotations.map((a) => rhythmLabel(a.aux)).filter((l): l is string => l !== null))].sort();
      expect(expected.length).toBeGreaterThan(0);
      expect(value.find((v) => v.recordId === byName.get(name))?.labels).toEqual(expected);
    }
    // Record 201 holds atrial fibrillation episodes; record 100 is sinus rhythm throughout.
    expect(value.find((v) => v.recordId === byName.get('201'))?.labels).toContain('(AFIB');
    expect(value.find((v) => v.recordId === byName.get('100'))?.labels).toEqual(['(N']);
    // A record without rhythm annotations is simply absent.
    expect(value.some((v) => v.recordId === byName.get('test01_00s'))).toBe(false);
  });
});

describe('records.checkPaths', () => {
  it('tells what to type for relative, home-relative, missing and non-record paths, and passes good ones', async () => {
    const txt = join(scratch, 'notes.txt');
    writeFileSync(txt, 'x');
    const missing = join(scratch, 'x', 'y');
    const value = (await call(core, 'records.checkPaths', { paths: ['mitdb', '~/data/mitdb', missing, txt, M, join(M, '100.hea')] })) as { path: string; problem: string | null }[];
    expect(value[0]!.problem).toMatch(/^"mitdb" is a relative path: type the full path, such as \/.+\/data\/mitdb$/);
    expect(value[1]!.problem).toMatch(/^"~\/data\/mitdb" starts with ~.*type the full path, such as \/.+\/data\/mitdb$/);
    expect(value[2]!.problem).toBe(`${missing} does not exist`);
    expect(value[3]!.problem).toMatch(/^notes\.txt is not a record file/);
    expect(value[4]!.problem).toBeNull();
    expect(value[5]!.problem).toBeNull();
  });
});

describe('dialog.openPaths', () => {
  it('is unavailable from the core (browser mode)', async () => {
    expect(await call(core, 'dialog.openPaths', { kind: 'files' })).toEqual({ available: false, paths: [] });
  });

  it('is answered by the shell when it has a dialog, validated by the contract, and other ops still reach the core', async () => {
    const asked: string[] = [];
    const shell = withLocalOps(core, {
      'dialog.openPaths': ({ kind }) => {
        asked.push(kind);
        return { available: true, paths: [join(M, '100.hea')] };
      },
    });
    expect(await call(shell, 'dialog.openPaths', { kind: 'folder' })).toEqual({ available: true, paths: [join(M, '100.hea')] });
    expect(asked).toEqual(['folder']);
    const bad = await shell.call('dialog.openPaths', { kind: 'everything' });
    expect(bad.ok).toBe(false);
    expect(asked).toEqual(['folder']);
    expect(await call(shell, 'settings.get', {})).toMatchObject({ backend: 'auto' });
  });
});
