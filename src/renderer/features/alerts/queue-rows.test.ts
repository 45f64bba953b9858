// The queue's rows kept up to date frame by frame (queue-rows.ts) against the one pass that states
// the rules (correlate.ts), on the real store: random frames of alerts raised (mostly the newest,
// some late, repeats from a few devices, bursts at a few schools, drills, camera-offline groups)
// and resolved, with groups opened and closed, must give the same rows, members and indices at
// every frame; a result read after later frames answers for the queue as it is then.
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { BURST_MIN, correlate, FOLD_WINDOW_MS, type Correlation } from './correlate';
import { queueRows, queueRowsRepairs } from './queue-rows';
import { useAlertsStore, type JournaledEntry } from './store';
import { T0 } from './test-alert';

const STREAM = 'test/queue-rows';
const store = () => useAlertsStore.getState();
const RECEIVED = new Date(T0 + 6 * 3600_000).toISOString();

let seq = 0;
// Alert ids are never reused, across runs too, as the backend's never are: an alert's grouping keys
// are cached by its id for good (correlate.ts keysOf).
let n = 0;
function raised(alertId: string, alertType: string, at: number, schoolId: string, deviceId: string | null, drill: boolean): JournaledEntry {
  const payload = { alertId, alertType, schoolId, cameraIds: [], title: alertId, ...(deviceId ? { deviceId } : {}), ...(drill ? { drill } : {}) };
  return { status: 'ok', event: { id: `qr-${++seq}`, stream: STREAM, seq, ts: new Date(at).toISOString(), type: 'alert.raised', v: 1, schoolId, payload } };
}
function resolved(alertId: string): JournaledEntry {
  const payload = { alertId, by: { id: 'op', name: 'Op' }, commandId: `c-${seq}`, outcome: 'false_alarm', note: 'n' };
  return { status: 'ok', event: { id: `qr-${++seq}`, stream: STREAM, seq, ts: RECEIVED, type: 'alert.resolved', v: 1, payload } };
}

/** Everything a user of a Correlation reads. */
function snapshot(c: Correlation, probe: readonly string[]) {
  return {
    rows: c.toArray(),
    ids: Array.from({ length: c.length }, (_, j) => c.idAt(j)),
    members: Array.from({ length: c.length }, (_, j) => c.members(j)),
    indexOf: probe.map((id) => c.indexOf(id)),
  };
}
/** The same order grouped by the one pass (a copy: not the store's order, so never the model). */
const byPass = (order: readonly string[], expanded: ReadonlySet<string>) => correlate([...order], store().byId, expanded);

const TYPES = [
  { type: 'tamper', device: true },
  { type: 'intrusion', device: false },
  { type: 'intrusion', device: true },
  { type: 'camera_offline', device: true },
  { type: 'weapon', device: false },
] as const;

const raise = fc.record({
  kind: fc.constant('raise' as const),
  type: fc.integer({ min: 0, max: TYPES.length - 1 }),
  school: fc.integer({ min: 0, max: 2 }),
  device: fc.integer({ min: 0, max: 1 }),
  drill: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  // Seconds after the newest so far: mostly newer (a stream), now and then a quiet spell longer
  // than the fold window, sometimes older (late or replayed).
  step: fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 0, max: 60 }) },
    { weight: 1, arbitrary: fc.integer({ min: 4 * 60, max: 8 * 60 }) },
    { weight: 2, arbitrary: fc.integer({ min: -40 * 60, max: -1 }) },
  ),
});
const op = fc.oneof(
  { weight: 8, arbitrary: raise },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('resolve' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('toggle' as const), pick: fc.nat() }) },
);

