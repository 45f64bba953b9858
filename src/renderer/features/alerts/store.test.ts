import { beforeEach, describe, expect, it } from 'vitest';
import { applyEvent, compareAlerts, type AlertView } from '../../../shared/alerts';
import type { EventEnvelope } from '../../../shared/protocol';
import fc from 'fast-check';
import { isNewIn, oldestNew } from './school-tally';
import { isBackendAlert, selectAlertMap, selectSelected, useAlertsStore, type JournaledEntry } from './store';

const STREAM = 'test/city';
const T0 = Date.parse('2026-03-01T08:00:00.000Z');
const iso = (offsetS: number) => new Date(T0 + offsetS * 1000).toISOString();
const RECEIVED = iso(600);

function raised(seq: number, alertId: string, alertType: string, atS: number, schoolId = 'S1', drill = false): JournaledEntry {
  const event: EventEnvelope = {
    id: `ev-${seq}`,
    stream: STREAM,
    seq,
    ts: iso(atS),
    type: 'alert.raised',
    v: 1,
    schoolId,
    payload: { alertId, alertType, schoolId, cameraIds: [], title: `${alertType} ${alertId}`, ...(drill ? { drill } : {}) },
  };
  return { status: 'ok', event };
}

function acked(seq: number, alertId: string): JournaledEntry {
  return {
    status: 'ok',
    event: { id: `ev-${seq}`, stream: STREAM, seq, ts: iso(seq), type: 'alert.acknowledged', v: 1, payload: { alertId, by: { id: 'op-2', name: 'Other Operator' }, commandId: `cmd-${seq}` } },
  };
}

const state = () => useAlertsStore.getState();

/** What the overviews read of the store's school tally. */
function tallied() {
  const { bySchool, byId } = state();
  return new Map(
    [...bySchool].map(([id, s]) => [
      id,
      { open: s.open, byPriority: s.byPriority, network: s.network, scored: s.scored, scoredNetwork: s.scoredNetwork, oldestNew: oldestNew(s, isNewIn(byId)) },
    ]),
  );
}

/** The same, counted from every alert one by one (as the overviews did before the tally). */
function countedOneByOne(alerts: Iterable<AlertView>) {
  const out = new Map<string, { open: number; byPriority: number[]; network: number; scored: number[]; scoredNetwork: number; oldestNew: number | null }>();
  for (const a of alerts) {
    if (a.status === 'resolved' || !a.schoolId) continue;
    let o = out.get(a.schoolId);
    if (!o) out.set(a.schoolId, (o = { open: 0, byPriority: [0, 0, 0, 0, 0, 0], network: 0, scored: [0, 0, 0, 0, 0, 0], scoredNetwork: 0, oldestNew: null }));
    o.open++;
    o.byPriority[a.priority]!++;
    if (a.type === 'network_below_budget') o.network++;
    if (!a.recognized || a.drill) continue;
    o.scored[a.priority]!++;
    if (a.type === 'network_below_budget') o.scoredNetwork++;
    const at = Date.parse(a.at);
    if (a.status === 'new' && Number.isFinite(at) && (o.oldestNew === null || at < o.oldestNew)) o.oldestNew = at;
  }
  return out;
}

function workflow(seq: number, alertId: string, type: string, extra: Record<string, unknown> = {}): JournaledEntry {
  return {
    status: 'ok',
    event: { id: `ev-${seq}`, stream: STREAM, seq, ts: iso(seq), type, v: 1, payload: { alertId, by: { id: 'op-2', name: 'Other Operator' }, commandId: `cmd-${seq}`, ...extra } },
  };
}

