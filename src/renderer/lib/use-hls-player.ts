/**
 * All hls.js lifecycle of the console in one hook: one player per wall tile.
 *
 *   const view = useHlsPlayer(videoRef, lastFrameRef, { url, mediaOrigin, active });
 *   // view.state: refused | connecting | live | stale | offline | error | paused | idle
 *
 * - The URL is checked first (http(s) on the backend's media origin); a refused URL fetches nothing.
 * - A player is created when the source (or `active`) changes and destroyed, with the media element
 *   detached and emptied, in the effect's cleanup: a removed or hidden tile holds no decoder.
 * - The live config keeps latency low (sync ~1.5 s behind the edge) and buffers bounded for a 24/7 wall;
 *   a tile that played further behind after a stall returns once it has played a minute without one.
 * - A watchdog samples the element once a second: no new frame for a few seconds is "stale since";
 *   a fatal error is "offline" (source gone) or "error" (undecodable data). Either keeps the last
 *   frame on a canvas and rebuilds the player with exponential backoff until frames flow again.
 */
import Hls, { type ErrorData } from 'hls.js';
import { useEffect, useState, type RefObject } from 'react';
import { createLogger } from '../../shared/log';
import {
  advanced,
  backoffDelay,
  classifyFatal,
  fps as framesPerSecond,
  isFrozen,
  REBUILD_AFTER_MS,
  type FatalInfo,
  type ProgressSample,
  type TileState,
} from '../features/wall/health';
import { checkSource, type RefusalReason } from '../features/wall/stream-choice';
import { calmTargetLatency, liveConfig } from './hls-config';

const log = createLogger('hls-player');

export interface PlayerView {
  state: TileState;
  /** When the picture last moved, for stale / offline / error ("since hh:mm:ss"). */
  since: number | null;
  refusal: { reason: RefusalReason; detail: string } | null;
  fatal: FatalInfo | null;
  /** Frames shown per second over the last few seconds. */
  fps: number | null;
  /** Seconds behind the live edge (hls.js). */
  latency: number | null;
  /** Seconds from capture (program date-time) to display. */
  delay: number | null;
  /** The canvas holds the last frame seen. */
  lastFrame: boolean;
  /** Frames shown by the current player (tests and the benchmark watch this advance). */
  frames: number;
}

const IDLE: PlayerView = { state: 'idle', since: null, refusal: null, fatal: null, fps: null, latency: null, delay: null, lastFrame: false, frames: 0 };

/**
 * hls.js's ES module build cannot start its transmux worker by itself (only the UMD build can), so
 * without a worker path every tile's transmuxing ran on the page's main thread despite
 * enableWorker. Its classic worker script is shipped as an asset ('self' under the CSP).
 */
const HLS_WORKER_PATH = new URL('../../../node_modules/hls.js/dist/hls.worker.js', import.meta.url).href;

const SAMPLE_MS = 1000;
const FPS_WINDOW = 4;
/**
 * Last frames are kept small: they are only a reminder of what the camera showed, drawn dimmed in
 * the tile. At most the tile's width on screen (a 16-tile wall's 360p tile holds a quarter of the
 * pixels of a full-size copy: ~0.25 MB instead of ~0.9 MB per tile), never wider than 640 px.
 */
const LAST_FRAME_MAX_WIDTH = 640;
const LAST_FRAME_MIN_WIDTH = 160;
const CAPTURE_EVERY_SAMPLES = 5;

export interface HlsPlayerOptions {
  url: string | null | undefined;
  /** The backend's origin: the only place streams may come from. */
  mediaOrigin: string;
  /** False for hidden or off-screen tiles: no player at all. */
  active: boolean;
}

