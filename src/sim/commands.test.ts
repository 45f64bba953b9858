import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { setLogLevel } from '../shared/log';
import { AlertAcknowledgedV1, Snapshot } from '../shared/protocol';
import { acrossRestart, checkEvent, connect, login, simWithClients, type TestClient } from './test-support';

setLogLevel('error');

const t = simWithClients();
const as = t.as;
const raise = (schoolId: string): string => t.raise('fight', schoolId);

const acks = (c: TestClient, alertId: string) => c.events.filter((e) => e.type === 'alert.acknowledged' && (e.payload as { alertId: string }).alertId === alertId);

describe('commands', () => {
  it('rejects invalid commands with a readable reason and keeps the connection', async () => {
    const c = await as('dispatcher', 'kuzet-dispatcher');
    for (const bad of [null, 'ack', { kind: 'alert.acknowledge' }, { kind: 'alert.nuke', idempotencyKey: randomUUID(), alertId: 'x' }, { kind: 'alert.acknowledge', idempotencyKey: 'not-a-uuid', alertId: 'A' }]) {
      const r = await c.command(bad);
      expect(r.status).toBe('rejected');
      if (r.status === 'rejected') {
        expect(r.code).toBe('invalid_command');
        expect(r.reason.length).toBeGreaterThan(10);
      }
    }
    expect(c.socket.connected).toBe(true);
  });

  it('acknowledges an alert once: every console sees it, a retry is a duplicate, a second ack is rejected', async () => {
    const dispatcher = await as('dispatcher', 'kuzet-dispatcher');
    const guard = await as('guard.gym1', 'kuzet-guard');
    const duty = await as('duty', 'kuzet-duty');
    const alertId = raise('GYM1');
    const key = randomUUID();
    const first = await dispatcher.command({ kind: 'alert.acknowledge', idempotencyKey: key, alertId });
    expect(first).toEqual({ status: 'accepted', commandId: `cmd-${key}`, duplicate: false });

    // The other consoles (city and school stream) see who acknowledged it.
    for (const c of [guard, duty, dispatcher]) await c.waitFor(() => acks(c, alertId).length === 1);
    const event = acks(guard, alertId)[0]!;
    expect(AlertAcknowledgedV1.parse(event.payload)).toEqual({ alertId, by: { id: 'u-dispatcher', name: 'Aidos Nurlanov' }, commandId: `cmd-${key}` });
    expect(event.stream).toBe(t.sim().streams.school('GYM1'));

    // Same key again: same answer, marked duplicate, and no second event.
    const before = t.sim().latestSeq(t.sim().streams.city);
    expect(await dispatcher.command({ kind: 'alert.acknowledge', idempotencyKey: key, alertId })).toEqual({ ...first, duplicate: true });
    expect(t.sim().latestSeq(t.sim().streams.city)).toBe(before);

    const again = await guard.command({ kind: 'alert.acknowledge', idempotencyKey: randomUUID(), alertId });
    expect(again).toMatchObject({ status: 'rejected', code: 'already_acknowledged' });
    // Reusing a key for another command is a conflict, not a silent duplicate.
    const other = raise('GYM1');
    expect(await dispatcher.command({ kind: 'alert.acknowledge', idempotencyKey: key, alertId: other })).toMatchObject({ status: 'rejected', code: 'idempotency_conflict' });
    expect(acks(duty, alertId)).toHaveLength(1);
  });

  it('rejects unknown alerts and alerts outside the user scope', async () => {
    const guard = await as('guard.gym1', 'kuzet-guard');
    expect(await guard.command({ kind: 'alert.acknowledge', idempotencyKey: randomUUID(), alertId: 'AL-NOPE' })).toMatchObject({ status: 'rejected', code: 'not_found' });
    const elsewhere = raise(t.sim().catalog.schools.find((s) => s.id !== 'GYM1')!.id);
    expect(await guard.command({ kind: 'alert.acknowledge', idempotencyKey: randomUUID(), alertId: elsewhere })).toMatchObject({ status: 'rejected', code: 'not_found' });
    // The dispatcher can acknowledge it.
    const dispatcher = await as('dispatcher', 'kuzet-dispatcher');
    expect(await dispatcher.command({ kind: 'alert.acknowledge', idempotencyKey: randomUUID(), alertId: elsewhere })).toMatchObject({ status: 'accepted' });
  });

  it('acknowledges alerts raised by an injected alert.raised event too', async () => {
    const c = await as('duty', 'kuzet-duty');
    const injected = t.sim().inject({ type: 'alert.raised', v: 1, schoolId: 'GYM1', payload: { alertId: 'AL-INJECTED-1', alertType: 'wanted_person', schoolId: 'GYM1', cameraIds: [], title: 'Wanted person' } });
    expect(injected.ok).toBe(true);
    expect(await c.command({ kind: 'alert.acknowledge', idempotencyKey: randomUUID(), alertId: 'AL-INJECTED-1' })).toMatchObject({ status: 'accepted', duplicate: false });
  });

  it('snapshot holds the open alerts with their acknowledgements, scoped to the stream', async () => {
    const dispatcher = await as('dispatcher', 'kuzet-dispatcher');
    const alertId = raise('GYM1');
    await dispatcher.command({ kind: 'alert.acknowledge', idempotencyKey: randomUUID(), alertId });
    for (const [user, pass] of [
      ['dispatcher', 'kuzet-dispatcher'],
      ['guard.gym1', 'kuzet-guard'],
    ] as const) {
      const { token, stream } = await login(t.sim().url, user, pass);
      const res = await fetch(`${t.sim().url}/api/snapshot`, { headers: { authorization: `Bearer ${token}` } });
      const parsed = Snapshot.parse(await res.json());
      expect(parsed.events.map(checkEvent).filter(Boolean)).toEqual([]);
      const snap = parsed as { stream: string; seq: number; events: { stream: string; seq: number; type: string; schoolId?: string; payload: { alertId?: string } }[] };
      expect(snap.stream).toBe(stream);
      expect(snap.seq).toBe(t.sim().latestSeq(stream));
      const mine = snap.events.filter((e) => e.payload.alertId === alertId).map((e) => e.type);
      expect(mine).toEqual(['alert.raised', 'alert.acknowledged']);
      expect(snap.events.every((e, i) => e.stream === stream && (i === 0 || e.seq > snap.events[i - 1]!.seq))).toBe(true);
      if (user === 'guard.gym1') expect(snap.events.every((e) => e.schoolId === 'GYM1')).toBe(true);
    }
  });
});

