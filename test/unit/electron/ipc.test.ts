// The IPC transport, driven through a stand-in for ipcMain (no Electron binary here).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { bindIpc, type IpcInvokeEventLike, type IpcMainLike } from '../../../src-main/electron/ipc.ts';
import { IPC_CALL } from '../../../src-shared/channels.ts';
import { createInProcessCore } from '../../../src-main/app/core.ts';
import { isTrustedSender } from '../../../src-main/electron/window-config.ts';
import { tempApp } from '../../helpers.ts';

const APP = 'file:///opt/ecgatk/out/renderer/index.html';

class FakeIpcMain implements IpcMainLike {
  handlers = new Map<string, (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>): void {
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(frameUrl: string, ...args: unknown[]): Promise<unknown> {
    return this.handlers.get(IPC_CALL)!({ senderFrame: { url: frameUrl } }, ...args);
  }
}

const ipc = new FakeIpcMain();
let cleanup: () => void;
let unbind: () => void;
beforeAll(async () => {
  const t = await tempApp();
  cleanup = t.cleanup;
  unbind = bindIpc(ipc, createInProcessCore(t.ctx), (url) => isTrustedSender(url, APP));
});
afterAll(() => {
  unbind();
  expect(ipc.handlers.size).toBe(0);
  cleanup();
});

describe('IPC transport', () => {
  it('answers a valid call from the app frame', async () => {
    expect(await ipc.invoke(APP, { op: 'settings.get', input: {} })).toMatchObject({ ok: true, value: { backend: 'auto' } });
  });

  it('rejects an invalid payload with a clear error', async () => {
    const res = (await ipc.invoke(APP, { op: 'settings.update', input: { deidentifyOnImport: 'yes' } })) as { ok: boolean; error: { code: string; message: string } };
    expect(res.ok).toBe(false);
    expect(res.error.code).toBe('INVALID_INPUT');
    expect(res.error.message).toContain('deidentifyOnImport');
  });

  it('rejects a request that is not { op, input }', async () => {
    for (const bad of [null, 'settings.get', 42, { input: {} }]) {
      const res = (await ipc.invoke(APP, bad)) as { ok: boolean; error: { code: string } };
      expect(res.ok).toBe(false);
      expect(res.error.code).toBe('INVALID_INPUT');
    }
  });

  it('rejects an unknown operation', async () => {
    const res = (await ipc.invoke(APP, { op: '__proto__', input: {} })) as { ok: boolean; error: { code: string } };
    expect(res.error.code).toBe('UNKNOWN_OPERATION');
  });

  it('refuses frames that are not the app', async () => {
    for (const url of ['https://example.com/', 'file:///tmp/other.html', '']) {
      const res = (await ipc.invoke(url, { op: 'settings.get', input: {} })) as { ok: boolean; error: { code: string } };
      expect(res.error.code).toBe('UNAUTHORIZED');
    }
  });
});
