// The wall's hls.js configuration, apart from the player hook so that the benchmark's bare
// hls.js page (bench/wall.ts) plays with exactly the same settings.
import type { HlsConfig } from 'hls.js';

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
