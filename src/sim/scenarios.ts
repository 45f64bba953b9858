/**
 * The scenario engine: named incidents, each a short timed sequence of events, played on demand
 * (instructor API, tests, e2e) or at random in the background at a configurable rate.
 *
 *   const engine = new ScenarioEngine({ index, publish, clock, seed });
 *   engine.play('fire', { schoolId: 'GYM1' });       // first step now, the rest on the clock
 *   engine.play('fire', { immediate: true });        // every step at once (tests)
 *   engine.setBackgroundRate(6);                     // ~6 random incidents per minute, 0 = off
 *
 * Scenarios only emit event types the console knows (alert.raised, device.status, turnstile.*,
 * school.occupancy), so a drill looks exactly like the real thing. Timing uses the SimClock, so a
 * ManualClock drives it in tests. A fire commands every turnstile of the school to unlock and
 * evacuates it (evacuation.ts); `fire_turnstile_stuck` is the same with one turnstile that never
 * confirms, which raises "evacuation blocked" when its limit passes.
 */
import { randomBytes } from 'node:crypto';
import type { AlertRaisedV1, Device, EventEnvelope, School } from '../shared/protocol';
import { err, ok, type Result } from '../shared/result';
import { centre, GYM1_ID, type CatalogIndex, type RoomRef } from './catalog';
import { TimerGroup, type SimClock } from './clock';
import { OccupancyModel, UNLOCK_LIMIT_MS, unlockSteps } from './evacuation';
import { snapshotPath } from './media';
import { DEFAULT_LINK_OPTIONS } from '../shared/school-health';
import { createRng, type Rng } from './rng';
import type { EventDraft } from './streams';

