/**
 * Live HLS for every simulated camera from a handful of pre-encoded clips
 * (scripts/encode-clips.sh -> resources/video/<clip>/<main|sub>/init.mp4 + seg<N>.m4s + manifest.json).
 *
 *   GET /media/<cameraId>/<main|sub>/index.m3u8     live sliding-window media playlist
 *       ?_HLS_msn=<m>                               blocking reload: answered once segment m is listed
 *   GET /media/<cameraId>/<main|sub>/init.mp4       fMP4 initialization segment (EXT-X-MAP)
 *   GET /media/<cameraId>/<main|sub>/seg/<m>.m4s    media segment with media sequence number m
 *   GET /media/<cameraId>/snapshot.jpg              a still frame of the camera's clip (AI evidence)
 *
 * The timeline is pure arithmetic on the clock, so 10,000 cameras cost nothing until watched:
 * segment m covers [MEDIA_EPOCH + m*d, MEDIA_EPOCH + (m+1)*d) and is listed once it is complete.
 * A camera plays clip hash(id) % clips from a per-camera offset; segment m is clip segment
 * (m + offset) % N with its fragment decode time (tfdt) rewritten to m*d, so the looped clip is one
 * continuous timeline: no discontinuities, which players handle badly when many play at once (each
 * loop restart used to reset the timestamps, and walls of 4+ tiles stalled at every loop).
 * Segments are served from memory by number; nothing in the URL ever becomes a file path.
 *
 * Playlists offer blocking reload (EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES). Without it a player
 * polls once a target duration and sees a new segment up to one second after it was complete, and
 * a wall whose tiles all started together polls in the same phase, so every tile can be a second
 * late for as long as it plays. With `_HLS_msn` the request is held until that segment is
 * complete and answered at once: the player learns of each segment the moment it exists.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { err, ok, type Result } from '../shared/result';
import type { SimClock } from './clock';
import { hashString } from './rng';

/** Media sequence 0 starts here; fixed so that sequence numbers survive simulator restarts. */
export const MEDIA_EPOCH = Date.UTC(2024, 0, 1);
export const PLAYLIST_WINDOW = 6;
export const VARIANTS = ['main', 'sub'] as const;
export type Variant = (typeof VARIANTS)[number];

/** resources/video of this checkout; a bundled host (Electron) passes its own path instead. */
export function defaultVideoDir(): string {
  try {
    return fileURLToPath(new URL('../../resources/video', import.meta.url));
  } catch {
    // Not loaded from a file (e.g. bundled into a non-file URL): fall back to the working directory.
    return join(process.cwd(), 'resources', 'video');
  }
}

const ClipsFile = z.strictObject({
  fps: z.number().int().positive(),
  segmentSeconds: z.number().positive().max(10),
  clips: z.array(z.string().regex(/^[a-z0-9_-]{1,40}$/)).min(1).max(32),
});
const ManifestFile = z.strictObject({
  clip: z.string(),
  variant: z.enum(VARIANTS),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  fps: z.number().int().positive(),
  codecs: z.string().max(100),
  init: z.literal('init.mp4'),
  segments: z
    .array(z.strictObject({ file: z.string().regex(/^seg\d{1,4}\.m4s$/), duration: z.number().positive() }))
    .min(2)
    .max(1000),
});

interface Fragment {
  /** moof + mdat of the clip's segment (styp and sidx dropped: their times would be the clip's). */
  bytes: Buffer;
  /** Where the 64-bit baseMediaDecodeTime of the tfdt box sits in `bytes`. */
  tfdtAt: number;
  /** Where mfhd's 32-bit sequence number sits in `bytes`. */
  seqAt: number;
}

interface ClipVariant {
  init: Buffer;
  segments: Fragment[];
  durations: number[];
  /** Media timescale (mdhd): ticks per second of the decode times. */
  timescale: number;
}

/** ISO BMFF boxes directly inside bytes[start, end): type and [start, end) of each. */
function boxes(bytes: Buffer, start: number, end: number): { type: string; start: number; end: number }[] {
  const out: { type: string; start: number; end: number }[] = [];
  for (let at = start; at + 8 <= end; ) {
    const size = bytes.readUInt32BE(at);
    if (size < 8 || at + size > end) throw new Error(`bad box size ${size} at ${at}`);
    out.push({ type: bytes.toString('latin1', at + 4, at + 8), start: at, end: at + size });
    at += size;
  }
  return out;
}