describe('alert store', () => {
  beforeEach(() => state().reset());

  it('shows who holds an alert, and a resolved alert leaves the queue (also within one batch)', () => {
    state().apply([raised(1, 'A', 'fight', 1), raised(2, 'B', 'fight', 2), workflow(3, 'A', 'alert.claimed')], RECEIVED);
    expect(state().byId.get('A')!.claimedBy).toEqual({ id: 'op-2', name: 'Other Operator' });
    expect(state().order).toEqual(['A', 'B']);
    state().apply([workflow(4, 'A', 'alert.escalated', { level: 1 }), workflow(5, 'A', 'alert.resolved', { outcome: 'false_alarm', note: 'cat on camera' })], RECEIVED);
    expect(state().order).toEqual(['B']);
    expect(state().byId.get('A')).toMatchObject({ status: 'resolved', claimedBy: null, escalationLevel: 1, resolution: { outcome: 'false_alarm', note: 'cat on camera' } });
    // Raised and resolved in one batch: never enters the queue.
    state().apply([raised(6, 'C', 'weapon', 6), workflow(7, 'C', 'alert.resolved', { outcome: 'drill', note: 'drill' })], RECEIVED);
    expect(state().order).toEqual(['B']);
    // A late claim on a resolved alert changes nothing.
    expect(state().apply([workflow(8, 'A', 'alert.claimed')], RECEIVED)).toEqual([]);
  });

  it('orders by priority class (unrecognized right after life-critical), then oldest first', () => {
    state().apply(
      [
        raised(1, 'info', 'information', 10),
        raised(2, 'fight-new', 'fight', 50),
        raised(3, 'weapon', 'weapon', 40),
        raised(4, 'fight-old', 'fight', 5),
        raised(5, 'drone', 'drone_sighting', 60),
        raised(6, 'fire', 'fire', 30),
        { status: 'unrecognized', event: { id: 'ev-7', stream: STREAM, seq: 7, ts: iso(1), type: 'drone.sighted', v: 3, payload: {} }, reason: 'unknown type' },
      ],
      RECEIVED,
    );
    expect(state().order).toEqual(['fire', 'weapon', 'unrecognized:ev-7', 'drone', 'fight-old', 'fight-new', 'info']);
    expect(state().byId.get('drone')).toMatchObject({ recognized: false, priority: 0 });
  });

  it('keeps the order when alerts arrive one by one (binary insertion) and in bulk (full sort)', () => {
    const oneByOne = Array.from({ length: 30 }, (_, i) => raised(i + 1, `a${i}`, ['fight', 'weapon', 'bullying', 'camera_offline'][i % 4]!, (i * 37) % 100));
    for (const e of oneByOne) state().apply([e], RECEIVED);
    const incremental = [...state().order];
    state().reset();
    state().apply(oneByOne, RECEIVED);
    expect(state().order).toEqual(incremental);
    const sorted = [...state().byId.values()].sort((a, b) => a.priority - b.priority || a.at.localeCompare(b.at) || a.id.localeCompare(b.id)).map((a) => a.id);
    expect(incremental).toEqual(sorted);
    const bulk = Array.from({ length: 100 }, (_, i) => raised(100 + i, `b${i}`, 'intrusion', 100 - i));
    state().apply(bulk, RECEIVED);
    expect(state().order.length).toBe(130);
    // The weapons (class 1) lead, oldest first; the bulk intrusions (class 2) follow them.
    expect(state().order.slice(0, 10)).toEqual(['a25', 'a17', 'a9', 'a1', 'a29', 'a21', 'a13', 'a5', 'a0', 'b99']);
  });

  it('acknowledges through applyEvent: new -> acknowledged with who and when, once', () => {
    state().apply([raised(1, 'A', 'weapon', 0)], RECEIVED);
    const before = state().byId.get('A')!;
    const changed = state().apply([acked(2, 'A')], RECEIVED);
    expect(changed.map((a) => a.id)).toEqual(['A']);
    const after = state().byId.get('A')!;
    expect(after).toMatchObject({ status: 'acknowledged', ackBy: { id: 'op-2', name: 'Other Operator' }, lastSeq: 2 });
    expect(before.status).toBe('new'); // the previous view object is not mutated
    // The same acknowledgement again, or an older one, changes nothing and keeps the map identity.
    const map = state().byId;
    expect(state().apply([acked(2, 'A')], RECEIVED)).toEqual([]);
    expect(state().byId).toBe(map);
  });

  it('ignores an acknowledgement of an unknown alert and raises an alert only once', () => {
    expect(state().apply([acked(5, 'nope')], RECEIVED)).toEqual([]);
    state().apply([raised(1, 'A', 'fire', 0)], RECEIVED);
    expect(state().apply([raised(1, 'A', 'fire', 0)], RECEIVED)).toEqual([]);
    expect(state().order).toEqual(['A']);
  });

  it('loads the journal state sorted, keeps a still-present selection, and resets', () => {
    state().apply([raised(1, 'X', 'fight', 0), raised(2, 'Y', 'fire', 5)], RECEIVED);
    const views: AlertView[] = [...state().byId.values()];
    state().reset();
    state().select('X');
    state().load(views);
    expect(state().order).toEqual(['Y', 'X']);
    expect(selectSelected(state())?.id).toBe('X');
    state().load(views.filter((v) => v.id !== 'X'));
    expect(state().selectedId).toBeNull();
    state().reset();
    expect(state()).toMatchObject({ order: [], selectedId: null });
    expect(state().byId.size).toBe(0);
  });

  it('replace() swaps the whole state (snapshot resync)', () => {
    state().apply([raised(1, 'old', 'fight', 0)], RECEIVED);
    const fresh = new Map<string, AlertView>();
    const e = raised(9, 'new', 'weapon', 0);
    applyEvent(fresh, e.status, e.event, RECEIVED);
    state().replace(fresh);
    expect(state().order).toEqual(['new']);
    expect(state().byId.has('old')).toBe(false);
  });

  it('tells backend alerts from local views of unreadable messages', () => {
    expect(isBackendAlert({ id: 'AL-1' })).toBe(true);
    expect(isBackendAlert({ id: 'unrecognized:ev-1' })).toBe(false);
    expect(isBackendAlert({ id: 'rejected:ev-1' })).toBe(false);
  });

  it('merges a large batch into a large queue in exactly queue order', () => {
    const types = ['weapon', 'fight', 'tamper', 'information', 'mystery'];
    let seq = 0;
    const batch = (n: number) => Array.from({ length: n }, () => {
      seq++;
      // Times interleave with the queue's: new alerts land all through it, not only at one end.
      return raised(seq, `X${seq}`, types[seq % types.length]!, (seq * 7919) % 5000);
    });
    state().apply(batch(5000), RECEIVED);
    state().apply(batch(700), RECEIVED);
    state().apply([...batch(3), workflow(++seq, 'X10', 'alert.resolved', { outcome: 'real', note: 'done' })], RECEIVED);
    const expected = [...state().byId.values()].filter((a) => a.status !== 'resolved').sort(compareAlerts).map((a) => a.id);
    expect(state().order).toHaveLength(5702);
    expect(state().order).toEqual(expected);
  });

  it('updates alerts in place, and gives whole-map views a new identity on every change', () => {
    state().apply([raised(1, 'A', 'fight', 1)], RECEIVED);
    const view1 = selectAlertMap(state());
    expect(selectAlertMap(state())).toBe(view1);
    state().apply([workflow(2, 'A', 'alert.claimed')], RECEIVED);
    const view2 = selectAlertMap(state());
    expect(view2).not.toBe(view1);
    expect(view2.get('A')!.claimedBy).toEqual({ id: 'op-2', name: 'Other Operator' });
    expect([...view2.values()].map((a) => a.id)).toEqual(['A']);
    // Nothing changed: no new version, no new view.
    state().apply([workflow(2, 'A', 'alert.claimed')], RECEIVED);
    expect(selectAlertMap(state())).toBe(view2);
  });

  it("counts each school's active alerts as they come and go, as a count of every alert would", () => {
    const TYPES = ['weapon', 'intrusion', 'bullying', 'network_below_budget', 'information', 'no_such_type'];
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('raise' as const),
        type: fc.integer({ min: 0, max: TYPES.length - 1 }),
        school: fc.integer({ min: 0, max: 3 }),
        drill: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
        // Source times out of order too (late and replayed alerts): the oldest new one is a heap's top.
        atS: fc.integer({ min: 0, max: 400 }),
      }),
      fc.record({ kind: fc.constant('resolve' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('ack' as const), pick: fc.nat() }),
    );
    let seq = 0;
    fc.assert(
      fc.property(fc.array(fc.array(op, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 12 }), (frames) => {
        state().reset();
        for (const frame of frames) {
          const entries = frame.map((o): JournaledEntry => {
            const order = state().order;
            const pick = o.kind === 'raise' ? null : order.length > 0 ? order[o.pick % order.length]! : 'none';
            seq++;
            if (o.kind === 'raise') return raised(seq, `T${seq}`, TYPES[o.type]!, o.atS, `S${o.school}`, o.drill);
            return o.kind === 'ack' ? acked(seq, pick!) : workflow(seq, pick!, 'alert.resolved', { outcome: 'false_alarm', note: 'n' });
          });
          state().apply(entries, RECEIVED);
          expect(tallied()).toEqual(countedOneByOne(state().byId.values()));
        }
        // Loaded or replaced as a whole: counted from scratch.
        const all = [...state().byId.values()];
        state().load(all);
        expect(tallied()).toEqual(countedOneByOne(all));
        state().replace(new Map(all.slice(0, 3).map((a) => [a.id, a])));
        expect(tallied()).toEqual(countedOneByOne(all.slice(0, 3)));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps a school tally small however many of its alerts come and go', () => {
    state().apply([raised(1, 'OLD', 'network_below_budget', 1, 'S9'), raised(2, 'W1', 'weapon', 2, 'S9')], RECEIVED);
    expect(tallied().get('S9')).toEqual({ open: 2, byPriority: [0, 1, 0, 0, 1, 0], network: 1, scored: [0, 1, 0, 0, 1, 0], scoredNetwork: 1, oldestNew: T0 + 1000 });
    state().apply([acked(3, 'OLD')], RECEIVED);
    expect(tallied().get('S9')!.oldestNew).toBe(T0 + 2000);
    // 2,000 more come and are resolved while the oldest stays: what the tally keeps stays bounded.
    for (let i = 0; i < 2000; i++) {
      state().apply([raised(10 + 2 * i, `F${i}`, 'intrusion', 10 + i, 'S9')], RECEIVED);
      state().apply([workflow(11 + 2 * i, `F${i}`, 'alert.resolved', { outcome: 'real', note: 'n' })], RECEIVED);
    }
    const s9 = state().bySchool.get('S9')!;
    expect(s9.newIds.length).toBeLessThanOrEqual(2 * 2 + 64);
    expect(tallied().get('S9')).toMatchObject({ open: 2, oldestNew: T0 + 2000 });
    state().apply([workflow(5000, 'OLD', 'alert.resolved', { outcome: 'real', note: 'fixed' }), workflow(5001, 'W1', 'alert.resolved', { outcome: 'drill', note: 'drill' })], RECEIVED);
    expect(state().bySchool.has('S9')).toBe(false);
  });
});
