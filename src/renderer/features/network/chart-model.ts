// What the Network tab charts (issue 8): a school's link over a window, from the backend's
// per-minute history joined with the console's live one-second samples, and the periods the link
// was below its budget. Pure, so it is tested alone; the SVG is in LinkCharts.tsx.
import type { LinkHistoryPoint } from '../../../shared/protocol-network';
import { budgetTotal, CHANNELS, DEFAULT_LINK_OPTIONS, type Budget, type Channel } from '../../../shared/school-health';
import type { LinkPoint } from '../telemetry/store';

export const CHART_WINDOWS = ['live', '1h', '24h'] as const;
export type ChartWindow = (typeof CHART_WINDOWS)[number];
export const WINDOW_MS: Record<ChartWindow, number> = { live: 10 * 60_000, '1h': 3600_000, '24h': 24 * 3600_000 };

export interface ChartPoint {
  at: number;
  /** How long this point stands for (1 s for a live sample, the bucket for history). */
  spanMs: number;
  min: number;
  mean: number;
  max: number;
  alarm: number;
  video: number;
  education: number;
}

/**
 * The window [to - windowMs, to] as points oldest first. Live samples are used wherever they exist
 * (they are newer and finer); history fills the time before the first live sample. In the live
 * window every sample is a point; in longer windows live samples are folded into buckets of the
 * history's size, so the newest minutes look like the rest of the chart.
 */
export function joinSeries(history: readonly LinkHistoryPoint[], live: readonly LinkPoint[], opts: { to: number; windowMs: number; bucketMs: number; perSample: boolean }): ChartPoint[] {
  const from = opts.to - opts.windowMs;
  const firstLive = live.length > 0 ? live[0]!.at : Infinity;
  // History buckets wholly before the bucket of the first live sample.
  const liveBucket = Math.floor(firstLive / opts.bucketMs) * opts.bucketMs;
  const cutoff = opts.perSample ? firstLive : liveBucket;
  const points: ChartPoint[] = [];
  for (const h of history) {
    if (h.at + opts.bucketMs <= from || h.at >= cutoff || h.at > opts.to) continue;
    points.push({ at: h.at, spanMs: opts.bucketMs, min: h.minMbps, mean: h.meanMbps, max: h.maxMbps, alarm: h.alarm, video: h.video, education: h.education });
  }
  const recent = live.filter((p) => p.at >= from && p.at <= opts.to);
  if (opts.perSample) {
    for (const p of recent) points.push({ at: p.at, spanMs: 1000, min: p.linkMbps, mean: p.linkMbps, max: p.linkMbps, alarm: p.alarm, video: p.video, education: p.education });
    return points;
  }
  let bucket: { at: number; n: number; sum: number; min: number; max: number; alarm: number; video: number; education: number } | null = null;
  const flush = () => {
    if (!bucket) return;
    const n = bucket.n;
    points.push({ at: bucket.at, spanMs: opts.bucketMs, min: bucket.min, mean: bucket.sum / n, max: bucket.max, alarm: bucket.alarm / n, video: bucket.video / n, education: bucket.education / n });
  };
  for (const p of recent) {
    const at = Math.floor(p.at / opts.bucketMs) * opts.bucketMs;
    if (!bucket || bucket.at !== at) {
      flush();
      bucket = { at, n: 0, sum: 0, min: Infinity, max: -Infinity, alarm: 0, video: 0, education: 0 };
    }
    bucket.n++;
    bucket.sum += p.linkMbps;
    bucket.min = Math.min(bucket.min, p.linkMbps);
    bucket.max = Math.max(bucket.max, p.linkMbps);
    bucket.alarm += p.alarm;
    bucket.video += p.video;
    bucket.education += p.education;
  }
  flush();
  return points;
}

export interface Span {
  from: number;
  to: number;
}

/**
 * Periods the link was below its budget: a point counts when its mean capacity is under the budget
 * less the monitor's tolerance (a minute mostly below; a live second below). Adjacent ones merge.
 */
