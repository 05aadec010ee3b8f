import { describe, it, expect } from 'vitest';
import { tempApp } from '../../helpers.ts';
import { SETTINGS_DEFAULTS } from '../../../src-shared/contract/index.ts';
import { openApp } from '../../../src-main/app/context.ts';

describe('settings', () => {
  it('start at defaults, persist across reopen, and audit each change', async () => {
    const t = await tempApp();
    expect(t.ctx.store.settings.get()).toEqual(SETTINGS_DEFAULTS);
    t.ctx.store.settings.update({ backend: 'cpu', defaultBeatLength: 187 });
    t.ctx.close();
    const again = await openApp({ env: { ECGATK_HOME: t.dir }, withoutCompute: true });
    expect(again.store.settings.get()).toMatchObject({ backend: 'cpu', defaultBeatLength: 187, deidentifyOnImport: true });
    expect(again.store.audit.list(5)[0]).toMatchObject({ action: 'settings.update', details: { backend: 'cpu', defaultBeatLength: 187 } });
    again.close();
    t.cleanup();
  });

  it('rejects an invalid value without writing anything', async () => {
    const t = await tempApp();
    expect(() => t.ctx.store.settings.update({ defaultBeatLength: 5 })).toThrow();
    expect(t.ctx.store.settings.get()).toEqual(SETTINGS_DEFAULTS);
    expect(t.ctx.store.audit.list(5)).toEqual([]);
    t.cleanup();
  });
});