export const SCENARIO_NAMES = [
  'fire',
  'fire_turnstile_stuck',
  'intruder',
  'weapon',
  'wanted',
  'fight',
  'bullying',
  'camera_outage',
  'network_drop',
  'turnstile_failure',
  'alarm_button',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** Share of background incidents that happen in GYM1 (1/268 would be uniform). */
const GYM1_SHARE = 0.08;

/** Relative frequency in the background: health problems are common, weapons are rare. */
const BACKGROUND_WEIGHTS: Record<ScenarioName, number> = {
  // Drills and tests only (first, so a zero weight can never be the fallback pick).
  fire_turnstile_stuck: 0,
  camera_outage: 30,
  network_drop: 8,
  turnstile_failure: 10,
  fight: 12,
  bullying: 10,
  intruder: 8,
  alarm_button: 6,
  fire: 3,
  weapon: 2,
  wanted: 2,
};

export interface PlannedStep {
  /** Milliseconds after the start of the scenario. */
  at: number;
  drafts: EventDraft[];
}

export interface ScenarioPlan {
  scenario: ScenarioName;
  schoolId: string;
  alertIds: string[];
  steps: PlannedStep[];
  /** People leave the school for this long, not through the blocked turnstiles. */
  evacuation?: { durationMs: number; blocked: ReadonlySet<string> };
  /** The school's link delivers at most this much for this long (the alert follows from it). */
  linkDrop?: { mbps: number; forMs: number };
}

export interface PlayOptions {
  schoolId?: string;
  /** Marks the alerts as a drill. */
  drill?: boolean;
  /** Emits every step now instead of on the clock. */
  immediate?: boolean;
  /** How long the turnstiles a fire commands have to confirm (default UNLOCK_LIMIT_MS): tests shorten it. */
  unlockLimitMs?: number;
}

export interface ScenarioRun {
  runId: string;
  scenario: ScenarioName;
  schoolId: string;
  alertIds: string[];
  /** Every envelope emitted by now (all streams, in order). */
  emitted: EventEnvelope[];
  /** Steps still to come, by delay from now. */
  pending: { inMs: number; types: string[] }[];
}

interface Ctx {
  index: CatalogIndex;
  rng: Rng;
  drill: boolean;
  alertIds: string[];
  /** Default UNLOCK_LIMIT_MS. */
  unlockLimitMs?: number;
  evacuation?: ScenarioPlan['evacuation'];
  linkDrop?: ScenarioPlan['linkDrop'];
}

export interface ScenarioEngineDeps {
  index: CatalogIndex;
  publish: (drafts: EventDraft[]) => EventEnvelope[];
  clock: SimClock;
  seed: number;
  /** Called when a background or scheduled step fails; the engine keeps running. */
  onError?: (error: unknown) => void;
  /** Device states, so an operator's unlock of a faulty turnstile fails. */
  deviceStatus?: (deviceId: string) => string;
  /**
   * Degrades a school's link the way the instructor's links/degrade does (dispatch-sim.ts), which
   * raises the below-budget alert once it has lasted; `immediate` raises it now.
   */
  degradeLink?: (schoolId: string, mbps: number, forMs: number, opts: { immediate: boolean; drill: boolean }) => { alertId: string | null; emitted: EventEnvelope[] } | null;
}

export type UnlockRequest = { commandId: string; by: { id: string; name: string }; alertId?: string };

export class ScenarioEngine {
  private readonly timers: TimerGroup;
  /** Separate streams of randomness: instructor plays never shift the background sequence. */
  private readonly backgroundRng: Rng;
  private readonly playRng: Rng;
  private readonly schoolIds: string[];
  private readonly otherSchoolIds: string[];
  private readonly unlockRng: Rng;
  private rate = 0;
  private nextBackground: ReturnType<TimerGroup['after']> | null = null;
  private runs = 0;
  /** People inside every school: passages, counts and evacuations. */
  readonly people: OccupancyModel;

  constructor(private readonly deps: ScenarioEngineDeps) {
    this.timers = new TimerGroup(deps.clock);
    this.backgroundRng = createRng(deps.seed ^ 0x5eed_ba11);
    this.playRng = createRng(deps.seed ^ 0x1a57_c0de);
    this.unlockRng = createRng(deps.seed ^ 0x7a2e_57e1);
    this.schoolIds = [...deps.index.schools.keys()];
    this.otherSchoolIds = this.schoolIds.filter((id) => id !== GYM1_ID);
    this.people = new OccupancyModel({ index: deps.index, clock: deps.clock, seed: deps.seed, publish: deps.publish, ...(deps.onError ? { onError: deps.onError } : {}) });
  }

  /**
   * An operator's "unlock all turnstiles": the events to publish now (every turnstile commanded);
   * confirmations follow on the clock, and a turnstile that is faulty or offline fails at its limit.
   * Null when the school has no turnstile.
   */
  unlockTurnstiles(schoolId: string, req: UnlockRequest): EventDraft[] | null {
    const turnstiles = (this.deps.index.devicesBySchool.get(schoolId) ?? []).filter((d) => d.kind === 'turnstile');
    if (turnstiles.length === 0) return null;
    const failing = new Set(turnstiles.filter((d) => ['fault', 'offline'].includes(this.deps.deviceStatus?.(d.id) ?? 'normal')).map((d) => d.id));
    const steps = unlockSteps(turnstiles, { cause: 'operator', commandId: req.commandId, by: req.by, ...(req.alertId ? { alertId: req.alertId } : {}), rng: this.unlockRng, failing });
    for (const step of steps.slice(1)) this.schedule(step);
    return steps[0]!.drafts;
  }

  private schedule(step: PlannedStep): void {
    this.timers.after(step.at, () => {
      try {
        this.deps.publish(step.drafts);
      } catch (e) {
        this.deps.onError?.(e);
      }
    });
  }

  play(name: string, opts: PlayOptions = {}, rng: Rng = this.playRng): Result<ScenarioRun> {
    if (!isScenarioName(name)) return err('bad_request', `unknown scenario "${name.slice(0, 64)}"; known: ${SCENARIO_NAMES.join(', ')}`);
    const school = opts.schoolId === undefined ? this.deps.index.schools.get(rng.pick(this.schoolIds)) : this.deps.index.schools.get(opts.schoolId);
    if (!school) return err('not_found', `unknown school "${String(opts.schoolId).slice(0, 64)}"`);
    const plan = planScenario(name, school, { index: this.deps.index, rng, drill: opts.drill ?? false, alertIds: [], ...(opts.unlockLimitMs ? { unlockLimitMs: opts.unlockLimitMs } : {}) });
    if (!plan) return err('conflict', `school ${school.id} has no device this scenario needs`);
    if (plan.linkDrop && !this.deps.degradeLink) return err('unavailable', 'this simulator has no link model');
    const runId = `run-${++this.runs}-${randomBytes(3).toString('hex')}`;
    const emitted: EventEnvelope[] = [];
    const pending: ScenarioRun['pending'] = [];
    for (const step of plan.steps) {
      if (opts.immediate || step.at <= 0) emitted.push(...this.deps.publish(step.drafts));
      else {
        pending.push({ inMs: step.at, types: step.drafts.map((d) => d.type) });
        this.schedule(step);
      }
    }
    if (plan.evacuation) emitted.push(...this.deps.publish(this.people.evacuate(school.id, plan.evacuation)));
    const alertIds = [...plan.alertIds];
    if (plan.linkDrop) {
      const immediate = opts.immediate ?? false;
      const drop = this.deps.degradeLink!(school.id, plan.linkDrop.mbps, plan.linkDrop.forMs, { immediate, drill: opts.drill ?? false });
      if (drop?.alertId) {
        alertIds.push(drop.alertId);
        emitted.push(...drop.emitted);
        if (!immediate) pending.push({ inMs: DEFAULT_LINK_OPTIONS.raiseAfterMs, types: ['alert.raised'] });
      }
    }
    return ok({ runId, scenario: name, schoolId: school.id, alertIds, emitted, pending });
  }

  /** Random incidents per minute across the city (Poisson arrivals); 0 stops them. */
  setBackgroundRate(perMinute: number): void {
    this.rate = Math.max(0, perMinute);
    if (this.nextBackground) this.timers.cancel(this.nextBackground);
    this.nextBackground = null;
    // The city's everyday passages come with the everyday incidents: a quiet test city has neither.
    if (this.rate > 0) this.people.startLive();
    else this.people.stopLive();
    this.scheduleBackground();
  }

  get backgroundRate(): number {
    return this.rate;
  }

  stop(): void {
    this.rate = 0;
    this.nextBackground = null;
    this.timers.cancelAll();
    this.people.stop();
  }

  private scheduleBackground(): void {
    if (this.rate <= 0) return;
    const delay = (-Math.log(1 - this.backgroundRng.next()) * 60_000) / this.rate;
    this.nextBackground = this.timers.after(delay, () => {
      this.nextBackground = null;
      try {
        const name = this.backgroundRng.weighted(BACKGROUND_WEIGHTS);
        // The showcase school gets a larger share, so a guard's demo console is not idle for hours.
        const showcase = this.backgroundRng.chance(GYM1_SHARE) && this.deps.index.schools.has(GYM1_ID);
        // A background network drop never hits the showcase school: its link would be down for
        // minutes at random and every wall watching it would switch to sub streams (the guard's demo,
        // the end-to-end tests). The instructor and drills still drop it on purpose.
        const schoolId = name === 'network_drop' ? this.backgroundRng.pick(this.otherSchoolIds) : showcase ? GYM1_ID : undefined;
        this.play(name, schoolId ? { schoolId } : {}, this.backgroundRng);
      } catch (e) {
        this.deps.onError?.(e);
      }
      this.scheduleBackground();
    });
  }
}

export function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(name);
}

