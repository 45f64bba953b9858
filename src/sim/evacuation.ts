/**
 * Fire linkage and the headcount of the simulated city.
 *
 *   unlockSteps(turnstiles, { cause: 'fire', alertId, rng, limitMs })   // commanded now, confirmed 1-4 s later
 *   const people = new OccupancyModel({ index, clock, seed, publish });
 *   people.startLive();                  // GYM1's passages every 15 s, every school's count every minute
 *   people.evacuate('GYM1', { durationMs: 120_000, blocked: new Set(['GYM1-TS-1']) }); // exits dominate
 *   people.stop();
 *
 * Turnstile passages are batched per turnstile (turnstile.passage: in and out since the last one);
 * school.occupancy is the authoritative count and includes every passage published before it.
 * Everything runs on the SimClock with its own seeded randomness, so a ManualClock replays it exactly.
 */
import type { Device, EventEnvelope, TurnstileUnlockV1 } from '../shared/protocol';
import type { CatalogIndex } from './catalog';
import { TimerGroup, type SimClock } from './clock';
import { createRng, type Rng } from './rng';
import type { PlannedStep } from './scenarios';
import type { EventDraft } from './streams';

/** How long a turnstile has to confirm an unlock before it counts as blocking the evacuation. */
export const UNLOCK_LIMIT_MS = 10_000;
/** Real turnstiles confirm within a few seconds. */
const CONFIRM_MIN_MS = 1_000;
const CONFIRM_MAX_MS = 4_000;

export interface UnlockOptions {
  cause: TurnstileUnlockV1['cause'];
  alertId?: string;
  commandId?: string;
  by?: { id: string; name: string };
  rng: Rng;
  limitMs?: number;
  /** Never answer (the backend hears nothing more from them). */
  stuck?: ReadonlySet<string>;
  /** Report failure when the limit passes (known faulty or offline). */
  failing?: ReadonlySet<string>;
}

/** The unlock of every given turnstile: `commanded` now, then each one's confirmation or failure. */
export function unlockSteps(turnstiles: readonly Device[], o: UnlockOptions): PlannedStep[] {
  if (turnstiles.length === 0) return [];
  const limitMs = o.limitMs ?? UNLOCK_LIMIT_MS;
  const draft = (d: Device, state: TurnstileUnlockV1['state'], reason?: string): EventDraft => {
    const payload: TurnstileUnlockV1 = {
      deviceId: d.id,
      schoolId: d.schoolId,
      state,
      cause: o.cause,
      ...(o.alertId ? { alertId: o.alertId } : {}),
      ...(o.commandId ? { commandId: o.commandId } : {}),
      ...(o.by ? { by: o.by } : {}),
      limitMs,
      ...(reason ? { reason } : {}),
    };
    return { type: 'turnstile.unlock', v: 1, schoolId: d.schoolId, payload };
  };
  const steps: PlannedStep[] = [{ at: 0, drafts: turnstiles.map((d) => draft(d, 'commanded')) }];
  for (const d of turnstiles) {
    if (o.stuck?.has(d.id)) continue;
    if (o.failing?.has(d.id)) steps.push({ at: limitMs, drafts: [draft(d, 'failed', `${d.name} is out of order and did not unlock`)] });
    else steps.push({ at: o.rng.int(CONFIRM_MIN_MS / 100, CONFIRM_MAX_MS / 100) * 100, drafts: [draft(d, 'confirmed')] });
  }
  return steps.sort((a, b) => a.at - b.at);
}

// ---- people inside ----------------------------------------------------------------------------

/** Shymkent is UTC+5 all year. */
const UTC_OFFSET_H = 5;
const LIVE_TICK_MS = 15_000;
/** Every school's authoritative count goes out every this many live ticks (once a minute). */
const OCCUPANCY_EVERY_TICKS = 4;
const EVAC_TICK_MS = 3_000;
const PUPILS_PER_CLASSROOM = 22;
const STAFF = 25;