function child(bytes: Buffer, parent: { start: number; end: number }, type: string, header = 8) {
  const b = boxes(bytes, parent.start + header, parent.end).find((x) => x.type === type);
  if (!b) throw new Error(`no ${type} box`);
  return b;
}

/** The media timescale of a single-track init segment (moov/trak/mdia/mdhd). */
export function initTimescale(init: Buffer): number {
  const moov = boxes(init, 0, init.length).find((b) => b.type === 'moov');
  if (!moov) throw new Error('no moov box');
  const mdhd = child(init, child(init, child(init, moov, 'trak'), 'mdia'), 'mdhd');
  const version = init[mdhd.start + 8];
  return init.readUInt32BE(mdhd.start + (version === 1 ? 28 : 20));
}

/** A media segment reduced to moof + mdat, with the offsets of what the server rewrites. */
export function parseFragment(file: Buffer): Fragment {
  const top = boxes(file, 0, file.length);
  const moof = top.find((b) => b.type === 'moof');
  const mdat = top.find((b) => b.type === 'mdat');
  if (!moof || !mdat || mdat.start !== moof.end) throw new Error('not a moof + mdat fragment');
  const traf = child(file, moof, 'traf');
  const tfhd = child(file, traf, 'tfhd');
  // Sample data offsets must be relative to moof (default-base-is-moof, no explicit base offset),
  // or dropping the boxes in front of moof would move them.
  const flags = file.readUInt32BE(tfhd.start + 8) & 0xffffff;
  if (flags & 0x1 || !(flags & 0x20000)) throw new Error('fragment data offsets are not relative to moof');
  const tfdt = child(file, traf, 'tfdt');
  if (file[tfdt.start + 8] !== 1) throw new Error('tfdt is not version 1 (64-bit)');
  const mfhd = child(file, moof, 'mfhd');
  const bytes = Buffer.from(file.subarray(moof.start, mdat.end));
  return { bytes, tfdtAt: tfdt.start + 12 - moof.start, seqAt: mfhd.start + 12 - moof.start };
}

export class MediaLibrary {
  private constructor(
    readonly segmentMs: number,
    readonly clips: { name: string; variants: Record<Variant, ClipVariant>; snapshot: Buffer | null }[],
  ) {}

  /** Loads and checks every clip once; everything is served from memory afterwards. */
  static load(dir: string = defaultVideoDir()): Result<MediaLibrary> {
    try {
      const index = ClipsFile.safeParse(JSON.parse(readFileSync(join(dir, 'clips.json'), 'utf8')));
      if (!index.success) return err('internal', `${dir}/clips.json is not a clip index`);
      const segmentSeconds = index.data.segmentSeconds;
      const clips = index.data.clips.map((name) => {
        const load = (variant: Variant): ClipVariant => {
          const vdir = join(dir, name, variant);
          const manifest = ManifestFile.parse(JSON.parse(readFileSync(join(vdir, 'manifest.json'), 'utf8')));
          // The arithmetic timeline needs segments of one fixed length (the encode script makes them so).
          for (const s of manifest.segments)
            if (Math.abs(s.duration - segmentSeconds) > 0.01) throw new Error(`${vdir}/${s.file} lasts ${s.duration}s, not ${segmentSeconds}s`);
          const init = readFileSync(join(vdir, manifest.init));
          const segments = manifest.segments.map((s) => {
            try {
              return parseFragment(readFileSync(join(vdir, s.file)));
            } catch (e) {
              throw new Error(`${vdir}/${s.file}: ${(e as Error).message}`);
            }
          });
          return { init, segments, durations: manifest.segments.map((s) => s.duration), timescale: initTimescale(init) };
        };
        const variants = { main: load('main'), sub: load('sub') };
        if (variants.main.segments.length !== variants.sub.segments.length) throw new Error(`clip ${name}: main and sub differ in length`);
        // A still of the clip (scripts/encode-clips.sh): detections link it as their evidence.
        const still = join(dir, name, 'snapshot.jpg');
        return { name, variants, snapshot: existsSync(still) ? readFileSync(still) : null };
      });
      return ok(new MediaLibrary(Math.round(segmentSeconds * 1000), clips));
    } catch (e) {
      return err('internal', `cannot load the simulator's video clips from ${dir}: ${(e as Error).message}`);
    }
  }

