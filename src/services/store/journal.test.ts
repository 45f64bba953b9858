import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { EventEnvelope } from '../../shared/protocol';
import { ConsoleApiError } from '../../shared/result';
import { ackEvent, captureLogs, entries, entry, range, RECEIVED_AT, rawEvent, STREAM, tempFolder } from '../testing';

describe('event journal', () => {
  it('journals a batch once: replaying it inserts nothing and leaves the alert queue unchanged', () => {
    const store = tempFolder().open();
    const batch = entries(range(1, 3).map((s) => rawEvent(s)));

    const first = store.journal.append(STREAM, RECEIVED_AT, batch);
    const queue = store.alerts.list(STREAM);
    const second = store.journal.append(STREAM, RECEIVED_AT, batch);

    expect(first).toEqual({ inserted: ['ev-1', 'ev-2', 'ev-3'], duplicates: 0, lastContiguousSeq: 3 });
    expect(second).toEqual({ inserted: [], duplicates: 3, lastContiguousSeq: 3 });
    expect(store.alerts.list(STREAM)).toEqual(queue);
    expect(queue.map((a) => a.id)).toEqual(['alert-1', 'alert-2', 'alert-3']);
    expect(store.journal.read(STREAM)).toHaveLength(3);
    expect(store.journal.cursor(STREAM).duplicateCount).toBe(3);
  });

  it('lists only the active alerts when asked: a resolved alert leaves the queue a console starts with', () => {
    const store = tempFolder().open();
    const resolved = rawEvent(3, { type: 'alert.resolved', payload: { alertId: 'alert-1', by: { id: 'op-1', name: 'Aigerim' }, commandId: 'cmd-3', outcome: 'false_alarm', note: 'a cat' } });
    store.journal.append(STREAM, RECEIVED_AT, entries([rawEvent(1), rawEvent(2), resolved]));
    expect(store.alerts.list(STREAM).map((a) => a.id)).toEqual(['alert-1', 'alert-2']);
    expect(store.alerts.list(STREAM, { activeOnly: true }).map((a) => a.id)).toEqual(['alert-2']);
  });

  it('lists the alerts raised in a period (a report), resolved ones included', () => {
    const store = tempFolder().open();
    const at = (h: number) => `2026-11-22T${String(h).padStart(2, '0')}:00:00.000Z`;
    const resolved = rawEvent(4, { type: 'alert.resolved', payload: { alertId: 'alert-2', by: { id: 'op-1', name: 'Aigerim' }, commandId: 'cmd-4', outcome: 'real', note: 'detained' } });
    store.journal.append(STREAM, at(23), entries([rawEvent(1, { ts: at(7) }), rawEvent(2, { ts: at(9) }), rawEvent(3, { ts: at(20) }), resolved]));
    const shift = { from: at(8), to: at(20) };
    expect(store.alerts.list(STREAM, { period: shift }).map((a) => [a.id, a.status])).toEqual([['alert-2', 'resolved']]);
    expect(store.alerts.list(STREAM, { period: shift, activeOnly: true })).toEqual([]);
    expect(store.alerts.list(STREAM, { period: { from: at(0), to: at(23) } }).map((a) => a.id)).toEqual(['alert-1', 'alert-2', 'alert-3']);
  });

  it('keeps the last contiguous sequence across a gap and moves past it when the gap fills', () => {
    const store = tempFolder().open();
    expect(store.journal.append(STREAM, RECEIVED_AT, entries([1, 2, 3, 5].map((s) => rawEvent(s)))).lastContiguousSeq).toBe(3);
    expect(store.journal.cursor(STREAM).lastContiguousSeq).toBe(3);

    expect(store.journal.append(STREAM, RECEIVED_AT, [entry(rawEvent(4))]).lastContiguousSeq).toBe(5);
    expect(store.journal.cursor(STREAM).lastContiguousSeq).toBe(5);
  });

  it('counts contiguity from the first event even when a batch arrives out of order', () => {
    const store = tempFolder().open();
    expect(store.journal.append(STREAM, RECEIVED_AT, entries([3, 1, 2].map((s) => rawEvent(s)))).lastContiguousSeq).toBe(3);
    expect(store.journal.append('school-9', RECEIVED_AT, [entry(rawEvent(2, { stream: 'school-9' }))]).lastContiguousSeq).toBe(0);
  });

  it('after a snapshot reload (reset) counts contiguity from the snapshot sequence', () => {
    const store = tempFolder().open();
    store.journal.append(STREAM, RECEIVED_AT, entries([1, 2].map((s) => rawEvent(s))));

    store.journal.reset(STREAM, 100);
    expect(store.journal.cursor(STREAM).lastContiguousSeq).toBe(100);

    expect(store.journal.append(STREAM, RECEIVED_AT, [entry(rawEvent(101))]).lastContiguousSeq).toBe(101);
    expect(store.journal.append(STREAM, RECEIVED_AT, [entry(rawEvent(103))]).lastContiguousSeq).toBe(101);
    expect(store.journal.append(STREAM, RECEIVED_AT, [entry(rawEvent(102))]).lastContiguousSeq).toBe(103);
    // Alerts journaled before the reload are still in the queue.
    expect(store.alerts.list(STREAM).map((a) => a.id)).toEqual(['alert-1', 'alert-2', 'alert-101', 'alert-102', 'alert-103']);
  });

  it('counts malformed messages per stream and keeps them with a clipped excerpt', () => {
    const store = tempFolder().open();
    store.journal.recordMalformed(STREAM, 'invalid event envelope: seq: expected number', '{"id":"x","seq":"one"}');
    const { rejectedCount } = store.journal.recordMalformed(STREAM, 'not JSON', 'x'.repeat(2000));
    store.journal.recordMalformed('school-9', 'not JSON', '<html>');

    expect(rejectedCount).toBe(2);
    expect(store.journal.cursor(STREAM)).toMatchObject({ rejectedCount: 2, lastContiguousSeq: 0 });
    expect(store.journal.cursor('school-9').rejectedCount).toBe(1);
    const kept = store.journal.rejectedMessages(STREAM);
    expect(kept.map((m) => m.reason)).toEqual(['not JSON', 'invalid event envelope: seq: expected number']);
    expect(kept[0]!.excerpt.length).toBeLessThanOrEqual(1000);
    expect(kept[1]!.excerpt).toBe('{"id":"x","seq":"one"}');
  });

  it('refuses a batch holding an event of another stream, and stores none of it', () => {
    const store = tempFolder().open();
    const batch = entries([rawEvent(1), rawEvent(2, { stream: 'school-9' })]);
    expect(() => store.journal.append(STREAM, RECEIVED_AT, batch)).toThrow(ConsoleApiError);
    expect(store.journal.read(STREAM)).toEqual([]);
    expect(store.alerts.list(STREAM)).toEqual([]);
  });

  // Throughput is measured by `npm run bench:journal`, not here.
  it('journals a batch of 2,000 events at once', () => {
    const store = tempFolder().open();
    const batch = entries(range(1, 2000).map((s) => rawEvent(s)));
    const result = store.journal.append(STREAM, RECEIVED_AT, batch);

    expect(result.inserted).toHaveLength(2000);
    expect(result.lastContiguousSeq).toBe(2000);
    expect(store.alerts.list(STREAM)).toHaveLength(2000);
  });

  it('applies nothing of a batch that fails part-way (a damaged alert row)', () => {
    const folder = tempFolder();
    const store = folder.open();
    store.journal.append(STREAM, RECEIVED_AT, [entry(rawEvent(1))]);
    const raw = new Database(folder.file);
    raw.prepare("UPDATE alerts SET json = '{\"broken\":' WHERE id = 'alert-1'").run();
    raw.close();

    const batch = entries([rawEvent(2), ackEvent(3, 'alert-1')]);
    expect(() => store.journal.append(STREAM, RECEIVED_AT, batch)).toThrow(/damaged alert row/);
    expect(store.journal.read(STREAM).map((e) => e.id)).toEqual(['ev-1']);
    expect(store.journal.cursor(STREAM).lastContiguousSeq).toBe(1);
  });
});

