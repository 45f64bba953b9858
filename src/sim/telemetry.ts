/**
 * Each school's internet link as the simulator plays it, sampled once a second for the telemetry
 * channel: what the link can deliver (capacity) and what each budget channel uses (alarm, video,
 * education), with the day's rhythm (lessons fill the education channel) and a little noise.
 *
 *   const links = new LinkSimulator(schoolIds, seed);
 *   links.sample('GYM1', now)                         // { linkMbps, channels }
 *   links.degrade('S087', 20, { now, forMs: 600_000 }) // the link delivers 20 Mbps for 10 min
 *
 * Deterministic for a seed, a school and a time (tests and replays see the same figures); a school
 * whose link is degraded delivers at most that much, and its channels share what is left.
 */
import type { Budget } from '../shared/school-health';
import { DEFAULT_BUDGET } from '../shared/school-health';
import { hashString } from './rng';

export interface LinkReading {
  linkMbps: number;
  channels: { alarm: number; video: number; education: number };
}

interface Degradation {
  mbps: number;
  from: number;
  until: number;
}

export class LinkSimulator {
  private readonly degraded = new Map<string, Degradation>();
  private readonly capacity = new Map<string, number>();

  constructor(
    schoolIds: readonly string[],
    private readonly seed: number,
    private readonly budget: Budget = DEFAULT_BUDGET,
  ) {
    // Contracted links: most at 200 Mbps, some at exactly the 150 budget, a few with more headroom.
    for (const id of schoolIds) {
      const h = hashString(`${seed}:${id}`) % 10;
      this.capacity.set(id, h < 2 ? 150 : h < 8 ? 200 : 300);
    }
  }

  has(schoolId: string): boolean {
    return this.capacity.has(schoolId);
  }

  /** The link delivers at most `mbps` from now for `forMs` (a backhoe, a misconfigured router). */
  degrade(schoolId: string, mbps: number, at: { now: number; forMs: number }): boolean {
    if (!this.capacity.has(schoolId)) return false;
    this.degraded.set(schoolId, { mbps: Math.max(0, mbps), from: at.now, until: at.now + at.forMs });
    return true;
  }

  restore(schoolId: string): void {
    this.degraded.delete(schoolId);
  }

  sample(schoolId: string, now: number): LinkReading | undefined {
    const contracted = this.capacity.get(schoolId);
    if (contracted === undefined) return undefined;
    const second = Math.floor(now / 1000);
    const noise = (salt: string) => (hashString(`${this.seed}:${schoolId}:${salt}:${second}`) % 1000) / 1000; // 0..1
    const d = this.degraded.get(schoolId);
    if (d && now >= d.until) this.degraded.delete(schoolId);
    // A time before the degradation (the backend's history filling its past) sees the normal link.
    const active = d && now >= d.from && now < d.until ? d : undefined;
    const linkMbps = round(active ? active.mbps * (0.95 + 0.05 * noise('cap')) : contracted * (0.97 + 0.03 * noise('cap')));

    // Demand: alarms are light; video to the city a steady share; education follows lessons.
    const hour = new Date(now).getUTCHours() + 5; // Asia/Almaty (UTC+5)
    const lessons = hour % 24 >= 8 && hour % 24 < 18 ? 0.55 + 0.4 * noise('edu') : 0.05 + 0.05 * noise('edu');
    const want = { alarm: 2 + 3 * noise('alarm'), video: 14 + 12 * noise('video'), education: this.budget.education * lessons };
    // Under a degraded link, alarm traffic goes first, then video, then education gets the rest.
    let left = linkMbps;
    const channels = { alarm: 0, video: 0, education: 0 };
    for (const c of ['alarm', 'video', 'education'] as const) {
      channels[c] = round(Math.min(want[c], left));
      left = Math.max(0, left - channels[c]);
    }
    return { linkMbps, channels };
  }
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
