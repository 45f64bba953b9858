import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { classifyEvent } from '../shared/alerts';
import { setLogLevel } from '../shared/log';
import { EventEnvelope } from '../shared/protocol';
import { startSimulator, type Simulator } from './server';
import { checkEvent, connect, login, postJson, type TestClient } from './test-support';

setLogLevel('error');

let sim: Simulator;
let dispatcher: TestClient;
let guard: TestClient;
beforeAll(async () => {
  sim = await startSimulator({ backgroundRate: 0 });
});
afterAll(() => sim.close());
afterEach(async () => {
  await dispatcher?.close();
  await guard?.close();
});

async function consoles(): Promise<void> {
  const d = await login(sim.url, 'dispatcher', 'kuzet-dispatcher');
  const g = await login(sim.url, 'guard.gym1', 'kuzet-guard');
  dispatcher = await connect(sim.url, d.token, sim.latestSeq(d.stream));
  guard = await connect(sim.url, g.token, sim.latestSeq(g.stream));
}

const inject = (body: unknown) => postJson(`${sim.url}/api/instructor/inject`, body);

describe('instructor inject', () => {
  it('sequences an unknown type and a malformed payload inside valid envelopes, and logs them', async () => {
    await consoles();
    const unknown = await inject({ event: { type: 'drone.sighted', v: 3, schoolId: 'GYM1', payload: { altitude: 40 } } });
    expect(unknown.status).toBe(200);
    const malformed = await inject({ event: { type: 'alert.raised', v: 1, payload: { alertId: 'AL-BROKEN', schoolId: 'GYM1', title: 42 } } });
    expect(malformed.status).toBe(200);
    const envelopes = [unknown, malformed].flatMap((r) => (r.body as { events: unknown[] }).events.map((e) => EventEnvelope.parse(e)));
    // Routed by schoolId (top level or in the payload): the city stream and GYM1's stream.
    expect(envelopes.map((e) => e.stream)).toEqual([sim.streams.city, sim.streams.school('GYM1'), sim.streams.city, sim.streams.school('GYM1')]);

    await guard.waitFor((events) => events.length === 2);
    await dispatcher.waitFor((events) => events.length === 2);
    expect(guard.events.map((e) => [e.type, e.v])).toEqual([
      ['drone.sighted', 3],
      ['alert.raised', 1],
    ]);
    expect(guard.events.map((e) => classifyEvent(e).kind)).toEqual(['unrecognized', 'rejected']);
    expect(guard.events[1]!.payload).toEqual({ alertId: 'AL-BROKEN', schoolId: 'GYM1', title: 42 });
    expect(guard.violations).toEqual(['invalid alert.raised@1 payload']);
    // Durable: in the log with its sequence number, so a late console replays it too.
    const logged = sim.events(sim.streams.school('GYM1')).slice(-2);
    expect(logged.map((e) => e.id)).toEqual(guard.events.map((e) => e.id));
    // A malformed payload must not become state: acknowledging it is refused.
    const ack = await dispatcher.command({ kind: 'alert.acknowledge', idempotencyKey: crypto.randomUUID(), alertId: 'AL-BROKEN' });
    expect(ack).toMatchObject({ status: 'rejected', code: 'not_found' });
  });

  it('keeps a given id and timestamp (duplicate and bad-clock tests) but always assigns seq and stream', async () => {
    await consoles();
    const event = { id: 'dup-1', ts: '1999-01-01T00:00:00Z', seq: 999_999, stream: 'evil', type: 'x.y', v: 1, payload: null };
    await inject({ event });
    await inject({ event });
    await dispatcher.waitFor((events) => events.length === 2);
    expect(dispatcher.events.map((e) => [e.id, e.ts, e.stream])).toEqual([
      ['dup-1', '1999-01-01T00:00:00Z', sim.streams.city],
      ['dup-1', '1999-01-01T00:00:00Z', sim.streams.city],
    ]);
    expect(dispatcher.events[1]!.seq).toBe(dispatcher.events[0]!.seq + 1);
  });

  it('refuses a sequenced event whose envelope could not be valid, pointing at raw mode', async () => {
    for (const event of [{ type: 7, v: 1, payload: {} }, { type: 'x', v: 0 }, { type: 'x', v: 1, id: 'has spaces' }, 'just a string']) {
      const r = await inject({ event });
      expect(r.status).toBe(400);
      expect((r.body as { error: { message: string } }).error.message).toMatch(/raw/);
    }
  });

  it('sends raw JSON exactly as given, outside the log, to the right consoles', async () => {
    await consoles();
    const cityBefore = sim.latestSeq(sim.streams.city);
    const weird = { id: 'no seq here', type: 'alert.raised', payload: { schoolId: 'GYM1' } };
    expect((await inject({ event: weird, raw: true })).body).toEqual({ mode: 'raw', streams: [sim.streams.city, sim.streams.school('GYM1')] });
    expect((await inject({ event: 'not even an object', raw: true, wrap: false })).status).toBe(200);
    const waitBatches = (c: TestClient, n: number) =>
      new Promise<void>((resolve) => {
        const t = setInterval(() => c.batches.length >= n && (clearInterval(t), resolve()), 5);
      });
    await waitBatches(dispatcher, 2);
    await waitBatches(guard, 1);
    expect(dispatcher.batches).toEqual([[weird], 'not even an object']);
    expect(guard.batches).toEqual([[weird]]);
    expect(checkEvent(weird)).toMatch(/invalid envelope/);
    expect(dispatcher.violations).toEqual([expect.stringMatching(/invalid envelope/), 'events is not an array']);
    expect(sim.latestSeq(sim.streams.city)).toBe(cityBefore);
  });
});

