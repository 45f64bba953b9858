import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { classifyEvent } from '../shared/alerts';
import { setLogLevel } from '../shared/log';
import { startSimulator, type Simulator } from './server';
import { connect, login, type TestClient } from './test-support';

setLogLevel('error');

const clients: TestClient[] = [];
async function open(url: string, token: string, since: number): Promise<TestClient> {
  const c = await connect(url, token, since);
  clients.push(c);
  return c;
}
afterEach(async () => {
  for (const c of clients.splice(0)) {
    expect(c.violations).toEqual([]);
    await c.close();
  }
});

const unknownEvent = (n: number, schoolId?: string) => ({ type: 'test.tick', v: 1, ...(schoolId ? { schoolId } : {}), payload: { n } });

describe('event stream', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ backgroundRate: 0 });
  });
  afterAll(() => sim.close());

  it('refuses a connection without a valid token or offset, with a readable reason', async () => {
    await expect(connect(sim.url, 'v1.not-a-real-token.x', 0)).rejects.toThrow(/token/);
    const { token } = await login(sim.url, 'dispatcher', 'kuzet-dispatcher');
    await expect(connect(sim.url, token, -1)).rejects.toThrow(/since/);
  });

  it('says hello, replays exactly the events after `since` in order, then streams live ones', async () => {
    const { token, stream } = await login(sim.url, 'dispatcher', 'kuzet-dispatcher');
    const base = sim.latestSeq(stream);
    for (let i = 1; i <= 8; i++) expect(sim.inject(unknownEvent(i)).ok).toBe(true);
    const client = await open(sim.url, token, base + 3);
    expect(client.hello).toMatchObject({ stream, backendId: sim.backendId, latestSeq: base + 8 });
    expect(client.events.map((e) => e.seq)).toEqual([4, 5, 6, 7, 8].map((n) => base + n));
    expect(client.events.map((e) => (e.payload as { n: number }).n)).toEqual([4, 5, 6, 7, 8]);
    // Every envelope is valid for the console; an unknown type is "unrecognized", not dropped.
    expect(client.events.map((e) => classifyEvent(e).kind)).toEqual(Array(5).fill('unrecognized'));

    sim.inject(unknownEvent(9));
    await client.waitFor((events) => events.length === 6);
    expect(client.events.at(-1)).toMatchObject({ seq: base + 9, stream });
    expect(new Set(client.events.map((e) => e.id)).size).toBe(6);
  });

  it('replays large gaps in batches of at most 500', async () => {
    const { token, stream } = await login(sim.url, 'duty', 'kuzet-duty');
    const base = sim.latestSeq(stream);
    for (let i = 0; i < 1100; i++) sim.inject(unknownEvent(i));
    const client = await open(sim.url, token, base);
    expect(client.events).toHaveLength(1100);
    expect(client.events.every((e, i) => e.seq === base + 1 + i)).toBe(true);
    expect(client.batches.map((b) => (b as unknown[]).length)).toEqual([500, 500, 100]);
  });

  it('coalesces a flood of live events into a few ordered batches', async () => {
    const { token, stream } = await login(sim.url, 'dispatcher', 'kuzet-dispatcher');
    const client = await open(sim.url, token, sim.latestSeq(stream));
    const base = sim.latestSeq(stream);
    for (let i = 0; i < 1200; i++) sim.inject(unknownEvent(i));
    await client.waitFor((events) => events.length === 1200);
    expect(client.events.every((e, i) => e.seq === base + 1 + i)).toBe(true);
    expect(client.batches.length).toBeLessThanOrEqual(3);
  });

  it('gives a guard only the events of the own school, on the school stream', async () => {
    const guard = await login(sim.url, 'guard.gym1', 'kuzet-guard');
    const dispatcher = await login(sim.url, 'dispatcher', 'kuzet-dispatcher');
    expect(guard.stream).toBe(`${sim.backendId}/school:GYM1`);
    expect(dispatcher.stream).toBe(`${sim.backendId}/city`);
    const g = await open(sim.url, guard.token, sim.latestSeq(guard.stream));
    const d = await open(sim.url, dispatcher.token, sim.latestSeq(dispatcher.stream));
    const other = sim.catalog.schools.find((s) => s.id !== 'GYM1')!.id;
    const elsewhere = sim.playScenario('weapon', { schoolId: other });
    const here = sim.playScenario('weapon', { schoolId: 'GYM1' });
    expect(elsewhere.ok && here.ok).toBe(true);
    const alertOf = (e: { payload: unknown }) => (e.payload as { alertId?: string }).alertId;
    await d.waitFor((events) => events.filter((e) => e.type === 'alert.raised').length === 2);
    await g.waitFor((events) => events.some((e) => e.type === 'alert.raised'));
    sim.inject(unknownEvent(1, other));
    sim.inject(unknownEvent(2, 'GYM1'));
    await g.waitFor((events) => events.some((e) => e.type === 'test.tick'));
    await d.waitFor((events) => events.filter((e) => e.type === 'test.tick').length === 2);
    expect(g.events.every((e) => e.schoolId === 'GYM1' && e.stream === guard.stream)).toBe(true);
    expect(g.events.map(alertOf).filter(Boolean)).toEqual(here.ok ? here.value.alertIds : []);
    // The school stream has its own contiguous sequence.
    expect(g.events.every((e, i) => i === 0 || e.seq === g.events[i - 1]!.seq + 1)).toBe(true);
    expect(d.events.map((e) => e.schoolId)).toContain(other);
  });

  it('sends the same event to the city and the school stream as separate envelopes with their own ids', () => {
    const r = sim.inject(unknownEvent(1, 'GYM1'));
    expect(r.ok && r.value.mode === 'sequenced' && r.value.events.map((e) => e.stream)).toEqual([sim.streams.city, sim.streams.school('GYM1')]);
    if (r.ok && r.value.mode === 'sequenced') {
      const [city, school] = r.value.events;
      expect(city!.id).not.toBe(school!.id);
      expect(city!.id).toBe(`${sim.backendId}:city:${city!.seq}`);
      expect(school!.id).toBe(`${sim.backendId}:school:GYM1:${school!.seq}`);
    }
  });
});

