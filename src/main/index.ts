/**
 * Electron host: lifecycle, the secure window, the app protocol that serves the renderer, the IPC
 * transport of the console API, and the embedded backend when none is configured.
 *
 * Backend: `--backend=URL` or KUZET_BACKEND_URL; without one the simulator starts embedded.
 */
import { app, BrowserWindow, ipcMain, protocol, safeStorage } from 'electron';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IPC_CALL_CHANNEL, IPC_PUSH_CHANNEL } from '../shared/api-methods';
import { buildCsp } from '../shared/csp';
import { createLogger } from '../shared/log';
import { MEDIA_PATH_PREFIX } from '../services/media-gateway/gateway';
import { createServices } from '../services/services';
import { handleRequestFrame } from '../services/transport';
import { safeStorageCipher } from './credentials';
import { startEmbeddedBackend } from './embedded-backend';
import { APP_ORIGIN, APP_SCHEME, isTrustedSender, lockDownContents, lockDownSession, secureWebPreferences } from './security';
import { createWallWindowHost } from './wall-window';

const log = createLogger('main');
const here = fileURLToPath(new URL('.', import.meta.url));

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
]);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wav': 'audio/wav',
};

function configuredBackend(): string | undefined {
  const arg = process.argv.find((a) => a.startsWith('--backend='));
  const url = arg?.slice('--backend='.length) ?? process.env.KUZET_BACKEND_URL;
  if (url && !/^https?:\/\/\S+$/.test(url)) {
    log.error('ignoring backend URL that is not http(s)', { url: url.slice(0, 200) });
    return undefined;
  }
  return url;
}

// A separate profile (tests, a second console on one machine): --data-dir=DIR.
const dataDirArg = process.argv.find((a) => a.startsWith('--data-dir='));
if (dataDirArg) app.setPath('userData', dataDirArg.slice('--data-dir='.length));

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  lockDownSession();
  app.on('web-contents-created', (_e, contents) => lockDownContents(contents));

  const dataDir = app.getPath('userData');
  const configured = configuredBackend();
  const embedded = configured ? null : await startEmbeddedBackend(dataDir, app.isPackaged ? join(process.resourcesPath, 'resources', 'video') : undefined);
  const backendUrl = configured ?? embedded!.url;
  const preload = join(here, '../preload/index.cjs');
  // The wall window reads and remembers its placement in the store, which exists once services do.
  const wallWindow = createWallWindowHost({
    settings: { get: (key) => services.store.settings.get(key), set: (key, value) => services.store.settings.set(key, value) },
    preload,
    url: `${APP_ORIGIN}/index.html?view=wall`,
  });
  const services = createServices({
    dataDir,
    host: 'electron',
    backendUrl,
    embedded: embedded !== null,
    version: app.getVersion(),
    validateOutputs: !app.isPackaged,
    cipher: safeStorageCipher(safeStorage, process.platform),
    wallWindow,
  });
  // Built per document: the configured map tile server's origin applies from the next load.
  const csp = () => buildCsp(backendUrl, [], services.tileOrigin());

  const rendererRoot = join(here, '../renderer');
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'app') return new Response('not found', { status: 404 });
    if (url.pathname.startsWith(MEDIA_PATH_PREFIX)) {
      const media = services.media.resolveFile(url.pathname);
      const body = media ? await readFile(media).catch(() => null) : null;
      if (!body) return new Response('no such local stream', { status: 404 });
      return new Response(body, {
        headers: { 'Content-Type': media!.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : 'video/mp2t', 'Cache-Control': 'no-store' },
      });
    }
    const candidate = normalize(join(rendererRoot, decodeURIComponent(url.pathname)));
    const file = candidate.startsWith(rendererRoot + sep) && extname(candidate) ? candidate : join(rendererRoot, 'index.html');
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': csp(), 'X-Content-Type-Options': 'nosniff' },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });

  ipcMain.handle(IPC_CALL_CHANNEL, async (event, frame: unknown) => {
    if (!isTrustedSender(event.senderFrame)) {
      log.warn('IPC refused from untrusted frame', { url: event.senderFrame?.url.slice(0, 200) ?? null });
      return null;
    }
    return handleRequestFrame(services.router, frame, { transport: 'ipc', peer: `wc${event.sender.id}` });
  });

  const createWindow = () => {
    const win = new BrowserWindow({
      width: 1600,
      height: 900,
      minWidth: 1024,
      minHeight: 640,
      backgroundColor: '#0e1116',
      title: 'Kuzet',
      show: false,
      webPreferences: secureWebPreferences(preload),
    });
    win.once('ready-to-show', () => win.show());
    void win.loadURL(`${APP_ORIGIN}/index.html`);
    return win;
  };
  // A window's leases (local video) end with its page: closed, crashed or reloaded.
  app.on('web-contents-created', (_e, wc) => {
    const peer = `wc${wc.id}`;
    wc.once('destroyed', () => services.router.peerGone(peer));
    wc.on('render-process-gone', () => services.router.peerGone(peer));
    wc.on('did-navigate', () => services.router.peerGone(peer));
  });
  services.router.onPush((event, payload) => {
    for (const win of BrowserWindow.getAllWindows()) win.webContents.send(IPC_PUSH_CHANNEL, { event, payload });
  });

  createWindow();
  app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus());
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    services.close();
    void embedded?.close();
  });
}

main().catch((e: unknown) => {
  log.error('console failed to start', { error: e });
  app.exit(1);
});