// ---- the scenarios ----------------------------------------------------------------------------

type Planner = (ctx: Ctx, school: School) => PlannedStep[] | null;

const PLANNERS: Record<ScenarioName, Planner> = {
  fire: (ctx, school) => fire(ctx, school, false),
  fire_turnstile_stuck: (ctx, school) => fire(ctx, school, true),

  intruder: (ctx, school) => detection(ctx, school, ['yard', 'stairwell', 'office', 'corridor'], (ref) => ({
    alertType: 'intrusion',
    title: `Unauthorized person in a restricted area: ${ref.room.name}`,
    details: 'Person without a registered entry detected outside school hours or access zone.',
    confidence: round2(0.72 + ctx.rng.next() * 0.24),
  })),

  weapon: (ctx, school) => detection(ctx, school, ['entrance', 'corridor', 'yard'], (ref) => ({
    alertType: 'weapon',
    title: `${ctx.rng.pick(['Possible firearm', 'Knife', 'Possible weapon'])} detected: ${ref.room.name}`,
    details: 'AI detection on video; verify on live video and dispatch the nearest crew.',
    confidence: round2(0.8 + ctx.rng.next() * 0.17),
    watchlistMatch: watchlist(ctx, 'Police wanted list'),
  })),

  wanted: (ctx, school) => detection(ctx, school, ['entrance', 'corridor', 'yard'], (ref) => ({
    alertType: 'wanted_person',
    title: `Wanted person recognized: ${ref.room.name}`,
    details: 'Face recognition match against the police wanted list; verify on live video before acting.',
    confidence: round2(0.75 + ctx.rng.next() * 0.2),
    watchlistMatch: watchlist(ctx, 'Police wanted list'),
  })),

  fight: (ctx, school) => detection(ctx, school, ['corridor', 'yard', 'gym', 'canteen', 'stairwell'], (ref) => ({
    alertType: 'fight',
    title: `Fight / aggression: ${ref.room.name}`,
    details: `${ctx.rng.int(2, 5)} persons; sustained strikes, distinguished from play by motion pattern.`,
    confidence: round2(0.7 + ctx.rng.next() * 0.25),
    watchlistMatch: watchlist(ctx, 'Juvenile affairs register'),
  })),

  bullying: (ctx, school) => detection(ctx, school, ['corridor', 'stairwell', 'yard', 'classroom'], (ref) => ({
    alertType: 'bullying',
    title: `Possible bullying: ${ref.room.name}`,
    details: 'A group repeatedly surrounding one student.',
    confidence: round2(0.6 + ctx.rng.next() * 0.3),
  })),

  camera_outage: (ctx, school) => {
    const camera = pickDevice(ctx, school, ['camera']);
    if (!camera) return null;
    const ref = ctx.index.rooms.get(camera.roomId)!;
    return [
      {
        at: 0,
        drafts: [
          status(camera, 'offline'),
          alert(ctx, school, {
            alertType: 'camera_offline',
            ref,
            deviceId: camera.id,
            cameraIds: camerasNear(ctx, ref, 6).filter((id) => id !== camera.id),
            title: `Camera offline: ${camera.name}`,
            details: `No video from ${camera.id} since the last keyframe; neighbouring cameras listed.`,
          }),
        ],
      },
      { at: ctx.rng.int(45, 120) * 1000, drafts: [status(camera, 'normal')] },
    ];
  },

  // The link itself drops (telemetry, history and board show it); the backend's monitor raises the
  // alert once the drop has lasted its 10 s, as for the instructor's links/degrade.
  network_drop: (ctx) => {
    ctx.linkDrop = { mbps: ctx.rng.pick([12, 18, 20, 35, 60]), forMs: ctx.rng.int(3, 10) * 60_000 };
    return [];
  },

  turnstile_failure: (ctx, school) => {
    const turnstile = pickDevice(ctx, school, ['turnstile']);
    if (!turnstile) return null;
    const ref = ctx.index.rooms.get(turnstile.roomId)!;
    return [
      {
        at: 0,
        drafts: [
          status(turnstile, 'fault'),
          alert(ctx, school, {
            alertType: 'sensor_fault',
            ref,
            deviceId: turnstile.id,
            cameraIds: camerasNear(ctx, ref, 4),
            title: `Turnstile fault: ${turnstile.name}`,
            details: 'Entry terminal does not respond; entries are not being recorded and it may not unlock for evacuation.',
          }),
        ],
      },
      { at: ctx.rng.int(90, 180) * 1000, drafts: [status(turnstile, 'normal')] },
    ];
  },

  alarm_button: (ctx, school) => {
    const button = pickDevice(ctx, school, ['alarm_button']);
    if (!button) return null;
    const ref = ctx.index.rooms.get(button.roomId)!;
    return [
      {
        at: 0,
        drafts: [
          status(button, 'alarm'),
          alert(ctx, school, {
            alertType: 'alarm_button',
            ref,
            deviceId: button.id,
            cameraIds: camerasNear(ctx, ref, 8),
            title: `Alarm button pressed: ${ref.room.name}, ${ref.floor.name}`,
            details: `${button.name} pressed by staff.`,
            confidence: 1,
          }),
        ],
      },
      { at: 60_000, drafts: [status(button, 'normal')] },
    ];
  },
};

