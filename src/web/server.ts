/**
 * Browser-mode host: serves the built renderer and carries the console API over a WebSocket at
 * /api/ws. A headquarters screen or a wall in any browser, and how the UI is tested here.
 *
 *   const host = await startWebHost({ port: 0, dataDir, staticDir: 'out/renderer', backendUrl });
 *   host.url  // http://127.0.0.1:PORT/ (with ?token=… when it listens beyond loopback)
 *
 * Security: binds 127.0.0.1 unless told otherwise; WebSocket upgrades are accepted only from the
 * host's own origin (and, on loopback, only under a loopback Host, against DNS rebinding); beyond
 * loopback a token is required on every upgrade, and on every /local-media/ request (local video
 * of the school's cameras): as `?token=` or as the HttpOnly cookie set when the console page is
 * loaded with the right token (hls.js fetches segments by relative URL, which drops the query).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_FRAME_BYTES } from '../shared/api';
import { buildCsp } from '../shared/csp';
import { createLogger } from '../shared/log';
import { handleRequestFrame, type RouterLike } from '../services/transport';

const log = createLogger('web-host');

export interface WebHostOptions {
  port: number;
  host?: string;
  staticDir: string;
  backendUrl: string;
  router: RouterLike & { onPush(listener: (event: string, payload: unknown) => void): () => void; peerGone?(peer: string): void };
  /** Required beyond loopback; generated when absent there. */
  token?: string;
  /** Local video (services' media gateway): paths under /local-media/ served from its files. */
  media?: { resolveFile(urlPath: string): string | null };
  /** The configured map tile server's origin, read for each document served (see shared/csp.ts). */
  tileOrigin?: () => string | null;
}

