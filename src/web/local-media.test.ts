// Local video through the browser-mode host: a lease taken over the console API makes the stream's
// HLS appear under /local-media/ on the console's own origin; other paths there are 404.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startRtspTestServer } from '../services/media-gateway/rtsp-test-server';
import { createServices } from '../services/services';
import { startWebHost } from './server';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('local media on the web host', () => {
  it('serves a watched stream as HLS and nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kuzet-web-media-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const staticDir = join(dir, 'static');
    mkdirSync(staticDir);
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
    const services = createServices({ dataDir: join(dir, 'data'), host: 'web', backendUrl: 'http://127.0.0.1:9', embedded: false, version: 't' });
    cleanups.push(async () => {
      await services.media.close();
      services.close();
    });
    const host = await startWebHost({ port: 0, staticDir, backendUrl: 'http://127.0.0.1:9', router: services.router, media: services.media });
    cleanups.push(() => host.close());
    const cam = await startRtspTestServer();
    cleanups.push(() => cam.close());

    const ctx = { transport: 'test' as const, peer: 'local-media.test' };
    const watched = await services.router.call('media.watch', { rtspUri: cam.url }, ctx);
    expect(watched.ok).toBe(true);
    const { playlist, leaseId } = (watched as { value: { playlist: string; leaseId: string } }).value;
    expect(playlist).toMatch(/^\/local-media\/[0-9a-f]{16}\/index\.m3u8$/);

    const deadline = Date.now() + 20_000;
    let res = await fetch(`${host.origin}${playlist}`);
    while (res.status !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      res = await fetch(`${host.origin}${playlist}`);
    }
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    const segment = /seg\d{6}\.ts/.exec(text)?.[0];
    expect(segment).toBeTruthy();
    const seg = await fetch(`${host.origin}${playlist.replace('index.m3u8', segment!)}`);
    expect(seg.status).toBe(200);
    expect((await seg.arrayBuffer()).byteLength).toBeGreaterThan(1000);

    expect((await fetch(`${host.origin}/local-media/0123456789abcdef/index.m3u8`)).status).toBe(404);
    expect((await fetch(`${host.origin}/local-media/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
    expect(await services.router.call('media.watch', { rtspUri: 'http://x/' }, ctx)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await services.router.call('media.release', { leaseId }, ctx)).toMatchObject({ ok: true, value: { released: true } });
  }, 60_000);

  it('beyond loopback, requires the token on /local-media/ (query or the cookie the page got)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kuzet-web-media-token-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const staticDir = join(dir, 'static');
    mkdirSync(staticDir);
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
    const token = 'a-long-enough-token-for-media';
    const served = join(dir, 'seg000001.ts');
    writeFileSync(served, 'x'.repeat(2000));
    const media = { resolveFile: (p: string) => (p === '/local-media/0123456789abcdef/seg000001.ts' ? served : null) };
    const services = createServices({ dataDir: join(dir, 'data'), host: 'web', backendUrl: 'http://127.0.0.1:9', embedded: false, version: 't' });
    cleanups.push(async () => {
      await services.media.close();
      services.close();
    });
    // A token is what a host bound beyond loopback has; the check is the same on 127.0.0.1.
    const host = await startWebHost({ port: 0, staticDir, backendUrl: 'http://127.0.0.1:9', router: services.router, media, token });
    cleanups.push(() => host.close());
    const path = '/local-media/0123456789abcdef/seg000001.ts';
    expect((await fetch(`${host.origin}${path}`)).status).toBe(403);
    expect((await fetch(`${host.origin}${path}?token=wrong-token-of-some-length`)).status).toBe(403);
    expect((await fetch(`${host.origin}${path}`, { headers: { cookie: 'kuzet_media=wrong' } })).status).toBe(403);
    expect((await fetch(`${host.origin}${path}?token=${token}`)).status).toBe(200);
    // The page loaded with the token gets a cookie that hls.js's relative segment requests carry.
    expect((await fetch(`${host.origin}/`)).headers.get('set-cookie')).toBeNull();
    const page = await fetch(host.url);
    const cookie = page.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^kuzet_media=.+; Path=\/local-media\/; HttpOnly; SameSite=Strict$/);
    expect((await fetch(`${host.origin}${path}`, { headers: { cookie: cookie.split(';')[0]! } })).status).toBe(200);
  });
});