export function belowBudgetSpans(points: readonly ChartPoint[], budget: Budget, tolerance = DEFAULT_LINK_OPTIONS.tolerance): Span[] {
  const limit = budgetTotal(budget) * (1 - tolerance);
  const spans: Span[] = [];
  for (const p of points) {
    if (p.mean >= limit) continue;
    const last = spans.at(-1);
    // Touching or a sample apart: one period (live samples come a second apart, give or take).
    if (last && p.at - last.to <= Math.max(1000, p.spanMs)) last.to = p.at + p.spanMs;
    else spans.push({ from: p.at, to: p.at + p.spanMs });
  }
  return spans;
}

export interface WindowSummary {
  /** Time below budget in the window, ms. */
  belowMs: number;
  /** Lowest capacity in the window. */
  worstMbps: number | null;
  /** Highest mean use of each channel in the window, and whether it went over its budget. */
  peak: Record<Channel, { mbps: number; over: boolean }>;
}

export function summarize(points: readonly ChartPoint[], spans: readonly Span[], budget: Budget, tolerance = DEFAULT_LINK_OPTIONS.tolerance): WindowSummary {
  let worst = Infinity;
  for (const p of points) worst = Math.min(worst, p.min);
  const peak = {} as WindowSummary['peak'];
  for (const c of CHANNELS) {
    const mbps = points.reduce((m, p) => Math.max(m, p[c]), 0);
    peak[c] = { mbps, over: mbps > budget[c] * (1 + tolerance) };
  }
  return { belowMs: spans.reduce((s, x) => s + (x.to - x.from), 0), worstMbps: Number.isFinite(worst) ? worst : null, peak };
}

/** The point nearest a time (binary search; points oldest first), or null when there are none. */
export function nearestPoint(points: readonly ChartPoint[], at: number): ChartPoint | null {
  if (points.length === 0) return null;
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]!.at < at) lo = mid + 1;
    else hi = mid;
  }
  const after = points[lo]!;
  const before = points[lo - 1];
  return before && at - before.at < after.at - at ? before : after;
}

/** Runs of points without missing data between them (a gap is more than three spans wide). */
export function segments(points: readonly ChartPoint[]): ChartPoint[][] {
  const runs: ChartPoint[][] = [];
  let prev: ChartPoint | null = null;
  for (const p of points) {
    if (prev === null || p.at - prev.at > 3 * Math.max(prev.spanMs, 1000)) runs.push([]);
    runs.at(-1)!.push(p);
    prev = p;
  }
  return runs;
}

type Scale = (v: number) => number;
const xy = (x: number, y: number) => `${x.toFixed(1)},${y.toFixed(1)}`;
const mid = (p: ChartPoint) => p.at + p.spanMs / 2;

/** An SVG path through the points, broken where data is missing. */
export function linePath(points: readonly ChartPoint[], x: Scale, y: Scale, value: (p: ChartPoint) => number): string {
  return segments(points)
    .map((run) => run.map((p, i) => `${i === 0 ? 'M' : 'L'}${xy(x(mid(p)), y(value(p)))}`).join(''))
    .join('');
}

/** The band between the lowest and highest capacity of each point, broken where data is missing. */
export function bandPath(points: readonly ChartPoint[], x: Scale, y: Scale): string {
  return segments(points)
    .map((run) => `M${run.map((p) => xy(x(mid(p)), y(p.max))).join('L')}L${[...run].reverse().map((p) => xy(x(mid(p)), y(p.min))).join('L')}Z`)
    .join('');
}

/** A round upper bound for a chart's axis with the budget comfortably inside. */
export function axisMax(values: Iterable<number>, budgetMbps: number): number {
  let top = budgetMbps * 1.3;
  for (const v of values) top = Math.max(top, v);
  const steps = [10, 20, 25, 50, 100, 150, 200, 250, 300, 400, 500, 1000, 2000, 5000, 10_000, 100_000];
  return steps.find((s) => s >= top * 1.05) ?? top;
}
