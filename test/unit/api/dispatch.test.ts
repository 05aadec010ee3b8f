import { describe, it, expect, afterEach } from 'vitest';
import { createInProcessCore, type Core } from '../../../src-main/app/core.ts';
import { tempApp } from '../../helpers.ts';
import { OP_NAMES, ops } from '../../../src-shared/contract/index.ts';

let cleanup: (() => void) | null = null;
afterEach(() => cleanup?.());

async function core(): Promise<Core> {
  const t = await tempApp();
  cleanup = t.cleanup;
  return createInProcessCore(t.ctx);
}

describe('dispatch through the contract', () => {
  it('every op has input and output schemas', () => {
    for (const name of OP_NAMES) {
      expect(ops[name].input).toBeDefined();
      expect(ops[name].output).toBeDefined();
    }
  });

  it('answers a valid call', async () => {
    const c = await core();
    const res = await c.call('settings.get', {});
    expect(res).toEqual({ ok: true, value: { backend: 'auto', deidentifyOnImport: true, defaultBeatLength: 280, computeWorkers: null, pixelsPerMm: null } });
  });

  it('rejects an unknown operation', async () => {
    const c = await core();
    const res = await c.call('records.drop', {});
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.code).toBe('UNKNOWN_OPERATION');
  });

  it.each([
    ['wrong type', { defaultBeatLength: 'long' }, 'defaultBeatLength'],
    ['out of range', { defaultBeatLength: 10 }, 'defaultBeatLength'],
    ['unknown key', { colour: 'red' }, 'colour'],
    ['bad enum', { backend: 'cuda' }, 'backend'],
  ])('rejects a bad payload (%s) with a message naming the field', async (_label, payload, field) => {
    const c = await core();
    const res = await c.call('settings.update', payload);
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.error.code).toBe('INVALID_INPUT');
      expect(res.error.message).toContain(field);
      expect(res.error.message).toContain('settings.update');
    }
    const after = await c.call('settings.get', {});
    expect(after.ok && after.value).toMatchObject({ defaultBeatLength: 280, backend: 'auto' });
  });

  it('maps a missing job to NOT_FOUND', async () => {
    const c = await core();
    const res = await c.call('jobs.get', { id: 'nope' });
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.code).toBe('NOT_FOUND');
  });
});

describe('records through the contract', () => {
  it('imports as a job, then serves windows and annotations; oversize windows are refused', async () => {
    const { join } = await import('node:path');
    const { SHARED_DATA } = await import('../../helpers.ts');
    const t = await tempApp();
    cleanup = t.cleanup;
    const c = createInProcessCore(t.ctx);
    const started = await c.call('records.import', { paths: [join(SHARED_DATA, 'wfdb', '100.hea')] });
    expect(started.ok).toBe(true);
    const jobId = (started as { ok: true; value: { jobId: string } }).value.jobId;
    const done = await t.ctx.jobs.wait(jobId);
    expect(done.state).toBe('succeeded');
    const list = await c.call('records.list', {});
    const id = (list as { ok: true; value: { id: number }[] }).value[0]!.id;
    const win = await c.call('records.window', { id, from: 0, to: 360 });
    expect(win.ok).toBe(true);
    const w = (win as { ok: true; value: { leads: { name: string; values: (number | null)[] }[] } }).value;
    expect(w.leads.map((l) => [l.name, l.values.length, l.values[0]])).toEqual([
      ['MLII', 360, (995 - 1024) / 200],
      ['V5', 360, (1011 - 1024) / 200],
    ]);
    const anns = await c.call('records.annotations', { id, from: 0, to: 400 });
    expect((anns as { ok: true; value: { symbol: string }[] }).value.map((a) => a.symbol)).toEqual(['+', 'N', 'N']);
    const big = await c.call('records.window', { id, from: 0, to: 10_000_000 });
    expect(!big.ok && big.error.code).toBe('INVALID_INPUT');
    const missing = await c.call('records.get', { id: 999 });
    expect(!missing.ok && missing.error.code).toBe('NOT_FOUND');
  });
});
