import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPtzDriver, type PtzVelocity } from './ptz-driver';

function recorder(delayMs = 10, fail = false) {
  const calls: (PtzVelocity | 'stop')[] = [];
  const wait = () => new Promise<void>((ok, no) => setTimeout(() => (fail ? no(new Error('refused')) : ok()), delayMs));
  return {
    calls,
    sender: {
      move: (v: PtzVelocity) => {
        calls.push(v);
        return wait();
      },
      stop: () => {
        calls.push('stop');
        return wait();
      },
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('PTZ driver', () => {
  it('collapses wishes made while a call is in flight to the latest, and stops after moving', async () => {
    vi.useFakeTimers();
    const { calls, sender } = recorder();
    const d = createPtzDriver(sender);
    d.set({ pan: 0.1, tilt: 0, zoom: 0 });
    d.set({ pan: 0.2, tilt: 0, zoom: 0 });
    d.set({ pan: 0.31, tilt: -0.5, zoom: 0 });
    await vi.advanceTimersByTimeAsync(50);
    expect(calls).toEqual([
      { pan: 0.1, tilt: 0, zoom: 0 },
      { pan: 0.3, tilt: -0.5, zoom: 0 },
    ]);
    d.set({ pan: 0.3, tilt: -0.5, zoom: 0 });
    d.stop();
    await vi.advanceTimersByTimeAsync(50);
    expect(calls.at(-1)).toBe('stop');
    expect(calls).toHaveLength(3);
    // Already stopped: nothing more is sent.
    d.stop();
    d.set({ pan: 0, tilt: 0, zoom: 0 });
    await vi.advanceTimersByTimeAsync(50);
    expect(calls).toHaveLength(3);
  });

  it('renews a held move before the dead-man, and not after the release', async () => {
    vi.useFakeTimers();
    const { calls, sender } = recorder();
    const d = createPtzDriver(sender, { renewMs: 1_000 });
    d.set({ pan: 0, tilt: 0, zoom: 1 });
    await vi.advanceTimersByTimeAsync(3_050);
    expect(calls.filter((c) => c !== 'stop')).toHaveLength(4);
    d.dispose();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(calls.at(-1)).toBe('stop');
    expect(calls).toHaveLength(5);
  });

  it('reports a refused call once and does not retry it in a loop', async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    const { calls, sender } = recorder(10, true);
    const d = createPtzDriver(sender, { onError: (e) => errors.push(e) });
    d.set({ pan: 1, tilt: 0, zoom: 0 });
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toHaveLength(1);
    expect(errors).toHaveLength(1);
    d.dispose();
  });
});