/** The share of a school's people inside at a local hour of day. */
export function dayShare(localHour: number): number {
  const h = ((localHour % 24) + 24) % 24;
  const lerp = (a: number, b: number, from: number, to: number) => a + ((b - a) * (h - from)) / (to - from);
  if (h < 7) return 0.01;
  if (h < 8.5) return lerp(0.01, 1, 7, 8.5);
  if (h < 13) return 1;
  if (h < 14) return 0.85;
  if (h < 17.5) return 0.9;
  if (h < 19) return lerp(0.9, 0.02, 17.5, 19);
  return 0.01;
}

export interface OccupancyDeps {
  index: CatalogIndex;
  clock: SimClock;
  seed: number;
  publish: (drafts: EventDraft[]) => EventEnvelope[];
  /** The school whose passages go out live (the demo school); default GYM1. */
  liveSchoolId?: string;
  onError?: (error: unknown) => void;
}

export class OccupancyModel {
  private readonly timers: TimerGroup;
  private readonly rng: Rng;
  private readonly inside = new Map<string, number>();
  private readonly capacities = new Map<string, number>();
  private readonly evacuations = new Map<string, { until: number; blocked: ReadonlySet<string> }>();
  private liveTicks = 0;
  private live: ReturnType<TimerGroup['after']> | null = null;

  constructor(private readonly deps: OccupancyDeps) {
    this.timers = new TimerGroup(deps.clock);
    this.rng = createRng(deps.seed ^ 0x0cc0_9a7e);
  }

  capacity(schoolId: string): number {
    let c = this.capacities.get(schoolId);
    if (c === undefined) {
      const school = this.deps.index.schools.get(schoolId);
      let classrooms = 0;
      for (const b of school?.buildings ?? []) for (const f of b.floors) for (const r of f.rooms) if (r.kind === 'classroom') classrooms++;
      c = school ? classrooms * PUPILS_PER_CLASSROOM + STAFF : 0;
      this.capacities.set(schoolId, c);
    }
    return c;
  }

  /** Where the day's rhythm puts the school now. */
  expected(schoolId: string): number {
    const hour = this.deps.clock.now() / 3_600_000 + UTC_OFFSET_H;
    return Math.round(this.capacity(schoolId) * dayShare(hour));
  }

  /** People inside now (the day's rhythm until something happened there). */
  current(schoolId: string): number {
    return this.inside.get(schoolId) ?? this.expected(schoolId);
  }

  isEvacuating(schoolId: string): boolean {
    return this.evacuations.has(schoolId);
  }

  /** Passages every 15 s in the live school, every school's count once a minute. */
  startLive(): void {
    if (this.live) return;
    const tick = () => {
      this.live = this.timers.after(LIVE_TICK_MS, () => {
        this.guard(() => this.liveTick());
        tick();
      });
    };
    tick();
  }

  stopLive(): void {
    if (this.live) this.timers.cancel(this.live);
    this.live = null;
  }

  /**
   * Everybody leaves through the turnstiles that are not blocked, exits only, until the time is up
   * (nobody enters meanwhile). Returns the authoritative count to publish with the alarm.
   */
  evacuate(schoolId: string, o: { durationMs: number; blocked?: ReadonlySet<string> }): EventDraft[] {
    const first = !this.evacuations.has(schoolId);
    this.evacuations.set(schoolId, { until: this.deps.clock.now() + o.durationMs, blocked: o.blocked ?? new Set() });
    this.inside.set(schoolId, this.current(schoolId));
    if (first) {
      const step = () =>
        this.timers.after(EVAC_TICK_MS, () => {
          let more = false;
          this.guard(() => {
            more = this.evacuationTick(schoolId);
          });
          if (more) step();
          else {
            this.evacuations.delete(schoolId);
            this.guard(() => this.deps.publish([this.occupancyDraft(schoolId)]));
          }
        });
      step();
    }
    return [this.occupancyDraft(schoolId)];
  }