export function planScenario(name: ScenarioName, school: School, ctx: Ctx): ScenarioPlan | null {
  const steps = PLANNERS[name](ctx, school);
  return steps ? { scenario: name, schoolId: school.id, alertIds: ctx.alertIds, steps, ...(ctx.evacuation ? { evacuation: ctx.evacuation } : {}), ...(ctx.linkDrop ? { linkDrop: ctx.linkDrop } : {}) } : null;
}

/** How long a fire's alarm lasts before its sensors reset and the evacuation ends. */
const FIRE_MS = 120_000;

/**
 * A fire: the sensor's alarm with the cameras of its area, every turnstile of the school commanded
 * to unlock (each confirms in 1-4 s), the school evacuated. With `stuck`, one turnstile never
 * confirms: when its limit passes it is marked faulty and a top-priority "evacuation blocked"
 * alert names it.
 */
function fire(ctx: Ctx, school: School, stuck: boolean): PlannedStep[] | null {
  const sensor = pickDevice(ctx, school, ['fire_sensor', 'smoke_sensor']);
  if (!sensor) return null;
  const ref = ctx.index.rooms.get(sensor.roomId)!;
  const turnstiles = devicesOf(ctx, school, ['turnstile']);
  if (stuck && turnstiles.length === 0) return null;
  const spread = devicesOf(ctx, school, ['fire_sensor', 'smoke_sensor']).filter((d) => d.floorId === sensor.floorId && d.id !== sensor.id);
  const second = spread.length ? ctx.rng.pick(spread) : null;
  const fireAlert = alert(ctx, school, {
    alertType: 'fire',
    ref,
    deviceId: sensor.id,
    // The cameras of the area come up with the alarm: the room first, then the floor.
    cameraIds: camerasNear(ctx, ref, 12),
    title: `Fire alarm: ${ref.room.name}, ${ref.floor.name}, ${ref.building.name}`,
    details: `${sensor.name} triggered. Fire linkage: ${turnstiles.length} turnstile(s) commanded to unlock for evacuation.`,
    confidence: 1,
  });
  const alertId = ctx.alertIds[ctx.alertIds.length - 1]!;
  const jammed = stuck ? ctx.rng.pick(turnstiles) : null;
  const blocked = new Set(jammed ? [jammed.id] : []);
  const limitMs = ctx.unlockLimitMs ?? UNLOCK_LIMIT_MS;
  const [commanded, ...answers] = unlockSteps(turnstiles, { cause: 'fire', alertId, rng: ctx.rng, limitMs, stuck: blocked });
  const steps: PlannedStep[] = [{ at: 0, drafts: [status(sensor, 'alarm'), fireAlert, ...(commanded?.drafts ?? [])] }, ...answers];
  if (second) steps.push({ at: 6_000, drafts: [status(second, 'alarm')] });
  if (jammed) {
    const at = ctx.index.rooms.get(jammed.roomId)!;
    steps.push({
      at: limitMs,
      drafts: [
        status(jammed, 'fault'),
        alert(ctx, school, {
          alertType: 'evacuation_blocked',
          ref: at,
          deviceId: jammed.id,
          cameraIds: camerasNear(ctx, at, 4),
          title: `Evacuation blocked: ${jammed.name} did not unlock`,
          details: `${jammed.name} (${at.room.name}) was commanded to unlock for the fire alarm and has not confirmed within ${limitMs / 1000} s. Open it by hand or send people to another exit.`,
        }),
      ],
    });
  }
  steps.push({ at: FIRE_MS, drafts: [status(sensor, 'normal'), ...(second ? [status(second, 'normal')] : []), ...(jammed ? [status(jammed, 'normal')] : [])] });
  ctx.evacuation = { durationMs: FIRE_MS, blocked };
  return steps.sort((a, b) => a.at - b.at);
}

