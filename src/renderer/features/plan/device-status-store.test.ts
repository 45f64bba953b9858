import { beforeEach, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../../shared/protocol';
import { selectDeviceState, useDeviceStatusStore } from './device-status-store';

const ev = (seq: number, deviceId: string, status: string, type = 'device.status'): EventEnvelope => ({
  id: `e${seq}`,
  stream: 's',
  seq,
  ts: '2026-11-22T10:00:00Z',
  type,
  v: 1,
  payload: { deviceId, status },
});

beforeEach(() => useDeviceStatusStore.getState().reset());

describe('device states', () => {
  it('follows status events, latest sequence wins even out of order', () => {
    const s = useDeviceStatusStore.getState();
    expect(selectDeviceState('CAM1')(s)).toBe('normal');
    s.apply([ev(1, 'CAM1', 'offline'), ev(3, 'FS1', 'alarm')]);
    s.apply([ev(2, 'FS1', 'normal'), ev(4, 'CAM1', 'normal')]);
    s.flush();
    const after = useDeviceStatusStore.getState();
    expect(selectDeviceState('CAM1')(after)).toBe('normal');
    expect(selectDeviceState('FS1')(after)).toBe('alarm');
  });

  it('ignores other event types and keeps its state object when nothing changes', () => {
    const before = useDeviceStatusStore.getState();
    before.apply([ev(1, 'CAM1', 'offline', 'alert.raised')]);
    before.flush();
    expect(useDeviceStatusStore.getState()).toBe(before);
  });

  it('applies a burst of changes as one update, after the frame, and a hidden window still gets it', async () => {
    const updates: number[] = [];
    const unsubscribe = useDeviceStatusStore.subscribe((s) => updates.push(s.version));
    const s = useDeviceStatusStore.getState();
    for (let i = 1; i <= 100; i++) s.apply([ev(i, `CAM${i % 10}`, i % 2 ? 'alarm' : 'fault')]);
    // Nothing is shown before the frame (here: no frames at all, as in a hidden window) ...
    expect(selectDeviceState('CAM1')(useDeviceStatusStore.getState())).toBe('normal');
    expect(updates).toEqual([]);
    // ... and then every change at once, in one store update.
    await new Promise((ok) => setTimeout(ok, 400));
    unsubscribe();
    expect(updates).toHaveLength(1);
    expect(selectDeviceState('CAM1')(useDeviceStatusStore.getState())).toBe('alarm');
    expect(selectDeviceState('CAM0')(useDeviceStatusStore.getState())).toBe('fault');
  });
});
