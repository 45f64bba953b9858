import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, setLogLevel } from '../shared/log';
import { ManualClock } from './clock';
import { initTimescale, MEDIA_EPOCH, MediaLibrary, parseFragment, snapshotPath } from './media';
import { startSimulator, type Simulator } from './server';

setLogLevel('warn');
const log = createLogger('sim.media.test');

interface Parsed {
  tags: Map<string, string>;
  segments: { uri: string; seq: number; pdt: number; duration: number }[];
  text: string;
}

/** A small but strict reader of a live media playlist, as a player would interpret it. */
function parsePlaylist(text: string): Parsed {
  const lines = text.trim().split('\n');
  expect(lines[0]).toBe('#EXTM3U');
  const tags = new Map<string, string>();
  const segments: Parsed['segments'] = [];
  let pending: { pdt?: number; duration?: number } = {};
  let seq = -1;
  for (const line of lines.slice(1)) {
    if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) pending.pdt = Date.parse(line.slice(25));
    else if (line.startsWith('#EXTINF:')) pending.duration = Number(line.slice(8).split(',')[0]);
    else if (line.startsWith('#')) {
      const [k, v = ''] = line.split(/:(.*)/s);
      tags.set(k!, v);
      if (k === '#EXT-X-MEDIA-SEQUENCE') seq = Number(v);
    } else {
      expect(pending.duration).toBeGreaterThan(0);
      segments.push({ uri: line, seq, pdt: pending.pdt!, duration: pending.duration! });
      seq++;
      pending = {};
    }
  }
  return { tags, segments, text };
}

let sim: Simulator;
let clock: ManualClock;
const start = MEDIA_EPOCH + 1_000_000 * 1000 + 400;
beforeAll(async () => {
  clock = new ManualClock(start);
  sim = await startSimulator({ backgroundRate: 0, clock });
});
afterAll(() => sim.close());

async function injectStatus(schoolId: string, deviceId: string, status: 'offline' | 'normal'): Promise<void> {
  const res = await fetch(`${sim.url}/api/instructor/inject`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ event: { type: 'device.status', v: 1, schoolId, payload: { deviceId, status } } }),
  });
  expect(res.status).toBe(200);
}

const camera = () => sim.catalog.devices.find((d) => d.schoolId === 'GYM1' && d.kind === 'camera')!;

async function playlist(url: string): Promise<Parsed> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
  expect(res.headers.get('cache-control')).toBe('no-cache');
  return parsePlaylist(await res.text());
}