function detection(
  ctx: Ctx,
  school: School,
  kinds: RoomRef['room']['kind'][],
  describe: (ref: RoomRef) => { alertType: string; title: string; details: string; confidence: number; watchlistMatch?: WatchlistMatch },
): PlannedStep[] | null {
  // A detection comes from a camera, so only rooms that have one qualify.
  const cameras = devicesOf(ctx, school, ['camera']).filter((c) => kinds.includes(ctx.index.rooms.get(c.roomId)!.room.kind));
  if (cameras.length === 0) return null;
  const camera = ctx.rng.pick(cameras);
  const ref = ctx.index.rooms.get(camera.roomId)!;
  const cameraIds = [camera.id, ...camerasNear(ctx, ref, 6).filter((id) => id !== camera.id)];
  // The evidence: the detecting camera's still, on this backend's own media origin.
  return [{ at: 0, drafts: [alert(ctx, school, { ...describe(ref), ref, deviceId: camera.id, cameraIds, snapshotUrl: snapshotPath(camera.id) })] }];
}

type WatchlistMatch = NonNullable<AlertRaisedV1['watchlistMatch']>;

/** A synthetic watch-list hit: a subject number on the named list and the match score. */
function watchlist(ctx: Ctx, listName: string): WatchlistMatch {
  return { listName, subject: `Subject ${ctx.rng.int(1000, 9999)}`, score: round2(0.8 + ctx.rng.next() * 0.19) };
}

