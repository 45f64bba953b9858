import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyEvent } from '../shared/alerts';
import { priorityOf } from '../shared/domain';
import { setLogLevel } from '../shared/log';
import { AlertRaisedV1, SchoolOccupancyV1, TurnstilePassageV1, TurnstileUnlockV1, type EventEnvelope } from '../shared/protocol';
import { ManualClock } from './clock';
import { dayShare, UNLOCK_LIMIT_MS } from './evacuation';
import { startSimulator, type Simulator } from './server';
import { connect, login } from './test-support';

setLogLevel('error');

let sim: Simulator;
let clock: ManualClock;
beforeAll(async () => {
  // 08:00 UTC is 13:00 in Shymkent: school is in session.
  clock = new ManualClock();
  sim = await startSimulator({ backgroundRate: 0, clock });
});
afterAll(() => sim.close());

const turnstilesOf = (schoolId: string) => sim.index.devicesBySchool.get(schoolId)!.filter((d) => d.kind === 'turnstile').map((d) => d.id).sort();
const schoolEvents = (schoolId: string, since: number) => sim.events(sim.streams.school(schoolId), since);
const unlocks = (events: EventEnvelope[]) => events.filter((e) => e.type === 'turnstile.unlock').map((e) => TurnstileUnlockV1.parse(e.payload));
/** People inside by the console's rule: the latest count plus the passages after it. */
function inside(events: EventEnvelope[]): number | null {
  let n: number | null = null;
  for (const e of events) {
    if (e.type === 'school.occupancy') n = SchoolOccupancyV1.parse(e.payload).inside;
    else if (e.type === 'turnstile.passage' && n !== null) {
      const p = TurnstilePassageV1.parse(e.payload);
      n += p.in - p.out;
    }
  }
  return n;
}

