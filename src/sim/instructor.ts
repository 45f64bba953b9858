/**
 * The instructor API: drills and tests drive the simulated city over HTTP.
 *
 *   GET  /api/instructor/scenarios                       -> { scenarios, backgroundRate }
 *   POST /api/instructor/scenario   { name, schoolId?, drill?, immediate?, unlockLimitMs? } -> ScenarioRun
 *   POST /api/instructor/inject     { event, raw?, wrap? }
 *   POST /api/instructor/background { rate }             -> { backgroundRate }
 *   POST /api/instructor/flood      { count, alertType?, schoolId? } -> { alertIds }
 *        `count` alert.raised events published at once (load and chaos tests, benchmarks)
 *   POST /api/instructor/flood-stream { rate, tickMs, seconds, alertType?, schoolId? }
 *        -> { emitted, seconds, completed } when done
 *        alert.raised at `rate` a second for `seconds`, published every `tickMs` by the simulator's
 *        own clock (a tick that slipped is made up in the next). The answer waits for the end;
 *        closing the request stops the stream. Benchmarks use it so that the driver does not
 *        spend the machine's CPU on a request per tick.
 *
 * inject, raw=false (default): the event is sequenced like any other. id and ts are filled in when
 *   missing; seq and stream are always the simulator's; type, v, payload and schoolId are kept as
 *   given, however wrong, so malformed payloads and unknown types reach consoles inside a valid
 *   envelope with a sequence number, and are logged durably. If even the envelope would be
 *   invalid the answer is 400 (use raw=true for that).
 * inject, raw=true: the JSON goes to the live consoles exactly as given, outside the log and
 *   without a sequence number (envelope-level malformation). wrap=false sends it as the whole
 *   'events' argument instead of inside an array.
 * Routing: the city stream always; also the school stream of the event's schoolId (top level,
 *   else payload.schoolId) when that is a known school.
 *
 * Access: with the instance's instructor key (X-Instructor-Key) from anywhere; without it only in
 * demo mode and only from loopback.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { EventEnvelope } from '../shared/protocol';
import { describeIssues, err, ok, type Result } from '../shared/result';
import { isLoopback, readJson, sendError, sendJson, sendResult } from './http';
import { SCENARIO_NAMES, type ScenarioEngine, type ScenarioRun } from './scenarios';
import type { EventDraft, Publisher } from './streams';

export const ScenarioRequest = z.strictObject({
  name: z.string().min(1).max(64),
  schoolId: z.string().min(1).max(128).optional(),
  drill: z.boolean().optional(),
  immediate: z.boolean().optional(),
  /** A fire's turnstile limit, shortened (tests); longer than a turnstile's 1-4 s to confirm. */
  unlockLimitMs: z.number().int().min(5_000).max(600_000).optional(),
});
export const InjectRequest = z.strictObject({
  event: z.unknown().refine((v) => v !== undefined, 'event is required'),
  raw: z.boolean().optional(),
  wrap: z.boolean().optional(),
});
export const BackgroundRequest = z.strictObject({ rate: z.number().min(0).max(600) });
export const FloodRequest = z.strictObject({
  count: z.number().int().min(1).max(5000),
  alertType: z.string().min(1).max(64).optional(),
  schoolId: z.string().min(1).max(128).optional(),
});

export const FloodStreamRequest = z.strictObject({
  rate: z.number().int().min(1).max(20_000),
  tickMs: z.number().int().min(1).max(1000),
  seconds: z.number().min(0.01).max(600),
  alertType: z.string().min(1).max(64).optional(),
  schoolId: z.string().min(1).max(128).optional(),
});

export interface FloodStreamResult {
  emitted: number;
  seconds: number;
  /** Whether it ran to the end (false: the request was closed first). */
  completed: boolean;
}

export type InjectResult =
  | { mode: 'sequenced'; events: EventEnvelope[] }
  | { mode: 'raw'; streams: string[] };

export interface InstructorDeps {
  engine: ScenarioEngine;
  publisher: Publisher;
  /** More instructor routes (e.g. crews and links, dispatch-sim.ts); true when handled. */
  extraRoutes?: (route: string, req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  /** Emits a message as-is to the live consoles of the given streams. */
  emitRaw: (streams: string[], payload: unknown) => void;
  demo: boolean;
  instructorKey: string;
}

export class Instructor {
  constructor(private readonly deps: InstructorDeps) {}

  inject(event: unknown, opts: { raw?: boolean; wrap?: boolean } = {}): Result<InjectResult> {
    const obj = event !== null && typeof event === 'object' && !Array.isArray(event) ? (event as Record<string, unknown>) : null;
    const payload = obj?.payload !== null && typeof obj?.payload === 'object' ? (obj.payload as Record<string, unknown>) : null;
    const routeSchool = typeof obj?.schoolId === 'string' ? obj.schoolId : typeof payload?.schoolId === 'string' ? payload.schoolId : undefined;
    if (opts.raw) {
      const streams = this.deps.publisher.routes({ routeSchoolId: routeSchool });
      this.deps.emitRaw(streams, opts.wrap === false ? event : [event]);
      return ok({ mode: 'raw', streams });
    }
    if (!obj) return err('bad_request', 'a sequenced event must be a JSON object (use raw=true to send anything else)');
    const draft: EventDraft = {
      type: obj.type as string,
      v: obj.v as number,
      payload: obj.payload,
      ...(obj.schoolId !== undefined ? { schoolId: obj.schoolId as string } : {}),
      ...(routeSchool !== undefined ? { routeSchoolId: routeSchool } : {}),
      ...(obj.id !== undefined ? { id: obj.id as string } : {}),
      ...(obj.ts !== undefined ? { ts: obj.ts as string } : {}),
    };
    // Check the envelope it would get before anything is logged.
    const probe = EventEnvelope.safeParse(this.deps.publisher.envelope(draft, this.deps.publisher.routes(draft)[0]!, 1));
    if (!probe.success)
      return err('bad_request', `the event would not have a valid envelope (${describeIssues(probe.error.issues)}); use raw=true to send it unsequenced`);
    return ok({ mode: 'sequenced', events: this.deps.publisher.publish([draft]) });
  }

