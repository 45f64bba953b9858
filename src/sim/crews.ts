/**
 * The city's 360 police patrol crews as the simulator plays them: where each is, what it is doing,
 * and how it answers a dispatch (accept or reject, drive to the school, report on scene, clear).
 *
 *   const fleet = new CrewFleet({ crews: catalog.crews, clock, rng, publish, timeScale: 1 });
 *   fleet.dispatch({ crewId, incidentId, dispatchId, schoolId, target });   // then, on the clock:
 *     dispatch.step accepted (or rejected) -> en_route -> on_scene -> cleared, crew.status each time
 *   fleet.positions()          // every crew's position now (moving crews interpolated)
 *   fleet.rejectNext(crewId)   // instructor: that crew's next dispatch is rejected
 *
 * Journaled facts (status changes, dispatch steps) go out through `publish`; positions are
 * telemetry, read when wanted. Statuses survive a restart: `apply` replays crew.status events.
 * `timeScale` > 1 makes crews drive faster than real time, for demos and tests; the human parts
 * (answering the radio, the work on scene) stay in real time.
 */
import type { Crew } from '../shared/protocol';
import { DEFAULT_SPEED_MODEL, etaSeconds, type LatLon, type SpeedModel } from '../shared/dispatch';
import { TimerGroup, type SimClock } from './clock';
import type { Rng } from './rng';

export type CrewStatus = Crew['status'];
export type DispatchStage = 'dispatched' | 'accepted' | 'rejected' | 'en_route' | 'on_scene' | 'cleared' | 'cancelled';

export interface CrewStatusEvent {
  type: 'crew.status';
  crewId: string;
  status: CrewStatus;
  location: LatLon;
  incidentId?: string;
}

export interface DispatchStepEvent {
  type: 'dispatch.step';
  incidentId: string;
  dispatchId: string;
  crewId: string;
  schoolId: string;
  stage: DispatchStage;
  reason?: string;
  /** Expected arrival (epoch ms) once en route. */
  etaAt?: number;
  /** The operator and command behind a dispatched or cancelled step. */
  by?: { id: string; name: string };
  commandId?: string;
}

/** What an operator's order adds to the step it causes. */
export type OrderInfo = Pick<DispatchStepEvent, 'by' | 'commandId' | 'reason'>;

export type FleetEvent = CrewStatusEvent | DispatchStepEvent;

export interface CrewFleetDeps {
  crews: readonly Crew[];
  clock: SimClock;
  rng: Rng;
  publish: (events: FleetEvent[]) => void;
  speedModel?: SpeedModel;
  /** How much faster than real time crews drive (startup and trip). */
  timeScale?: number;
  /** Chance that a crew rejects a dispatch (busy with something the city does not know). */
  rejectChance?: number;
}

export interface DispatchRequest {
  crewId: string;
  incidentId: string;
  dispatchId: string;
  schoolId: string;
  target: LatLon;
}

interface Trip {
  from: LatLon;
  to: LatLon;
  departAt: number;
  arriveAt: number;
}

interface CrewRuntime {
  id: string;
  callsign: string;
  status: CrewStatus;
  location: LatLon;
  job?: DispatchRequest;
  trip?: Trip;
  rejectNext: boolean;
}

export type DispatchRefusal = { code: 'not_found' | 'not_available'; reason: string };

export class CrewFleet {
  private readonly crews = new Map<string, CrewRuntime>();
  private readonly timers: TimerGroup;
  private readonly model: SpeedModel;
  private scale: number;

  constructor(private readonly deps: CrewFleetDeps) {
    this.timers = new TimerGroup(deps.clock);
    this.model = deps.speedModel ?? DEFAULT_SPEED_MODEL;
    this.scale = Math.max(1, deps.timeScale ?? 1);
    for (const c of deps.crews) this.crews.set(c.id, { id: c.id, callsign: c.callsign, status: c.status, location: { ...c.location }, rejectNext: false });
  }

  get speedModel(): SpeedModel {
    return this.model;
  }

  /** Trips started from now on take 1/scale of real time. */
  setTimeScale(scale: number): void {
    this.scale = Math.max(1, scale);
  }

  status(crewId: string): CrewStatus | undefined {
    return this.crews.get(crewId)?.status;
  }

  /** Every crew's position now; a crew en route is where its trip has brought it. */
  positions(): { crewId: string; status: CrewStatus; location: LatLon }[] {
    const now = this.deps.clock.now();
    return [...this.crews.values()].map((c) => ({ crewId: c.id, status: c.status, location: c.trip ? along(c.trip, now) : c.location }));
  }

  /** The instructor's lever: this crew rejects the next dispatch it gets. */
  rejectNext(crewId: string): boolean {
    const crew = this.crews.get(crewId);
    if (!crew) return false;
    crew.rejectNext = true;
    return true;
  }

