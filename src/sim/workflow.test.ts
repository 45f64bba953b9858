import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { applyEvent, classifyEvent, type AlertView } from '../shared/alerts';
import { setLogLevel } from '../shared/log';
import { Snapshot } from '../shared/protocol';
import { acrossRestart, connect, login, simWithClients, type TestClient } from './test-support';

setLogLevel('error');

const t = simWithClients();
const as = t.as;
const raise = (schoolId = 'GYM1'): string => t.raise('weapon', schoolId);

const cmd = (kind: string, alertId: string, extra: Record<string, unknown> = {}) => ({ kind, idempotencyKey: randomUUID(), alertId, ...extra });

/** The alert as a console sees it after applying what it received. */
function project(c: TestClient, alertId: string): AlertView | undefined {
  const map = new Map<string, AlertView>();
  for (const raw of c.events) {
    const k = classifyEvent(raw);
    if (k.kind === 'ok') applyEvent(map, 'ok', k.event, new Date().toISOString());
  }
  return map.get(alertId);
}

describe('alert workflow', () => {
  it('one owner at a time: the second claim is rejected naming the owner; after release another can claim', async () => {
    const d = await as('dispatcher', 'kuzet-dispatcher');
    const duty = await as('duty', 'kuzet-duty');
    const guard = await as('guard.gym1', 'kuzet-guard');
    const alertId = raise();
    expect(await d.command(cmd('alert.claim', alertId))).toMatchObject({ status: 'accepted', duplicate: false });
    const lost = await duty.command(cmd('alert.claim', alertId));
    expect(lost).toMatchObject({ status: 'rejected', code: 'claimed_by_other' });
    expect(lost.status === 'rejected' && lost.reason).toContain('Aidos Nurlanov');
    // Others cannot act on it while it is held.
    expect(await duty.command(cmd('alert.acknowledge', alertId))).toMatchObject({ status: 'rejected', code: 'claimed_by_other' });
    expect(await duty.command(cmd('alert.release', alertId))).toMatchObject({ status: 'rejected', code: 'claimed_by_other' });
    // Every console in scope sees who holds it.
    await guard.waitFor(() => project(guard, alertId)?.claimedBy?.name === 'Aidos Nurlanov');
    await duty.waitFor(() => project(duty, alertId)?.claimedBy?.name === 'Aidos Nurlanov');

    expect(await d.command(cmd('alert.release', alertId))).toMatchObject({ status: 'accepted' });
    await guard.waitFor(() => project(guard, alertId)?.claimedBy === null);
    expect(await duty.command(cmd('alert.claim', alertId))).toMatchObject({ status: 'accepted' });
    await d.waitFor(() => project(d, alertId)?.claimedBy?.id === 'u-duty' || project(d, alertId)?.claimedBy !== null);
  });

  it('escalates, takes feedback, and resolves with a required note; a resolved alert takes no more commands', async () => {
    const d = await as('dispatcher', 'kuzet-dispatcher');
    const guard = await as('guard.gym1', 'kuzet-guard');
    const alertId = raise();
    expect(await d.command(cmd('alert.escalate', alertId, { note: 'needs the district' }))).toMatchObject({ status: 'accepted' });
    expect(await d.command(cmd('alert.escalate', alertId))).toMatchObject({ status: 'accepted' });
    expect(await d.command(cmd('alert.feedback', alertId, { verdict: 'confirmed' }))).toMatchObject({ status: 'accepted' });
    // A blank note is not a note.
    expect(await d.command(cmd('alert.resolve', alertId, { outcome: 'real', note: '   ' }))).toMatchObject({ status: 'rejected', code: 'invalid_command' });
    expect(await d.command(cmd('alert.resolve', alertId, { outcome: 'bogus', note: 'x' }))).toMatchObject({ status: 'rejected', code: 'invalid_command' });
    expect(await d.command(cmd('alert.resolve', alertId, { outcome: 'real', note: 'Crew 12 detained the person' }))).toMatchObject({ status: 'accepted' });
    await guard.waitFor(() => project(guard, alertId)?.status === 'resolved');
    const view = project(guard, alertId)!;
    expect(view.escalationLevel).toBe(2);
    expect(view.feedback).toBe('confirmed');
    expect(view.resolution).toMatchObject({ outcome: 'real', note: 'Crew 12 detained the person', by: { name: 'Aidos Nurlanov' } });
    for (const kind of ['alert.claim', 'alert.acknowledge', 'alert.escalate']) {
      expect(await guard.command(cmd(kind, alertId))).toMatchObject({ status: 'rejected', code: 'already_resolved' });
    }
  });

  it('the snapshot carries the workflow history, so a reloading console learns the alert is resolved', async () => {
    const d = await as('dispatcher', 'kuzet-dispatcher');
    const alertId = raise();
    await d.command(cmd('alert.claim', alertId));
    await d.command(cmd('alert.resolve', alertId, { outcome: 'drill', note: 'planned drill' }));
    const { token } = await login(t.sim().url, 'guard.gym1', 'kuzet-guard');
    const res = await fetch(`${t.sim().url}/api/snapshot`, { headers: { authorization: `Bearer ${token}` } });
    const snap = Snapshot.parse(await res.json());
    const map = new Map<string, AlertView>();
    const types: string[] = [];
    for (const raw of snap.events) {
      const k = classifyEvent(raw);
      expect(k.kind).toBe('ok');
      if (k.kind !== 'ok') continue;
      if ((k.event.payload as { alertId?: string }).alertId === alertId) types.push(k.event.type);
      applyEvent(map, 'ok', k.event, new Date().toISOString());
    }
    expect(types).toEqual(['alert.raised', 'alert.claimed', 'alert.resolved']);
    expect(map.get(alertId)).toMatchObject({ status: 'resolved', claimedBy: null, resolution: { outcome: 'drill' } });
  });

  it('a retried claim after a restart is recognised from the log', async () => {
    await acrossRestart(
      async (first) => {
        const run = first.playScenario('fight', { schoolId: 'GYM1' });
        const alertId = run.ok ? run.value.alertIds[0]! : '';
        const a = await login(first.url, 'duty', 'kuzet-duty');
        const c1 = await connect(first.url, a.token, 0);
        const claim = cmd('alert.claim', alertId);
        expect(await c1.command(claim)).toMatchObject({ status: 'accepted', duplicate: false });
        await c1.close();
        return { alertId, a, claim };
      },
      async (second, { alertId, a, claim }) => {
        const c2 = await connect(second.url, a.token, 0);
        expect(await c2.command(claim)).toMatchObject({ status: 'accepted', duplicate: true });
        const d = await login(second.url, 'dispatcher', 'kuzet-dispatcher');
        const c3 = await connect(second.url, d.token, 0);
        expect(await c3.command(cmd('alert.claim', alertId))).toMatchObject({ status: 'rejected', code: 'claimed_by_other' });
        await c2.close();
        await c3.close();
      },
    );
  });
});
