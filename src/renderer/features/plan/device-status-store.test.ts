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
    const after = useDeviceStatusStore.getState();
    expect(selectDeviceState('CAM1')(after)).toBe('normal');
    expect(selectDeviceState('FS1')(after)).toBe('alarm');
  });

  it('ignores other event types and keeps its state object when nothing changes', () => {
    const before = useDeviceStatusStore.getState().byId;
    useDeviceStatusStore.getState().apply([ev(1, 'CAM1', 'offline', 'alert.raised')]);
    expect(useDeviceStatusStore.getState().byId).toBe(before);
  });
});