function alert(
  ctx: Ctx,
  school: School,
  a: {
    alertType: string;
    title: string;
    details?: string;
    confidence?: number;
    ref?: RoomRef;
    deviceId?: string;
    cameraIds: string[];
    snapshotUrl?: string;
    watchlistMatch?: WatchlistMatch;
  },
): EventDraft {
  const alertId = `AL-${randomBytes(5).toString('hex').toUpperCase()}`;
  ctx.alertIds.push(alertId);
  const payload: AlertRaisedV1 = {
    alertId,
    alertType: a.alertType,
    schoolId: school.id,
    ...(a.ref ? { buildingId: a.ref.building.id, floorId: a.ref.floor.id, roomId: a.ref.room.id } : {}),
    ...(a.deviceId ? { deviceId: a.deviceId } : {}),
    cameraIds: a.cameraIds.slice(0, 64),
    title: `${school.name}: ${a.title}`,
    ...(a.details ? { details: a.details } : {}),
    ...(a.confidence !== undefined ? { confidence: a.confidence } : {}),
    ...(a.snapshotUrl ? { snapshotUrl: a.snapshotUrl } : {}),
    ...(a.watchlistMatch ? { watchlistMatch: a.watchlistMatch } : {}),
    ...(ctx.drill ? { drill: true } : {}),
  };
  return { type: 'alert.raised', v: 1, schoolId: school.id, payload };
}

function status(device: Device, s: 'normal' | 'alarm' | 'fault' | 'offline'): EventDraft {
  return { type: 'device.status', v: 1, schoolId: device.schoolId, payload: { deviceId: device.id, status: s } };
}

function devicesOf(ctx: Ctx, school: School, kinds: Device['kind'][]): Device[] {
  return (ctx.index.devicesBySchool.get(school.id) ?? []).filter((d) => kinds.includes(d.kind));
}

function pickDevice(ctx: Ctx, school: School, kinds: Device['kind'][]): Device | null {
  const list = devicesOf(ctx, school, kinds);
  return list.length ? ctx.rng.pick(list) : null;
}

/** Cameras of the room, then of the same floor by distance from the room's centre. */
function camerasNear(ctx: Ctx, ref: RoomRef, max: number): string[] {
  const [cx, cy] = centre(ref.room);
  const floorCams = ctx.index.camerasByFloor.get(ref.floor.id) ?? [];
  return [...floorCams]
    .sort((a, b) => {
      const inA = a.roomId === ref.room.id ? 0 : 1;
      const inB = b.roomId === ref.room.id ? 0 : 1;
      return inA - inB || dist(a.position, cx, cy) - dist(b.position, cx, cy) || a.id.localeCompare(b.id);
    })
    .slice(0, max)
    .map((d) => d.id);
}

function dist(p: readonly [number, number], x: number, y: number): number {
  return Math.hypot(p[0] - x, p[1] - y);
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