describe('instructor scenarios', () => {
  it('plays a named scenario and reports the events it emitted', async () => {
    await consoles();
    const r = await postJson(`${sim.url}/api/instructor/scenario`, { name: 'fire', schoolId: 'GYM1', drill: true });
    expect(r.status).toBe(200);
    const run = r.body as { scenario: string; schoolId: string; alertIds: string[]; emitted: unknown[]; pending: { inMs: number; types: string[] }[] };
    expect(run.scenario).toBe('fire');
    expect(run.alertIds).toHaveLength(1);
    expect(run.emitted.map((e) => checkEvent(e))).toEqual(run.emitted.map(() => null));
    expect(run.pending.length).toBeGreaterThan(0);
    await guard.waitFor((events) => events.some((e) => e.type === 'alert.raised'));
    const raised = guard.events.find((e) => e.type === 'alert.raised')!;
    expect(raised.payload).toMatchObject({ alertId: run.alertIds[0], alertType: 'fire', schoolId: 'GYM1', drill: true });
    expect(guard.violations).toEqual([]);
  });

  it('lists scenarios and rejects unknown names and schools', async () => {
    const list = await fetch(`${sim.url}/api/instructor/scenarios`).then((r) => r.json() as Promise<{ scenarios: string[] }>);
    expect(list.scenarios).toEqual(expect.arrayContaining(['fire', 'intruder', 'weapon', 'fight', 'bullying', 'camera_outage', 'network_drop', 'turnstile_failure', 'alarm_button']));
    expect((await postJson(`${sim.url}/api/instructor/scenario`, { name: 'alien_invasion' })).status).toBe(400);
    expect((await postJson(`${sim.url}/api/instructor/scenario`, { name: 'fire', schoolId: 'NOPE' })).status).toBe(404);
    // A turnstile limit shorter than a turnstile takes to confirm would mark healthy ones overdue.
    expect((await postJson(`${sim.url}/api/instructor/scenario`, { name: 'fire', schoolId: 'GYM1', unlockLimitMs: 1_000 })).status).toBe(400);
    const bg = await postJson(`${sim.url}/api/instructor/background`, { rate: 0 });
    expect(bg.body).toEqual({ backgroundRate: 0 });
  });
});

describe('instructor flood', () => {
  it('publishes count alerts at once, each to the city and its school stream, with run-unique ids', async () => {
    await consoles();
    const before = dispatcher.events.length;
    const res = await postJson(`${sim.url}/api/instructor/flood`, { count: 300 });
    expect(res.status).toBe(200);
    const { alertIds } = res.body as { alertIds: string[] };
    expect(new Set(alertIds).size).toBe(300);
    await dispatcher.waitFor((events) => events.length >= before + 300);
    await guard.waitFor((events) => alertIds.every((id) => events.some((e) => (e.payload as { alertId?: string }).alertId === id)));
    expect((await postJson(`${sim.url}/api/instructor/flood`, { count: 0 })).status).toBe(400);
    const again = (await postJson(`${sim.url}/api/instructor/flood`, { count: 1 })).body as { alertIds: string[] };
    expect(alertIds).not.toContain(again.alertIds[0]);
  });
});

describe('instructor flood stream', () => {
  it('publishes at the asked rate by its own clock, answers when done, and refuses a bad request', async () => {
    await consoles();
    const before = dispatcher.events.length;
    const res = await postJson(`${sim.url}/api/instructor/flood-stream`, { rate: 2000, tickMs: 10, seconds: 0.5, alertType: 'weapon' });
    expect(res.status).toBe(200);
    const body = res.body as { emitted: number; seconds: number; completed: boolean };
    expect(body).toMatchObject({ emitted: 1000, completed: true });
    expect(body.seconds).toBeGreaterThanOrEqual(0.5);
    await dispatcher.waitFor((events) => events.length >= before + 1000);
    const raised = dispatcher.events.slice(before);
    expect(raised.every((e) => e.type === 'alert.raised' && (e.payload as { alertType: string }).alertType === 'weapon')).toBe(true);
    // Spread over the half second, not sent at once: the first and last source times are apart.
    expect(Date.parse(raised.at(-1)!.ts) - Date.parse(raised[0]!.ts)).toBeGreaterThanOrEqual(400);
    const bad = await postJson(`${sim.url}/api/instructor/flood-stream`, { rate: 0, tickMs: 10, seconds: 1 });
    expect(bad.status).toBe(400);
  });

  it('stops when its request is closed', async () => {
    await consoles();
    const stop = new AbortController();
    const pending = fetch(`${sim.url}/api/instructor/flood-stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rate: 1000, tickMs: 10, seconds: 30 }),
      signal: stop.signal,
    }).catch((e: unknown) => e);
    await dispatcher.waitFor((events) => events.length > 0);
    stop.abort();
    await pending;
    // Once stopped, no more load alerts are published (other simulated sources may go on).
    const floods = () => sim.events(sim.streams.city).filter((e) => e.type === 'alert.raised' && (e.payload as { alertId: string }).alertId.startsWith('FL-')).length;
    await new Promise((done) => setTimeout(done, 200));
    const settled = floods();
    await new Promise((done) => setTimeout(done, 500));
    expect(floods()).toBe(settled);
    expect(settled).toBeLessThan(5000);
  });
});
