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
});