describe('fire linkage in the simulator', () => {
  it('a fire commands every turnstile of the school to unlock; each confirms within 1-4 s; the school empties', () => {
    const stream = sim.streams.school('GYM1');
    const since = sim.latestSeq(stream);
    const run = sim.playScenario('fire', { schoolId: 'GYM1' });
    if (!run.ok) throw new Error(run.error.message);
    const fireId = run.value.alertIds[0]!;
    const first = schoolEvents('GYM1', since);
    expect(first.map((e) => classifyEvent(e).kind).every((k) => k === 'ok')).toBe(true);
    const commanded = unlocks(first);
    expect(commanded.map((u) => u.deviceId).sort()).toEqual(turnstilesOf('GYM1'));
    expect(commanded.every((u) => u.state === 'commanded' && u.cause === 'fire' && u.alertId === fireId && u.limitMs === UNLOCK_LIMIT_MS)).toBe(true);
    const start = inside(first);
    expect(start).toBeGreaterThan(500);

    clock.advance(999);
    expect(unlocks(schoolEvents('GYM1', since)).filter((u) => u.state === 'confirmed')).toEqual([]);
    clock.advance(3001);
    const confirmed = unlocks(schoolEvents('GYM1', since)).filter((u) => u.state === 'confirmed');
    expect(confirmed.map((u) => u.deviceId).sort()).toEqual(turnstilesOf('GYM1'));

    // Exits only, so the count falls tick by tick; after the alarm the school is (nearly) empty.
    const at4s = inside(schoolEvents('GYM1', since))!;
    expect(at4s).toBeLessThan(start!);
    clock.advance(30_000);
    const at34s = inside(schoolEvents('GYM1', since))!;
    expect(at34s).toBeLessThan(at4s * 0.5);
    const passages = schoolEvents('GYM1', since).filter((e) => e.type === 'turnstile.passage').map((e) => TurnstilePassageV1.parse(e.payload));
    expect(passages.reduce((n, p) => n + p.in, 0)).toBe(0);
    // Nobody comes back in while the alarm lasts, even with the everyday passages running.
    sim.setBackgroundRate(0.001);
    const samples: number[] = [];
    for (let t = 34_000; t < 114_000; t += 10_000) {
      clock.advance(10_000);
      samples.push(inside(schoolEvents('GYM1', since))!);
    }
    sim.setBackgroundRate(0);
    expect(samples).toEqual([...samples].sort((a, b) => b - a));
    expect(samples.at(-1)).toBeLessThan(start! * 0.05);
    clock.advance(60_000);
    // The backend's own count, sent when the alarm ends, agrees with the passages.
    const counts = schoolEvents('GYM1', since).filter((e) => e.type === 'school.occupancy');
    expect(SchoolOccupancyV1.parse(counts.at(-1)!.payload).inside).toBe(inside(schoolEvents('GYM1', since)));
  });

  it('the stuck variant: one turnstile never confirms and "evacuation blocked" names it when its limit passes', () => {
    const since = sim.latestSeq(sim.streams.school('GYM1'));
    const run = sim.playScenario('fire_turnstile_stuck', { schoolId: 'GYM1' });
    if (!run.ok) throw new Error(run.error.message);
    expect(run.value.alertIds).toHaveLength(2);
    clock.advance(UNLOCK_LIMIT_MS - 1);
    const early = schoolEvents('GYM1', since);
    const confirmed = new Set(unlocks(early).filter((u) => u.state === 'confirmed').map((u) => u.deviceId));
    const stuck = turnstilesOf('GYM1').filter((id) => !confirmed.has(id));
    expect(stuck).toHaveLength(1);
    expect(early.some((e) => e.type === 'alert.raised' && AlertRaisedV1.parse(e.payload).alertType === 'evacuation_blocked')).toBe(false);
    // No one leaves through the stuck turnstile.
    expect(early.filter((e) => e.type === 'turnstile.passage').map((e) => TurnstilePassageV1.parse(e.payload).deviceId)).not.toContain(stuck[0]);

    clock.advance(1);
    const blocked = schoolEvents('GYM1', since)
      .filter((e) => e.type === 'alert.raised')
      .map((e) => AlertRaisedV1.parse(e.payload))
      .find((a) => a.alertType === 'evacuation_blocked')!;
    expect(blocked.alertId).toBe(run.value.alertIds[1]);
    expect(priorityOf(blocked.alertType)).toBe(1);
    expect(blocked.deviceId).toBe(stuck[0]);
    expect(blocked.title).toContain(sim.index.devices.get(stuck[0]!)!.name);
    expect(sim.deviceStatus(stuck[0]!)).toBe('fault');
    clock.advance(200_000);
    expect(sim.deviceStatus(stuck[0]!)).toBe('normal');
  });

  it('a shorter turnstile limit (instructor option) is what the unlocks carry and when "evacuation blocked" comes', () => {
    const since = sim.latestSeq(sim.streams.school('GYM1'));
    const run = sim.playScenario('fire_turnstile_stuck', { schoolId: 'GYM1', unlockLimitMs: 5_000 });
    if (!run.ok) throw new Error(run.error.message);
    expect(unlocks(schoolEvents('GYM1', since)).every((u) => u.limitMs === 5_000)).toBe(true);
    const blockedNow = () => schoolEvents('GYM1', since).some((e) => e.type === 'alert.raised' && AlertRaisedV1.parse(e.payload).alertId === run.value.alertIds[1]);
    clock.advance(4_999);
    expect(blockedNow()).toBe(false);
    clock.advance(1);
    expect(blockedNow()).toBe(true);
    const blocked = AlertRaisedV1.parse(schoolEvents('GYM1', since).find((e) => e.type === 'alert.raised' && AlertRaisedV1.parse(e.payload).alertId === run.value.alertIds[1])!.payload);
    expect(blocked.details).toContain('within 5 s');
    clock.advance(200_000);
  });

  it('a snapshot carries every turnstile state and the headcount', () => {
    const since = sim.latestSeq(sim.streams.school('GYM1'));
    sim.playScenario('fire', { schoolId: 'GYM1' });
    clock.advance(5_000);
    const snap = sim.snapshot(sim.streams.school('GYM1')).events as EventEnvelope[];
    const latest = unlocks(snap);
    expect(latest.map((u) => u.deviceId).sort()).toEqual(turnstilesOf('GYM1'));
    expect(latest.every((u) => u.state === 'confirmed')).toBe(true);
    expect(inside(snap)).toBe(inside(schoolEvents('GYM1', 0)));
    expect(snap.some((e) => e.type === 'school.occupancy' && e.seq > since)).toBe(true);
    clock.advance(200_000);
  });

  it('the day has a rhythm: nearly empty at night, full in the morning lessons', () => {
    expect(dayShare(3)).toBeLessThan(0.05);
    expect(dayShare(10)).toBe(1);
    expect(dayShare(20)).toBeLessThan(0.05);
    expect(dayShare(7.75)).toBeGreaterThan(0.3);
  });
});

