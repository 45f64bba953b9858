/**
 * Live HLS for every simulated camera from a handful of pre-encoded clips
 * (scripts/encode-clips.sh -> resources/video/<clip>/<main|sub>/seg<N>.ts + manifest.json).
 *
 *   GET /media/<cameraId>/<main|sub>/index.m3u8     live sliding-window media playlist
 *   GET /media/<cameraId>/<main|sub>/seg/<m>.ts     media segment with media sequence number m
 *
 * The timeline is pure arithmetic on the clock, so 10,000 cameras cost nothing until watched:
 * segment m covers [MEDIA_EPOCH + m*d, MEDIA_EPOCH + (m+1)*d) and is listed once it is complete.
 * A camera plays clip hash(id) % clips from a per-camera offset; segment m is clip segment
 * (m + offset) % N, and a new loop (which resets the clip's timestamps) is marked with
 * EXT-X-DISCONTINUITY. The discontinuity sequence of segment m is floor((m + offset) / N), so
 * playlists fetched at any time agree with each other. Segments are served from memory by number;
 * nothing in the URL ever becomes a file path.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { err, ok, type Result } from '../shared/result';
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
  segments: z
    .array(z.strictObject({ file: z.string().regex(/^seg\d{1,4}\.ts$/), duration: z.number().positive() }))
    .min(2)
    .max(1000),
});

interface ClipVariant {
  segments: Buffer[];
  durations: number[];
}

export class MediaLibrary {
  private constructor(
    readonly segmentMs: number,
    readonly clips: { name: string; variants: Record<Variant, ClipVariant> }[],
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
          return { segments: manifest.segments.map((s) => readFileSync(join(vdir, s.file))), durations: manifest.segments.map((s) => s.duration) };
        };
        const variants = { main: load('main'), sub: load('sub') };
        if (variants.main.segments.length !== variants.sub.segments.length) throw new Error(`clip ${name}: main and sub differ in length`);
        return { name, variants };
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

  playlist(cameraId: string, variant: Variant, now: number, window = PLAYLIST_WINDOW): string | null {
    const last = this.latestComplete(now);
    if (last < 0) return null;
    const first = Math.max(0, last - window + 1);
    const { clip, offset, length } = this.placement(cameraId);
    const durations = this.clips[clip]!.variants[variant].durations;
    const target = Math.ceil(Math.max(...durations));
    const lines = [
      '#EXTM3U',
      '#EXT-X-VERSION:3',
      `#EXT-X-TARGETDURATION:${target}`,
      `#EXT-X-MEDIA-SEQUENCE:${first}`,
      `#EXT-X-DISCONTINUITY-SEQUENCE:${Math.floor((first + offset) / length)}`,
      '#EXT-X-INDEPENDENT-SEGMENTS',
    ];
    for (let m = first; m <= last; m++) {
      const index = (m + offset) % length;
      // A loop restart resets the clip's timestamps; the first listed segment needs no marker
      // because DISCONTINUITY-SEQUENCE already counts it.
      if (index === 0 && m !== first) lines.push('#EXT-X-DISCONTINUITY');
      lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(MEDIA_EPOCH + m * this.segmentMs).toISOString()}`);
      lines.push(`#EXTINF:${durations[index]!.toFixed(3)},`);
      lines.push(`seg/${m}.ts`);
    }
    return `${lines.join('\n')}\n`;
  }

  /** The bytes of media sequence m, or null if it is not complete yet. */
  segment(cameraId: string, variant: Variant, m: number, now: number): Buffer | null {
    if (!Number.isSafeInteger(m) || m < 0 || m > this.latestComplete(now) + 1) return null;
    const { clip, offset, length } = this.placement(cameraId);
    return this.clips[clip]!.variants[variant].segments[(m + offset) % length]!;
  }
}

export interface MediaDeps {
  library: Result<MediaLibrary>;
  isCamera: (id: string) => boolean;
  isOffline: (id: string) => boolean;
  now: () => number;
}

const MEDIA_PATH = /^\/media\/([^/]{1,200})\/(main|sub)\/(?:(index\.m3u8)|seg\/(\d{1,15})\.ts)$/;

/** Handles a /media/... request (GET or HEAD); CORS headers are added by the caller. */
export function handleMedia(req: IncomingMessage, res: ServerResponse, pathname: string, deps: MediaDeps): void {
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
  if (deps.isOffline(cameraId)) {
    res.setHeader('Retry-After', '5');
    return fail(503, 'camera offline');
  }
  const library = deps.library.value;
  const now = deps.now();
  if (m[3]) {
    const text = library.playlist(cameraId, variant, now);
    if (text === null) return fail(503, 'no media yet');
    return send(200, 'application/vnd.apple.mpegurl', text, 'no-cache');
  }
  const segment = library.segment(cameraId, variant, Number(m[4]), now);
  if (!segment) return fail(404, 'no such segment');
  // A given (camera, variant, m) always has the same bytes.
  return send(200, 'video/mp2t', segment, 'public, max-age=3600, immutable');
}
