import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, setLogLevel } from '../shared/log';
import { ManualClock } from './clock';
import { MEDIA_EPOCH, MediaLibrary } from './media';
import { startSimulator, type Simulator } from './server';

setLogLevel('warn');
const log = createLogger('sim.media.test');

interface Parsed {
  tags: Map<string, string>;
  segments: { uri: string; seq: number; pdt: number; duration: number; discontinuity: boolean; disc: number }[];
  text: string;
}

/** A small but strict reader of a live media playlist, as a player would interpret it. */
function parsePlaylist(text: string): Parsed {
  const lines = text.trim().split('\n');
  expect(lines[0]).toBe('#EXTM3U');
  const tags = new Map<string, string>();
  const segments: Parsed['segments'] = [];
  let pending: { pdt?: number; duration?: number; discontinuity: boolean } = { discontinuity: false };
  let seq = -1;
  let disc = -1;
  for (const line of lines.slice(1)) {
    if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) pending.pdt = Date.parse(line.slice(25));
    else if (line.startsWith('#EXTINF:')) pending.duration = Number(line.slice(8).split(',')[0]);
    else if (line === '#EXT-X-DISCONTINUITY') pending.discontinuity = true;
    else if (line.startsWith('#')) {
      const [k, v = ''] = line.split(/:(.*)/s);
      tags.set(k!, v);
      if (k === '#EXT-X-MEDIA-SEQUENCE') seq = Number(v);
      if (k === '#EXT-X-DISCONTINUITY-SEQUENCE') disc = Number(v);
    } else {
      expect(pending.duration).toBeGreaterThan(0);
      if (pending.discontinuity) disc++;
      segments.push({ uri: line, seq, pdt: pending.pdt!, duration: pending.duration!, discontinuity: pending.discontinuity, disc });
      seq++;
      pending = { discontinuity: false };
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
    for (const s of p.segments) {
      expect(s.uri).toBe(`seg/${s.seq}.ts`);
      expect(s.pdt).toBe(MEDIA_EPOCH + s.seq * 1000);
      expect(s.duration).toBeCloseTo(1, 3);
    }

    clock.advance(3000);
    const later = await playlist(url);
    expect(Number(later.tags.get('#EXT-X-MEDIA-SEQUENCE'))).toBe(Number(p.tags.get('#EXT-X-MEDIA-SEQUENCE')) + 3);
    expect(later.segments.at(-1)!.pdt).toBe(last.pdt + 3000);
    // Segments present in both playlists agree on everything, including their discontinuity number.
    for (const s of later.segments) {
      const same = p.segments.find((x) => x.seq === s.seq);
      if (same) expect(same).toEqual(s);
    }
  });

  it('marks every loop of the clip with a discontinuity, consistently across reloads', async () => {
    const url = camera().streams!.main;
    const seen = new Map<number, number>();
    const marked = new Set<number>();
    for (let i = 0; i < 14; i++) {
      const p = await playlist(url);
      for (const s of p.segments) {
        if (seen.has(s.seq)) expect(seen.get(s.seq)).toBe(s.disc);
        seen.set(s.seq, s.disc);
        if (s.discontinuity) marked.add(s.seq);
      }
      clock.advance(1000);
    }
    expect(marked.size).toBeGreaterThan(0);
    // The discontinuity number steps by one exactly at the marked segments, and only there.
    const seqs = [...seen.keys()].sort((a, b) => a - b);
    for (let i = 1; i < seqs.length; i++) expect(seen.get(seqs[i]!)! - seen.get(seqs[i - 1]!)!).toBe(marked.has(seqs[i]!) ? 1 : 0);
    // ... once per loop of the clip.
    const lib = MediaLibrary.load();
    if (!lib.ok) throw new Error(lib.error.message);
    const period = lib.value.placement(camera().id).length;
    const sorted = [...marked].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]! - sorted[i - 1]!).toBe(period);
  });

  it('serves the listed segments as MPEG-TS that repeat with the clip', async () => {
    const url = camera().streams!.sub;
    const p = await playlist(url);
    const base = url.replace(/index\.m3u8$/, '');
    const fetchSeg = async (seq: number) => {
      const res = await fetch(`${base}seg/${seq}.ts`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('video/mp2t');
      return Buffer.from(await res.arrayBuffer());
    };
    const segs = await Promise.all(p.segments.map((s) => fetchSeg(s.seq)));
    for (const seg of segs) {
      expect(seg.length % 188).toBe(0);
      for (let i = 0; i < seg.length; i += 188) if (seg[i] !== 0x47) throw new Error('MPEG-TS sync byte missing');
    }
    // Consecutive segments differ; the clip loop makes segment m and m + N identical.
    expect(segs[0]!.equals(segs[1]!)).toBe(false);
    const first = p.segments[0]!.seq;
    const lib = MediaLibrary.load();
    if (!lib.ok) throw new Error(lib.error.message);
    const period = lib.value.placement(camera().id).length;
    expect((await fetchSeg(first + period)).equals(segs[0]!)).toBe(true);
    // Not yet produced: 404.
    expect((await fetch(`${base}seg/${p.segments.at(-1)!.seq + 5}.ts`)).status).toBe(404);
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
        const file = join(dir, `${variant}.ts`);
        writeFileSync(file, Buffer.from(await (await fetch(camera().streams![variant].replace(/index\.m3u8$/, p.segments[2]!.uri))).arrayBuffer()));
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

  it('answers 404 for unknown cameras, non-cameras, bad variants and anything path-like', async () => {
    const sensor = sim.catalog.devices.find((d) => d.kind === 'smoke_sensor')!;
    const cam = camera().id;
    for (const path of [
      '/media/NOPE-CAM001/sub/index.m3u8',
      `/media/${sensor.id}/sub/index.m3u8`,
      `/media/${cam}/hd/index.m3u8`,
      `/media/${cam}/sub/seg/abc.ts`,
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