export function useHlsPlayer(
  videoRef: RefObject<HTMLVideoElement | null>,
  lastFrameRef: RefObject<HTMLCanvasElement | null>,
  { url, mediaOrigin, active }: HlsPlayerOptions,
): PlayerView {
  const [published, setPublished] = useState<{ key: string; view: PlayerView }>({ key: '', view: IDLE });
  const [supported] = useState(() => Hls.isSupported());
  const check = url === null || url === undefined ? null : checkSource(url, mediaOrigin);
  const playUrl = check?.ok ? check.url : null;
  const refusal = check && !check.ok ? check : null;
  const running = playUrl !== null && active && supported;
  /** Which player a published view belongs to: views of a replaced player are never shown. */
  const key = running ? playUrl : '';

  useEffect(() => {
    const el = videoRef.current;
    if (!running || !playUrl || !el) return;
    let disposed = false;
    let hls: Hls | null = null;
    let attempt = 0;
    let retryTimer: ReturnType<typeof setTimeout> | null = null;
    let startedAt = Date.now();
    /** When hls.js last reported a stall (or the player started): see calmTargetLatency. */
    let lastStallAt = startedAt;
    let lastProgressAt: number | null = null;
    let prev: ProgressSample | null = null;
    let samples: ProgressSample[] = [];
    let state: TileState = 'connecting';
    let since: number | null = null;
    let fatal: FatalInfo | null = null;
    let lastFrame = false;
    let mediaRecoveryTried = false;
    /** Until the playlist arrives, hls.js's own load policy (timeouts, retries) is in charge. */
    let manifestLoaded = false;
    let frames = 0;
    let sinceCapture = CAPTURE_EVERY_SAMPLES - 1;

    const publish = (extra: Partial<PlayerView> = {}) => {
      if (disposed) return;
      const next: PlayerView = { state, since, refusal: null, fatal, fps: null, latency: null, delay: null, lastFrame, frames, ...extra };
      setPublished((cur) => (cur.key === playUrl && sameView(cur.view, next) ? cur : { key: playUrl, view: next }));
    };

    // The last frame: while the picture moves, a reference to the current decoded frame is held
    // (a WebCodecs VideoFrame, no copy); it is painted into the tile's canvas only when the picture
    // stops. Painting a video into a canvas every few seconds per tile instead left every painted
    // frame in the renderer's image decode cache (~40 MB at 16 tiles; bench:wall).
    let held: VideoFrame | null = null;
    const drawable = () => el.readyState >= 2 && el.videoWidth > 0;
    const paintLastFrame = (source: CanvasImageSource, width: number, height: number) => {
      const canvas = lastFrameRef.current;
      if (!canvas) return;
      const shown = el.clientWidth * (globalThis.devicePixelRatio || 1);
      const max = Math.max(LAST_FRAME_MIN_WIDTH, Math.min(LAST_FRAME_MAX_WIDTH, shown > 0 ? Math.ceil(shown) : LAST_FRAME_MAX_WIDTH));
      const scale = Math.min(1, max / width);
      const w = Math.round(width * scale);
      const h = Math.round(height * scale);
      // Resizing a canvas reallocates its bitmap: only when the size really changes.
      if (canvas.width !== w) canvas.width = w;
      if (canvas.height !== h) canvas.height = h;
      try {
        canvas.getContext('2d')?.drawImage(source, 0, 0, w, h);
        lastFrame = true;
      } catch (e) {
        log.warn('could not keep the last frame', { error: e });
      }
    };
    /** While the picture moves: remember the current frame. */
    const holdFrame = () => {
      if (!drawable()) return;
      if (typeof VideoFrame === 'undefined') return paintLastFrame(el, el.videoWidth, el.videoHeight);
      try {
        const frame = new VideoFrame(el);
        held?.close();
        held = frame;
      } catch (e) {
        log.warn('could not hold the last frame', { error: e });
      }
    };
    /** The picture stops: show the newest frame there is. */
    const captureLastFrame = () => {
      holdFrame();
      if (held) paintLastFrame(held, held.displayWidth, held.displayHeight);
      else if (drawable()) paintLastFrame(el, el.videoWidth, el.videoHeight);
    };
    const releaseFrame = () => {
      held?.close();
      held = null;
    };

    const teardown = () => {
      if (hls) {
        hls.destroy();
        hls = null;
      }
      el.removeAttribute('src');
      el.load();
    };

    const scheduleRebuild = () => {
      teardown();
      const delay = backoffDelay(attempt++);
      retryTimer = setTimeout(() => {
        retryTimer = null;
        if (!disposed) start();
      }, delay);
    };

    const onError = (_: unknown, data: ErrorData) => {
      if (data.details === Hls.ErrorDetails.BUFFER_STALLED_ERROR) lastStallAt = Date.now();
      if (!data.fatal || disposed) return;
      // A media error is often one bad fragment: hls.js can recover in place once before a rebuild.
      if (data.type === Hls.ErrorTypes.MEDIA_ERROR && !mediaRecoveryTried && hls) {
        mediaRecoveryTried = true;
        hls.recoverMediaError();
        return;
      }
      const info = classifyFatal({ type: data.type, details: data.details, response: data.response });
      log.info('stream failed; retrying with backoff', { url: playUrl, details: data.details, status: info.httpStatus, attempt });
      if (state === 'live' || state === 'connecting' || state === 'stale') captureLastFrame();
      state = info.kind === 'offline' ? 'offline' : 'error';
      since ??= lastProgressAt ?? startedAt;
      fatal = info;
      publish();
      scheduleRebuild();
    };

    const start = () => {
      startedAt = Date.now();
      lastStallAt = startedAt;
      prev = null;
      samples = [];
      frames = 0;
      mediaRecoveryTried = false;
      manifestLoaded = false;
      const player: Hls = new Hls({ ...liveConfig(() => player), workerPath: HLS_WORKER_PATH });
      hls = player;
      player.on(Hls.Events.ERROR, onError);
      player.on(Hls.Events.MANIFEST_LOADED, () => {
        manifestLoaded = true;
      });
      player.attachMedia(el);
      player.loadSource(playUrl);
      el.play().catch(() => {
        // Replaced sources reject pending play() calls; muted autoplay itself is allowed.
      });
    };

    const sample = () => {
      if (disposed) return;
      const now = Date.now();
      if (!hls) return publish();
      const quality = el.getVideoPlaybackQuality?.();
      const s: ProgressSample = { at: now, currentTime: el.currentTime, frames: quality ? quality.totalVideoFrames : 0 };
      frames = s.frames;
      if (prev && advanced(prev, s)) {
        lastProgressAt = now;
        // A frozen element may no longer be drawable (readyState < 2), so the reminder is taken
        // while the picture still moves, every few seconds (a small blit per tile).
        if (++sinceCapture >= CAPTURE_EVERY_SAMPLES) {
          sinceCapture = 0;
          holdFrame();
        }
        if (state !== 'live') {
          state = 'live';
          since = null;
          fatal = null;
          attempt = 0;
        }
      } else if (isFrozen(now, lastProgressAt, startedAt)) {
        if (state === 'live' || state === 'connecting') {
          captureLastFrame();
          state = 'stale';
          since = lastProgressAt ?? startedAt;
        }
        const frozenFor = now - (lastProgressAt === null || lastProgressAt < startedAt ? startedAt : lastProgressAt);
        // A source that never answers is left to hls.js's timeouts, which name the cause (offline,
        // "no answer in time"); rebuilding first would restart them and keep the tile merely stale.
        if (frozenFor >= REBUILD_AFTER_MS && manifestLoaded) {
          log.info('picture frozen; rebuilding the player', { url: playUrl, attempt });
          scheduleRebuild();
        }
      }
      prev = s;
      samples.push(s);
      if (samples.length > FPS_WINDOW + 1) samples.shift();
      const calm = hls ? calmTargetLatency(hls.targetLatency, lastStallAt, now) : null;
      if (hls && calm !== null) hls.targetLatency = calm;
      const playing = hls?.playingDate;
      const latency = hls && Number.isFinite(hls.latency) && hls.latency > 0 ? hls.latency : null;
      publish({
        fps: state === 'live' ? framesPerSecond(samples) : null,
        latency: state === 'live' ? latency : null,
        delay: state === 'live' && playing ? Math.max(0, (now - playing.getTime()) / 1000) : null,
      });
    };

    el.muted = true;
    start();
    const timer = setInterval(sample, SAMPLE_MS);

    return () => {
      disposed = true;
      clearInterval(timer);
      if (retryTimer) clearTimeout(retryTimer);
      teardown();
      releaseFrame();
      // A later player of the same URL starts from "connecting", keeping only the last frame.
      setPublished((cur) => ({ key: '', view: { ...IDLE, lastFrame: cur.view.lastFrame } }));
    };
  }, [running, playUrl, videoRef, lastFrameRef]);

  if (refusal) return { ...IDLE, state: 'refused', refusal: { reason: refusal.reason, detail: refusal.detail } };
  if (!supported && playUrl) return { ...IDLE, state: 'error', fatal: { kind: 'error', reason: 'unsupported' } };
  if (!playUrl) return IDLE;
  if (!active) return { ...IDLE, state: 'paused', lastFrame: published.view.lastFrame };
  if (published.key !== key) return { ...IDLE, state: 'connecting', lastFrame: published.view.lastFrame };
  return published.view;
}

function sameView(a: PlayerView, b: PlayerView): boolean {
  const r1 = (n: number | null) => (n === null ? null : Math.round(n * 10));
  return (
    a.state === b.state &&
    a.since === b.since &&
    a.fatal?.reason === b.fatal?.reason &&
    a.fatal?.httpStatus === b.fatal?.httpStatus &&
    a.refusal?.reason === b.refusal?.reason &&
    a.lastFrame === b.lastFrame &&
    a.frames === b.frames &&
    r1(a.fps) === r1(b.fps) &&
    r1(a.latency) === r1(b.latency) &&
    r1(a.delay) === r1(b.delay)
  );
}
