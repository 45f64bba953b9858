import { describe, expect, it } from 'vitest';
import { advanced, backoffDelay, BACKOFF_MAX_MS, classifyFatal, clockTime, fps, isFrozen, STALE_AFTER_MS, FIRST_FRAME_TIMEOUT_MS } from './health';
import { cameraDot, healthOf } from './camera-health';

describe('tile health', () => {
  it('backs off exponentially with jitter, capped', () => {
    expect(backoffDelay(0, 0.5)).toBe(1000);
    expect(backoffDelay(1, 0.5)).toBe(2000);
    expect(backoffDelay(3, 0.5)).toBe(8000);
    expect(backoffDelay(10, 0.5)).toBe(BACKOFF_MAX_MS);
    expect(backoffDelay(1, 0)).toBe(1600);
    expect(backoffDelay(1, 0.999)).toBeLessThanOrEqual(2400);
  });

  it('counts progress when time advances or a new frame is shown', () => {
    const a = { at: 0, currentTime: 10, frames: 100 };
    expect(advanced(a, { at: 1000, currentTime: 11, frames: 115 })).toBe(true);
    expect(advanced(a, { at: 1000, currentTime: 10, frames: 101 })).toBe(true);
    expect(advanced(a, { at: 1000, currentTime: 10.005, frames: 100 })).toBe(false);
  });

  it('calls a picture frozen after STALE_AFTER_MS without progress, or no first frame in time', () => {
    expect(isFrozen(10_000, 10_000 - STALE_AFTER_MS + 1, 0)).toBe(false);
    expect(isFrozen(10_000, 10_000 - STALE_AFTER_MS, 0)).toBe(true);
    expect(isFrozen(FIRST_FRAME_TIMEOUT_MS - 1, null, 0)).toBe(false);
    expect(isFrozen(FIRST_FRAME_TIMEOUT_MS, null, 0)).toBe(true);
  });

  it('measures frames per second over the sample window', () => {
    expect(fps([{ at: 0, currentTime: 0, frames: 0 }])).toBeNull();
    expect(fps([{ at: 0, currentTime: 0, frames: 0 }, { at: 2000, currentTime: 2, frames: 30 }])).toBe(15);
  });

  it('tells a gone source (offline) from undecodable data (error)', () => {
    expect(classifyFatal({ type: 'networkError', details: 'levelLoadError', response: { code: 503 } })).toEqual({ kind: 'offline', reason: 'http', httpStatus: 503 });
    expect(classifyFatal({ type: 'networkError', details: 'manifestLoadError', response: { code: 404 } })).toEqual({ kind: 'offline', reason: 'http', httpStatus: 404 });
    expect(classifyFatal({ type: 'networkError', details: 'fragLoadTimeOut' })).toEqual({ kind: 'offline', reason: 'timeout' });
    expect(classifyFatal({ type: 'networkError', details: 'manifestLoadError', response: { code: 0 } })).toEqual({ kind: 'offline', reason: 'network' });
    expect(classifyFatal({ type: 'mediaError', details: 'fragParsingError' })).toEqual({ kind: 'error', reason: 'decode' });
    expect(classifyFatal({ type: 'mediaError', details: 'manifestIncompatibleCodecsError' })).toEqual({ kind: 'error', reason: 'unsupported' });
    expect(classifyFatal({ type: 'otherError', details: 'internalException' })).toEqual({ kind: 'error', reason: 'other' });
  });

  it('formats "since" as hh:mm:ss and maps tile states to tree dots', () => {
    expect(clockTime(new Date(2026, 2, 2, 8, 5, 9).getTime())).toBe('08:05:09');
    expect([healthOf('live'), healthOf('stale'), healthOf('offline'), healthOf('error'), healthOf('connecting')]).toEqual(['live', 'stale', 'offline', 'offline', null]);
  });
});

describe('camera tree dots', () => {
  it('shows the backend offline first, then what a tile sees, then the backend status', () => {
    expect(cameraDot('offline', 'live')).toBe('offline');
    expect(cameraDot('normal', 'stale')).toBe('stale');
    expect(cameraDot('alarm', 'offline')).toBe('offline');
    expect(cameraDot('normal', null)).toBe('live');
    expect(cameraDot(undefined, null)).toBe('live');
    expect(cameraDot('fault', null)).toBe('stale');
    expect(cameraDot('fault', 'live')).toBe('live');
  });
});