export interface WebHost {
  url: string;
  origin: string;
  port: number;
  token: string | null;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
  '.mp3': 'audio/mpeg',
};

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const bindHost = opts.host ?? '127.0.0.1';
  const token = resolveToken(bindHost, opts.token);
  const staticRoot = resolve(opts.staticDir);
  let cspBase: { backendUrl: string; ws: string } | null = null;
  const csp = () => (cspBase ? buildCsp(cspBase.backendUrl, [cspBase.ws], opts.tileOrigin?.() ?? null) : '');

  const server = createServer((req, res) => {
    if (opts.media && (req.url ?? '').startsWith('/local-media/')) {
      if (token !== null && !hasToken(req, token)) {
        log.warn('local media refused: no token', { peer: req.socket.remoteAddress });
        res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end('missing or wrong token\n');
        return;
      }
      serveLocalMedia(opts.media, req, res).catch((e: unknown) => {
        log.error('local media serving failed', { error: e });
        if (!res.headersSent) res.writeHead(500).end();
      });
      return;
    }
    // The page loaded with the right token gets it as a cookie for its local video requests.
    if (token !== null && queryToken(req) !== null && hasToken(req, token)) {
      res.setHeader('Set-Cookie', `${MEDIA_COOKIE}=${encodeURIComponent(token)}; Path=/local-media/; HttpOnly; SameSite=Strict`);
    }
    serveStatic(staticRoot, req, res, csp()).catch((e: unknown) => {
      log.error('static serving failed', { error: e });
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = checkUpgrade(req, { loopbackOnly: isLoopback(bindHost), token });
    if (refusal) {
      log.warn('websocket refused', { reason: refusal, origin: req.headers.origin ?? null, peer: req.socket.remoteAddress });
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n\r\n${refusal}\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const clients = new Set<WebSocket>();
  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const peer = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
    clients.add(ws);
    ws.on('close', () => {
      clients.delete(ws);
      opts.router.peerGone?.(peer);
    });
    ws.on('error', (e) => log.warn('websocket error', { peer, error: e }));
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        ws.close(1003, 'binary frames are not accepted');
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(data.toString());
      } catch {
        log.warn('rejected frame', { peer, reason: 'not JSON' });
        return;
      }
      void handleRequestFrame(opts.router, parsed, { transport: 'ws', peer }).then((response) => {
        if (response && ws.readyState === ws.OPEN) ws.send(JSON.stringify(response));
      });
    });
  });
  const unsubscribe = opts.router.onPush((event, payload) => {
    const frame = JSON.stringify({ event, payload });
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(frame);
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port, bindHost, () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = bindHost.includes(':') ? `[${bindHost}]` : bindHost;
  const origin = `http://${urlHost}:${port}`;
  cspBase = { backendUrl: opts.backendUrl, ws: `ws://${urlHost}:${port}` };
  const url = `${origin}/${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  log.info('web host listening', { origin, tokenRequired: token !== null });

  return {
    url,
    origin,
    port,
    token,
    close: async () => {
      unsubscribe();
      for (const ws of clients) ws.terminate();
      await new Promise<void>((ok) => wss.close(() => ok()));
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

/** Beyond loopback a token is always required: the given one, or a generated one. */
export function resolveToken(bindHost: string, given: string | undefined): string | null {
  if (given !== undefined && given.length < 16) throw new Error('the web host token must be at least 16 characters');
  return given ?? (isLoopback(bindHost) ? null : randomBytes(24).toString('base64url'));
}

/** Returns why an upgrade is refused, or null to accept. */
export function checkUpgrade(req: IncomingMessage, opts: { loopbackOnly: boolean; token: string | null }): string | null {
  const { token } = opts;
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname !== '/api/ws') return 'unknown path';
  // Same origin: the page that opens the socket was served by this host under the Host it names.
  const host = req.headers.host;
  if (!host) return 'no Host header';
  if (req.headers.origin !== `http://${host}`) return `origin ${req.headers.origin ?? '(none)'} is not this host's`;
  // On loopback, a Host that is not a loopback address means DNS rebinding: a page of another site
  // resolving its own name to 127.0.0.1.
  if (opts.loopbackOnly && !isLoopback(hostnameOf(host))) return `host ${host} is not a loopback address`;
  if (token !== null && !sameSecret(url.searchParams.get('token') ?? '', token)) return 'missing or wrong token';
  return null;
}

const MEDIA_COOKIE = 'kuzet_media';

function sameSecret(given: string, want: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(want);
  return a.length === b.length && timingSafeEqual(a, b);
}

function queryToken(req: IncomingMessage): string | null {
  return new URL(req.url ?? '/', 'http://x').searchParams.get('token');
}

/** The token as `?token=` or as the media cookie. */
function hasToken(req: IncomingMessage, token: string): boolean {
  const q = queryToken(req);
  if (q !== null) return sameSecret(q, token);
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name !== MEDIA_COOKIE) continue;
    try {
      if (sameSecret(decodeURIComponent(rest.join('=')), token)) return true;
    } catch {
      // a malformed cookie value is simply not the token
    }
  }
  return false;
}

function hostnameOf(hostHeader: string): string {
  try {
    return new URL(`http://${hostHeader}`).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return '';
  }
}

/** HLS playlists and segments of watched local streams; never cached (a live playlist changes every second). */
async function serveLocalMedia(media: NonNullable<WebHostOptions['media']>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const file = media.resolveFile(new URL(req.url ?? '/', 'http://x').pathname);
  const body = file ? await readFile(file).catch(() => null) : null;
  if (!body) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end('no such local stream\n');
    return;
  }
  res.writeHead(200, {
    'Content-Type': file!.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : 'video/mp2t',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse, csp: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  const candidate = normalize(join(root, pathname));
  // Anything outside the renderer's folder, or any path that is not a file, gets the app shell.
  let file = candidate.startsWith(root + sep) ? candidate : join(root, 'index.html');
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) file = join(root, 'index.html');
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' }).end('The console is not built: run `npm run build:renderer`.\n');
    return;
  }
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
    'Cache-Control': file.endsWith('index.html') ? 'no-cache' : 'public, max-age=3600',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
