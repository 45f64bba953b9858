import { describe, expect, it } from 'vitest';
import type { AlertView } from '../../../shared/alerts';
import { BURST_MIN, correlate } from './correlate';

const T0 = Date.parse('2026-03-02T08:00:00.000Z');
function alert(id: string, type: string, priority: AlertView['priority'], minute: number, extra: Partial<AlertView> = {}): AlertView {
  return {
    id,
    type,
    recognized: true,
    priority,
    status: 'new',
    schoolId: 'S1',
    title: id,
    details: null,
    cameraIds: [],
    deviceId: null,
    sourceTs: '',
    badTimestamp: false,
    receivedAt: '',
    at: new Date(T0 + minute * 60_000).toISOString(),
    ackBy: null,
    ackAt: null,
    drill: false,
    lastSeq: 1,
    claimedBy: null,
    escalationLevel: 0,
    resolution: null,
    feedback: null,
    feedbackBy: null,
    dispatchSteps: [],
    location: { buildingId: null, floorId: null, roomId: null },
    evidence: { snapshotUrl: null, confidence: null, watchlist: null },
    ...extra,
  };
}
const map = (alerts: AlertView[]) => new Map(alerts.map((a) => [a.id, a]));

describe('correlate', () => {
  it('folds repeats of one type from one device within the window, with every member kept', () => {
    const alerts = [alert('a', 'tamper', 3, 0, { deviceId: 'D1' }), alert('b', 'tamper', 3, 2, { deviceId: 'D1' }), alert('c', 'tamper', 3, 20, { deviceId: 'D1' }), alert('d', 'tamper', 3, 1, { deviceId: 'D2' })];
    const order = ['a', 'd', 'b', 'c'];
    expect(correlate(order, map(alerts))).toEqual([
      { kind: 'alert', id: 'a', members: ['a', 'b'] },
      { kind: 'alert', id: 'd', members: ['d'] },
      { kind: 'alert', id: 'c', members: ['c'] },
    ]);
  });

  it('collapses a burst at one school into a group at its oldest member, never above a higher priority', () => {
    const burst = Array.from({ length: BURST_MIN + 2 }, (_, i) => alert(`i${i}`, 'intrusion', 2, i * 0.5));
    const weapon = alert('w', 'weapon', 1, 3);
    const other = alert('o', 'intrusion', 2, 1, { schoolId: 'S2' });
    const all = [weapon, ...burst, other];
    const order = ['w', 'i0', 'i1', 'o', 'i2', 'i3', 'i4', 'i5', 'i6'];
    const rows = correlate(order, map(all));
    expect(rows.map((r) => r.id)).toEqual(['w', 'burst:intrusion|S1|i0', 'o']);
    expect(rows[1]).toMatchObject({ kind: 'burst', type: 'intrusion', schoolId: 'S1', members: ['i0', 'i1', 'i2', 'i3', 'i4', 'i5', 'i6'], spanMs: 3 * 60_000 });
    // Opened by the operator: the members are listed one by one, in queue order.
    expect(correlate(order, map(all), new Set(['burst:intrusion|S1|i0'])).map((r) => r.id)).toEqual(['w', 'i0', 'i1', 'o', 'i2', 'i3', 'i4', 'i5', 'i6']);
  });

  it('leaves a small cluster and unrecognized alerts alone', () => {
    const few = Array.from({ length: BURST_MIN - 1 }, (_, i) => alert(`f${i}`, 'fight', 2, i));
    const odd = [alert('u1', 'mystery', 0, 0, { recognized: false }), alert('u2', 'mystery', 0, 0, { recognized: false })];
    const all = [...few, ...odd];
    expect(correlate(all.map((a) => a.id), map(all)).every((r) => r.kind === 'alert' && r.members.length === 1)).toBe(true);
  });
});
