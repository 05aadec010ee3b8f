// Thin Electron shell: one secure window bound to the core (running on a worker thread) over IPC.
import { app, BrowserWindow, ipcMain, session, dialog } from 'electron';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { Core } from '../app/core.ts';
import { createWorkerCore } from '../app/worker-core.ts';
import { IPC_EVENT } from '../../src-shared/channels.ts';
import { bindIpc } from './ipc.ts';
import { pdfExportInShell, withLocalOps } from './local-ops.ts';
import { printPdf, setPdfPrinter } from '../reports/pdf.ts';
import { applySessionPolicy, isAllowedNavigation, isTrustedSender, windowOptions } from './window-config.ts';
import { CONTENT_SECURITY_POLICY } from '../host/security.ts';

const here = dirname(fileURLToPath(import.meta.url));
const rendererEntry = pathToFileURL(join(here, '..', 'renderer', 'index.html')).toString();
process.env.ECGATK_APP_ROOT ??= app.getAppPath();

/**
 * Reports to PDF with Electron's own Chromium: a hidden, sandboxed window without JavaScript, in a
 * session of its own (the app's CSP header is not meant for report pages, which carry their own).
 */
async function printWithElectron(html: string, outPath: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ecgatk-print-'));
  const page = join(dir, 'report.html');
  const w = new BrowserWindow({ show: false, webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false, partition: 'ecgatk-print' } });
  try {
    await writeFile(page, html, 'utf8');
    await w.loadFile(page);
    await writeFile(outPath, await w.webContents.printToPDF({ printBackground: true, preferCSSPageSize: true }));
  } finally {
    w.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

app.enableSandbox();
setPdfPrinter(printWithElectron);
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let win: BrowserWindow | null = null;
  let core: Core | null = null;

  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  app.on('web-contents-created', (_e, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event, url) => {
      if (!isAllowedNavigation(url, rendererEntry)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  app.whenReady().then(async () => {
    applySessionPolicy(session.defaultSession);
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
    });
    try {
      core = await createWorkerCore(join(here, 'core-worker.js'));
    } catch (err) {
      dialog.showErrorBox('ECG-ATK could not start', err instanceof Error ? err.message : String(err));
      app.quit();
      return;
    }
    const shellCore = withLocalOps(core, {
      'dialog.openPaths': async ({ kind }) => {
        const properties: ('openFile' | 'openDirectory' | 'multiSelections')[] = [kind === 'folder' ? 'openDirectory' : 'openFile', 'multiSelections'];
        const filters = kind === 'files' ? [{ name: 'ECG records', extensions: ['hea', 'edf', 'csv'] }, { name: 'All files', extensions: ['*'] }] : undefined;
        const res = win ? await dialog.showOpenDialog(win, { properties, filters }) : await dialog.showOpenDialog({ properties, filters });
        return { available: true, paths: res.canceled ? [] : res.filePaths };
      },
      'audits.export': pdfExportInShell(core, printPdf),
    });
    bindIpc(ipcMain, shellCore, (url) => isTrustedSender(url, rendererEntry));
    win = new BrowserWindow(windowOptions(join(here, '..', 'preload', 'preload.cjs')));
    core.onEvent((event) => win?.webContents.send(IPC_EVENT, event));
    win.once('ready-to-show', () => win?.show());
    await win.loadURL(rendererEntry);
  });

  app.on('window-all-closed', () => {
    void (core?.close() ?? Promise.resolve()).then(() => app.quit());
  });
}
