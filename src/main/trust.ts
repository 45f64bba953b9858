// Who may talk to the main process: the app's own origin, top-level frame only. No Electron import,
// so it is tested in plain Node.
export const APP_SCHEME = 'kuzet';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

/** IPC is accepted only from the app's own top-level frame. */
export function isTrustedSender(frame: { url: string; parent: unknown } | null | undefined): boolean {
  if (!frame || frame.parent) return false;
  try {
    const url = new URL(frame.url);
    return url.protocol === `${APP_SCHEME}:` && url.host === 'app';
  } catch {
    return false;
  }
}

/** Navigation stays inside the app. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === 'app';
  } catch {
    return false;
  }
}