describe('live HLS', () => {
  it('serves a live sliding window that follows the clock', async () => {
    const url = camera().streams!.sub;
    const p = await playlist(url);
    expect(p.text).not.toMatch(/ENDLIST|PLAYLIST-TYPE/);
    expect(p.tags.get('#EXT-X-TARGETDURATION')).toBe('1');
    expect(p.segments).toHaveLength(6);
    const now = clock.now();
    const last = p.segments.at(-1)!;
    // The newest listed segment is complete: it ended at or before now, and less than 1 s ago.
    expect(last.pdt + 1000).toBeLessThanOrEqual(now);
    expect(now - (last.pdt + 1000)).toBeLessThan(1000);
    expect(p.tags.get('#EXT-X-MAP')).toBe('URI="init.mp4"');
    for (const s of p.segments) {
      expect(s.uri).toBe(`seg/${s.seq}.m4s`);
      expect(s.pdt).toBe(MEDIA_EPOCH + s.seq * 1000);
      expect(s.duration).toBeCloseTo(1, 3);
    }

    clock.advance(3000);
    const later = await playlist(url);
    expect(Number(later.tags.get('#EXT-X-MEDIA-SEQUENCE'))).toBe(Number(p.tags.get('#EXT-X-MEDIA-SEQUENCE')) + 3);
    expect(later.segments.at(-1)!.pdt).toBe(last.pdt + 3000);
    // Segments present in both playlists agree on everything.
    for (const s of later.segments) {
      const same = p.segments.find((x) => x.seq === s.seq);
      if (same) expect(same).toEqual(s);
    }
  });

  it('plays the looped clip as one timeline: no discontinuities, across reloads', async () => {
    const url = camera().streams!.main;
    for (let i = 0; i < 8; i++) {
      const p = await playlist(url);
      expect(p.text).not.toMatch(/DISCONTINUITY/);
      clock.advance(1000);
    }
  });

  it('serves the listed segments as fMP4 fragments whose decode times follow the sequence number', async () => {
    const url = camera().streams!.sub;
    const p = await playlist(url);
    const base = url.replace(/index\.m3u8$/, '');
    const init = await fetch(`${base}init.mp4`);
    expect(init.status).toBe(200);
    expect(init.headers.get('content-type')).toBe('video/mp4');
    const timescale = initTimescale(Buffer.from(await init.arrayBuffer()));
    expect(timescale).toBeGreaterThan(0);
    const fetchSeg = async (seq: number) => {
      const res = await fetch(`${base}seg/${seq}.m4s`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('video/iso.segment');
      return Buffer.from(await res.arrayBuffer());
    };
    const decodeTime = (seg: Buffer) => {
      const f = parseFragment(seg);
      return seg.readBigUInt64BE(f.tfdtAt);
    };
    const segs = await Promise.all(p.segments.map((s) => fetchSeg(s.seq)));
    segs.forEach((seg, i) => expect(decodeTime(seg)).toBe(BigInt(p.segments[i]!.seq) * BigInt(timescale)));
    expect(segs[0]!.equals(segs[1]!)).toBe(false);
    // The clip loop makes segment m and m + N the same pictures, at a later time.
    const first = p.segments[0]!.seq;
    const lib = MediaLibrary.load();
    if (!lib.ok) throw new Error(lib.error.message);
    const period = lib.value.placement(camera().id).length;
    const again = await fetchSeg(first + period);
    expect(decodeTime(again)).toBe(BigInt(first + period) * BigInt(timescale));
    const mdat = (seg: Buffer) => seg.subarray(seg.indexOf('mdat') - 4);
    expect(mdat(again).equals(mdat(segs[0]!))).toBe(true);
    // Not yet produced: 404.
    expect((await fetch(`${base}seg/${p.segments.at(-1)!.seq + 5}.m4s`)).status).toBe(404);
  });

  it('is real H.264 with a keyframe at the start of every segment (ffprobe)', async (ctx) => {
    let ffprobe = true;
    try {
      execFileSync('ffprobe', ['-version'], { stdio: 'ignore' });
    } catch {
      ffprobe = false;
    }
    if (!ffprobe) {
      log.warn('ffprobe not found on PATH; skipping the codec check of served segments');
      ctx.skip();
    }
    const dir = mkdtempSync(join(tmpdir(), 'kuzet-hls-'));
    try {
      for (const [variant, width, height] of [
        ['sub', 640, 360],
        ['main', 1280, 720],
      ] as const) {
        const p = await playlist(camera().streams![variant]);
        const file = join(dir, `${variant}.mp4`);
        const get = async (uri: string) => Buffer.from(await (await fetch(camera().streams![variant].replace(/index\.m3u8$/, uri))).arrayBuffer());
        writeFileSync(file, Buffer.concat([await get('init.mp4'), await get(p.segments[2]!.uri)]));
        const stream = JSON.parse(
          execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height,pix_fmt', '-of', 'json', file], { encoding: 'utf8' }),
        ) as { streams: { codec_name: string; width: number; height: number; pix_fmt: string }[] };
        expect(stream.streams[0]).toEqual({ codec_name: 'h264', width, height, pix_fmt: 'yuv420p' });
        const frames = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'frame=key_frame', '-of', 'csv=p=0', file], { encoding: 'utf8' })
          .trim()
          .split('\n')
          .map((l) => l.trim().replace(/,$/, ''));
        expect(frames[0]).toBe('1');
        expect(frames.length).toBe(15);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('holds a blocking playlist reload (_HLS_msn) until that segment is complete, then answers at once', async () => {
    const cam = camera();
    const url = cam.streams!.sub;
    const p = await playlist(url);
    expect(p.tags.get('#EXT-X-SERVER-CONTROL')).toBe('CAN-BLOCK-RELOAD=YES');
    const last = p.segments.at(-1)!.seq;
    // Already listed: answered without waiting.
    expect((await playlist(`${url}?_HLS_msn=${last}`)).segments.at(-1)!.seq).toBe(last);

    // The next one: held while the clock stands, answered when the segment has ended.
    let answered: Response | null = null;
    const held = fetch(`${url}?_HLS_msn=${last + 1}`).then((r) => (answered = r));
    const settle = () => new Promise((r) => setTimeout(r, 100));
    await settle();
    const untilComplete = p.segments.at(-1)!.pdt + 2000 - clock.now();
    clock.advance(untilComplete - 1);
    await settle();
    expect(answered).toBeNull();
    clock.advance(1);
    const res = await held;
    expect(res.status).toBe(200);
    const next = parsePlaylist(await res.text());
    expect(next.segments.at(-1)!.seq).toBe(last + 1);
    expect(next.segments.at(-1)!.pdt + 1000).toBe(clock.now());

    // A camera that goes offline while its request is held answers 503, as a plain request would.
    const gone = fetch(`${url}?_HLS_msn=${last + 2}`);
    await settle();
    await injectStatus(cam.schoolId, cam.id, 'offline');
    clock.advance(1000);
    const offline = await gone;
    expect(offline.status).toBe(503);
    expect(offline.headers.get('retry-after')).toBe('5');
    await injectStatus(cam.schoolId, cam.id, 'normal');
    // A client that gives up while held costs nothing afterwards.
    const aborted = new AbortController();
    const dropped = fetch(`${url}?_HLS_msn=${last + 3}`, { signal: aborted.signal }).catch((e: Error) => e.name);
    await settle();
    aborted.abort();
    expect(await dropped).toBe('AbortError');
    clock.advance(1000);
    expect((await playlist(url)).segments.at(-1)!.seq).toBe(last + 3);
  });

  it('refuses delivery directives it cannot honour, with the reason', async () => {
    const url = camera().streams!.sub;
    const last = (await playlist(url)).segments.at(-1)!.seq;
    for (const [query, reason] of [
      [`_HLS_msn=${last + 3}`, /more than two segments beyond the newest/],
      ['_HLS_msn=-1', /not a media sequence number/],
      ['_HLS_msn=1e3', /not a media sequence number/],
      ['_HLS_msn=9999999999999999', /not a media sequence number/],
      [`_HLS_msn=${last + 1}&_HLS_part=0`, /no partial segments/],
      ['_HLS_part=0', /_HLS_part without _HLS_msn/],
    ] as const) {
      const res = await fetch(`${url}?${query}`);
      expect(res.status, query).toBe(400);
      expect(await res.text(), query).toMatch(reason);
    }
  });

  it('serves a JPEG still per camera as AI evidence, on its own media origin', async () => {
    const res = await fetch(`${sim.url}${snapshotPath(camera().id)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    const bytes = Buffer.from(await res.arrayBuffer());
    // JPEG start-of-image marker, and more than a placeholder.
    expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(bytes.length).toBeGreaterThan(5000);
    expect((await fetch(`${sim.url}/media/NOPE-CAM001/snapshot.jpg`)).status).toBe(404);
  });

  it('answers 404 for unknown cameras, non-cameras, bad variants and anything path-like', async () => {
    const sensor = sim.catalog.devices.find((d) => d.kind === 'smoke_sensor')!;
    const cam = camera().id;
    for (const path of [
      '/media/NOPE-CAM001/sub/index.m3u8',
      `/media/${sensor.id}/sub/index.m3u8`,
      `/media/${cam}/hd/index.m3u8`,
      `/media/${cam}/sub/seg/abc.m4s`,
      `/media/${cam}/sub/seg/1.ts`,
      `/media/${cam}/sub/init.ts`,
      `/media/${cam}/sub/..%2F..%2F..%2Fpackage.json`,
      `/media/..%2F..%2Fresources%2Fvideo%2Fclips.json/sub/index.m3u8`,
      '/media/../../package.json',
      `/media/${cam}/sub/seg/0.ts/../../../../package.json`,
    ]) {
      const res = await fetch(`${sim.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toMatch(/"name": "kuzet"/);
    }
  });
});