describe('alert projection', () => {
  it('shows unrecognized and rejected events as alerts the operator can see, right after life-critical ones', () => {
    const store = tempFolder().open();
    const batch = entries([
      rawEvent(1, { payload: { alertId: 'a-weapon', alertType: 'weapon', schoolId: 'school-7', cameraIds: ['cam-1'], title: 'Weapon detected' } }),
      rawEvent(2, { payload: { alertId: 'a-intrusion', alertType: 'intrusion', schoolId: 'school-7', cameraIds: [], title: 'Intruder' } }),
      rawEvent(3, { type: 'door.forced', payload: { doorId: 'door-3' } }),
      rawEvent(4, { v: 2 }),
      rawEvent(5, { payload: { alertId: 'a-bad', alertType: 'fire', schoolId: 'school-7' } }),
    ]);
    expect(batch.map((e) => e.status)).toEqual(['ok', 'ok', 'unrecognized', 'unrecognized', 'rejected']);

    store.journal.append(STREAM, RECEIVED_AT, batch);
    const queue = store.alerts.list(STREAM);

    expect(queue.map((a) => [a.id, a.recognized, a.status])).toEqual([
      ['a-weapon', true, 'new'],
      ['unrecognized:ev-3', false, 'new'],
      ['unrecognized:ev-4', false, 'new'],
      ['rejected:ev-5', false, 'new'],
      ['a-intrusion', true, 'new'],
    ]);
    expect(queue[1]).toMatchObject({ title: 'door.forced v1', details: expect.stringContaining('unknown event type or version') });
    expect(queue[3]!.details).toContain('title');
    expect(store.journal.read(STREAM).map((e) => e.status)).toEqual(['ok', 'ok', 'unrecognized', 'unrecognized', 'rejected']);
  });

  it('uses its own classification when the caller mislabels an event, so nothing unknown is hidden', () => {
    const logs = captureLogs();
    const store = tempFolder().open();
    // As a caller that skipped classification would send them: an unknown type labelled ok, and a
    // payload without its cameraIds default applied.
    const mislabeled = { event: EventEnvelope.parse(rawEvent(1, { type: 'door.forced', payload: {} })), status: 'ok' as const };
    const raw = { event: EventEnvelope.parse(rawEvent(2, { payload: { alertId: 'a-2', alertType: 'fight', schoolId: 'school-7', title: 'Fight' } })), status: 'ok' as const };

    store.journal.append(STREAM, RECEIVED_AT, [mislabeled, raw]);

    expect(store.alerts.list(STREAM).map((a) => [a.id, a.recognized, a.cameraIds])).toEqual([
      ['unrecognized:ev-1', false, []],
      ['a-2', true, []],
    ]);
    expect(logs.some((r) => r.level === 'warn' && r.component === 'journal')).toBe(true);
  });

  it('marks an alert acknowledged, whether the acknowledgement comes in a later batch or the same one', () => {
    const store = tempFolder().open();
    store.journal.append(STREAM, RECEIVED_AT, [entry(rawEvent(1))]);
    store.journal.append(STREAM, RECEIVED_AT, [entry(ackEvent(2, 'alert-1'))]);
    store.journal.append(STREAM, RECEIVED_AT, entries([rawEvent(3), ackEvent(4, 'alert-3')]));

    const queue = store.alerts.list(STREAM);
    expect(queue.map((a) => [a.id, a.status, a.ackBy?.name])).toEqual([
      ['alert-1', 'acknowledged', 'Aigerim'],
      ['alert-3', 'acknowledged', 'Aigerim'],
    ]);
    expect(queue[0]!.lastSeq).toBe(2);
  });

  it('ignores a replayed acknowledgement it already has', () => {
    const store = tempFolder().open();
    store.journal.append(STREAM, RECEIVED_AT, entries([rawEvent(1), ackEvent(2, 'alert-1')]));
    const before = store.alerts.list(STREAM);
    expect(store.journal.append(STREAM, RECEIVED_AT, [entry(ackEvent(2, 'alert-1'))]).duplicates).toBe(1);
    expect(store.alerts.list(STREAM)).toEqual(before);
  });

  it('keeps each stream\'s queue apart', () => {
    const store = tempFolder().open();
    store.journal.append(STREAM, RECEIVED_AT, [entry(rawEvent(1))]);
    store.journal.append('school-9', RECEIVED_AT, [entry(rawEvent(1, { stream: 'school-9', payload: { alertId: 'g-1', alertType: 'fire', schoolId: 'school-9', title: 'Fire' } }))]);
    expect(store.alerts.list(STREAM).map((a) => a.id)).toEqual(['alert-1']);
    expect(store.alerts.list('school-9').map((a) => a.id)).toEqual(['g-1']);
  });
});

describe('device states', () => {
  it('keeps the latest valid status of each device, whatever order the events arrived in', () => {
    const store = tempFolder().open();
    const status = (seq: number, deviceId: string, s: unknown) => rawEvent(seq, { type: 'device.status', payload: { deviceId, status: s } });
    store.journal.append(STREAM, RECEIVED_AT, entries([status(3, 'CAM-1', 'normal'), status(1, 'CAM-1', 'offline'), status(2, 'FS-1', 'alarm')]));
    // A broken status (rejected) never counts as the device's state.
    store.journal.append(STREAM, RECEIVED_AT, entries([status(4, 'FS-1', 'on fire')]));
    const states = store.journal.deviceStates(STREAM).sort((a, b) => a.deviceId.localeCompare(b.deviceId));
    expect(states.map(({ deviceId, status: s, seq }) => ({ deviceId, s, seq }))).toEqual([
      { deviceId: 'CAM-1', s: 'normal', seq: 3 },
      { deviceId: 'FS-1', s: 'alarm', seq: 2 },
    ]);
    expect(store.journal.deviceStates('other')).toEqual([]);
  });
});