describe('retention and restart', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'kuzet-sim-restart-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('answers resync when `since` is older than the retained log, and when it is ahead of it', async () => {
    const sim = await startSimulator({ backgroundRate: 0, logRetention: 5 });
    try {
      const { token } = await login(sim.url, 'dispatcher', 'kuzet-dispatcher');
      for (let i = 1; i <= 12; i++) sim.inject(unknownEvent(i));
      const old = await open(sim.url, token, 2);
      expect(old.resync).toEqual({ reason: 'too_old', oldestSeq: 8, latestSeq: 12 });
      expect(old.events).toEqual([]);
      const edge = await open(sim.url, token, 7);
      expect(edge.resync).toBeNull();
      expect(edge.events.map((e) => e.seq)).toEqual([8, 9, 10, 11, 12]);
      const ahead = await open(sim.url, token, 50);
      expect(ahead.resync).toEqual({ reason: 'too_old', oldestSeq: 8, latestSeq: 12 });
    } finally {
      await sim.close();
    }
  });

  it('continues sequences, replays and keeps tokens valid after a restart with the same data directory', async () => {
    const first = await startSimulator({ backgroundRate: 0, dataDir });
    // One simulator per data directory at a time.
    await expect(startSimulator({ backgroundRate: 0, dataDir })).rejects.toThrow(/already used/);
    const { token, stream } = await login(first.url, 'guard.gym1', 'kuzet-guard');
    for (let i = 1; i <= 4; i++) first.inject(unknownEvent(i, 'GYM1'));
    const raised = first.playScenario('alarm_button', { schoolId: 'GYM1', immediate: true });
    expect(raised.ok).toBe(true);
    const before = first.latestSeq(stream);
    const beforeIds = first.events(stream).map((e) => e.id);
    const backendId = first.backendId;
    await first.close();

    const second = await startSimulator({ backgroundRate: 0, dataDir });
    try {
      expect(second.backendId).toBe(backendId);
      expect(second.latestSeq(stream)).toBe(before);
      second.inject(unknownEvent(5, 'GYM1'));
      // The token from before the restart still works, and replay crosses the restart.
      const client = await open(second.url, token, 2);
      expect(client.events.map((e) => e.seq)).toEqual(Array.from({ length: before - 1 }, (_, i) => i + 3));
      expect(client.events.map((e) => e.id).slice(0, before - 2)).toEqual(beforeIds.slice(2));
      // State came back too: the alert raised before the restart is still open in the snapshot.
      const alertId = raised.ok ? raised.value.alertIds[0] : '';
      expect(second.snapshot(stream).events.some((e) => (e as { payload: { alertId?: string } }).payload.alertId === alertId)).toBe(true);
    } finally {
      await second.close();
    }
  });
});
