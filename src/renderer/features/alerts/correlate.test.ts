import { describe, expect, it } from 'vitest';
import type { AlertView } from '../../../shared/alerts';
import { BURST_MIN, correlate, FOLD_WINDOW_MS } from './correlate';
import { useAlertsStore, type JournaledEntry } from './store';
import { byIdOf, T0, testAlert } from './test-alert';

function alert(id: string, type: string, priority: AlertView['priority'], minute: number, extra: Partial<AlertView> = {}): AlertView {
  return testAlert(id, { type, priority, at: new Date(T0 + minute * 60_000).toISOString(), ...extra });
}
const map = byIdOf;

describe('correlate', () => {
  it('folds repeats of one type from one device within the window, with every member kept', () => {
    const alerts = [alert('a', 'tamper', 3, 0, { deviceId: 'D1' }), alert('b', 'tamper', 3, 2, { deviceId: 'D1' }), alert('c', 'tamper', 3, 20, { deviceId: 'D1' }), alert('d', 'tamper', 3, 1, { deviceId: 'D2' })];
    const order = ['a', 'd', 'b', 'c'];
    const c = correlate(order, map(alerts));
    expect(c.toArray()).toEqual([
      { kind: 'alert', id: 'a', count: 2 },
      { kind: 'alert', id: 'd', count: 1 },
      { kind: 'alert', id: 'c', count: 1 },
    ]);
    expect(c.members(0)).toEqual(['a', 'b']);
    expect(c.indexOf('c')).toBe(2);
    // A folded repeat is no row of its own.
    expect(c.indexOf('b')).toBe(-1);
  });

  it('never folds a drill with a real alert of the same type from the same device', () => {
    const real = alert('r', 'alarm_button', 1, 0, { deviceId: 'B1' });
    const drill = alert('d', 'alarm_button', 1, 1, { deviceId: 'B1', drill: true });
    const c = correlate(['r', 'd'], map([real, drill]));
    expect(c.toArray()).toEqual([
      { kind: 'alert', id: 'r', count: 1 },
      { kind: 'alert', id: 'd', count: 1 },
    ]);
  });

  it('collapses a burst at one school into a group at its oldest member, never above a higher priority', () => {
    const burst = Array.from({ length: BURST_MIN + 2 }, (_, i) => alert(`i${i}`, 'intrusion', 2, i * 0.5));
    const weapon = alert('w', 'weapon', 1, 3);
    const other = alert('o', 'intrusion', 2, 1, { schoolId: 'S2' });
    const all = [weapon, ...burst, other];
    const order = ['w', 'i0', 'i1', 'o', 'i2', 'i3', 'i4', 'i5', 'i6'];
    const c = correlate(order, map(all));
    expect(c.toArray().map((r) => r.id)).toEqual(['w', 'burst:intrusion|S1|i0', 'o']);
    expect(c.row(1)).toEqual({ kind: 'burst', id: 'burst:intrusion|S1|i0', type: 'intrusion', schoolId: 'S1', count: 7, spanMs: 3 * 60_000, devices: [] });
    expect(c.members(1)).toEqual(['i0', 'i1', 'i2', 'i3', 'i4', 'i5', 'i6']);
    expect(c.indexOf('burst:intrusion|S1|i0')).toBe(1);
    // Opened by the operator: the members are listed one by one, in queue order.
    expect(correlate(order, map(all), new Set(['burst:intrusion|S1|i0'])).toArray().map((r) => r.id)).toEqual(['w', 'i0', 'i1', 'o', 'i2', 'i3', 'i4', 'i5', 'i6']);
  });

  it('folds cameras going offline at one school into one group from the second, over any span, naming the cameras', () => {
    // Queue order: priority first (the weapon), then oldest first.
    const cams = [
      alert('c1', 'camera_offline', 4, 0, { deviceId: 'CAM-1' }),
      alert('c2', 'camera_offline', 4, 40, { deviceId: 'CAM-2' }),
      alert('c3', 'camera_offline', 4, 90, { deviceId: 'CAM-3' }),
      // The same camera again, much later: a member of the group, the camera named once.
      alert('c4', 'camera_offline', 4, 200, { deviceId: 'CAM-1' }),
    ];
    const weapon = alert('w', 'weapon', 1, 100);
    const elsewhere = alert('x1', 'camera_offline', 4, 10, { schoolId: 'S2', deviceId: 'CAM-9' });
    const drill = alert('d1', 'camera_offline', 4, 20, { deviceId: 'CAM-5', drill: true });
    const all = [weapon, ...cams, elsewhere, drill];
    const order = ['w', 'c1', 'x1', 'd1', 'c2', 'c3', 'c4'];
    const c = correlate(order, map(all));
    expect(c.toArray()).toEqual([
      { kind: 'alert', id: 'w', count: 1 },
      { kind: 'burst', id: 'burst:camera_offline|S1|c1', type: 'camera_offline', schoolId: 'S1', count: 4, spanMs: 200 * 60_000, devices: ['CAM-1', 'CAM-2', 'CAM-3'] },
      { kind: 'alert', id: 'x1', count: 1 },
      { kind: 'alert', id: 'd1', count: 1 },
    ]);
    expect(200 * 60_000).toBeGreaterThan(FOLD_WINDOW_MS);
    expect(c.members(1)).toEqual(['c1', 'c2', 'c3', 'c4']);
    // One camera alone is a plain row; so is an intrusion pair (bursts of other types need BURST_MIN).
    expect(correlate(['c1'], map(cams)).toArray()).toEqual([{ kind: 'alert', id: 'c1', count: 1 }]);
    const pair = [alert('i1', 'intrusion', 2, 0), alert('i2', 'intrusion', 2, 1)];
    expect(correlate(['i1', 'i2'], map(pair)).toArray().map((r) => r.kind)).toEqual(['alert', 'alert']);
  });

  it('leaves a small cluster and unrecognized alerts alone', () => {
    const few = Array.from({ length: BURST_MIN - 1 }, (_, i) => alert(`f${i}`, 'fight', 2, i));
    const odd = [alert('u1', 'mystery', 0, 0, { recognized: false }), alert('u2', 'mystery', 0, 0, { recognized: false })];
    const all = [...few, ...odd];
    expect(correlate(all.map((a) => a.id), map(all)).toArray().every((r) => r.kind === 'alert' && r.count === 1)).toBe(true);
  });

  it('groups the same way when the view is sorted newest first', () => {
    const alerts = [alert('a', 'tamper', 3, 0, { deviceId: 'D1' }), alert('b', 'tamper', 3, 2, { deviceId: 'D1' }), alert('c', 'tamper', 3, 20, { deviceId: 'D1' })];
    expect(correlate(['c', 'b', 'a'], map(alerts)).toArray()).toEqual([
      { kind: 'alert', id: 'c', count: 1 },
      { kind: 'alert', id: 'b', count: 2 },
    ]);
  });

  it('regroups 70,000 alerts in one pass without building their rows', () => {
    const many = Array.from({ length: 70_000 }, (_, i) => alert(`m${i}`, i % 2 ? 'intrusion' : 'fight', 2, i / 1000, { schoolId: `S${i % 300}`, deviceId: `D${i % 5000}` }));
    const c = correlate(many.map((a) => a.id), map(many));
    // Every alert is in exactly one row.
    let total = 0;
    for (let j = 0; j < c.length; j++) total += c.row(j).count;
    expect(total).toBe(70_000);
  });
});

