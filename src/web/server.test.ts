import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createServices } from '../services/services';
import { resolveToken, startWebHost, type WebHost } from './server';

const BACKEND = 'http://127.0.0.1:9';
let dir: string;
let host: WebHost;
let services: ReturnType<typeof createServices>;

async function start(token?: string) {
  host = await startWebHost({ port: 0, staticDir: join(dir, 'static'), backendUrl: BACKEND, router: services.router, token });
}

function connect(opts: { origin?: string; query?: string; hostHeader?: string } = {}): Promise<WebSocket> {
  return new Promise((ok, fail) => {
    const headers = opts.hostHeader ? { host: opts.hostHeader } : undefined;
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api/ws${opts.query ?? ''}`, { origin: opts.origin ?? host.origin, headers });
    ws.once('open', () => ok(ws));
    ws.once('unexpected-response', (_req, res) => fail(new Error(`refused ${res.statusCode}`)));
    ws.once('error', fail);
  });
}

function call(ws: WebSocket, frame: unknown): Promise<{ id: number; result: { ok: boolean; value?: unknown; error?: { code: string; message: string } } }> {
  return new Promise((ok) => {
    ws.once('message', (data: Buffer) => ok(JSON.parse(data.toString())));
    ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kuzet-web-'));
  mkdirSync(join(dir, 'static', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'static', 'index.html'), '<!doctype html><title>Kuzet</title>');
  writeFileSync(join(dir, 'static', 'assets', 'app.js'), 'void 0;');
  writeFileSync(join(dir, 'secret.txt'), 'not for the browser');
  services = createServices({ dataDir: join(dir, 'data'), host: 'web', backendUrl: BACKEND, embedded: false, version: '9.9.9' });
});

afterEach(async () => {
  await host?.close();
  services.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('browser-mode host', () => {
  it('serves the renderer with a CSP that allows only itself and the backend', async () => {
    await start();
    const res = await fetch(`${host.origin}/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/connect-src 'self' http:\/\/127\.0\.0\.1:9 ws:\/\/127\.0\.0\.1:9/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const js = await fetch(`${host.origin}/assets/app.js`);
    expect(js.headers.get('content-type')).toContain('text/javascript');
  });

  it('widens img-src to the configured map tile server from the next document on, and only there', async () => {
    host = await startWebHost({ port: 0, staticDir: join(dir, 'static'), backendUrl: BACKEND, router: services.router, tileOrigin: services.tileOrigin });
    const imgSrc = async () => (await fetch(`${host.origin}/`)).headers.get('content-security-policy')!.split('; ');
    expect((await imgSrc()).find((d) => d.startsWith('img-src'))).toBe("img-src 'self' data: blob: http://127.0.0.1:9");
    expect((await services.router.call('settings.set', { key: 'map.tileServer', value: 'https://tiles.city.local/{z}/{x}/{y}.png' }, { transport: 'ws', peer: 'test' })).ok).toBe(true);
    const after = await imgSrc();
    expect(after.find((d) => d.startsWith('img-src'))).toBe("img-src 'self' data: blob: http://127.0.0.1:9 https://tiles.city.local");
    expect(after.filter((d) => d.includes('tiles.city.local'))).toHaveLength(1);
    await services.router.call('settings.set', { key: 'map.tileServer', value: null }, { transport: 'ws', peer: 'test' });
    expect((await imgSrc()).join('; ')).not.toContain('tiles.city.local');
  });

  it('never serves a file outside the renderer folder', async () => {
    await start();
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/../../secret.txt']) {
      const body = await (await fetch(`${host.origin}${path}`)).text();
      expect(body).not.toContain('not for the browser');
    }
  });

  it('carries the console API over the WebSocket with readable errors', async () => {
    await start();
    const ws = await connect();
    const info = await call(ws, { id: 1, method: 'app.info', input: {} });
    expect(info).toEqual({ id: 1, result: { ok: true, value: { version: '9.9.9', host: 'web', backendUrl: BACKEND, embedded: false } } });

    const unknown = await call(ws, { id: 2, method: 'camera.explode', input: {} });
    expect(unknown.result.error?.code).toBe('not_found');

    const bad = await call(ws, { id: 3, method: 'settings.set', input: { key: 'a b', value: 1 } });
    expect(bad.result.error?.code).toBe('bad_request');
    expect(bad.result.error?.message).toMatch(/key/);

    const badFrame = await call(ws, { id: 4, method: 'app.info' , input: {}, extra: 1 });
    expect(badFrame.result.error?.message).toMatch(/malformed request frame/);

    // Garbage is dropped without closing the connection: the next call still works.
    ws.send('{{{ not json');
    const again = await call(ws, { id: 5, method: 'settings.get', input: { key: 'ui.locale' } });
    expect(again.result).toEqual({ ok: true, value: { value: null } });
    ws.close();
  });

  it('ends the local-media leases of a page whose socket closes (no ffmpeg for a vanished page)', async () => {
    await start();
    const ws = await connect();
    const watched = await call(ws, { id: 1, method: 'media.watch', input: { rtspUri: 'rtsp://127.0.0.1:9/gone' } });
    expect(watched.result.ok).toBe(true);
    const { streamId } = watched.result.value as { streamId: string };
    expect(services.media.status(streamId)?.watchers).toBe(1);
    ws.close();
    const deadline = Date.now() + 5_000;
    while (services.media.status(streamId)?.watchers !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(services.media.status(streamId)?.watchers ?? 0).toBe(0);
  });

  it('pushes events to every connected page', async () => {
    await start();
    const a = await connect();
    const b = await connect();
    const pushed = new Promise<unknown>((ok) => b.once('message', (d: Buffer) => ok(JSON.parse(d.toString()))));
    await call(a, { id: 1, method: 'settings.set', input: { key: 'ui.locale', value: 'kk' } });
    expect(await pushed).toEqual({ event: 'settings.changed', payload: { key: 'ui.locale' } });
    a.close();
    b.close();
  });

  it('refuses WebSocket connections from any other origin', async () => {
    await start();
    await expect(connect({ origin: 'http://evil.example' })).rejects.toThrow(/403/);
    await expect(connect({ origin: host.origin.replace(/:\d+$/, ':1') })).rejects.toThrow(/403/);
  });

  it('refuses a page of another site that resolved its name to loopback (DNS rebinding)', async () => {
    await start();
    const evil = `evil.example:${host.port}`;
    await expect(connect({ hostHeader: evil, origin: `http://${evil}` })).rejects.toThrow(/403/);
    const ok = await connect({ hostHeader: `localhost:${host.port}`, origin: `http://localhost:${host.port}` });
    ok.close();
  });

  it('requires the token when one is set, and always beyond loopback', async () => {
    expect(resolveToken('127.0.0.1', undefined)).toBeNull();
    expect(resolveToken('0.0.0.0', undefined)).toMatch(/^[\w-]{32}$/);
    expect(resolveToken('192.0.2.10', 'a-long-enough-token-123')).toBe('a-long-enough-token-123');
    expect(() => resolveToken('0.0.0.0', 'short')).toThrow(/16 characters/);

    await start('a-long-enough-token-123');
    expect(host.url).toContain('?token=a-long-enough-token-123');
    await expect(connect()).rejects.toThrow(/403/);
    await expect(connect({ query: '?token=a-long-enough-token-124' })).rejects.toThrow(/403/);
    const ws = await connect({ query: '?token=a-long-enough-token-123' });
    expect((await call(ws, { id: 1, method: 'app.info', input: {} })).result.ok).toBe(true);
    ws.close();
  });
});
