/**
 * Police dispatch logic shared by the console and the city backend: which available crews are
 * nearest to an incident by estimated time of arrival, and the timeline of one incident's dispatch
 * (dispatched -> accepted -> en route -> on scene -> cleared) with its key times.
 *
 *   const ranked = rankCrews(crews, school.location, DEFAULT_SPEED_MODEL);   // nearest first
 *   const timeline = foldDispatch(raisedAt, steps);                          // stages and durations
 *
 * No platform imports: pure functions over plain data, so the ranking a dispatcher sees is the one
 * the tests check.
 */
import { z } from 'zod';
import { priorityOf } from './domain';

/**
 * AI detections a dispatcher confirms on video before sending a crew (or states why not): the
 * camera may be wrong, and a crew sent to a false weapon alarm arrives ready to shoot.
 */
export const VERIFY_BEFORE_DISPATCH: ReadonlySet<string> = new Set(['weapon', 'wanted_person', 'fight', 'intrusion']);

export function needsVerification(alertType: string): boolean {
  return VERIFY_BEFORE_DISPATCH.has(alertType);
}

/**
 * A police matter: a known alert type of the first three priority classes (life, people at risk,
 * security). The backend refuses to dispatch for anything else, the console offers no dispatch and
 * the dispatch report lists only these.
 */
export function isPoliceMatter(alertType: string): boolean {
  const p = priorityOf(alertType);
  return p >= 1 && p <= 3;
}

export interface LatLon {
  lat: number;
  lon: number;
}

/**
 * How long a crew takes to reach a place: road distance is the great-circle distance times a
 * detour factor, driven at an average speed, plus a fixed time to get rolling. The backend may send
 * its own (traffic, time of day); the console falls back to this one.
 */
export const SpeedModel = z.strictObject({
  /** Average urban speed with lights and siren, km/h. */
  kmh: z.number().min(5).max(200),
  /** Road distance / straight-line distance (Shymkent's grid: ~1.3). */
  detourFactor: z.number().min(1).max(3),
  /** Seconds from the order to the car moving. */
  startupS: z.number().min(0).max(900),
});
export type SpeedModel = z.infer<typeof SpeedModel>;

export const DEFAULT_SPEED_MODEL: SpeedModel = { kmh: 45, detourFactor: 1.3, startupS: 45 };

const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance in kilometres (haversine). */
export function distanceKm(a: LatLon, b: LatLon): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Estimated seconds from the order until the crew is at `to`. */
export function etaSeconds(from: LatLon, to: LatLon, model: SpeedModel = DEFAULT_SPEED_MODEL): number {
  const roadKm = distanceKm(from, to) * model.detourFactor;
  return model.startupS + (roadKm / model.kmh) * 3600;
}

export interface CrewLike {
  id: string;
  callsign: string;
  status: string;
  location: LatLon;
}

export interface RankedCrew<C extends CrewLike = CrewLike> {
  crew: C;
  /** Straight-line distance, km. */
  distanceKm: number;
  etaS: number;
}

/**
 * The available crews ranked by ETA to `target`, nearest first (ties: shorter distance, then
 * callsign, so the order is stable). Crews in any other status are not offered; a crew with a
 * position that is not a finite coordinate is left out rather than ranked as if it were at 0,0.
 */
export function rankCrews<C extends CrewLike>(crews: Iterable<C>, target: LatLon, model: SpeedModel = DEFAULT_SPEED_MODEL, limit = Infinity): RankedCrew<C>[] {
  const out: RankedCrew<C>[] = [];
  for (const crew of crews) {
    if (crew.status !== 'available' || !isCoordinate(crew.location)) continue;
    out.push({ crew, distanceKm: distanceKm(crew.location, target), etaS: etaSeconds(crew.location, target, model) });
  }
  out.sort((a, b) => a.etaS - b.etaS || a.distanceKm - b.distanceKm || a.crew.callsign.localeCompare(b.crew.callsign));
  return out.slice(0, limit);
}

function isCoordinate(p: LatLon): boolean {
  return Number.isFinite(p.lat) && Number.isFinite(p.lon) && Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180;
}

// ---- timeline -----------------------------------------------------------------------------------

export const DISPATCH_STAGES = ['dispatched', 'accepted', 'en_route', 'on_scene', 'cleared'] as const;
export type DispatchStage = (typeof DISPATCH_STAGES)[number];