describe('correlate: results stay right after later passes', () => {
  // Repeats at D1, a burst at the default school, a single: rows, chains and buckets all in use.
  const alerts = [
    ...Array.from({ length: BURST_MIN + 1 }, (_, i) => alert(`i${i}`, 'intrusion', 2, i)),
    alert('a', 'tamper', 3, 0, { deviceId: 'D1' }),
    alert('b', 'tamper', 3, 2, { deviceId: 'D1' }),
    alert('s', 'fight', 2, 4, { schoolId: 'S2' }),
  ];
  const byId = map(alerts);
  const all = alerts.map((a) => a.id);
  const snapshot = (c: ReturnType<typeof correlate>) => ({
    rows: c.toArray(),
    ids: Array.from({ length: c.length }, (_, j) => c.idAt(j)),
    members: Array.from({ length: c.length }, (_, j) => c.members(j)),
    index: c.indexOf('a'),
  });

  it('answers for its own order after the next pass and the one after (which reuses its arrays)', () => {
    const first = correlate(all, byId);
    const expected = snapshot(correlate(all, byId));
    const second = correlate(['s', 'a', 'b'], byId);
    const third = correlate(['b', 's'], byId);
    // Nothing of `first` was read before: every answer comes after both later passes.
    expect(snapshot(first)).toEqual(expected);
    expect(expected.rows).toContainEqual({ kind: 'alert', id: 'a', count: 2 });
    expect(expected.members[expected.index]).toEqual(['a', 'b']);
    expect(expected.rows.some((r) => r.kind === 'burst' && r.count === BURST_MIN + 1)).toBe(true);
    // And the later results are still their own.
    expect(snapshot(third).ids).toEqual(['b', 's']);
    expect(snapshot(second).members[1]).toEqual(['a', 'b']);
  });
});

