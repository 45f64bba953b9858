/**
 * The simulator's police and telemetry side: the crew fleet (crews.ts) wired to the event log, each
 * school's link (telemetry.ts), the once-a-second 'telemetry' message to every connected console,
 * and the instructor's levers for them.
 *
 *   const dispatch = new DispatchSim({ city, index, clock, seed, publish, backendId });
 *   dispatch.restore(state.crews);   // crews as the log left them
 *   dispatch.start(io);              // telemetry every second; stop() on close
 *
 * Instructor routes (behind the instructor API's access rule):
 *   GET  /api/instructor/crews                         -> { crews: positions }
 *   POST /api/instructor/crews/reject-next { crewId }  the crew's next dispatch is rejected
 *   POST /api/instructor/crews/time-scale  { scale }   crews drive `scale` times faster
 *   POST /api/instructor/links/degrade { schoolId, mbps, forMs }
 *
 * Every school's link is sampled once a second whether anyone listens or not, and kept a day,
 * downsampled (link-history.ts), for GET /api/schools/<school>/link-history (server.ts).
 *
 * Telemetry scope: the city stream gets every school's link and every crew; a school's stream gets
 * its own link and the crews working on its incidents.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { EventEnvelope } from '../shared/protocol';
import type { CrewStatusV1, TelemetryBatch } from '../shared/protocol-dispatch';
import { err, ok, type Result } from '../shared/result';
import { budgetTotal, DEFAULT_BUDGET, DEFAULT_LINK_OPTIONS } from '../shared/school-health';
import type { CatalogIndex, City } from './catalog';
import type { SimClock, TimerHandle } from './clock';
import { CrewFleet, type FleetEvent } from './crews';
import { readJson, sendJson, sendResult } from './http';
import type { SimIo } from './hub';
import { createRng } from './rng';
import { cityStream, schoolStream, type EventDraft } from './streams';
import { LinkHistoryStore } from './link-history';
import { LinkSimulator, type LinkReading } from './telemetry';

export const TELEMETRY_INTERVAL_MS = 1000;

const RejectNextRequest = z.strictObject({ crewId: z.string().min(1).max(128) });
const TimeScaleRequest = z.strictObject({ scale: z.number().min(1).max(1000) });
const DegradeRequest = z.strictObject({
  schoolId: z.string().min(1).max(128),
  mbps: z.number().min(0).max(10_000),
  forMs: z.number().int().min(1000).max(24 * 3600_000),
});

export interface DispatchSimDeps {
  city: City;
  index: CatalogIndex;
  clock: SimClock;
  seed: number;
  backendId: string;
  publish: (drafts: EventDraft[]) => EventEnvelope[];
  crewTimeScale?: number;
  /** Chance a crew rejects a dispatch on its own; 0 keeps tests deterministic. */
  crewRejectChance?: number;
}

export class DispatchSim {
  readonly fleet: CrewFleet;
  readonly links: LinkSimulator;
  readonly history: LinkHistoryStore;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly pending = new Set<TimerHandle>();
  /** Crew -> the school of the incident it works on (for school-scoped telemetry). */
  private readonly crewSchool = new Map<string, string>();
  /** School stream name -> school id. */
  private readonly schoolOfStream = new Map<string, string>();
  private drops = 0;

  constructor(private readonly deps: DispatchSimDeps) {
    this.links = new LinkSimulator([...deps.index.schools.keys()], deps.seed);
    this.history = new LinkHistoryStore({ model: (id, at) => this.links.sample(id, at) });
    for (const id of deps.index.schools.keys()) this.schoolOfStream.set(schoolStream(deps.backendId, id), id);
    this.fleet = new CrewFleet({
      crews: deps.city.crews,
      clock: deps.clock,
      rng: createRng(deps.seed ^ 0xc4e3),
      timeScale: deps.crewTimeScale ?? 1,
      rejectChance: deps.crewRejectChance ?? 0,
      publish: (events) => this.publish(events),
    });
  }

  schoolLocation(schoolId: string): { lat: number; lon: number } | undefined {
    return this.deps.index.schools.get(schoolId)?.location;
  }

  /** Crews as the log left them (statuses of a previous run). */
  restore(crews: ReadonlyMap<string, CrewStatusV1>): void {
    for (const c of crews.values()) this.fleet.restore(c.crewId, c.status, c.location);
  }

  start(io: SimIo): void {
    this.timer ??= setInterval(() => this.emitTelemetry(io), TELEMETRY_INTERVAL_MS);
    this.timer.unref?.();
  }

  stop(): void {
    for (const h of this.pending) this.deps.clock.clearTimeout(h);
    this.pending.clear();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.fleet.close();
  }

  /** Samples every school's link at `now` and keeps the samples in the history. */
  sampleLinks(now: number): Map<string, LinkReading> {
    const readings = new Map<string, LinkReading>();
    for (const schoolId of this.deps.index.schools.keys()) {
      const r = this.links.sample(schoolId, now)!;
      readings.set(schoolId, r);
      this.history.add(schoolId, now, r);
    }
    return readings;
  }