describe('queue rows, kept up to date frame by frame', () => {
  beforeEach(() => store().reset());

  it('equal the one-pass grouping after every frame, and old results read the queue as it is', () => {
    fc.assert(
      fc.property(fc.array(fc.array(op, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 25 }), (frames) => {
        store().reset();
        let newest = T0;
        let expanded: ReadonlySet<string> = new Set();
        let previous: Correlation | null = null;
        for (const frame of frames) {
          const entries: JournaledEntry[] = [];
          for (const o of frame) {
            if (o.kind === 'raise') {
              const at = Math.max(T0, newest + o.step * 1000);
              newest = Math.max(newest, at);
              const t = TYPES[o.type]!;
              entries.push(raised(`a${++n}`, t.type, at, `S${o.school}`, t.device ? `D${o.school}-${o.device}` : null, o.drill));
            } else if (o.kind === 'resolve') {
              const order = store().order;
              if (order.length > 0) entries.push(resolved(order[o.pick % order.length]!));
            } else {
              // Open or close a group the queue shows (a new set: as the queue's state does).
              const c = queueRows(store().order, store().byId, expanded);
              const groups = [...c.toArray().filter((r) => r.kind === 'burst').map((r) => r.id), ...expanded];
              if (groups.length > 0) {
                const id = groups[o.pick % groups.length]!;
                const next = new Set(expanded);
                if (!next.delete(id)) next.add(id);
                expanded = next;
              }
            }
          }
          if (entries.length > 0) store().apply(entries, RECEIVED);
          const order = store().order;
          const probe = [...order.slice(0, 6), ...order.slice(-3), 'no-such-alert'];
          const live = queueRows(order, store().byId, expanded);
          expect(snapshot(live, probe)).toEqual(snapshot(byPass(order, expanded), probe));
          // The result of the frame before, read only now: the store's order has changed in place since,
          // and the old result answers for the queue as it is now.
          if (previous) expect(snapshot(previous, probe)).toEqual(snapshot(live, probe));
          previous = live;
          // A filtered view (another list): grouped by the pass, whatever the model holds.
          const some = order.filter((_, i) => i % 3 !== 1);
          expect(snapshot(queueRows(some, store().byId, expanded), probe)).toEqual(snapshot(byPass(some, expanded), probe));
        }
      }),
      { numRuns: 300 },
    );
    // Right without ever falling back on a rebuild of its own.
    expect(queueRowsRepairs()).toBe(0);
  });

  it('follows a flood at one school as one group, and breaks it up as its alerts are resolved', () => {
    const at = (i: number) => T0 + i * 1000;
    store().apply(
      Array.from({ length: 200 }, (_, i) => raised(`f${i}`, 'intrusion', at(i), 'S1', null, false)),
      RECEIVED,
    );
    let rows = queueRows(store().order, store().byId);
    expect(rows.toArray()).toEqual([{ kind: 'burst', id: 'burst:intrusion|S1|f0', type: 'intrusion', schoolId: 'S1', count: 200, spanMs: 199_000, devices: [] }]);
    // Opened by the operator: its 200 alerts one by one, amid another school's; closed again.
    store().apply([raised('other', 'intrusion', at(50), 'S2', null, false)], RECEIVED);
    const opened = new Set(['burst:intrusion|S1|f0']);
    rows = queueRows(store().order, store().byId, opened);
    expect(rows.length).toBe(201);
    expect(snapshot(rows, ['f0', 'other', 'f199'])).toEqual(snapshot(byPass(store().order, opened), ['f0', 'other', 'f199']));
    expect(rows.indexOf('other')).toBe(51);
    rows = queueRows(store().order, store().byId);
    expect(rows.toArray().map((r) => r.id)).toEqual(['burst:intrusion|S1|f0', 'other']);
    store().apply([resolved('other')], RECEIVED);
    // The next frames: more of the flood, and the oldest resolved (the group's id moves to the next).
    for (let frame = 0; frame < 20; frame++) {
      store().apply([raised(`g${frame}`, 'intrusion', at(200 + frame), 'S1', null, false), resolved(`f${frame}`)], RECEIVED);
      rows = queueRows(store().order, store().byId);
      expect(rows.length).toBe(1);
      expect(rows.row(0)).toMatchObject({ id: `burst:intrusion|S1|f${frame + 1}`, count: 200 });
    }
    // Resolved down to fewer than a burst: one row each.
    store().apply(store().order.slice(BURST_MIN - 1).map((id) => resolved(id)), RECEIVED);
    rows = queueRows(store().order, store().byId);
    expect(rows.toArray().map((r) => r.kind)).toEqual(Array(BURST_MIN - 1).fill('alert'));
    expect(rows.indexOf(store().order[1]!)).toBe(1);
    expect(FOLD_WINDOW_MS).toBeGreaterThan(220_000);
  });
});