describe('correlate on the store, frame after frame', () => {
  const STREAM = 'test/city';
  let seq = 0;
  const at = (minute: number) => new Date(T0 + minute * 60_000).toISOString();
  function raised(alertId: string, alertType: string, minute: number, schoolId: string, deviceId?: string): JournaledEntry {
    const payload = { alertId, alertType, schoolId, cameraIds: [], title: alertId, ...(deviceId ? { deviceId } : {}) };
    return { status: 'ok', event: { id: `cs-${++seq}`, stream: STREAM, seq, ts: at(minute), type: 'alert.raised', v: 1, schoolId, payload } };
  }
  function resolved(alertId: string): JournaledEntry {
    const payload = { alertId, by: { id: 'op', name: 'Op' }, commandId: `c-${seq}`, outcome: 'false_alarm', note: 'n' };
    return { status: 'ok', event: { id: `cs-${++seq}`, stream: STREAM, seq, ts: at(1), type: 'alert.resolved', v: 1, payload } };
  }
  const store = () => useAlertsStore.getState();
  /** The rows computed from scratch: another order first, so nothing is carried over. */
  function fresh(order: readonly string[]) {
    correlate(['nothing-here'], new Map());
    return correlate([...order], store().byId).toArray();
  }

  it('carries the keys over from the previous order and groups exactly as from scratch', () => {
    store().reset();
    store().apply(
      [
        ...Array.from({ length: BURST_MIN + 1 }, (_, i) => raised(`s-int${i}`, 'intrusion', i * 0.5, 'S1')),
        raised('s-fire', 'fire', 2, 'S2'),
        raised('s-cam1', 'camera_offline', 0, 'S3', 'CAM-1'),
        raised('s-cam2', 'camera_offline', 30, 'S3', 'CAM-2'),
        raised('s-tam1', 'tamper', 0, 'S4', 'D1'),
        raised('s-tam2', 'tamper', 2, 'S4', 'D1'),
      ],
      at(60),
    );
    // Copies: the store's order changes in place (correlate's contract).
    const first = correlate([...store().order], store().byId).toArray();
    expect(first).toEqual(fresh(store().order));
    expect(first.map((r) => [r.kind, r.count])).toEqual([
      ['alert', 1],
      ['burst', BURST_MIN + 1],
      ['alert', 2],
      ['burst', 2],
    ]);
    // Next frame: two intrusions resolved (the burst breaks up), a weapon and a third camera in.
    correlate([...store().order], store().byId);
    store().apply([resolved('s-int0'), resolved('s-int3'), raised('s-weapon', 'weapon', 3, 'S5'), raised('s-cam3', 'camera_offline', 50, 'S3', 'CAM-3')], at(60));
    const order = [...store().order];
    const next = correlate(order, store().byId).toArray();
    expect(next).toEqual(fresh(order));
    expect(next.filter((r) => r.kind === 'burst')).toEqual([expect.objectContaining({ type: 'camera_offline', count: 3, devices: ['CAM-1', 'CAM-2', 'CAM-3'] })]);
    expect(next.filter((r) => r.kind === 'alert' && r.id.startsWith('s-int'))).toHaveLength(BURST_MIN - 1);
    expect(next[0]).toEqual({ kind: 'alert', id: 's-fire', count: 1 });
  });
});
