import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BUDGET, healthScore, LinkMonitor, planVideo, type HealthParts, type LinkSample } from './school-health';

const T0 = Date.UTC(2026, 10, 22, 9, 0, 0);
const normal = { alarm: 5, video: 20, education: 60 };

function sample(sec: number, linkMbps: number, channels = normal): LinkSample {
  return { at: T0 + sec * 1000, linkMbps, channels };
}

describe('LinkMonitor', () => {
  it('a link delivering 20 Mbps is below budget after the raise delay, with since, duration and deficit', () => {
    const m = new LinkMonitor();
    m.add(sample(0, 150));
    expect(m.add(sample(1, 20)).state).toBe('ok');
    expect(m.add(sample(5, 20)).state).toBe('ok');
    const s = m.add(sample(11, 20));
    expect(s).toMatchObject({ state: 'below_budget', since: T0 + 1000, forMs: 10_000, deficitMbps: 130, worstMbps: 20 });
    expect(m.add(sample(71, 25))).toMatchObject({ state: 'below_budget', since: T0 + 1000, forMs: 70_000, deficitMbps: 125, worstMbps: 20 });
  });

  it('one bad sample neither raises nor, once raised, does one good sample clear it', () => {
    const m = new LinkMonitor();
    m.add(sample(0, 20));
    m.add(sample(5, 150));
    expect(m.add(sample(12, 20)).state).toBe('ok'); // the low run restarted at 12 s
    for (let s = 13; s <= 25; s++) m.add(sample(s, 20));
    expect(m.state().state).toBe('below_budget');
    m.add(sample(26, 150));
    expect(m.add(sample(27, 30)).state).toBe('below_budget');
    m.add(sample(28, 150));
    expect(m.add(sample(57, 150)).state).toBe('below_budget');
    expect(m.add(sample(58, 150)).state).toBe('ok');
  });

  it('within tolerance (a link at 145 of 150) is not below budget', () => {
    const m = new LinkMonitor();
    for (let s = 0; s < 60; s++) m.add(sample(s, 145));
    expect(m.state().state).toBe('ok');
    expect(m.state().deficitMbps).toBe(5);
  });

  it('names the channels using more than their budget', () => {
    const m = new LinkMonitor();
    expect(m.add(sample(0, 150, { alarm: 5, video: 45, education: 100 })).channelsOver).toEqual(['video']);
  });

  it('ignores samples older than the last one and samples that are not a number', () => {
    const m = new LinkMonitor();
    m.add(sample(10, 150));
    expect(m.add(sample(5, 0)).lastSampleAt).toBe(T0 + 10_000);
    expect(m.add(sample(11, Number.NaN)).lastSampleAt).toBe(T0 + 10_000);
    expect(m.add(sample(12, -3)).state).toBe('ok');
  });

  it('property: a link at or above budget is never reported below it', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 150, max: 1000, noNaN: true }), { maxLength: 100 }), (rates) => {
        const m = new LinkMonitor();
        rates.forEach((r, i) => m.add(sample(i, r)));
        expect(m.state().state).not.toBe('below_budget');
      }),
    );
  });
});

describe('planVideo', () => {
  it('keeps a layout within the school video budget by moving the last main streams to sub', () => {
    // 8 main streams of one school = 32 Mbps > 30: one tile must drop to sub (32 - 3.5 = 28.5).
    const tiles = Array.from({ length: 8 }, (_, i) => ({ tileIndex: i, schoolId: 'S1', stream: 'main' as const }));
    const plan = planVideo(tiles, DEFAULT_BUDGET.video);
    expect(plan.asked.get('S1')).toBe(32);
    expect(plan.toSub).toEqual([7]);
    expect(plan.planned.get('S1')).toBe(28.5);
    expect(plan.overEvenOnSub).toEqual([]);
  });

  it('each school has its own budget; sub streams are never switched', () => {
    const tiles = [
      ...Array.from({ length: 36 }, (_, i) => ({ tileIndex: i, schoolId: 'GYM1', stream: 'sub' as const })),
      { tileIndex: 36, schoolId: 'S2', stream: 'main' as const },
    ];
    const plan = planVideo(tiles, DEFAULT_BUDGET.video);
    expect(plan.toSub).toEqual([]);
    expect(plan.planned.get('GYM1')).toBe(18);
    expect(plan.planned.get('S2')).toBe(4);
  });

  it('reports a school over budget even on sub streams (a 64-tile wall of one school on a 20 Mbps budget)', () => {
    const tiles = Array.from({ length: 64 }, (_, i) => ({ tileIndex: i, schoolId: 'S1', stream: 'sub' as const }));
    expect(planVideo(tiles, 20).overEvenOnSub).toEqual(['S1']);
  });
});

describe('healthScore', () => {
  const healthy: HealthParts = { openByPriority: {}, cameras: { online: 40, stale: 0, offline: 0 }, sensorsInFault: 0, turnstilesInFault: 0, link: 'ok' };

  it('a school with nothing wrong scores 100 with no reasons', () => {
    expect(healthScore(healthy)).toEqual({ score: 100, reasons: [] });
  });

  it('an open life-safety alert outweighs a quarter of the cameras being offline', () => {
    const fire = healthScore({ ...healthy, openByPriority: { 1: 1 } });
    const cams = healthScore({ ...healthy, cameras: { online: 30, stale: 0, offline: 10 } });
    expect(fire.score).toBeLessThan(cams.score);
    expect(fire.reasons[0]!.reason).toBe('priority1_open');
  });

  it('lists the reasons largest first and never goes below zero', () => {
    const worst = healthScore({
      openByPriority: { 1: 5, 2: 5, 3: 10, 4: 10 },
      oldestUnhandledMs: 3_600_000,
      cameras: { online: 0, stale: 0, offline: 40 },
      sensorsInFault: 9,
      turnstilesInFault: 9,
      link: 'below_budget',
    });
    expect(worst.score).toBe(0);
    const points = worst.reasons.map((r) => r.points);
    expect(points).toEqual([...points].sort((a, b) => b - a));
    expect(worst.reasons.map((r) => r.reason)).toContain('link_below_budget');
  });

  it('a link below budget costs points', () => {
    expect(healthScore({ ...healthy, link: 'below_budget' }).score).toBe(85);
  });
});
