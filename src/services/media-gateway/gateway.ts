/**
 * Local video when the city link is down: a camera's RTSP stream turned into HLS by ffmpeg with
 * stream copy (no transcoding), one ffmpeg per watched stream, restarted with backoff when it dies
 * or stalls, stopped when nobody watches, its files removed.
 *
 *   const gw = createMediaGateway({ rootDir: join(dataDir, 'local-media') });
 *   const lease = gw.watch('rtsp://10.1.0.2:554/Streaming/Channels/102');
 *   lease.playlist              // '/local-media/<id>/index.m3u8', served by the hosts from gw.resolveFile
 *   lease.release();            // the last release stops ffmpeg after a grace period
 *
 * The RTSP URI may carry credentials; it is never logged (see redact()) and never put on ffmpeg's
 * command line, which any local user can read in `ps` (/proc/<pid>/cmdline). ffmpeg 5.1 (Debian 12)
 * has no option that reads a URL or a password from a file or the environment (`-/opt file` came in
 * 7.0), and its RTSP demuxer takes credentials only inside the URL. So a URI with credentials is
 * handed over in an ffconcat script, mode 0600 in a 0700 folder that is never served, read once
 * when ffmpeg opens its input and removed as soon as the stream runs (or stops).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { createLogger } from '../../shared/log';

const log = createLogger('media-gateway');

export const MEDIA_PATH_PREFIX = '/local-media/';

export type StreamState = 'starting' | 'running' | 'restarting' | 'failed' | 'stopped';

export interface StreamStatus {
  id: string;
  state: StreamState;
  watchers: number;
  restarts: number;
  lastError: string | null;
  playlist: string;
}

export interface MediaGatewayOptions {
  rootDir: string;
  /** ffmpeg executable; default `ffmpeg` from PATH (or KUZET_FFMPEG). */
  ffmpegPath?: string;
  segmentSeconds?: number;
  /** Restart delays grow from minBackoffMs to maxBackoffMs. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** No new playlist for this long while running: ffmpeg is killed and restarted. */
  stallMs?: number;
  /** Keep a stream this long after its last watcher left (tiles re-mount). */
  graceMs?: number;
  onStatus?: (status: StreamStatus) => void;
}

export interface Lease {
  id: string;
  playlist: string;
  release(): void;
}

export interface MediaGateway {
  watch(rtspUri: string): Lease;
  status(id: string): StreamStatus | null;
  list(): StreamStatus[];
  /** A request path under MEDIA_PATH_PREFIX -> a file inside rootDir, or null. */
  resolveFile(urlPath: string): string | null;
  /** Whether ffmpeg can be run, with a message for the operator when not. */
  checkFfmpeg(): Promise<{ ok: boolean; message: string }>;
  close(): Promise<void>;
}

interface Stream {
  id: string;
  uri: string;
  dir: string;
  watchers: number;
  child: ChildProcess | null;
  state: StreamState;
  restarts: number;
  failuresInRow: number;
  startedAt: number;
  lastError: string | null;
  restartTimer: NodeJS.Timeout | null;
  graceTimer: NodeJS.Timeout | null;
  watchdog: NodeJS.Timeout | null;
  stderrTail: string;
}

export function redact(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//***@');
}

