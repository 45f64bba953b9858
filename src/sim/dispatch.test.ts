import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { rankCrews } from '../shared/dispatch';
import { setLogLevel } from '../shared/log';
import { DispatchStepV1, TelemetryBatch } from '../shared/protocol-dispatch';
import type { Simulator } from './server';
import { postJson, simWithClients, type TestClient } from './test-support';

setLogLevel('error');

// Crews drive 500x faster: a 5 km trip takes about a second.
const t = simWithClients({ crewTimeScale: 500 });
const as = t.as;
let sim: Simulator;
beforeAll(() => {
  sim = t.sim();
});

function raise(scenario: string, opts: { drill?: boolean } = {}): string {
  const run = sim.playScenario(scenario, { schoolId: 'GYM1', immediate: true, ...opts });
  if (!run.ok) throw new Error(run.error.message);
  return run.value.alertIds[0]!;
}

/** The nearest available crew to GYM1 now. */
function nearestCrew(): string {
  const school = sim.index.schools.get('GYM1')!;
  const crews = sim.dispatch.fleet.positions().map((p) => ({ id: p.crewId, callsign: p.crewId, status: p.status, location: p.location }));
  return rankCrews(crews, school.location)[0]!.crew.id;
}

const cmd = (kind: string, alertId: string, extra: Record<string, unknown> = {}) => ({ kind, idempotencyKey: randomUUID(), alertId, ...extra });

function steps(c: TestClient, incidentId: string) {
  return c.events.filter((e) => e.type === 'dispatch.step').map((e) => DispatchStepV1.parse(e.payload)).filter((s) => s.incidentId === incidentId);
}

