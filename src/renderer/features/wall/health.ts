// Tile health: what a player's observations mean for the operator. Pure; the player hook
// (lib/use-hls-player.ts) feeds it samples and acts on the answers.

export type TileState = 'idle' | 'refused' | 'connecting' | 'live' | 'stale' | 'offline' | 'error' | 'paused';

/** No new frame for this long while playing: the picture is frozen. */
export const STALE_AFTER_MS = 3000;
/** Frozen this long without a fatal error: rebuild the player. */
export const REBUILD_AFTER_MS = 10_000;
/** No first frame this long after starting: treat as frozen. */
export const FIRST_FRAME_TIMEOUT_MS = 12_000;
export const BACKOFF_BASE_MS = 1000;
export const BACKOFF_MAX_MS = 10_000;

/** Exponential backoff with +-20% jitter (random in [0,1) injected for tests). */
export function backoffDelay(attempt: number, random: number = Math.random()): number {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.8 + 0.4 * random));
}

export interface ProgressSample {
  at: number;
  currentTime: number;
  frames: number;
}

/** True when the picture moved between two samples: time advanced or a new frame was shown. */
export function advanced(prev: ProgressSample, next: ProgressSample): boolean {
  return next.currentTime > prev.currentTime + 0.01 || next.frames > prev.frames;
}

/** Frozen when nothing advanced for STALE_AFTER_MS (or no first frame for FIRST_FRAME_TIMEOUT_MS). */
export function isFrozen(now: number, lastProgressAt: number | null, startedAt: number): boolean {
  if (lastProgressAt === null) return now - startedAt >= FIRST_FRAME_TIMEOUT_MS;
  return now - lastProgressAt >= STALE_AFTER_MS;
}

/** Frames per second over a window of samples (null until two samples exist). */
export function fps(samples: readonly ProgressSample[]): number | null {
  if (samples.length < 2) return null;
  const a = samples[0]!;
  const b = samples[samples.length - 1]!;
  const dt = (b.at - a.at) / 1000;
  if (dt <= 0) return null;
  return Math.max(0, (b.frames - a.frames) / dt);
}

export type FatalKind = 'offline' | 'error';

export interface FatalInfo {
  kind: FatalKind;
  /** Translation key under wall.reason. */
  reason: 'http' | 'timeout' | 'network' | 'decode' | 'unsupported' | 'other';
  httpStatus?: number;
}

/**
 * A fatal hls.js error in words: the source is gone (HTTP error, timeout, no answer) or its data
 * cannot be played (garbage segments, codec). Inputs are hls.js ErrorData fields.
 */
export function classifyFatal(e: { type: string; details: string; response?: { code?: number } | undefined }): FatalInfo {
  const code = e.response?.code;
  if (e.type === 'networkError') {
    if (/TimeOut/i.test(e.details)) return { kind: 'offline', reason: 'timeout' };
    if (typeof code === 'number' && code >= 400) return { kind: 'offline', reason: 'http', httpStatus: code };
    return { kind: 'offline', reason: 'network' };
  }
  if (e.type === 'mediaError') {
    if (/incompatibleCodecs|codec/i.test(e.details)) return { kind: 'error', reason: 'unsupported' };
    return { kind: 'error', reason: 'decode' };
  }
  if (e.type === 'muxError') return { kind: 'error', reason: 'decode' };
  return { kind: 'error', reason: 'other' };
}

/** hh:mm:ss of a time, local clock, for "stale since". */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