export function createMediaGateway(options: MediaGatewayOptions): MediaGateway {
  const ffmpeg = options.ffmpegPath ?? process.env.KUZET_FFMPEG ?? 'ffmpeg';
  const segment = options.segmentSeconds ?? 1;
  const minBackoff = options.minBackoffMs ?? 500;
  const maxBackoff = options.maxBackoffMs ?? 10_000;
  const stallMs = options.stallMs ?? 10_000;
  const graceMs = options.graceMs ?? 5_000;
  const root = resolve(options.rootDir);
  mkdirSync(root, { recursive: true });
  const streams = new Map<string, Stream>();
  let closed = false;

  const statusOf = (s: Stream): StreamStatus => ({
    id: s.id,
    state: s.state,
    watchers: s.watchers,
    restarts: s.restarts,
    lastError: s.lastError,
    playlist: `${MEDIA_PATH_PREFIX}${s.id}/index.m3u8`,
  });
  const notify = (s: Stream) => {
    try {
      options.onStatus?.(statusOf(s));
    } catch (e) {
      log.warn('status listener threw', { error: String(e) });
    }
  };

  const privateDir = join(root, '.private');
  mkdirSync(privateDir, { recursive: true, mode: 0o700 });
  chmodSync(privateDir, 0o700);
  const secretFile = (s: Stream) => join(privateDir, `${s.id}.ffconcat`);
  const forgetSecret = (s: Stream) => rmSync(secretFile(s), { force: true });

  // -rtsp_transport tcp: cameras behind NAT or a firewall rarely pass RTP over UDP.
  // -timeout (µs): a silent camera ends ffmpeg instead of hanging it.
  const RTSP_OPTIONS = { rtsp_transport: 'tcp', timeout: '5000000' };

  const inputArgs = (s: Stream): string[] => {
    const url = new URL(s.uri);
    if (!url.username && !url.password) return [...Object.entries(RTSP_OPTIONS).flatMap(([k, v]) => [`-${k}`, v]), '-i', s.uri];
    // The concat demuxer opens the one "file" with the options given under it.
    const script = ['ffconcat version 1.0', `file '${s.uri.replace(/'/g, "'\\''")}'`, ...Object.entries(RTSP_OPTIONS).map(([k, v]) => `option ${k} ${v}`), ''].join('\n');
    writeFileSync(secretFile(s), script, { mode: 0o600 });
    return ['-f', 'concat', '-safe', '0', '-protocol_whitelist', 'file,rtsp,rtsps,tcp,udp,rtp,tls', '-i', secretFile(s)];
  };

  const args = (s: Stream) => [
    '-hide_banner',
    '-loglevel', 'error',
    '-nostdin',
    // Cameras describe their H.264 in the SDP; a short probe gets the first segment out sooner.
    '-analyzeduration', '1000000',
    '-probesize', '500000',
    ...inputArgs(s),
    '-map', '0:v:0',
    '-c:v', 'copy',
    // Camera audio is often G.711, which browsers cannot play from HLS; video only.
    '-an',
    '-f', 'hls',
    '-hls_time', String(segment),
    '-hls_list_size', '6',
    '-hls_flags', 'delete_segments+independent_segments+temp_file',
    '-hls_segment_filename', join(s.dir, 'seg%06d.ts'),
    join(s.dir, 'index.m3u8'),
  ];

  const start = (s: Stream) => {
    if (closed || s.watchers === 0) return;
    rmSync(s.dir, { recursive: true, force: true });
    mkdirSync(s.dir, { recursive: true });
    s.state = s.restarts === 0 && s.failuresInRow === 0 ? 'starting' : 'restarting';
    s.startedAt = Date.now();
    s.stderrTail = '';
    notify(s);
    let child: ChildProcess;
    try {
      child = spawn(ffmpeg, args(s), { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e) {
      return onExit(s, null, e instanceof Error ? e.message : String(e));
    }
    s.child = child;
    child.stderr!.on('data', (c: Buffer) => {
      s.stderrTail = (s.stderrTail + c.toString()).slice(-2000);
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      const message = e.code === 'ENOENT' ? `ffmpeg not found ("${ffmpeg}"): install ffmpeg or set its path (KUZET_FFMPEG)` : e.message;
      onExit(s, child, message);
    });
    child.on('exit', (code, signal) => onExit(s, child, `ffmpeg exited (${signal ?? code}): ${redactText(s.stderrTail.trim().split('\n').pop() ?? '', s.uri)}`));
    s.watchdog = setInterval(() => {
      const playlist = join(s.dir, 'index.m3u8');
      let age = Infinity;
      try {
        age = Date.now() - statSync(playlist).mtimeMs;
      } catch {
        // not written yet
      }
      if (s.state !== 'running' && age < stallMs) {
        forgetSecret(s);
        s.state = 'running';
        s.failuresInRow = 0;
        notify(s);
      }
      const sinceStart = Date.now() - s.startedAt;
      if (sinceStart > stallMs && age > stallMs && s.child === child) {
        log.warn('stream stalled; restarting', { id: s.id });
        s.lastError = `no video for ${Math.round(Math.min(age, sinceStart) / 1000)} s`;
        child.kill('SIGKILL');
      }
    }, 500);
  };

  const onExit = (s: Stream, child: ChildProcess | null, reason: string) => {
    if (child && s.child !== child) return;
    s.child = null;
    forgetSecret(s);
    if (s.watchdog) clearInterval(s.watchdog);
    s.watchdog = null;
    if (s.state === 'stopped') return;
    s.lastError = s.lastError && reason.startsWith('ffmpeg exited (SIGKILL)') ? s.lastError : reason;
    if (closed || s.watchers === 0) return;
    if (/ffmpeg not found/.test(reason)) {
      s.state = 'failed';
      notify(s);
      return;
    }
    // A run that lasted is not a failure streak: start again from the shortest delay.
    if (Date.now() - s.startedAt > 30_000) s.failuresInRow = 0;
    const delay = Math.min(maxBackoff, minBackoff * 2 ** s.failuresInRow);
    s.failuresInRow++;
    s.restarts++;
    s.state = 'restarting';
    log.info('stream restarting', { id: s.id, inMs: delay, error: s.lastError });
    notify(s);
    s.restartTimer = setTimeout(() => {
      s.restartTimer = null;
      start(s);
    }, delay);
  };

  const stop = (s: Stream) => {
    s.state = 'stopped';
    if (s.restartTimer) clearTimeout(s.restartTimer);
    if (s.graceTimer) clearTimeout(s.graceTimer);
    if (s.watchdog) clearInterval(s.watchdog);
    s.restartTimer = s.graceTimer = s.watchdog = null;
    const child = s.child;
    s.child = null;
    streams.delete(s.id);
    notify(s);
    forgetSecret(s);
    const cleanup = () => rmSync(s.dir, { recursive: true, force: true });
    // A child whose spawn failed has no pid and never emits 'exit'.
    if (child && child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      return new Promise<void>((done) => {
        const kill = setTimeout(() => child.kill('SIGKILL'), 2_000);
        const finish = () => {
          clearTimeout(kill);
          cleanup();
          done();
        };
        child.once('exit', finish);
        child.once('error', finish);
        child.kill('SIGTERM');
      });
    }
    cleanup();
    return Promise.resolve();
  };

  return {
    watch(rtspUri) {
      if (closed) throw new Error('media gateway closed');
      let url: URL;
      try {
        url = new URL(rtspUri);
      } catch {
        throw new Error('not an RTSP URI');
      }
      if (url.protocol !== 'rtsp:' && url.protocol !== 'rtsps:') throw new Error(`not an RTSP URI (${url.protocol})`);
      const id = createHash('sha256').update(rtspUri).digest('hex').slice(0, 16);
      let s = streams.get(id);
      if (!s) {
        s = {
          id,
          uri: rtspUri,
          dir: join(root, id),
          watchers: 0,
          child: null,
          state: 'starting',
          restarts: 0,
          failuresInRow: 0,
          startedAt: 0,
          lastError: null,
          restartTimer: null,
          graceTimer: null,
          watchdog: null,
          stderrTail: '',
        };
        streams.set(id, s);
      }
      const stream = s;
      stream.watchers++;
      if (stream.graceTimer) {
        clearTimeout(stream.graceTimer);
        stream.graceTimer = null;
      }
      if (!stream.child && !stream.restartTimer) {
        log.info('stream watched', { id, uri: redact(rtspUri) });
        start(stream);
      } else notify(stream);
      let released = false;
      return {
        id,
        playlist: `${MEDIA_PATH_PREFIX}${id}/index.m3u8`,
        release() {
          if (released) return;
          released = true;
          stream.watchers--;
          notify(stream);
          if (stream.watchers === 0) {
            stream.graceTimer = setTimeout(() => void stop(stream), graceMs);
          }
        },
      };
    },
    status: (id) => {
      const s = streams.get(id);
      return s ? statusOf(s) : null;
    },
    list: () => [...streams.values()].map(statusOf),
    resolveFile(urlPath) {
      if (!urlPath.startsWith(MEDIA_PATH_PREFIX)) return null;
      const m = /^([0-9a-f]{16})\/(index\.m3u8|seg\d{6}\.ts)$/.exec(urlPath.slice(MEDIA_PATH_PREFIX.length));
      if (!m || !streams.has(m[1]!)) return null;
      const file = join(root, m[1]!, m[2]!);
      return file.startsWith(root + sep) ? file : null;
    },
    checkFfmpeg: () =>
      new Promise((resolveCheck) => {
        const child = spawn(ffmpeg, ['-hide_banner', '-version'], { stdio: ['ignore', 'pipe', 'ignore'] });
        let out = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.on('error', (e: NodeJS.ErrnoException) =>
          resolveCheck({ ok: false, message: e.code === 'ENOENT' ? `ffmpeg not found ("${ffmpeg}"): install ffmpeg or set its path (KUZET_FFMPEG)` : e.message }),
        );
        child.on('exit', (code) => resolveCheck(code === 0 ? { ok: true, message: out.split('\n')[0] ?? 'ffmpeg' } : { ok: false, message: `ffmpeg -version exited with ${code}` }));
      }),
    async close() {
      closed = true;
      await Promise.all([...streams.values()].map((s) => stop(s)));
    },
  };
}

function redactText(text: string, uri: string): string {
  return text.split(uri).join(redact(uri)).replace(/rtsps?:\/\/[^@\s/]*@/g, 'rtsp://***@');
}
