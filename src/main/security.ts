// Secure defaults for every window and session: the Electron security checklist, applied once.
import { session, type BrowserWindowConstructorOptions, type WebContents } from 'electron';
import { createLogger } from '../shared/log';
import { isAppUrl } from './trust';

const log = createLogger('security');

export { APP_ORIGIN, APP_SCHEME, isTrustedSender } from './trust';

export function secureWebPreferences(preload: string): BrowserWindowConstructorOptions['webPreferences'] {
  return {
    preload,
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
  };
}

/** Permission requests (camera, mic, geolocation, notifications …) are refused: nothing is asked for. */
export function lockDownSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, permission, callback) => {
    log.warn('permission refused', { permission });
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
}

/** No new windows, no navigation away from the app, no webviews. */
export function lockDownContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    log.warn('window.open refused', { url: url.slice(0, 200) });
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) {
      event.preventDefault();
      log.warn('navigation refused', { url: url.slice(0, 200) });
    }
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
