// Pure description of the main window's security settings, so it can be unit-tested
// without Electron. The shell (main.ts) applies exactly these values.

export interface SecureWebPreferences {
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
  spellcheck: false;
  navigateOnDragDrop: false;
  preload: string;
}

export function webPreferencesFor(preloadPath: string): SecureWebPreferences {
  return {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    navigateOnDragDrop: false,
    preload: preloadPath,
  };
}

export function windowOptions(preloadPath: string) {
  return {
    width: 1400,
    height: 900,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'ECG-ATK Workstation',
    backgroundColor: '#0f1419',
    webPreferences: webPreferencesFor(preloadPath),
  };
}

/** The renderer may only ever show its own index.html; everything else is refused. */
export function isAllowedNavigation(target: string, appEntryUrl: string): boolean {
  try {
    const t = new URL(target);
    const a = new URL(appEntryUrl);
    return t.protocol === a.protocol && t.host === a.host && t.pathname === a.pathname;
  } catch {
    return false;
  }
}

/** IPC is answered only for frames showing the app itself. */
export function isTrustedSender(frameUrl: string | undefined, appEntryUrl: string): boolean {
  return frameUrl !== undefined && isAllowedNavigation(frameUrl, appEntryUrl);
}

/** The part of an Electron Session the permission policy uses, so a test can fake it. */
export interface PermissionSession {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
}

/**
 * The app needs no browser permission: requests (prompts) and checks (synchronous queries such
 * as navigator.permissions or clipboard access) are both refused, per the Electron security checklist.
 */
export function applySessionPolicy(session: PermissionSession): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