describe('idempotency across a restart', () => {
  it('recognises a retried key from the log after the simulator restarted', async () => {
    const key = randomUUID();
    await acrossRestart(
      async (first) => {
        const run = first.playScenario('bullying', { schoolId: 'GYM1' });
        const alertId = run.ok ? run.value.alertIds[0]! : '';
        const a = await login(first.url, 'duty', 'kuzet-duty');
        const c1 = await connect(first.url, a.token, 0);
        expect(await c1.command({ kind: 'alert.acknowledge', idempotencyKey: key, alertId })).toMatchObject({ status: 'accepted', duplicate: false });
        await c1.close();
        return { alertId, a };
      },
      async (second, { alertId, a }) => {
        const c2 = await connect(second.url, a.token, 0);
        const before = second.latestSeq(a.stream);
        expect(await c2.command({ kind: 'alert.acknowledge', idempotencyKey: key, alertId })).toEqual({ status: 'accepted', commandId: `cmd-${key}`, duplicate: true });
        expect(await c2.command({ kind: 'alert.acknowledge', idempotencyKey: randomUUID(), alertId })).toMatchObject({ status: 'rejected', code: 'already_acknowledged' });
        expect(second.latestSeq(a.stream)).toBe(before);
        expect(c2.violations).toEqual([]);
        await c2.close();
      },
    );
  });
});
