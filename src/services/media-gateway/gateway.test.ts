// The media gateway against a real RTSP source on loopback (ffmpeg-encoded test pattern relayed by
// a small RTSP server): HLS segments appear, the source dies and returns, the stream recovers; the
// last watcher leaving stops ffmpeg and removes the files.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../testing';
import { createMediaGateway, redact, type MediaGateway } from './gateway';
import { startRtspTestServer, type RtspTestServer } from './rtsp-test-server';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setup(o: Partial<Parameters<typeof createMediaGateway>[0]> = {}): { gw: MediaGateway; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'kuzet-media-'));
  const gw = createMediaGateway({ rootDir: root, graceMs: 200, minBackoffMs: 200, maxBackoffMs: 1_000, stallMs: 4_000, ...o });
  cleanups.push(async () => {
    await gw.close();
    rmSync(root, { recursive: true, force: true });
  });
  return { gw, root };
}

async function camera(credentials?: { username: string; password: string }): Promise<RtspTestServer> {
  const cam = await startRtspTestServer({ credentials });
  cleanups.push(() => cam.close());
  return cam;
}

function mediaSequence(gw: MediaGateway, playlistPath: string): number | null {
  const file = gw.resolveFile(playlistPath);
  if (!file || !existsSync(file)) return null;
  const m = /#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(readFileSync(file, 'utf8'));
  return m ? Number(m[1]) : null;
}

describe('media gateway', () => {
  it('turns RTSP into HLS by stream copy, recovers after the source dies and returns, and cleans up', async () => {
    const cam = await camera();
    const { gw, root } = setup();
    const t0 = Date.now();
    const lease = gw.watch(cam.url);
    const playlist = await until('first playlist', () => gw.resolveFile(lease.playlist) && existsSync(gw.resolveFile(lease.playlist)!) && lease.playlist);
    const firstMs = Date.now() - t0;
    const text = readFileSync(gw.resolveFile(playlist)!, 'utf8');
    expect(text).toMatch(/#EXTM3U/);
    expect(text).toMatch(/seg\d{6}\.ts/);
    await until('running state', () => gw.status(lease.id)?.state === 'running');
    const seqBefore = await until('segments advancing', () => {
      const s = mediaSequence(gw, playlist);
      return s !== null && s >= 2 ? s : null;
    });

    await cam.stop();
    await until('restart after the source died', () => (gw.status(lease.id)?.restarts ?? 0) > 0, 20_000);
    const tDown = Date.now();
    await cam.start();
    await until('segments again after the source returned', () => {
      const st = gw.status(lease.id);
      const s = mediaSequence(gw, playlist);
      return st?.state === 'running' && s !== null && s >= 1 ? true : null;
    }, 30_000);
    const recoverMs = Date.now() - tDown;
    process.stderr.write(`media-gateway: first playlist after ${firstMs} ms; back ${recoverMs} ms after the source returned (restarts ${gw.status(lease.id)?.restarts}, seq before ${seqBefore})\n`);

    lease.release();
    await until('stopped after the last watcher left', () => gw.status(lease.id) === null, 5_000);
    await until('files removed', () => readdirSync(root).filter((f) => f !== '.private').length === 0 && readdirSync(join(root, '.private')).length === 0, 5_000);
  }, 90_000);

  it('logs in to a camera that needs credentials without showing them on ffmpeg\'s command line', async () => {
    const cam = await camera({ username: 'admin', password: 'Pa55-word' });
    const { gw, root } = setup();
    const lease = gw.watch(cam.url);
    expect(cam.url).toContain('Pa55-word');
    await until('running', () => gw.status(lease.id)?.state === 'running');
    // Every process's command line, as `ps` shows it to any local user.
    const cmdlines = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
        } catch {
          return '';
        }
      });
    const ours = cmdlines.filter((c) => c.includes(root));
    expect(ours.length).toBeGreaterThan(0);
    for (const c of ours) expect(c).not.toContain('Pa55-word');
    // The camera really checked the credentials: a login without them is refused.
    const anonymous = gw.watch(cam.url.replace(/\/\/[^@]*@/, '//'));
    await until('anonymous viewer refused', () => cam.refused() > 0 && (gw.status(anonymous.id)?.restarts ?? 0) > 0);
    anonymous.release();
    // The script that carried them is gone once the stream runs.
    expect(readdirSync(join(root, '.private'))).toEqual([]);
    lease.release();
  }, 60_000);

  it('shares one ffmpeg between watchers of one stream and keeps it while anyone watches', async () => {
    const cam = await camera();
    const { gw } = setup();
    const a = gw.watch(cam.url);
    const b = gw.watch(cam.url);
    expect(b.id).toBe(a.id);
    expect(gw.list()).toHaveLength(1);
    a.release();
    a.release();
    await new Promise((r) => setTimeout(r, 400));
    expect(gw.status(a.id)?.watchers).toBe(1);
    b.release();
    await until('stopped', () => gw.status(a.id) === null, 5_000);
  }, 30_000);

  it('says clearly when ffmpeg is missing', async () => {
    const { gw } = setup({ ffmpegPath: '/nonexistent/ffmpeg' });
    expect((await gw.checkFfmpeg()).message).toMatch(/ffmpeg not found/);
    const lease = gw.watch('rtsp://127.0.0.1:9/x');
    await until('failed', () => gw.status(lease.id)?.state === 'failed', 5_000);
    expect(gw.status(lease.id)?.lastError).toMatch(/ffmpeg not found/);
    lease.release();
  });

  it('serves only its own files and refuses other paths', async () => {
    const { gw } = setup({ ffmpegPath: '/nonexistent/ffmpeg' });
    const lease = gw.watch('rtsp://admin:pw@127.0.0.1:9/x');
    expect(gw.resolveFile(lease.playlist)).toMatch(/index\.m3u8$/);
    expect(gw.resolveFile(`/local-media/${lease.id}/../../etc/passwd`)).toBeNull();
    expect(gw.resolveFile('/local-media/0123456789abcdef/index.m3u8')).toBeNull();
    expect(() => gw.watch('http://example.invalid/')).toThrow(/RTSP/);
    expect(redact('rtsp://admin:pw@10.0.0.2/x')).toBe('rtsp://***@10.0.0.2/x');
    lease.release();
  });
});