  /** Which clip a camera shows, and from where in it; stable for a camera id. */
  placement(cameraId: string): { clip: number; offset: number; length: number } {
    const h = hashString(cameraId);
    const clip = h % this.clips.length;
    const length = this.clips[clip]!.variants.main.segments.length;
    return { clip, offset: hashString(`${cameraId}#offset`) % length, length };
  }

  /** The newest complete segment's media sequence number at `now` (-1 before the epoch). */
  latestComplete(now: number): number {
    return Math.floor((now - MEDIA_EPOCH) / this.segmentMs) - 1;
  }

  /** The end of the newest complete segment at `now`: the last frame a player can have (null before the epoch). */
  lastFrameAt(now: number): number | null {
    const last = this.latestComplete(now);
    return last < 0 ? null : MEDIA_EPOCH + (last + 1) * this.segmentMs;
  }

  playlist(cameraId: string, variant: Variant, now: number, window = PLAYLIST_WINDOW): string | null {
    const last = this.latestComplete(now);
    if (last < 0) return null;
    const first = Math.max(0, last - window + 1);
    const { clip, offset, length } = this.placement(cameraId);
    const durations = this.clips[clip]!.variants[variant].durations;
    const target = Math.ceil(Math.max(...durations));
    const lines = [
      '#EXTM3U',
      '#EXT-X-VERSION:7',
      `#EXT-X-TARGETDURATION:${target}`,
      `#EXT-X-MEDIA-SEQUENCE:${first}`,
      '#EXT-X-INDEPENDENT-SEGMENTS',
      // No HOLD-BACK: the spec's default (3 target durations) applies to players that keep it; our
      // wall's player sets its own distance to the live edge (renderer/lib/hls-config.ts).
      '#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES',
      '#EXT-X-MAP:URI="init.mp4"',
    ];
    for (let m = first; m <= last; m++) {
      const index = (m + offset) % length;
      lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(MEDIA_EPOCH + m * this.segmentMs).toISOString()}`);
      lines.push(`#EXTINF:${durations[index]!.toFixed(3)},`);
      lines.push(`seg/${m}.m4s`);
    }
    return `${lines.join('\n')}\n`;
  }

  /** The JPEG still of the camera's clip, or null if the clips have none. */
  snapshot(cameraId: string): Buffer | null {
    return this.clips[this.placement(cameraId).clip]!.snapshot;
  }

  /** The initialization segment of a camera's variant. */
  init(cameraId: string, variant: Variant): Buffer {
    return this.clips[this.placement(cameraId).clip]!.variants[variant].init;
  }

  /**
   * The bytes of media sequence m, or null if it is not complete yet: the clip's fragment with its
   * decode time set to m segment durations (one continuous timeline across loops of the clip).
   */
  segment(cameraId: string, variant: Variant, m: number, now: number): Buffer | null {
    if (!Number.isSafeInteger(m) || m < 0 || m > this.latestComplete(now) + 1) return null;
    const { clip, offset, length } = this.placement(cameraId);
    const v = this.clips[clip]!.variants[variant];
    const fragment = v.segments[(m + offset) % length]!;
    const out = Buffer.from(fragment.bytes);
    out.writeBigUInt64BE((BigInt(m) * BigInt(this.segmentMs) * BigInt(v.timescale)) / 1000n, fragment.tfdtAt);
    out.writeUInt32BE((m + 1) % 0x1_0000_0000, fragment.seqAt);
    return out;
  }
}

export interface MediaDeps {
  library: Result<MediaLibrary>;
  isCamera: (id: string) => boolean;
  isOffline: (id: string) => boolean;
  /** The timeline's time, and the timers that hold blocking playlist reloads. */
  clock: Pick<SimClock, 'now' | 'setTimeout' | 'clearTimeout'>;
}

/**
 * The blocking-reload directives of a playlist request (HLS, "Delivery Directives"): the media
 * sequence number to wait for, none, or why the request is refused. This server has no partial
 * segments, so _HLS_part is refused; _HLS_skip is ignored (the full playlist is the answer).
 */