/** One reported step of one dispatch of a crew to an incident (`rejected` ends that dispatch). */
export interface DispatchStep {
  dispatchId: string;
  crewId: string;
  stage: DispatchStage | 'rejected' | 'cancelled';
  /** Epoch ms. */
  at: number;
}

export interface DispatchAttempt {
  dispatchId: string;
  crewId: string;
  /** First time each stage was reported (a repeated report does not move it). */
  times: Partial<Record<DispatchStage, number>>;
  outcome: 'active' | 'rejected' | 'cancelled' | 'cleared';
  endedAt?: number;
}

export interface DispatchTimeline {
  attempts: DispatchAttempt[];
  /** The attempt that is still running, or the one that reached the scene; undefined when none. */
  current?: DispatchAttempt;
  /** Raised -> first dispatch order, ms. */
  timeToDispatchMs?: number;
  /** First dispatch order -> first crew on scene, ms (includes rejected attempts: the school waited). */
  timeToSceneMs?: number;
  /** Raised -> cleared, ms. */
  totalMs?: number;
  /** Steps that arrived out of order or for a finished attempt, kept for the operator to see. */
  anomalies: DispatchStep[];
}

const STAGE_ORDER: Record<DispatchStage, number> = { dispatched: 0, accepted: 1, en_route: 2, on_scene: 3, cleared: 4 };

/**
 * Folds the steps of an incident's dispatches into its timeline. Steps may arrive in any order and
 * repeated (replays); the first report of a stage counts. A stage reported before an earlier stage
 * of the same attempt still counts (a crew can report "on scene" without "en route") but a stage
 * after the attempt ended is an anomaly.
 */
export function foldDispatch(raisedAt: number, steps: readonly DispatchStep[]): DispatchTimeline {
  const attempts = new Map<string, DispatchAttempt>();
  const anomalies: DispatchStep[] = [];
  const sorted = [...steps].sort((a, b) => a.at - b.at || stageRank(a.stage) - stageRank(b.stage));
  for (const step of sorted) {
    let attempt = attempts.get(step.dispatchId);
    if (!attempt) {
      attempt = { dispatchId: step.dispatchId, crewId: step.crewId, times: {}, outcome: 'active' };
      attempts.set(step.dispatchId, attempt);
    }
    if (attempt.crewId !== step.crewId || attempt.outcome !== 'active') {
      anomalies.push(step);
      continue;
    }
    if (step.stage === 'rejected' || step.stage === 'cancelled') {
      attempt.outcome = step.stage;
      attempt.endedAt = step.at;
      continue;
    }
    if (attempt.times[step.stage] === undefined) attempt.times[step.stage] = step.at;
    if (step.stage === 'cleared') {
      attempt.outcome = 'cleared';
      attempt.endedAt = step.at;
    }
  }
  const list = [...attempts.values()].sort((a, b) => firstTime(a) - firstTime(b));
  const dispatchedAt = min(list.map((a) => a.times.dispatched ?? firstTime(a)));
  const onSceneAt = min(list.map((a) => a.times.on_scene));
  const clearedAt = min(list.map((a) => a.times.cleared));
  const current = [...list].reverse().find((a) => a.outcome === 'active') ?? list.find((a) => a.times.on_scene !== undefined);
  return {
    attempts: list,
    current,
    timeToDispatchMs: dispatchedAt === undefined ? undefined : Math.max(0, dispatchedAt - raisedAt),
    timeToSceneMs: dispatchedAt === undefined || onSceneAt === undefined ? undefined : Math.max(0, onSceneAt - dispatchedAt),
    totalMs: clearedAt === undefined ? undefined : Math.max(0, clearedAt - raisedAt),
    anomalies,
  };
}

function stageRank(stage: DispatchStep['stage']): number {
  return stage === 'rejected' || stage === 'cancelled' ? 1.5 : STAGE_ORDER[stage];
}

function firstTime(a: DispatchAttempt): number {
  return min(Object.values(a.times)) ?? a.endedAt ?? 0;
}

function min(values: readonly (number | undefined)[]): number | undefined {
  let out: number | undefined;
  for (const v of values) if (v !== undefined && (out === undefined || v < out)) out = v;
  return out;
}