  /** Orders a crew to a school. Answers at once whether the order could be given; the crew's own answer follows on the clock. */
  dispatch(req: DispatchRequest, order: OrderInfo = {}): DispatchRefusal | null {
    const crew = this.crews.get(req.crewId);
    if (!crew) return { code: 'not_found', reason: `crew ${req.crewId} is unknown` };
    if (crew.status !== 'available') return { code: 'not_available', reason: `crew ${crew.callsign} is ${crew.status.replace('_', ' ')}, not available` };
    crew.job = req;
    this.setStatus(crew, 'dispatched', req.incidentId, [{ ...this.step(crew, 'dispatched'), ...order }]);
    // The crew answers the radio in a few real seconds.
    this.timers.after(this.deps.rng.int(1500, 4000), () => this.answer(crew, req));
    return null;
  }

  /** Stops a dispatch (the incident was a false alarm, or another crew is closer): the crew is free again. */
  cancel(dispatchId: string, reason: string, order: OrderInfo = {}): boolean {
    const crew = [...this.crews.values()].find((c) => c.job?.dispatchId === dispatchId);
    if (!crew || !crew.job) return false;
    const job = crew.job;
    if (crew.trip) crew.location = along(crew.trip, this.deps.clock.now());
    crew.trip = undefined;
    crew.job = undefined;
    this.setStatus(crew, 'available', undefined, [{ ...this.stepOf(crew.id, job, 'cancelled'), ...order, reason }]);
    return true;
  }

  /** Replays a journaled crew status (simulator restart): the crew is where and what the log says. */
  restore(crewId: string, status: CrewStatus, location: LatLon): void {
    const crew = this.crews.get(crewId);
    if (!crew) return;
    crew.status = status === 'dispatched' || status === 'en_route' || status === 'on_scene' ? 'available' : status;
    crew.location = { ...location };
  }

  close(): void {
    this.timers.cancelAll();
  }

  private answer(crew: CrewRuntime, req: DispatchRequest): void {
    if (crew.job?.dispatchId !== req.dispatchId) return; // cancelled meanwhile
    if (crew.rejectNext || this.deps.rng.chance(this.deps.rejectChance ?? 0)) {
      crew.rejectNext = false;
      crew.job = undefined;
      this.setStatus(crew, 'available', undefined, [{ ...this.step(crew, 'rejected', req), reason: 'crew is handling a traffic accident' }]);
      return;
    }
    this.deps.publish([this.step(crew, 'accepted', req)]);
    const startupMs = (this.model.startupS * 1000) / this.scale;
    this.timers.after(startupMs, () => this.depart(crew, req));
  }

  private depart(crew: CrewRuntime, req: DispatchRequest): void {
    if (crew.job?.dispatchId !== req.dispatchId) return;
    const now = this.deps.clock.now();
    const driveMs = ((etaSeconds(crew.location, req.target, this.model) - this.model.startupS) * 1000) / this.scale;
    crew.trip = { from: { ...crew.location }, to: { ...req.target }, departAt: now, arriveAt: now + driveMs };
    this.setStatus(crew, 'en_route', req.incidentId, [{ ...this.step(crew, 'en_route', req), etaAt: Math.round(now + driveMs) }]);
    this.timers.after(driveMs, () => this.arrive(crew, req));
  }

  private arrive(crew: CrewRuntime, req: DispatchRequest): void {
    if (crew.job?.dispatchId !== req.dispatchId) return;
    crew.location = { ...req.target };
    crew.trip = undefined;
    this.setStatus(crew, 'on_scene', req.incidentId, [this.step(crew, 'on_scene', req)]);
    // Work on scene takes real minutes whatever the time scale: only the driving is sped up.
    const onSceneMs = this.deps.rng.int(180, 600) * 1000;
    this.timers.after(onSceneMs, () => {
      if (crew.job?.dispatchId !== req.dispatchId) return;
      crew.job = undefined;
      this.setStatus(crew, 'available', undefined, [this.step(crew, 'cleared', req)]);
    });
  }

  private setStatus(crew: CrewRuntime, status: CrewStatus, incidentId: string | undefined, also: FleetEvent[]): void {
    crew.status = status;
    const location = crew.trip ? along(crew.trip, this.deps.clock.now()) : crew.location;
    this.deps.publish([...also, { type: 'crew.status', crewId: crew.id, status, location, ...(incidentId ? { incidentId } : {}) }]);
  }

  private step(crew: CrewRuntime, stage: DispatchStage, req: DispatchRequest = crew.job!): DispatchStepEvent {
    return this.stepOf(crew.id, req, stage);
  }

  private stepOf(crewId: string, req: DispatchRequest, stage: DispatchStage): DispatchStepEvent {
    return { type: 'dispatch.step', incidentId: req.incidentId, dispatchId: req.dispatchId, crewId, schoolId: req.schoolId, stage };
  }
}

/** Where a trip has got to at `now` (straight line; the ETA model's detour factor is in its timing). */
function along(trip: Trip, now: number): LatLon {
  const span = trip.arriveAt - trip.departAt;
  const f = span <= 0 ? 1 : Math.min(1, Math.max(0, (now - trip.departAt) / span));
  return { lat: trip.from.lat + (trip.to.lat - trip.from.lat) * f, lon: trip.from.lon + (trip.to.lon - trip.from.lon) * f };
}
