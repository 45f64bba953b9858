import { describe, expect, it } from 'vitest';
import { setLogLevel } from '../shared/log';
import { AlertRaisedV1 } from '../shared/protocol';
import { LinkHistory } from '../shared/protocol-network';
import { ManualClock } from './clock';
import { LinkHistoryStore } from './link-history';
import { login, simWithClients } from './test-support';

setLogLevel('error');

const reading = (linkMbps: number, alarm = 2, video = 20, education = 60) => ({ linkMbps, channels: { alarm, video, education } });
const MIN = 60_000;

describe('LinkHistoryStore', () => {
  it('folds samples into one point a minute with min, mean, max and channel means', () => {
    const h = new LinkHistoryStore();
    const t0 = 100 * MIN;
    for (let s = 0; s < 120; s++) h.add('S1', t0 + s * 1000, s < 60 ? reading(200, 2, 20, 60) : reading(s === 90 ? 20 : 150, 4, 10, 30));
    const points = h.query('S1', t0, t0 + 2 * MIN, t0 + 2 * MIN);
    expect(points).toHaveLength(2);
    expect(points[0]).toEqual({ at: t0, samples: 60, minMbps: 200, meanMbps: 200, maxMbps: 200, alarm: 2, video: 20, education: 60 });
    expect(points[1]).toMatchObject({ at: t0 + MIN, samples: 60, minMbps: 20, maxMbps: 150, alarm: 4, video: 10, education: 30 });
    expect(points[1]!.meanMbps).toBeCloseTo((59 * 150 + 20) / 60, 0);
  });

  it('ignores a sample not newer than the last, and keeps a day at most (a new minute takes the slot of the oldest)', () => {
    const h = new LinkHistoryStore({ keepMs: 10 * MIN });
    h.add('S1', 5 * MIN, reading(100));
    h.add('S1', 5 * MIN, reading(1));
    h.add('S1', 4 * MIN, reading(1));
    expect(h.query('S1', 0, 6 * MIN, 6 * MIN)).toEqual([expect.objectContaining({ at: 5 * MIN, samples: 1, minMbps: 100 })]);
    for (let m = 6; m < 20; m++) h.add('S1', m * MIN, reading(m));
    const points = h.query('S1', 0, 20 * MIN, 19 * MIN + 1);
    // Ten slots: minutes 10..19 are kept, 5..9 are gone.
    expect(points.map((p) => p.at / MIN)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(points.every((p) => p.minMbps === p.at / MIN)).toBe(true);
    expect(h.query('nope', 0, 20 * MIN, 20 * MIN)).toEqual([]);
  });

  it('fills the minutes before its first sample from the link model, once', () => {
    let calls = 0;
    const h = new LinkHistoryStore({ keepMs: 60 * MIN, model: () => (calls++, reading(180)) });
    const now = 1000 * MIN;
    h.add('S1', now - 2 * MIN, reading(10));
    const points = h.query('S1', now - 60 * MIN, now, now);
    // 57 minutes from the model, then the live one; the two minutes since have no sample: a gap.
    expect(points).toHaveLength(58);
    expect(points.at(-1)).toMatchObject({ at: now - 2 * MIN, minMbps: 10, samples: 1 });
    expect(points[0]!.minMbps).toBe(180);
    const before = calls;
    h.query('S1', now - 60 * MIN, now, now);
    expect(calls).toBe(before);
  });
});

describe('GET /api/schools/:id/link-history (real simulator over loopback)', () => {
  const clock = new ManualClock(Date.UTC(2025, 8, 1, 6, 0, 0));
  const t = simWithClients({ clock });

  async function get(path: string, token?: string): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${t.sim().url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    return { status: res.status, body: await res.json() };
  }

  it('keeps every school per minute, shows a degraded minute, and scopes a guard to their school', async () => {
    const sim = t.sim();
    const { token: duty } = await login(sim.url, 'duty', 'kuzet-duty');
    const { token: guard } = await login(sim.url, 'guard.gym1', 'kuzet-guard');
    const start = clock.now();
    // Three minutes of telemetry; GYM1's link is down to 20 Mbps for the second one.
    for (let s = 0; s < 180; s++) {
      if (s === 60) expect(sim.dispatch.degradeLink('GYM1', 20, 60_000)).not.toBeNull();
      sim.dispatch.sampleLinks(clock.now());
      clock.advance(1000);
    }
    const r = await get(`/api/schools/GYM1/link-history?from=${start}&to=${clock.now()}`, duty);
    expect(r.status).toBe(200);
    const h = LinkHistory.parse(r.body);
    // (The simulator's own once-a-second tick may add a sample at the clock's final minute.)
    const live = h.points.filter((p) => p.at >= start && p.at < start + 3 * MIN);
    expect(live.map((p) => p.at - start)).toEqual([0, 60_000, 120_000]);
    expect(live.map((p) => p.samples)).toEqual([60, 60, 60]);
    expect(live[0]!.minMbps).toBeGreaterThan(140);
    expect(live[1]!.maxMbps).toBeLessThanOrEqual(20);
    expect(live[2]!.minMbps).toBeGreaterThan(140);
    expect(h.budget).toEqual({ alarm: 20, video: 30, education: 100 });

    // The day before the simulator started comes from its link model: a full day of minutes.
    const day = LinkHistory.parse((await get(`/api/schools/GYM1/link-history?from=0`, guard)).body);
    expect(day.points.length).toBeGreaterThanOrEqual(1439);
    expect(day.to - day.from).toBe(24 * 3600_000);

    expect((await get('/api/schools/GYM1/link-history')).status).toBe(401);
    const other = sim.catalog.schools.find((s) => s.id !== 'GYM1')!.id;
    expect((await get(`/api/schools/${other}/link-history`, guard)).status).toBe(403);
    expect((await get(`/api/schools/${other}/link-history`, duty)).status).toBe(200);
    expect((await get('/api/schools/NOPE/link-history', duty)).status).toBe(404);
    expect((await get('/api/schools/GYM1/link-history?from=abc', duty)).status).toBe(400);
    expect((await get('/api/schools/GYM1/link-history?limit=5', duty)).status).toBe(400);
    expect((await get(`/api/schools/GYM1/link-history?from=${clock.now()}&to=${start}`, duty)).status).toBe(400);
    sim.dispatch.links.restore('GYM1');
  });

  it('network_drop degrades the link itself, and the alert follows once it has lasted 10 s', () => {
    const sim = t.sim();
    const schoolId = sim.catalog.schools.at(-1)!.id;
    const run = sim.playScenario('network_drop', { schoolId });
    if (!run.ok) throw new Error(run.error.message);
    expect(run.value.emitted).toEqual([]);
    expect(run.value.alertIds).toHaveLength(1);
    expect(sim.dispatch.links.sample(schoolId, clock.now())!.linkMbps).toBeLessThanOrEqual(60);
    const seq = sim.latestSeq(sim.streams.school(schoolId));
    clock.advance(10_000);
    const raised = sim.events(sim.streams.school(schoolId), seq).filter((e) => e.type === 'alert.raised').map((e) => AlertRaisedV1.parse(e.payload));
    expect(raised).toEqual([expect.objectContaining({ alertId: run.value.alertIds[0], alertType: 'network_below_budget', schoolId })]);
    expect(raised[0]!.details).toMatch(/Mbps for 10 s, \d+ Mbps below the 150 Mbps budget/);
    sim.dispatch.links.restore(schoolId);
  });

  it("background network drops degrade links across the city but never the showcase school's", () => {
    const sim = t.sim();
    sim.setBackgroundRate(600);
    clock.advance(2 * 60_000);
    sim.setBackgroundRate(0);
    const now = clock.now();
    const degraded = sim.catalog.schools.filter((s) => sim.dispatch.links.sample(s.id, now)!.linkMbps <= 60).map((s) => s.id);
    expect(degraded.length).toBeGreaterThan(20);
    expect(degraded).not.toContain('GYM1');
    for (const id of degraded) sim.dispatch.links.restore(id);
  });
});