describe('the "unlock all turnstiles" command', () => {
  const as = async (username: string, password: string) => {
    const { token, stream } = await login(sim.url, username, password);
    return connect(sim.url, token, sim.latestSeq(stream));
  };
  const unlock = (schoolId: string, key = randomUUID()) => ({ kind: 'school.unlock_turnstiles', idempotencyKey: key, schoolId });

  it('is for the guard of the school and the duty officer; others are refused with the reason', async () => {
    const dispatcher = await as('dispatcher', 'kuzet-dispatcher');
    const guard = await as('guard.gym1', 'kuzet-guard');
    const duty = await as('duty', 'kuzet-duty');
    try {
      const other = [...sim.index.schools.keys()].find((id) => id !== 'GYM1' && turnstilesOf(id).length > 0)!;
      expect(await dispatcher.command(unlock('GYM1'))).toMatchObject({ status: 'rejected', code: 'forbidden', reason: expect.stringMatching(/guard|duty officer/) });
      expect(await guard.command(unlock(other))).toMatchObject({ status: 'rejected', code: 'not_found' });
      expect(await duty.command(unlock('NO-SUCH-SCHOOL'))).toMatchObject({ status: 'rejected', code: 'not_found' });

      const since = sim.latestSeq(sim.streams.school('GYM1'));
      const key = randomUUID();
      const answer = await guard.command(unlock('GYM1', key));
      expect(answer).toEqual({ status: 'accepted', commandId: `cmd-${key}`, duplicate: false });
      const commanded = unlocks(schoolEvents('GYM1', since));
      expect(commanded.map((u) => u.deviceId).sort()).toEqual(turnstilesOf('GYM1'));
      expect(commanded.every((u) => u.cause === 'operator' && u.commandId === `cmd-${key}` && u.by?.id === 'u-guard-gym1')).toBe(true);
      // Everyone in scope sees it: the dispatcher on the city stream too.
      await dispatcher.waitFor((ev) => ev.filter((e) => e.type === 'turnstile.unlock').length >= commanded.length);
      // A retry is the same command, not a second unlock.
      expect(await guard.command(unlock('GYM1', key))).toEqual({ ...answer, duplicate: true });
      expect(unlocks(schoolEvents('GYM1', since))).toHaveLength(commanded.length);
      clock.advance(4_000);
      expect(unlocks(schoolEvents('GYM1', since)).filter((u) => u.state === 'confirmed')).toHaveLength(commanded.length);

      // The duty officer may unlock any school.
      expect(await duty.command(unlock(other))).toMatchObject({ status: 'accepted' });
    } finally {
      await Promise.all([dispatcher.close(), guard.close(), duty.close()]);
    }
  });

  it('a faulty turnstile reports failure when its limit passes', async () => {
    const guard = await as('guard.gym1', 'kuzet-guard');
    try {
      const faulty = turnstilesOf('GYM1')[0]!;
      sim.inject({ type: 'device.status', v: 1, schoolId: 'GYM1', payload: { deviceId: faulty, status: 'fault' } });
      const since = sim.latestSeq(sim.streams.school('GYM1'));
      expect(await guard.command(unlock('GYM1'))).toMatchObject({ status: 'accepted' });
      clock.advance(UNLOCK_LIMIT_MS);
      const states = new Map(unlocks(schoolEvents('GYM1', since)).map((u) => [u.deviceId, u]));
      expect(states.get(faulty)).toMatchObject({ state: 'failed', reason: expect.stringContaining('did not unlock') });
      expect([...states.values()].filter((u) => u.state === 'confirmed')).toHaveLength(turnstilesOf('GYM1').length - 1);
    } finally {
      await guard.close();
    }
  });
});
