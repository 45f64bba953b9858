import { describe, expect, it } from 'vitest';
import { LinkMonitor } from '../shared/school-health';
import { LinkSimulator } from './telemetry';

const NOON = Date.UTC(2026, 10, 23, 7, 0, 0); // 12:00 in Shymkent
const NIGHT = Date.UTC(2026, 10, 23, 20, 0, 0); // 01:00

describe('LinkSimulator', () => {
  const ids = Array.from({ length: 50 }, (_, i) => `S${i}`);

  it('is deterministic for a seed, a school and a second', () => {
    const a = new LinkSimulator(ids, 42);
    const b = new LinkSimulator(ids, 42);
    expect(a.sample('S3', NOON + 400)).toEqual(b.sample('S3', NOON + 900));
    expect(a.sample('nope', NOON)).toBeUndefined();
  });

  it('a healthy link stays at or near the 150 Mbps budget and education follows the school day', () => {
    const sim = new LinkSimulator(ids, 1);
    for (const id of ids) {
      const day = sim.sample(id, NOON)!;
      // Never inside the monitor's tolerance band: a healthy school must not flap below budget.
      expect(day.linkMbps).toBeGreaterThanOrEqual(150 * 0.97);
      expect(day.channels.education).toBeGreaterThan(sim.sample(id, NIGHT)!.channels.education);
      const used = day.channels.alarm + day.channels.video + day.channels.education;
      expect(used).toBeLessThanOrEqual(day.linkMbps + 0.2);
    }
  });

  it('a link degraded to 20 Mbps delivers about 20, alarms first, and recovers after the period', () => {
    const sim = new LinkSimulator(ids, 1);
    sim.degrade('S7', 20, { now: NOON, forMs: 60_000 });
    const low = sim.sample('S7', NOON + 1000)!;
    expect(low.linkMbps).toBeLessThanOrEqual(20);
    expect(low.linkMbps).toBeGreaterThanOrEqual(19);
    expect(low.channels.alarm).toBeGreaterThan(0);
    expect(low.channels.alarm + low.channels.video + low.channels.education).toBeLessThanOrEqual(low.linkMbps + 0.2);
    expect(sim.sample('S7', NOON + 61_000)!.linkMbps).toBeGreaterThanOrEqual(145.5);
  });

  it('a healthy link is never reported below budget by the monitor', () => {
    const sim = new LinkSimulator(ids, 3);
    for (const id of ids) {
      const monitor = new LinkMonitor();
      for (let s = 0; s < 120; s++) monitor.add({ at: NOON + s * 1000, ...sim.sample(id, NOON + s * 1000)! });
      expect(monitor.state().state, id).toBe('ok');
    }
  });

  it('feeds the link monitor: 20 Mbps for a minute is reported below budget', () => {
    const sim = new LinkSimulator(ids, 1);
    const monitor = new LinkMonitor();
    sim.degrade('S2', 20, { now: NOON, forMs: 120_000 });
    for (let s = 0; s <= 60; s++) monitor.add({ at: NOON + s * 1000, ...sim.sample('S2', NOON + s * 1000)! });
    expect(monitor.state()).toMatchObject({ state: 'below_budget', forMs: 60_000 });
    expect(monitor.state().deficitMbps).toBeGreaterThan(129);
  });
});