describe('police dispatch through the simulator', () => {
  it('an AI weapon alert needs video confirmation or a stated reason before a crew is sent', async () => {
    const d = await as('dispatcher', 'kuzet-dispatcher');
    const alertId = raise('weapon');
    const crewId = nearestCrew();
    const refused = await d.command(cmd('crew.dispatch', alertId, { crewId }));
    expect(refused).toMatchObject({ status: 'rejected', code: 'unverified' });
    expect(await d.command(cmd('alert.feedback', alertId, { verdict: 'confirmed' }))).toMatchObject({ status: 'accepted' });
    expect(await d.command(cmd('crew.dispatch', alertId, { crewId }))).toMatchObject({ status: 'accepted', duplicate: false });
  });

  it('the crew accepts, goes en route and arrives on scene; the guard of the school sees the same steps', async () => {
    const d = await as('dispatcher', 'kuzet-dispatcher');
    const guard = await as('guard.gym1', 'kuzet-guard');
    const alertId = raise('alarm_button');
    const crewId = nearestCrew();
    const key = randomUUID();
    expect(await d.command({ kind: 'crew.dispatch', idempotencyKey: key, alertId, crewId })).toMatchObject({ status: 'accepted' });
    // A retry with the same key is the same command, not a second crew.
    expect(await d.command({ kind: 'crew.dispatch', idempotencyKey: key, alertId, crewId })).toMatchObject({ status: 'accepted', duplicate: true });
    await d.waitFor(() => steps(d, alertId).some((s) => s.stage === 'on_scene'), 15_000);
    const stages = steps(d, alertId).map((s) => s.stage);
    expect(stages.slice(0, 4)).toEqual(['dispatched', 'accepted', 'en_route', 'on_scene']);
    const first = steps(d, alertId)[0]!;
    expect(first).toMatchObject({ crewId, by: { name: 'Aidos Nurlanov' }, commandId: `cmd-${key}` });
    expect(steps(d, alertId).find((s) => s.stage === 'en_route')!.eta).toMatch(/^\d{4}-/);
    await guard.waitFor(() => steps(guard, alertId).some((s) => s.stage === 'on_scene'), 5000);
  });

  it('a crew that rejects frees itself; a second dispatch to another crew goes ahead', async () => {
    const d = await as('dispatcher', 'kuzet-dispatcher');
    const alertId = raise('alarm_button');
    const first = nearestCrew();
    expect(await postJson(`${sim.url}/api/instructor/crews/reject-next`, { crewId: first })).toMatchObject({ status: 200 });
    expect(await d.command(cmd('crew.dispatch', alertId, { crewId: first }))).toMatchObject({ status: 'accepted' });
    await d.waitFor(() => steps(d, alertId).some((s) => s.stage === 'rejected'), 10_000);
    expect(steps(d, alertId).find((s) => s.stage === 'rejected')!.reason).toBeTruthy();
    expect(sim.dispatch.fleet.status(first)).toBe('available');
    const second = sim.dispatch.fleet.positions().find((p) => p.status === 'available' && p.crewId !== first)!.crewId;
    const sent = await d.command(cmd('crew.dispatch', alertId, { crewId: second }));
    expect(sent).toMatchObject({ status: 'accepted' });
    await d.waitFor(() => steps(d, alertId).filter((s) => s.stage === 'accepted').length === 1, 10_000);
  });

  it('refuses: a drill, a guard or duty officer dispatching, an unavailable crew', async () => {
    const d = await as('dispatcher', 'kuzet-dispatcher');
    const guard = await as('guard.gym1', 'kuzet-guard');
    const drill = raise('alarm_button', { drill: true });
    expect(await d.command(cmd('crew.dispatch', drill, { crewId: nearestCrew() }))).toMatchObject({ status: 'rejected', code: 'drill' });
    const real = raise('alarm_button');
    expect(await guard.command(cmd('crew.dispatch', real, { crewId: nearestCrew() }))).toMatchObject({ status: 'rejected', code: 'forbidden' });
    const offDuty = sim.catalog.crews.find((c) => c.status === 'off_duty')!.id;
    const busy = await d.command(cmd('crew.dispatch', real, { crewId: offDuty }));
    expect(busy).toMatchObject({ status: 'rejected', code: 'not_available' });
    expect(busy.status === 'rejected' && busy.reason).toMatch(/off duty/);
  });

  it('a dispatcher can call a crew off with a reason; the crew is available again', async () => {
    const d = await as('dispatcher', 'kuzet-dispatcher');
    const alertId = raise('alarm_button');
    const crewId = nearestCrew();
    const key = randomUUID();
    await d.command({ kind: 'crew.dispatch', idempotencyKey: key, alertId, crewId });
    expect(await d.command(cmd('dispatch.cancel', alertId, { dispatchId: `dsp-${key}`, reason: ' ' }))).toMatchObject({ status: 'rejected', code: 'invalid_command' });
    expect(await d.command(cmd('dispatch.cancel', alertId, { dispatchId: `dsp-${key}`, reason: 'false alarm confirmed by the guard' }))).toMatchObject({ status: 'accepted' });
    await d.waitFor(() => steps(d, alertId).some((s) => s.stage === 'cancelled'));
    expect(sim.dispatch.fleet.status(crewId)).toBe('available');
  });

  it('a note on the shared incident reaches the dispatcher, the duty officer and the guard, with its addressee', async () => {
    const d = await as('dispatcher', 'kuzet-dispatcher');
    const duty = await as('duty', 'kuzet-duty');
    const guard = await as('guard.gym1', 'kuzet-guard');
    const alertId = raise('alarm_button');
    expect(await guard.command(cmd('alert.note', alertId, { text: 'east gate is locked, use the north entrance', to: 'dispatcher' }))).toMatchObject({ status: 'accepted' });
    expect(await guard.command(cmd('alert.note', alertId, { text: '   ' }))).toMatchObject({ status: 'rejected', code: 'invalid_command' });
    for (const c of [d, duty, guard]) {
      await c.waitFor((events) => events.some((e) => e.type === 'alert.noted' && (e.payload as { alertId: string }).alertId === alertId));
      const note = c.events.find((e) => e.type === 'alert.noted' && (e.payload as { alertId: string }).alertId === alertId)!.payload;
      expect(note).toMatchObject({ by: { name: expect.any(String) }, to: 'dispatcher', text: 'east gate is locked, use the north entrance' });
    }
  });

  it('sends telemetry every second: the city gets every school link and crew, a guard only their school', async () => {
    const d = await as('dispatcher', 'kuzet-dispatcher');
    const guard = await as('guard.gym1', 'kuzet-guard');
    const next = (c: TestClient) => new Promise<TelemetryBatch>((resolve) => c.socket.once('telemetry', (b: unknown) => resolve(TelemetryBatch.parse(b))));
    const [city, school] = await Promise.all([next(d), next(guard)]);
    expect(city.links).toHaveLength(sim.catalog.schools.length);
    expect(city.crews).toHaveLength(sim.catalog.crews.length);
    expect(school.links).toEqual([expect.objectContaining({ schoolId: 'GYM1' })]);
    expect(school.crews.every((c) => typeof c === 'object')).toBe(true);
  });

  it('a degraded link shows in the next telemetry', async () => {
    const guard = await as('guard.gym1', 'kuzet-guard');
    expect(await postJson(`${sim.url}/api/instructor/links/degrade`, { schoolId: 'GYM1', mbps: 20, forMs: 60_000 })).toMatchObject({ status: 200 });
    expect(await postJson(`${sim.url}/api/instructor/links/degrade`, { schoolId: 'NOPE', mbps: 20, forMs: 60_000 })).toMatchObject({ status: 404 });
    const batch = await new Promise<TelemetryBatch>((resolve) => guard.socket.once('telemetry', (b: unknown) => resolve(TelemetryBatch.parse(b))));
    expect((batch.links[0] as { linkMbps: number }).linkMbps).toBeLessThanOrEqual(20);
    // After the monitor's 10 s the backend raises the alert, saying how far below and for how long.
    await guard.waitFor((events) => events.some((e) => e.type === 'alert.raised' && (e.payload as { alertType: string }).alertType === 'network_below_budget'), 15_000);
    const alert = guard.events.find((e) => e.type === 'alert.raised' && (e.payload as { alertType: string }).alertType === 'network_below_budget')!.payload as { title: string; details: string };
    expect(alert.title).toMatch(/20 of 150 Mbps/);
    expect(alert.details).toMatch(/for 10 s, 130 Mbps below/);
    sim.dispatch.links.restore('GYM1');
  });
});