export function blockingDirective(query: URLSearchParams): Result<number | null> {
  const msn = query.get('_HLS_msn');
  if (query.has('_HLS_part')) {
    return err('bad_request', msn === null ? '_HLS_part without _HLS_msn' : 'this playlist has no partial segments (_HLS_part)');
  }
  if (msn === null) return ok(null);
  if (!/^\d{1,15}$/.test(msn)) return err('bad_request', '_HLS_msn is not a media sequence number');
  return ok(Number(msn));
}

const MEDIA_PATH = /^\/media\/([^/]{1,200})\/(?:(main|sub)\/(?:(index\.m3u8)|(init\.mp4)|seg\/(\d{1,15})\.m4s)|(snapshot\.jpg))$/;

/** Where a camera's evidence still is, relative to the backend's (media) origin. */
export function snapshotPath(cameraId: string): string {
  return `/media/${encodeURIComponent(cameraId)}/snapshot.jpg`;
}

/** Handles a /media/... request (GET or HEAD); CORS headers are added by the caller. */
export function handleMedia(req: IncomingMessage, res: ServerResponse, pathname: string, query: URLSearchParams, deps: MediaDeps): void {
  const head = req.method === 'HEAD';
  const send = (status: number, type: string, body: string | Buffer, cache: string) => {
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': cache });
    res.end(head ? undefined : body);
  };
  const fail = (status: number, message: string) => send(status, 'text/plain; charset=utf-8', `${message}\n`, 'no-store');

  if (req.method !== 'GET' && !head) {
    res.setHeader('Allow', 'GET, HEAD, OPTIONS');
    return fail(405, 'method not allowed');
  }
  const m = MEDIA_PATH.exec(pathname);
  if (!m) return fail(404, 'not found');
  let cameraId: string;
  try {
    cameraId = decodeURIComponent(m[1]!);
  } catch {
    return fail(400, 'bad camera id');
  }
  const variant = m[2] as Variant;
  if (!deps.isCamera(cameraId)) return fail(404, 'unknown camera');
  if (!deps.library.ok) return fail(503, 'video is not available on this simulator');
  const library = deps.library.value;
  if (m[6]) {
    // Evidence was taken when the detection fired: it stays available while the camera is down.
    const still = library.snapshot(cameraId);
    if (!still) return fail(404, 'no snapshot for this camera');
    return send(200, 'image/jpeg', still, 'public, max-age=3600, immutable');
  }
  if (deps.isOffline(cameraId)) {
    res.setHeader('Retry-After', '5');
    return fail(503, 'camera offline');
  }
  const now = deps.clock.now();
  if (m[3]) {
    const answer = (at: number) => {
      const text = library.playlist(cameraId, variant, at);
      if (text === null) return fail(503, 'no media yet');
      return send(200, 'application/vnd.apple.mpegurl', text, 'no-cache');
    };
    const directive = blockingDirective(query);
    if (!directive.ok) return fail(400, directive.error.message);
    const msn = directive.value;
    const latest = library.latestComplete(now);
    if (msn === null || msn <= latest) return answer(now);
    // The spec's limit: at most two segments beyond the newest, so a request is held < 3 s.
    if (msn > latest + 2) return fail(400, `_HLS_msn ${msn} is more than two segments beyond the newest (${latest})`);
    // Answered the moment segment msn is complete. Timers may fire a millisecond early: a player
    // answered before the segment is listed would count a miss and back off half a second.
    const completeAt = MEDIA_EPOCH + (msn + 1) * library.segmentMs;
    let timer = deps.clock.setTimeout(function wake() {
      const at = deps.clock.now();
      if (at < completeAt) {
        timer = deps.clock.setTimeout(wake, completeAt - at);
        return;
      }
      res.off('close', abandon);
      if (deps.isOffline(cameraId)) {
        res.setHeader('Retry-After', '5');
        return fail(503, 'camera offline');
      }
      answer(at);
    }, completeAt - now);
    const abandon = () => deps.clock.clearTimeout(timer);
    res.once('close', abandon);
    return;
  }
  // A given camera's init, and a given (camera, variant, m), always have the same bytes.
  if (m[4]) return send(200, 'video/mp4', library.init(cameraId, variant), 'public, max-age=3600, immutable');
  const segment = library.segment(cameraId, variant, Number(m[5]), now);
  if (!segment) return fail(404, 'no such segment');
  return send(200, 'video/iso.segment', segment, 'public, max-age=3600, immutable');
}