  stop(): void {
    this.live = null;
    this.evacuations.clear();
    this.timers.cancelAll();
  }

  occupancyDraft(schoolId: string): EventDraft {
    return { type: 'school.occupancy', v: 1, schoolId, payload: { schoolId, inside: this.current(schoolId) } };
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.deps.onError?.(e);
    }
  }

  private turnstiles(schoolId: string): Device[] {
    return (this.deps.index.devicesBySchool.get(schoolId) ?? []).filter((d) => d.kind === 'turnstile');
  }

  /**
   * One tick of an evacuation; false when it is over. It lasts as long as the alarm, also once the
   * school is empty: nobody comes back in while the alarm sounds.
   */
  private evacuationTick(schoolId: string): boolean {
    const evac = this.evacuations.get(schoolId);
    if (!evac || this.deps.clock.now() >= evac.until) return false;
    const now = this.current(schoolId);
    const open = this.turnstiles(schoolId).filter((d) => !evac.blocked.has(d.id));
    if (now <= 0 || open.length === 0) return true;
    // A crowd leaves fast at first and trickles at the end: a share of those inside, at least a few.
    const leaving = Math.min(now, Math.max(3, Math.round(now * (0.1 + this.rng.next() * 0.08))));
    this.deps.publish(this.passages(schoolId, open, 0, leaving));
    return true;
  }

  private liveTick(): void {
    const liveId = this.deps.liveSchoolId ?? 'GYM1';
    if (this.deps.index.schools.has(liveId) && !this.evacuations.has(liveId)) {
      const now = this.current(liveId);
      const cap = this.capacity(liveId);
      const gap = this.expected(liveId) - now;
      const step = Math.max(5, Math.round(cap * 0.03));
      const churn = this.rng.int(0, 3);
      const ins = Math.max(0, Math.min(gap, step)) + churn;
      const outs = Math.min(now + ins, Math.max(0, Math.min(-gap, step)) + churn);
      const drafts = this.passages(liveId, this.turnstiles(liveId), ins, outs);
      if (drafts.length) this.deps.publish(drafts);
    }
    this.liveTicks++;
    if (this.liveTicks % OCCUPANCY_EVERY_TICKS !== 0) return;
    const drafts: EventDraft[] = [];
    for (const id of this.deps.index.schools.keys()) {
      if (id !== liveId && !this.evacuations.has(id)) {
        // Schools without live passages follow the day's rhythm, at most a tenth of their people a minute.
        const now = this.current(id);
        const limit = Math.max(5, Math.round(this.capacity(id) * 0.1));
        this.inside.set(id, now + Math.max(-limit, Math.min(limit, this.expected(id) - now)));
      }
      drafts.push(this.occupancyDraft(id));
    }
    this.deps.publish(drafts);
  }

  /** Spreads `ins` and `outs` over the turnstiles at random, one event per turnstile that saw anyone. */
  private passages(schoolId: string, through: readonly Device[], ins: number, outs: number): EventDraft[] {
    if (through.length === 0) return [];
    const perIn = new Map<string, number>();
    const perOut = new Map<string, number>();
    for (let i = 0; i < ins; i++) {
      const d = this.rng.pick(through);
      perIn.set(d.id, (perIn.get(d.id) ?? 0) + 1);
    }
    for (let i = 0; i < outs; i++) {
      const d = this.rng.pick(through);
      perOut.set(d.id, (perOut.get(d.id) ?? 0) + 1);
    }
    this.inside.set(schoolId, Math.max(0, this.current(schoolId) + ins - outs));
    const drafts: EventDraft[] = [];
    for (const d of through) {
      const i = perIn.get(d.id) ?? 0;
      const o = perOut.get(d.id) ?? 0;
      if (i + o > 0) drafts.push({ type: 'turnstile.passage', v: 1, schoolId, payload: { deviceId: d.id, schoolId, in: i, out: o } });
    }
    return drafts;
  }
}
