// The wall's hls.js configuration, apart from the player hook so that the benchmark's bare
// hls.js page (bench/wall.ts) plays with exactly the same settings.
import type Hls from 'hls.js';
import type { HlsConfig, LevelDetails, LoaderContext, PlaylistLoaderContext } from 'hls.js';

const loadPolicy = (ttfbMs: number, loadMs: number, errorRetries: number) => ({
  default: {
    maxTimeToFirstByteMs: ttfbMs,
    maxLoadTimeMs: loadMs,
    timeoutRetry: { maxNumRetry: 2, retryDelayMs: 0, maxRetryDelayMs: 0 },
    errorRetry: { maxNumRetry: errorRetries, retryDelayMs: 500, maxRetryDelayMs: 2000 },
  },
});

/**
 * Tuned for live 1-second segments on a wall that runs for weeks: start at the edge, stay ~1.5 s
 * behind it (catching up at up to 1.2x), keep a few seconds ahead and almost nothing behind, and
 * give up quickly on a dead source so the tile can say so (our own backoff takes over).
 */
export const LIVE_CONFIG: Partial<HlsConfig> = {
  enableWorker: true,
  // On for plain live HLS too: hls.js only adjusts the playback rate towards liveSyncDuration
  // (maxLiveSyncPlaybackRate) in low-latency mode; without it a tile that stalled once stays
  // behind for good. Partial segments and blocking reloads are used only if the playlist offers them.
  lowLatencyMode: true,
  liveSyncDuration: 1.5,
  liveMaxLatencyDuration: 5,
  maxLiveSyncPlaybackRate: 1.2,
  initialLiveManifestSize: 1,
  startFragPrefetch: true,
  maxBufferLength: 4,
  maxMaxBufferLength: 6,
  backBufferLength: 2,
  maxBufferSize: 8 * 1000 * 1000,
  capLevelToPlayerSize: false,
  capLevelOnFPSDrop: false,
  // Patient enough for a busy machine (the tile already says "stale" after 3 s), short enough that
  // a dead source is called offline within seconds.
  manifestLoadPolicy: loadPolicy(8000, 12_000, 2),
  playlistLoadPolicy: loadPolicy(6000, 10_000, 2),
  fragLoadPolicy: loadPolicy(8000, 15_000, 3),
};

/**
 * After each stall hls.js plays further behind the edge (liveSyncOnStallIncrease, 1 s, up to a
 * segment) and never comes back by itself: one busy moment would cost a tile a second of latency for
 * as long as the wall runs. A player that has gone this long without a stall returns to the
 * configured distance (and to hls.js's own back-off should it stall again).
 */
export const STALL_CALM_MS = 60_000;

/** The target latency to restore now (seconds), or null to leave hls.js's as it is. */
export function calmTargetLatency(target: number | null, lastStallAt: number, now: number): number | null {
  const base = LIVE_CONFIG.liveSyncDuration!;
  return target !== null && target > base + 0.01 && now - lastStallAt >= STALL_CALM_MS ? base : null;
}

/**
 * How long to hold back a blocking playlist reload for segment `msn` before sending it (ms).
 *
 * The simulator, like LL-HLS servers, offers blocking reload: a request for segment msn is held
 * until that segment exists and answered at once, so a tile learns of each segment the moment it
 * is complete (not up to a second later, as a poll would). hls.js sends that request as soon as
 * the previous answer arrives, so every tile would keep a request open all the time; over
 * HTTP/1.1 Chromium allows 6 connections per origin, and from 6 tiles on their segment requests
 * queued behind the held playlists (measured: segments buffered 1-2 s late, stalls, 3 s behind
 * live). So the request is sent `leadMs` before the segment is due: the previous answer arrived
 * when its segment was complete (details.advancedDateTime, on this machine's clock, so no clock
 * sync with the server is needed), and the next is due one segment duration per number later.
 * A request sent late is answered at once and the next one starts from that later answer:
 * the lead pulls it back to the segment's completion within a few segments.
 *
 * Self-contained (no module references): the benchmark's bare hls.js page runs its source.
 */
export function reloadDelayMs(
  details: Pick<LevelDetails, 'endSN' | 'advancedDateTime' | 'fragments'> | undefined | null,
  msn: number,
  now: number,
  leadMs = 200,
): number {
  const last = details?.fragments[details.fragments.length - 1];
  if (!details || details.advancedDateTime === undefined || !last || !(last.duration > 0) || !(msn > details.endSN)) return 0;
  const segmentMs = last.duration * 1000;
  const due = details.advancedDateTime + (msn - details.endSN) * segmentMs;
  // Never more than three segments: the server refuses directives further ahead anyway.
  return Math.max(0, Math.min(due - leadMs - now, 3 * segmentMs));
}

/**
 * hls.js's xhrSetup for one player: delays its blocking playlist reloads by reloadDelayMs. hls.js
 * awaits the promise before it opens the request and starts its timeouts; an abort meanwhile
 * (tile removed, level switch) is checked by hls.js when the promise resolves.
 * Self-contained like reloadDelayMs (pass it in), for the same reason.
 */
export function paceBlockingReloads(
  player: () => Pick<Hls, 'levels'> | null,
  delay: typeof reloadDelayMs,
): NonNullable<HlsConfig['xhrSetup']> {
  return (_xhr: XMLHttpRequest, _url: string, context: LoaderContext) => {
    const c = context as Partial<PlaylistLoaderContext>;
    const msn = c.deliveryDirectives?.msn;
    if (msn === undefined || c.level === undefined || c.level === null) return undefined;
    const ms = delay(player()?.levels[c.level]?.details, msn, Date.now());
    return ms > 0 ? new Promise<void>((done) => setTimeout(done, ms)) : undefined;
  };
}

/** The configuration of one wall player: LIVE_CONFIG and the pacing of its playlist reloads. */
export function liveConfig(player: () => Pick<Hls, 'levels'> | null): Partial<HlsConfig> {
  return { ...LIVE_CONFIG, xhrSetup: paceBlockingReloads(player, reloadDelayMs) };
}
