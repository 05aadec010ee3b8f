import { describe, it, expect } from 'vitest';
import { webPreferencesFor, windowOptions, isAllowedNavigation, applySessionPolicy, type PermissionSession } from '../../../src-main/electron/window-config.ts';
import { CONTENT_SECURITY_POLICY } from '../../../src-main/host/security.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

describe('Electron window security', () => {
  it('isolates and sandboxes the renderer with no Node integration', () => {
    const p = webPreferencesFor('/app/out/preload/preload.cjs');
    expect(p).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/app/out/preload/preload.cjs',
    });
    expect(windowOptions('/p').webPreferences).toEqual(webPreferencesFor('/p'));
  });

  it('allows navigation only to the app entry', () => {
    const app = 'file:///opt/ecgatk/out/renderer/index.html';
    expect(isAllowedNavigation(`${app}#/records`, app)).toBe(true);
    expect(isAllowedNavigation('file:///etc/passwd', app)).toBe(false);
    expect(isAllowedNavigation('https://example.com/', app)).toBe(false);
    expect(isAllowedNavigation('not a url', app)).toBe(false);
  });

  it('the session denies every permission request and every permission check', () => {
    const handlers: { request?: Parameters<PermissionSession['setPermissionRequestHandler']>[0]; check?: Parameters<PermissionSession['setPermissionCheckHandler']>[0] } = {};
    const fake: PermissionSession = {
      setPermissionRequestHandler: (h) => void (handlers.request = h),
      setPermissionCheckHandler: (h) => void (handlers.check = h),
    };
    applySessionPolicy(fake);
    expect(handlers.request).toBeTypeOf('function');
    expect(handlers.check).toBeTypeOf('function');
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'fullscreen', 'openExternal']) {
      const answers: boolean[] = [];
      handlers.request!(null, permission, (granted) => answers.push(granted));
      expect(answers).toEqual([false]);
      expect(handlers.check!(null, permission)).toBe(false);
    }
  });

  it('the shell applies that session policy', () => {
    const src = readFileSync(join(import.meta.dirname, '../../../src-main/electron/main.ts'), 'utf8');
    expect(src).toMatch(/applySessionPolicy\(session\.defaultSession\)/);
  });

  it('CSP forbids remote and inline script, and index.html carries the same policy', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self';");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    const html = readFileSync(join(import.meta.dirname, '../../../src-renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    // frame-ancestors is ignored in <meta>, so the meta policy is the header policy without it.
    expect(meta).toBe(CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", ''));
  });

  it('the preload exposes only the API entry points, never ipcRenderer', () => {
    const src = readFileSync(join(import.meta.dirname, '../../../src-main/electron/preload.ts'), 'utf8');
    expect(src).toContain("exposeInMainWorld('ecgatk'");
    expect(src).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*[,)]/);
    expect((src.match(/exposeInMainWorld/g) ?? []).length).toBe(1);
  });
});
