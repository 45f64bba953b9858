import { describe, expect, it } from 'vitest';
import type { LinkHistoryPoint } from '../../../shared/protocol-network';
import { DEFAULT_BUDGET } from '../../../shared/school-health';
import type { LinkPoint } from '../telemetry/store';
import { axisMax, belowBudgetSpans, joinSeries, linePath, nearestPoint, summarize } from './chart-model';

const MIN = 60_000;
const bucket = (at: number, minMbps: number, meanMbps = minMbps, maxMbps = meanMbps): LinkHistoryPoint => ({ at, samples: 60, minMbps, meanMbps, maxMbps, alarm: 3, video: 20, education: 60 });
const sample = (at: number, linkMbps: number, video = 20): LinkPoint => ({ at, linkMbps, alarm: 3, video, education: 60 });

describe('joinSeries', () => {
  const T = 1000 * MIN;
  const history = Array.from({ length: 60 }, (_, i) => bucket(T - 60 * MIN + i * MIN, 190));
  // Live samples for the last 90 s, the link down to 20 Mbps for the last 30 of them.
  const live = Array.from({ length: 90 }, (_, i) => sample(T - 90_000 + i * 1000, i >= 60 ? 20 : 195));

  it('fills the time before the first live sample from history, then uses the live samples (live window: one point a sample)', () => {
    const points = joinSeries(history, live, { to: T, windowMs: 10 * MIN, bucketMs: MIN, perSample: true });
    const fromHistory = points.filter((p) => p.spanMs === MIN);
    expect(fromHistory.map((p) => (p.at - T) / MIN)).toEqual([-10, -9, -8, -7, -6, -5, -4, -3, -2]);
    expect(points.filter((p) => p.spanMs === 1000)).toHaveLength(90);
    expect(points.map((p) => p.at)).toEqual([...points.map((p) => p.at)].sort((a, b) => a - b));
  });

  it('folds live samples into minutes in longer windows, with their lowest and highest', () => {
    const points = joinSeries(history, live, { to: T, windowMs: 3600_000, bucketMs: MIN, perSample: false });
    expect(points.every((p) => p.spanMs === MIN)).toBe(true);
    const last = points.at(-1)!;
    expect(last.at).toBe(T - MIN);
    expect(last).toMatchObject({ min: 20, max: 195 });
    expect(last.mean).toBeCloseTo((30 * 195 + 30 * 20) / 60, 5);
    // The minute the live samples started in comes from them (30 s), not from the history bucket.
    expect(points.at(-2)).toMatchObject({ at: T - 2 * MIN, min: 195, max: 195 });
    expect(points).toHaveLength(60);
  });

  it('works with no history (backend unreachable) and with no live samples', () => {
    expect(joinSeries([], live, { to: T, windowMs: 10 * MIN, bucketMs: MIN, perSample: true })).toHaveLength(90);
    expect(joinSeries(history, [], { to: T, windowMs: 10 * MIN, bucketMs: MIN, perSample: true })).toHaveLength(10);
  });
});

describe('below-budget spans and the summary', () => {
  it('shades where the capacity is under the budget less 5 %, merging neighbours, and sums the time', () => {
    const points = joinSeries([], [...Array.from({ length: 10 }, (_, i) => sample(i * 1000, i >= 3 && i < 7 ? 20 : 150)), sample(20_000, 100)], { to: 20_000, windowMs: 60_000, bucketMs: MIN, perSample: true });
    const spans = belowBudgetSpans(points, DEFAULT_BUDGET);
    expect(spans).toEqual([
      { from: 3000, to: 7000 },
      { from: 20_000, to: 21_000 },
    ]);
    // 143 Mbps is within the 5 % tolerance of 150.
    expect(belowBudgetSpans(joinSeries([], [sample(0, 143)], { to: 0, windowMs: MIN, bucketMs: MIN, perSample: true }), DEFAULT_BUDGET)).toEqual([]);
    const s = summarize(points, spans, DEFAULT_BUDGET);
    expect(s.belowMs).toBe(5000);
    expect(s.worstMbps).toBe(20);
    expect(s.peak.video).toEqual({ mbps: 20, over: false });
    const over = summarize(joinSeries([], [sample(0, 150, 40)], { to: 0, windowMs: MIN, bucketMs: MIN, perSample: true }), [], DEFAULT_BUDGET);
    expect(over.peak.video).toEqual({ mbps: 40, over: true });
  });
});

describe('drawing helpers', () => {
  const points = joinSeries([bucket(0, 100), bucket(MIN, 110), bucket(10 * MIN, 120)], [], { to: 11 * MIN, windowMs: 11 * MIN, bucketMs: MIN, perSample: false });

  it('breaks the line where minutes are missing, and finds the point nearest the pointer', () => {
    const d = linePath(points, (at) => at / 1000, (v) => v, (p) => p.mean);
    expect(d.match(/M/g)).toHaveLength(2);
    expect(nearestPoint(points, 20_000)!.at).toBe(0);
    expect(nearestPoint(points, 100_000)!.at).toBe(MIN);
    expect(nearestPoint(points, 9 * MIN)!.at).toBe(10 * MIN);
    expect(nearestPoint([], 0)).toBeNull();
  });

  it('puts the budget comfortably inside the axis and rounds it up', () => {
    expect(axisMax([20, 100], 150)).toBe(250);
    expect(axisMax([290], 150)).toBe(400);
    expect(axisMax([], 30)).toBe(50);
  });
});
