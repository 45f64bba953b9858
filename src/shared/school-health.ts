/**
 * How healthy a school's systems are, for the duty officer's board (issue 8): the link against its
 * budget, the video a wall layout would pull through that link, and one score per school.
 *
 *   const monitor = new LinkMonitor(DEFAULT_BUDGET);
 *   monitor.add({ at, linkMbps: 20, channels: {...} });   // each telemetry sample, in time order
 *   monitor.state();                                      // ok | below_budget, since when, how far
 *
 *   planVideo(tiles, DEFAULT_BUDGET.video)                // which tiles must drop to sub streams
 *   healthScore(parts)                                    // 0..100 with the reasons
 *
 * Pure functions and plain classes over data: no platform imports.
 */
import { z } from 'zod';

export const CHANNELS = ['alarm', 'video', 'education'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Mbps per channel. The city's rule for every school: 150 Mbps = 20 alarm + 30 video + 100 education. */
export const Budget = z.strictObject({
  alarm: z.number().min(0).max(100_000),
  video: z.number().min(0).max(100_000),
  education: z.number().min(0).max(100_000),
});
export type Budget = z.infer<typeof Budget>;
export const DEFAULT_BUDGET: Budget = { alarm: 20, video: 30, education: 100 };

export function budgetTotal(b: Budget): number {
  return b.alarm + b.video + b.education;
}

export interface LinkSample {
  /** Epoch ms. */
  at: number;
  /** What the link can deliver now (measured capacity), Mbps. */
  linkMbps: number;
  /** What each channel is using, Mbps. */
  channels: Record<Channel, number>;
}

export interface LinkState {
  state: 'unknown' | 'ok' | 'below_budget';
  /** When the link went below budget (the first sample of this period). */
  since?: number;
  /** How long it has been below budget at the last sample, ms. */
  forMs?: number;
  /** Budget minus capacity at the last sample, Mbps (> 0 when below). */
  deficitMbps: number;
  /** Lowest capacity seen in this below-budget period. */
  worstMbps?: number;
  /** Channels using more than their budget at the last sample. */
  channelsOver: Channel[];
  lastSampleAt?: number;
}

export interface LinkMonitorOptions {
  /** Capacity may dip below budget this long before it counts (a speed test, a burst). */
  raiseAfterMs: number;
  /** Capacity must stay at budget this long before the period ends (no flapping alerts). */
  clearAfterMs: number;
  /** Below budget means capacity < budget * (1 - tolerance). */
  tolerance: number;
}

export const DEFAULT_LINK_OPTIONS: LinkMonitorOptions = { raiseAfterMs: 10_000, clearAfterMs: 30_000, tolerance: 0.05 };

/**
 * Follows one school's link sample by sample and says whether it is below its budget, since when
 * and by how much, with hysteresis both ways so a single bad sample neither raises nor clears.
 * Samples older than the last one are ignored (telemetry may arrive out of order after a resync).
 */
export class LinkMonitor {
  private current: LinkState = { state: 'unknown', deficitMbps: 0, channelsOver: [] };
  /** Start of the current run of below-budget samples not yet long enough to count. */
  private lowSince: number | undefined;
  private lowWorst = Infinity;
  /** Start of the current run of good samples while below budget. */
  private goodSince: number | undefined;

  constructor(
    private readonly budget: Budget = DEFAULT_BUDGET,
    private readonly opts: LinkMonitorOptions = DEFAULT_LINK_OPTIONS,
  ) {}

  add(sample: LinkSample): LinkState {
    const last = this.current.lastSampleAt;
    if (last !== undefined && sample.at <= last) return this.current;
    if (!Number.isFinite(sample.linkMbps) || sample.linkMbps < 0) return this.current;
    const need = budgetTotal(this.budget);
    const deficit = Math.max(0, need - sample.linkMbps);
    const low = sample.linkMbps < need * (1 - this.opts.tolerance);
    const channelsOver = CHANNELS.filter((c) => (sample.channels[c] ?? 0) > this.budget[c] * (1 + this.opts.tolerance));
    const base = { deficitMbps: deficit, channelsOver, lastSampleAt: sample.at };

    if (this.current.state === 'below_budget') {
      const worstMbps = Math.min(this.current.worstMbps ?? Infinity, sample.linkMbps);
      if (low) this.goodSince = undefined;
      else this.goodSince ??= sample.at;
      if (this.goodSince !== undefined && sample.at - this.goodSince >= this.opts.clearAfterMs) {
        this.goodSince = undefined;
        this.lowSince = undefined;
        this.lowWorst = Infinity;
        this.current = { state: 'ok', ...base };
      } else {
        const since = this.current.since!;
        this.current = { state: 'below_budget', since, forMs: sample.at - since, worstMbps, ...base };
      }
      return this.current;
    }

    if (low) {
      this.lowSince ??= sample.at;
      this.lowWorst = Math.min(this.lowWorst, sample.linkMbps);
      if (sample.at - this.lowSince >= this.opts.raiseAfterMs) {
        this.current = { state: 'below_budget', since: this.lowSince, forMs: sample.at - this.lowSince, worstMbps: this.lowWorst, ...base };
        return this.current;
      }
    } else {
      this.lowSince = undefined;
      this.lowWorst = Infinity;
    }
    this.current = { state: 'ok', ...base };
    return this.current;
  }

  state(): LinkState {
    return this.current;
  }
}

// ---- video budget of a wall layout ---------------------------------------------------------------

/** Typical bitrates of the city's cameras (Hikvision defaults: 1080p main H.264, 360p sub). */
export const STREAM_MBPS = { main: 4, sub: 0.5 } as const;

export interface TileDemand {
  tileIndex: number;
  schoolId: string;
  stream: 'main' | 'sub';
}

export interface VideoPlan {
  /** Mbps per school with the streams as asked. */
  asked: Map<string, number>;
  /** Mbps per school after the switch to sub streams. */
  planned: Map<string, number>;
  /** Tiles whose main stream must become a sub stream to keep a school within its video budget. */
  toSub: number[];
  /** Schools that exceed their video budget even with every tile on a sub stream. */
  overEvenOnSub: string[];
}

/**
 * What a wall layout pulls through each school's link, and the smallest change that keeps every
 * school within its video budget: main streams become sub streams, the last tiles first (the first
 * tile of a layout is the large one, kept on main as long as possible).
 */
export function planVideo(tiles: readonly TileDemand[], videoBudgetMbps: number, rates: { main: number; sub: number } = STREAM_MBPS): VideoPlan {
  const asked = new Map<string, number>();
  for (const t of tiles) asked.set(t.schoolId, (asked.get(t.schoolId) ?? 0) + rates[t.stream]);
  const planned = new Map(asked);
  const toSub: number[] = [];
  const bySchool = new Map<string, TileDemand[]>();
  for (const t of tiles) bySchool.set(t.schoolId, [...(bySchool.get(t.schoolId) ?? []), t]);
  for (const [schoolId, list] of bySchool) {
    let use = planned.get(schoolId)!;
    const mains = list.filter((t) => t.stream === 'main').sort((a, b) => b.tileIndex - a.tileIndex);
    for (const t of mains) {
      if (use <= videoBudgetMbps) break;
      use += rates.sub - rates.main;
      toSub.push(t.tileIndex);
    }
    planned.set(schoolId, use);
  }
  const overEvenOnSub = [...planned].filter(([, mbps]) => mbps > videoBudgetMbps).map(([id]) => id);
  return { asked, planned, toSub: toSub.sort((a, b) => a - b), overEvenOnSub };
}

// ---- score ---------------------------------------------------------------------------------------

export interface HealthParts {
  /** Open alerts by priority class (1 = highest). */
  openByPriority: Partial<Record<1 | 2 | 3 | 4 | 5, number>>;
  /** Age of the oldest unacknowledged alert, ms. */
  oldestUnhandledMs?: number;
  cameras: { online: number; stale: number; offline: number };
  sensorsInFault: number;
  turnstilesInFault: number;
  link: LinkState['state'];
}

export type HealthReason = 'priority1_open' | 'priority2_open' | 'alerts_open' | 'unhandled_long' | 'cameras_offline' | 'cameras_stale' | 'sensors_fault' | 'turnstiles_fault' | 'link_below_budget';

export interface HealthScore {
  /** 100 = nothing wrong; 0 = worst. */
  score: number;
  /** What took points off, largest first. */
  reasons: { reason: HealthReason; points: number }[];
}

/**
 * One number per school so the board can sort 268 schools worst-first, with the reasons beside it.
 * An open life-safety alert dominates everything; then people at risk; then the system's health,
 * in proportion to how much of the school's camera coverage is gone.
 */
export function healthScore(p: HealthParts): HealthScore {
  const reasons: HealthScore['reasons'] = [];
  const take = (reason: HealthReason, points: number) => {
    if (points > 0) reasons.push({ reason, points: Math.round(points * 10) / 10 });
  };
  const open = (k: 1 | 2 | 3 | 4 | 5) => p.openByPriority[k] ?? 0;
  take('priority1_open', open(1) > 0 ? 50 + Math.min(10, 5 * (open(1) - 1)) : 0);
  take('priority2_open', open(2) > 0 ? 25 + Math.min(10, 3 * (open(2) - 1)) : 0);
  take('alerts_open', Math.min(10, 2 * open(3) + 1 * open(4) + 0.5 * open(5)));
  take('unhandled_long', p.oldestUnhandledMs === undefined ? 0 : Math.min(10, p.oldestUnhandledMs / 60_000 / 3));
  const cams = p.cameras.online + p.cameras.stale + p.cameras.offline;
  take('cameras_offline', cams === 0 ? 0 : (30 * p.cameras.offline) / cams);
  take('cameras_stale', cams === 0 ? 0 : (10 * p.cameras.stale) / cams);
  take('sensors_fault', Math.min(10, 3 * p.sensorsInFault));
  take('turnstiles_fault', Math.min(10, 4 * p.turnstilesInFault));
  take('link_below_budget', p.link === 'below_budget' ? 15 : 0);
  reasons.sort((a, b) => b.points - a.points);
  const lost = reasons.reduce((s, r) => s + r.points, 0);
  return { score: Math.max(0, Math.round(100 - lost)), reasons };
}