  /** One telemetry message per stream that has listeners. */
  emitTelemetry(io: SimIo): void {
    const now = this.deps.clock.now();
    const readings = this.sampleLinks(now);
    const at = new Date(now).toISOString();
    const crews = this.fleet.positions().map((p) => ({ crewId: p.crewId, status: p.status, lat: p.location.lat, lon: p.location.lon }));
    const city = cityStream(this.deps.backendId);
    const rooms = io.of('/').adapter.rooms;
    for (const room of rooms.keys()) {
      if (room === city) {
        const links = [...readings].map(([schoolId, r]) => ({ schoolId, ...r }));
        io.to(room).emit('telemetry', { at, links, crews } satisfies TelemetryBatch);
        continue;
      }
      const schoolId = this.schoolOfStream.get(room);
      if (!schoolId) continue;
      const reading = readings.get(schoolId);
      const mine = crews.filter((c) => this.crewSchool.get(c.crewId) === schoolId);
      io.to(room).emit('telemetry', { at, links: reading ? [{ schoolId, ...reading }] : [], crews: mine } satisfies TelemetryBatch);
    }
  }

  /** Instructor routes; false when the route is not one of these. */
  async handle(route: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    switch (route) {
      case 'GET /api/instructor/crews':
        sendJson(res, 200, { crews: this.fleet.positions() });
        return true;
      case 'POST /api/instructor/crews/reject-next': {
        const body = await readJson(req, RejectNextRequest);
        sendResult(res, body.ok ? this.rejectNext(body.value.crewId) : body);
        return true;
      }
      case 'POST /api/instructor/crews/time-scale': {
        const body = await readJson(req, TimeScaleRequest);
        if (body.ok) this.fleet.setTimeScale(body.value.scale);
        sendResult(res, body.ok ? ok({ scale: body.value.scale }) : body);
        return true;
      }
      case 'POST /api/instructor/links/degrade': {
        const body = await readJson(req, DegradeRequest);
        if (!body.ok) sendResult(res, body);
        else {
          const { schoolId, mbps, forMs } = body.value;
          const done = this.degradeLink(schoolId, mbps, forMs) !== null;
          sendResult(res, done ? ok({ schoolId, mbps, until: new Date(this.deps.clock.now() + forMs).toISOString() }) : err('not_found', `unknown school "${schoolId.slice(0, 64)}"`));
        }
        return true;
      }
      default:
        return false;
    }
  }

  /**
   * The school's link delivers at most `mbps` for `forMs`. When that is below the budget and lasts
   * the monitor's raise delay, the backend raises a network_below_budget alert saying how far below
   * and for how long (the console's board keeps counting the duration from telemetry). The
   * instructor's lever and the network_drop scenario both come here, so telemetry, history and the
   * alert agree. `immediate` raises the alert now (a scenario played with every step at once).
   * Null for an unknown school; `alertId` null when no alert follows (within budget, or too short).
   */
  degradeLink(schoolId: string, mbps: number, forMs: number, opts: { immediate?: boolean; drill?: boolean } = {}): { alertId: string | null; emitted: EventEnvelope[] } | null {
    const now = this.deps.clock.now();
    if (!this.links.degrade(schoolId, mbps, { now, forMs })) return null;
    const budget = budgetTotal(DEFAULT_BUDGET);
    if (mbps >= budget * (1 - DEFAULT_LINK_OPTIONS.tolerance) || forMs < DEFAULT_LINK_OPTIONS.raiseAfterMs) return { alertId: null, emitted: [] };
    const alertId = `al-net-${schoolId}-${now}-${++this.drops}`;
    const raise = () => {
      const school = this.deps.index.schools.get(schoolId);
      const seconds = Math.round(DEFAULT_LINK_OPTIONS.raiseAfterMs / 1000);
      return this.deps.publish([
        {
          type: 'alert.raised',
          v: 1,
          schoolId,
          payload: {
            alertId,
            alertType: 'network_below_budget',
            schoolId,
            cameraIds: [],
            title: `Network below budget: ${Math.round(mbps)} of ${budget} Mbps${school ? ` at ${school.name}` : ''}`,
            ...(opts.drill ? { drill: true } : {}),
            details: `The link has delivered ${Math.round(mbps)} Mbps for ${seconds} s, ${Math.round(budget - mbps)} Mbps below the ${budget} Mbps budget (${DEFAULT_BUDGET.alarm} alarm, ${DEFAULT_BUDGET.video} video, ${DEFAULT_BUDGET.education} education). Video to the EMC may stall.`,
          },
        },
      ]);
    };
    if (opts.immediate) return { alertId, emitted: raise() };
    const handle = this.deps.clock.setTimeout(() => {
      this.pending.delete(handle);
      raise();
    }, DEFAULT_LINK_OPTIONS.raiseAfterMs);
    this.pending.add(handle);
    return { alertId, emitted: [] };
  }

  private rejectNext(crewId: string): Result<{ crewId: string }> {
    return this.fleet.rejectNext(crewId) ? ok({ crewId }) : err('not_found', `unknown crew "${crewId.slice(0, 64)}"`);
  }

  private publish(events: FleetEvent[]): void {
    const city = cityStream(this.deps.backendId);
    const drafts: EventDraft[] = events.map((e) => {
      if (e.type === 'crew.status') {
        // The dispatch step that sent the crew comes first in the same batch (see CrewFleet).
        if (!e.incidentId) this.crewSchool.delete(e.crewId);
        const { type: _type, ...payload } = e;
        return { type: 'crew.status', v: 1, streams: [city], payload };
      }
      if (e.stage === 'dispatched') this.crewSchool.set(e.crewId, e.schoolId);
      const { type: _type, schoolId, etaAt, ...rest } = e;
      const payload = { ...rest, ...(etaAt !== undefined ? { eta: new Date(etaAt).toISOString() } : {}) };
      return { type: 'dispatch.step', v: 1, schoolId, payload };
    });
    this.deps.publish(drafts);
  }
}
