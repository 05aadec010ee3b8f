import { describe, it, expect, afterEach } from 'vitest';
import { createInProcessCore, type Core } from '../../../src-main/app/core.ts';
import { tempApp } from '../../helpers.ts';
import { OP_NAMES, ops } from '../../../src-main/api/contract.ts';

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
    expect(res).toEqual({ ok: true, value: { backend: 'auto', deidentifyOnImport: true, defaultBeatLength: 280 } });
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