  /** Publishes `count` alerts in one go; ids are unique across runs of the simulator. */
  flood(body: z.infer<typeof FloodRequest>): Result<{ alertIds: string[] }> {
    const run = randomUUID().slice(0, 8);
    const schoolId = body.schoolId ?? 'GYM1';
    const alertType = body.alertType ?? 'intrusion';
    const alertIds: string[] = [];
    const drafts: EventDraft[] = [];
    for (let i = 0; i < body.count; i++) {
      const alertId = `FL-${run}-${i}`;
      alertIds.push(alertId);
      drafts.push({ type: 'alert.raised', v: 1, schoolId, payload: { alertId, alertType, schoolId, cameraIds: [], title: `Load alert ${i + 1} of ${body.count}` } });
    }
    this.deps.publisher.publish(drafts);
    return ok({ alertIds });
  }

  /**
   * Publishes alerts at a rate, every tickMs, until `seconds` have passed or `signal` aborts.
   * The count due is computed from the clock, so late timers do not lower the rate.
   */
  async floodStream(body: z.infer<typeof FloodStreamRequest>, signal?: AbortSignal): Promise<FloodStreamResult> {
    const total = body.seconds * 1000;
    const started = performance.now();
    let emitted = 0;
    /** Publishes what is due by `at` ms into the stream, at most `max` (flood's own limit is 5000 a call). */
    const publishDue = (at: number, max: number) => {
      for (let due = Math.min(max, Math.round((body.rate * at) / 1000) - emitted); due > 0 && !signal?.aborted; due -= 5000) {
        const count = Math.min(5000, due);
        this.flood({ count, ...(body.alertType ? { alertType: body.alertType } : {}), ...(body.schoolId ? { schoolId: body.schoolId } : {}) });
        emitted += count;
      }
    };
    for (let elapsed = 0; elapsed < total && !signal?.aborted; elapsed = performance.now() - started) {
      const tickEnd = (Math.floor(elapsed / body.tickMs) + 1) * body.tickMs;
      // At most 5000 a tick: a longer slip is made up over the next ticks.
      publishDue(Math.min(total, tickEnd), 5000);
      const wait = started + tickEnd - performance.now();
      if (wait > 0) await new Promise<void>((done) => setTimeout(done, wait));
    }
    // A timer that woke up past the end still owes the rest: the count is the rate times the time.
    publishDue(total, Infinity);
    return { emitted, seconds: (performance.now() - started) / 1000, completed: !signal?.aborted };
  }

  playScenario(body: z.infer<typeof ScenarioRequest>): Result<ScenarioRun> {
    const { name, ...opts } = body;
    return this.deps.engine.play(name, opts);
  }

  /** Handles /api/instructor/*; returns false for paths it does not own. */
  async handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
    if (!pathname.startsWith('/api/instructor/')) return false;
    if (!this.allowed(req)) {
      sendError(res, 'forbidden', this.deps.demo ? 'instructor API: loopback only, or send X-Instructor-Key' : 'instructor API: X-Instructor-Key required');
      return true;
    }
    const route = `${req.method} ${pathname}`;
    switch (route) {
      case 'GET /api/instructor/scenarios':
        sendJson(res, 200, { scenarios: SCENARIO_NAMES, backgroundRate: this.deps.engine.backgroundRate });
        return true;
      case 'POST /api/instructor/scenario': {
        const body = await readJson(req, ScenarioRequest);
        sendResult(res, body.ok ? this.playScenario(body.value) : body);
        return true;
      }
      case 'POST /api/instructor/inject': {
        const body = await readJson(req, InjectRequest);
        sendResult(res, body.ok ? this.inject(body.value.event, body.value) : body);
        return true;
      }
      case 'POST /api/instructor/flood': {
        const body = await readJson(req, FloodRequest);
        sendResult(res, body.ok ? this.flood(body.value) : body);
        return true;
      }
      case 'POST /api/instructor/flood-stream': {
        const body = await readJson(req, FloodStreamRequest);
        if (!body.ok) {
          sendResult(res, body);
          return true;
        }
        const stop = new AbortController();
        res.on('close', () => stop.abort());
        const result = await this.floodStream(body.value, stop.signal);
        if (!res.writableEnded && !res.destroyed) sendJson(res, 200, result);
        return true;
      }
      case 'POST /api/instructor/background': {
        const body = await readJson(req, BackgroundRequest);
        if (body.ok) this.deps.engine.setBackgroundRate(body.value.rate);
        sendResult(res, body.ok ? ok({ backgroundRate: this.deps.engine.backgroundRate }) : body);
        return true;
      }
      default:
        if (this.deps.extraRoutes && (await this.deps.extraRoutes(route, req, res))) return true;
        sendError(res, 'not_found', `no instructor route ${route.slice(0, 100)}`);
        return true;
    }
  }

  private allowed(req: IncomingMessage): boolean {
    const given = req.headers['x-instructor-key'];
    if (typeof given === 'string') {
      const a = Buffer.from(given);
      const b = Buffer.from(this.deps.instructorKey);
      return a.length === b.length && timingSafeEqual(a, b);
    }
    return this.deps.demo && isLoopback(req.socket.remoteAddress);
  }
}
