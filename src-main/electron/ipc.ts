// Binds a Core to Electron IPC. Takes ipcMain as a parameter (no electron import) so the
// binding — request shape checks, sender checks, validation — is tested in plain Node.
import type { Core } from '../app/core.ts';
import type { Envelope } from '../../src-shared/errors.ts';
import { IPC_CALL } from '../../src-shared/channels.ts';

export interface IpcInvokeEventLike {
  senderFrame?: { url: string } | null;
}
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export function bindIpc(ipcMain: IpcMainLike, core: Core, isTrusted: (frameUrl: string | undefined) => boolean): () => void {
  ipcMain.handle(IPC_CALL, async (event, request): Promise<Envelope<unknown>> => {
    if (!isTrusted(event.senderFrame?.url)) {
      return { ok: false, error: { code: 'UNAUTHORIZED', message: 'IPC from an untrusted frame was refused' } };
    }
    if (typeof request !== 'object' || request === null || !('op' in request)) {
      return { ok: false, error: { code: 'INVALID_INPUT', message: 'IPC request must be an object { op, input }' } };
    }
    const { op, input } = request as { op: unknown; input?: unknown };
    return core.call(op, input);
  });
  return () => ipcMain.removeHandler(IPC_CALL);
}
