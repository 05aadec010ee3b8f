// Sandboxed preload: exposes only the typed API's two entry points, never ipcRenderer itself.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CALL, IPC_EVENT } from '../../src-shared/channels.ts';

contextBridge.exposeInMainWorld('ecgatk', {
  call: (op: string, input: unknown): Promise<unknown> => ipcRenderer.invoke(IPC_CALL, { op, input }),
  onEvent: (listener: (event: unknown) => void): (() => void) => {
    const handler = (_e: IpcRendererEvent, event: unknown): void => listener(event);
    ipcRenderer.on(IPC_EVENT, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, handler);
    };
  },
});
