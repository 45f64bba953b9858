import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LoaderContext } from 'hls.js';
import { calmTargetLatency, LIVE_CONFIG, liveConfig, paceBlockingReloads, reloadDelayMs } from './hls-config';

// A playlist whose newest segment, number 41, was announced at t = 10,000 (1-second segments).
const details = (advancedDateTime: number | undefined, duration = 1) => ({ endSN: 41, advancedDateTime, fragments: [{ duration }, { duration }] }) as never;

describe('reloadDelayMs: when a blocking playlist reload goes out', () => {
  it('is sent 200 ms before the next segment is due, counted from when the last one arrived', () => {
    expect(reloadDelayMs(details(10_000), 42, 10_050)).toBe(750);
    // Two segments ahead: one segment later again.
    expect(reloadDelayMs(details(10_000), 43, 10_050)).toBe(1750);
    // Shorter segments, shorter wait.
    expect(reloadDelayMs(details(10_000, 0.5), 42, 10_000)).toBe(300);
  });

  it('goes out at once when it is already due or late (the answer then re-anchors the next one)', () => {
    expect(reloadDelayMs(details(10_000), 42, 10_800)).toBe(0);
    expect(reloadDelayMs(details(10_000), 42, 12_500)).toBe(0);
  });

  it('goes out at once when there is nothing to count from', () => {
    expect(reloadDelayMs(undefined, 42, 0)).toBe(0);
    expect(reloadDelayMs(details(undefined), 42, 0)).toBe(0);
    expect(reloadDelayMs({ endSN: 41, advancedDateTime: 10_000, fragments: [] } as never, 42, 10_000)).toBe(0);
    // A segment already listed, or a nonsense duration.
    expect(reloadDelayMs(details(10_000), 41, 10_000)).toBe(0);
    expect(reloadDelayMs(details(10_000, 0), 42, 10_000)).toBe(0);
    expect(reloadDelayMs(details(10_000, Number.NaN), 42, 10_000)).toBe(0);
  });

  it('never waits more than three segments, whatever the clock says', () => {
    expect(reloadDelayMs(details(10_000), 60, 10_000)).toBe(3000);
    expect(reloadDelayMs(details(1e15), 42, 0)).toBe(3000);
  });
});

describe("paceBlockingReloads: the player's xhrSetup", () => {
  afterEach(() => vi.useRealTimers());
  const player = { levels: [{ details: details(Date.parse('2026-01-01T00:00:10Z')) }] } as never;
  const context = (extra: object) => ({ url: 'http://media/x/index.m3u8', responseType: 'text', ...extra }) as unknown as LoaderContext;
  const xhr = {} as XMLHttpRequest;

  it('holds a blocking reload until its time, then lets hls.js send it', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-01-01T00:00:10.100Z') });
    const setup = paceBlockingReloads(() => player, reloadDelayMs);
    const waiting = setup(xhr, 'u', context({ type: 'level', level: 0, deliveryDirectives: { msn: 42 } }));
    expect(waiting).toBeInstanceOf(Promise);
    let sent = false;
    void (waiting as Promise<void>).then(() => (sent = true));
    await vi.advanceTimersByTimeAsync(699);
    expect(sent).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toBe(true);
  });

  it('leaves every other request alone: first loads, segments, players already gone', () => {
    const setup = paceBlockingReloads(() => player, reloadDelayMs);
    expect(setup(xhr, 'u', context({ type: 'level', level: 0 }))).toBeUndefined();
    expect(setup(xhr, 'u', context({ frag: {} }))).toBeUndefined();
    expect(paceBlockingReloads(() => null, reloadDelayMs)(xhr, 'u', context({ type: 'level', level: 0, deliveryDirectives: { msn: 42 } }))).toBeUndefined();
  });

  it('is part of every wall player: LIVE_CONFIG plus the pacing', () => {
    const config = liveConfig(() => null);
    expect(config).toMatchObject(LIVE_CONFIG);
    expect(typeof config.xhrSetup).toBe('function');
  });
});

describe('calmTargetLatency: a stall costs latency for a minute, not for good', () => {
  const base = LIVE_CONFIG.liveSyncDuration!;
  it('restores the configured distance after a minute without a stall', () => {
    expect(calmTargetLatency(base + 1, 0, 60_000)).toBe(base);
  });
  it('keeps hls.js back-off while stalls are recent, and leaves a tile at its distance alone', () => {
    expect(calmTargetLatency(base + 1, 0, 59_999)).toBeNull();
    expect(calmTargetLatency(base, 0, 600_000)).toBeNull();
    expect(calmTargetLatency(null, 0, 600_000)).toBeNull();
  });
});
