/**
 * The city-backend simulator: the console's embedded default backend, the training backend and
 * the test peer. One HTTP server carries the REST API, socket.io and live HLS.
 *
 *   const sim = await startSimulator({ port: 0, backgroundRate: 0 });
 *   sim.url;                                   // http://127.0.0.1:<port>
 *   sim.accounts;                              // username / password / user of each operator
 *   sim.playScenario('fire', { schoolId: 'GYM1' });
 *   sim.inject({ type: 'x.unknown', v: 1, payload: {} });
 *   await sim.close();                         // frees the port, timers and files
 *
 * HTTP: POST /api/login, GET /api/demo-accounts (demo only), GET /api/catalog, GET /api/snapshot,
 * GET /api/health, GET /api/plans/<school>, PUT /api/plans/<school>/floors/<floor>[/background],
 * GET /api/plans/<school>/backgrounds/<id> (plans.ts),
 * GET /api/schools/<school>/camera-frames (camera-frames.ts),
 * /api/instructor/* (instructor.ts), /media/* (media.ts); socket.io on the default path (hub.ts).
 * Contracts: src/shared/protocol.ts.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server } from 'socket.io';
import { z } from 'zod';
import type { Scope } from '../shared/domain';
import { FloorPlanUpdate, LoginRequest, type Catalog, type FloorPlanAccepted, type User, type DemoAccounts, type EventEnvelope, type LoginResponse, type Snapshot } from '../shared/protocol';
import { createLogger } from '../shared/log';
import { LinkHistoryQuery, type LinkHistory } from '../shared/protocol-network';
import { describeIssues, type Result } from '../shared/result';
import { DEFAULT_BUDGET } from '../shared/school-health';
import { Auth, bearerToken, createAccounts, DEFAULT_TOKEN_TTL_MS, type Account } from './auth';
import { withBenchSchool } from './bench-school';
import { buildCity, indexCatalog, toCatalog, type CatalogIndex, type City } from './catalog';
import { realClock, type SimClock } from './clock';
import { CommandService } from './commands';
import { DispatchSim } from './dispatch-sim';
import { EventLog } from './event-log';
import { MAX_BACKGROUND_BYTES } from '../shared/plan-editor';
import { cacheJson, sendCachedJson, sendError, sendJson, sendResult, readBytes, readJson, setCors, type CachedJson } from './http';
import { attachHub, deliver, type SimIo } from './hub';
import { loadOrCreateIdentity, lockDataDir } from './identity';
import { Instructor, type InjectResult } from './instructor';
import { defaultVideoDir, handleMedia, MediaLibrary } from './media';
import { editable, PlanBook } from './plans';
import { cameraFrames } from './camera-frames';
import { ScenarioEngine, type PlayOptions, type ScenarioRun } from './scenarios';
import { SimState } from './state';
import { cityStream, Publisher, schoolStream, streamForScope } from './streams';

const log = createLogger('sim');

/** A floor's plan with a few hundred devices is far above the 64 KB other requests get. */
const MAX_PLAN_BYTES = 2 * 1024 * 1024;

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** City layout and background incidents; default 1. */
  seed?: number;
  /** Durable log, identity and secrets. Default: a temporary directory removed on close. */
  dataDir?: string;
  /** Well-known passwords, GET /api/demo-accounts, token-less instructor API from loopback. Default true. */
  demo?: boolean;
  /** Random background incidents per minute; 0 = off. Default 6. */
  backgroundRate?: number;
  /** Events kept per stream for replay. Default 100,000. */
  logRetention?: number;
  /** Time source for timestamps, tokens and HLS (timers stay real). Ignored when `clock` is given. */
  now?: () => number;
  /** Time source and timers (e.g. ManualClock in tests). */
  clock?: SimClock;
  /** Where the encoded clips are. Default resources/video of this checkout. */
  videoDir?: string;
  /** Base URL put into the catalog's stream URLs, when clients reach the simulator by another name. */
  publicUrl?: string;
  tokenTtlMs?: number;
  /** Crews drive this many times faster than real time (demos, tests). Default 1. */
  crewTimeScale?: number;
  /** Adds a synthetic school with one floor of this many devices (bench:plan only); default 0 = none. */
  benchFloorDevices?: number;
}

const Options = z.strictObject({
  port: z.number().int().min(0).max(65535).default(0),
  host: z.string().min(1).max(255).default('127.0.0.1'),
  seed: z.number().int().default(1),
  dataDir: z.string().min(1).optional(),
  demo: z.boolean().default(true),
  backgroundRate: z.number().min(0).max(600).default(6),
  logRetention: z.number().int().min(1).max(10_000_000).default(100_000),
  videoDir: z.string().min(1).default(defaultVideoDir),
  publicUrl: z.url().optional(),
  tokenTtlMs: z.number().int().positive().default(DEFAULT_TOKEN_TTL_MS),
  crewTimeScale: z.number().min(1).max(1000).default(1),
  benchFloorDevices: z.number().int().min(0).max(5000).default(0),
});

export interface Simulator {
  readonly url: string;
  readonly port: number;
  readonly backendId: string;
  readonly dataDir: string;
  /** The full catalog as a dispatcher sees it (with absolute stream URLs). */
  readonly catalog: Catalog;
  readonly index: CatalogIndex;
  /** The operator accounts with their passwords (demo or derived; see auth.ts). */
  readonly accounts: readonly Account[];
  /** For X-Instructor-Key when not in demo mode or not on loopback. */
  readonly instructorKey: string;
  readonly clock: SimClock;
  readonly streams: { readonly city: string; school(schoolId: string): string; forScope(scope: Scope): string };
  playScenario(name: string, opts?: PlayOptions): Result<ScenarioRun>;
  inject(event: unknown, opts?: { raw?: boolean; wrap?: boolean }): Result<InjectResult>;
  setBackgroundRate(perMinute: number): void;
  /** Crews, links and telemetry (tests drive the fleet through it). */
  readonly dispatch: DispatchSim;
  latestSeq(stream: string): number;
  /** Retained events of a stream after `since` (default: all retained). */
  events(stream: string, since?: number): EventEnvelope[];
  snapshot(stream: string): Snapshot;
  deviceStatus(deviceId: string): 'normal' | 'alarm' | 'fault' | 'offline';
  close(): Promise<void>;
}

/** Immutable and the same for every instance of a process: built / loaded once (tests start many). */
const mediaCache = new Map<string, Result<MediaLibrary>>();
const cityCache = new Map<string, { city: City; index: CatalogIndex }>();

function cityFor(seed: number, benchFloorDevices: number): { city: City; index: CatalogIndex } {
  const key = `${seed}/${benchFloorDevices}`;
  let entry = cityCache.get(key);
  if (!entry) {
    const city = withBenchSchool(buildCity(seed), benchFloorDevices);
    entry = { city, index: indexCatalog(city) };
    if (cityCache.size >= 4) cityCache.delete(cityCache.keys().next().value!);
    cityCache.set(key, entry);
  }
  return entry;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const { now, clock: givenClock, ...plain } = options;
  const parsed = Options.safeParse(plain);
  if (!parsed.success) throw new Error(`invalid simulator options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const opts = parsed.data;
  const clock = givenClock ?? realClock(now);

  const ownDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'kuzet-sim-'));
  const cleanups: (() => void)[] = [];
  if (ownDir) cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  try {
    cleanups.unshift(lockDataDir(dataDir));
    const identity = loadOrCreateIdentity(dataDir, clock.now());
    const { backendId } = identity;
    const { city, index } = cityFor(opts.seed, opts.benchFloorDevices);
    const accounts = createAccounts(opts.demo, identity.secret);
    const auth = new Auth(accounts, identity.secret, backendId, () => clock.now(), opts.tokenTtlMs);

    const state = new SimState();
    const opened = EventLog.open({ dataDir, retention: opts.logRetention, pinned: (e) => state.isPinned(e) });
    const eventLog = opened.log;
    cleanups.unshift(() => eventLog.close());
    for (const e of opened.loaded) state.apply(e);

    if (!mediaCache.has(opts.videoDir)) mediaCache.set(opts.videoDir, MediaLibrary.load(opts.videoDir));
    const library = mediaCache.get(opts.videoDir)!;
    if (!library.ok) log.warn('live video disabled', { reason: library.error.message });

    /** The generated city, and the catalog served: the city with the edited plans in. */
    let baseCatalog: Catalog | null = null;
    let catalog: Catalog | null = null;
    const plans = PlanBook.open(dataDir);
    const catalogCache = new Map<string, Promise<CachedJson>>();

    const httpServer = createServer((req, res) => {
      handleHttp(req, res).catch((e: unknown) => {
        log.error('request failed', { url: req.url?.slice(0, 200), error: e as Error });
        if (!res.headersSent) sendError(res, 'internal', 'internal error');
        else res.destroy();
      });
    });
    httpServer.keepAliveTimeout = 5_000;
    const io: SimIo = new Server(httpServer, {
      cors: { origin: '*' },
      maxHttpBufferSize: 64 * 1024,
      serveClient: false,
      pingInterval: 10_000,
      pingTimeout: 8_000,
    });

    const publisher = new Publisher({
      backendId,
      log: eventLog,
      state,
      knownSchool: (id) => index.schools.has(id),
      deliver: (stream, events) => deliver(io, stream, events),
      now: () => clock.now(),
    });
    const dispatch = new DispatchSim({ city, index, clock, seed: opts.seed, backendId, publish: (drafts) => publisher.publish(drafts), crewTimeScale: opts.crewTimeScale, crewRejectChance: opts.backgroundRate > 0 ? 0.05 : 0 });
    dispatch.restore(state.crews);
    cleanups.unshift(() => dispatch.stop());
    const engine = new ScenarioEngine({
      index,
      publish: (drafts) => publisher.publish(drafts),
      clock,
      seed: opts.seed,
      onError: (e) => log.error('scenario step failed', { error: e as Error }),
      deviceStatus: (id) => state.deviceStatus(id),
      degradeLink: (schoolId, mbps, forMs, o) => dispatch.degradeLink(schoolId, mbps, forMs, o),
    });
    const commands = new CommandService({
      state,
      publish: (drafts) => publisher.publish(drafts),
      dispatch: { fleet: dispatch.fleet, schoolLocation: (id) => dispatch.schoolLocation(id) },
      knownSchool: (id) => index.schools.has(id),
      unlockTurnstiles: (schoolId, req) => engine.unlockTurnstiles(schoolId, req),
    });
    const instructor = new Instructor({
      engine,
      publisher,
      emitRaw: (streams, payload) => {
        // Keep arrival order: sequenced events published earlier go out first.
        publisher.flush();
        deliver(io, streams, payload);
      },
      demo: opts.demo,
      instructorKey: identity.instructorKey,
      extraRoutes: (route, req, res) => dispatch.handle(route, req, res),
    });
    attachHub(io, { backendId, auth, log: eventLog, commands, flush: () => publisher.flush(), now: () => clock.now() });
    dispatch.start(io);

    /** The caller's scope, or null after answering 401. */
    const authorize = (req: IncomingMessage, res: ServerResponse): Scope | null => authenticate(req, res)?.scope ?? null;
    /** The caller, or null after answering 401. */
    const authenticate = (req: IncomingMessage, res: ServerResponse): User | null => {
      const token = bearerToken(req.headers.authorization);
      if (!token) {
        sendError(res, 'unauthorized', 'missing bearer token', { 'WWW-Authenticate': 'Bearer' });
        return null;
      }
      const user = auth.verify(token);
      if (!user.ok) {
        sendError(res, 'unauthorized', user.error.message, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
        return null;
      }
      return user.value;
    };

    /**
     * The caller of a per-school route when the method is the route's and their scope includes the
     * school; null after answering 405, 401 or 403.
     */
    const schoolCaller = (req: IncomingMessage, res: ServerResponse, pathname: string, method: 'GET' | 'PUT', schoolId: string): User | null => {
      if (req.method !== method) {
        res.setHeader('Allow', `${method}, OPTIONS`);
        sendJson(res, 405, { error: { code: 'bad_request', message: `${req.method} is not allowed on ${pathname}` } });
        return null;
      }
      const user = authenticate(req, res);
      if (!user) return null;
      if (user.scope.kind === 'school' && user.scope.schoolId !== schoolId) {
        sendError(res, 'forbidden', 'this account sees its own school only');
        return null;
      }
      return user;
    };

    /**
     * GET /api/plans/<school>, PUT /api/plans/<school>/floors/<floor>, PUT …/floors/<floor>/background,
     * GET /api/plans/<school>/backgrounds/<id>; false when the path is not one of them.
     */
    async function handlePlans(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
      const m = /^\/api\/plans\/([A-Za-z0-9_.:-]{1,128})(?:\/floors\/([A-Za-z0-9_.:-]{1,128})(\/background)?|\/backgrounds\/([0-9a-f]{64}))?$/.exec(pathname);
      if (!m) return false;
      const [, schoolId, floorId, isUpload, backgroundId] = m as unknown as [string, string, string | undefined, string | undefined, string | undefined];
      const user = schoolCaller(req, res, pathname, floorId ? 'PUT' : 'GET', schoolId);
      if (!user) return true;
      if (backgroundId) {
        const image = plans.background(schoolId, backgroundId);
        if (!image) {
          sendError(res, 'not_found', `school ${schoolId} has no plan image ${backgroundId.slice(0, 12)}…`);
          return true;
        }
        res.writeHead(200, {
          'Content-Type': image.mediaType,
          'Content-Length': image.bytes.length,
          // Content-addressed, so it never changes; and were it ever opened as a page, an SVG runs nothing.
          'Cache-Control': 'private, max-age=31536000, immutable',
          'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
        });
        res.end(image.bytes);
        return true;
      }
      if (!floorId) {
        const plan = plans.schoolPlan(catalog!, schoolId);
        if (!plan) sendError(res, 'not_found', `no school ${schoolId}`);
        else sendJson(res, 200, plan);
        return true;
      }
      if (isUpload) {
        // Who may not edit is refused before megabytes are read.
        const may = editable(user, schoolId, floorId, catalog!);
        if (!may.ok) {
          req.resume();
          sendResult(res, may);
          return true;
        }
        const limitMb = MAX_BACKGROUND_BYTES / 1048576;
        const bytes = await readBytes(req, MAX_BACKGROUND_BYTES, `the image is larger than ${limitMb} MB; a plan image may be at most ${limitMb} MB`);
        const uploaded = bytes.ok ? plans.upload(user, schoolId, floorId, bytes.value, catalog!) : bytes;
        if (!uploaded.ok) log.warn('plan background refused', { schoolId, floorId, by: user.id, reason: uploaded.error.message.slice(0, 300) });
        sendResult(res, uploaded);
        return true;
      }
      const body = await readJson(req, FloorPlanUpdate, MAX_PLAN_BYTES);
      if (!body.ok) {
        sendResult(res, body);
        return true;
      }
      const result = plans.update(user, schoolId, floorId, body.value, catalog!);
      if (!result.ok) {
        log.warn('plan refused', { schoolId, floorId, by: user.id, reason: result.error.message.slice(0, 300) });
        sendResult(res, result);
        return true;
      }
      catalog = plans.apply(baseCatalog!);
      catalogCache.clear();
      const { version } = result.value;
      publisher.publish([{ type: 'plan.updated', v: 1, schoolId, payload: { schoolId, floorId, version, by: { id: user.id, name: user.name } } }]);
      const accepted: FloorPlanAccepted = { schoolId, floorId, version };
      sendJson(res, 200, accepted);
      return true;
    }

    /** GET /api/schools/<school>/link-history?from&to (epoch ms); false when the path is not it. */
    function handleLinkHistory(req: IncomingMessage, res: ServerResponse, pathname: string, search: URLSearchParams): boolean {
      const m = /^\/api\/schools\/([A-Za-z0-9_.:-]{1,128})\/link-history$/.exec(pathname);
      if (!m) return false;
      const schoolId = m[1]!;
      if (!schoolCaller(req, res, pathname, 'GET', schoolId)) return true;
      if (!index.schools.has(schoolId)) {
        sendError(res, 'not_found', `no school ${schoolId}`);
        return true;
      }
      const query = LinkHistoryQuery.safeParse(Object.fromEntries(search));
      if (!query.success) {
        sendError(res, 'bad_request', describeIssues(query.error.issues));
        return true;
      }
      const now = clock.now();
      const to = Math.min(query.data.to ?? now, now);
      const from = Math.max(query.data.from ?? to - 3600_000, now - dispatch.history.keepMs);
      if (from > to) {
        sendError(res, 'bad_request', 'from is after to (or older than the history kept)');
        return true;
      }
      const body: LinkHistory = { schoolId, bucketMs: dispatch.history.bucket, from, to, budget: DEFAULT_BUDGET, points: dispatch.history.query(schoolId, from, to, now) };
      sendJson(res, 200, body);
      return true;
    }

    /** GET /api/schools/<school>/camera-frames; false when the path is not it. */
    function handleCameraFrames(req: IncomingMessage, res: ServerResponse, pathname: string): boolean {
      const m = /^\/api\/schools\/([A-Za-z0-9_.:-]{1,128})\/camera-frames$/.exec(pathname);
      if (!m) return false;
      const schoolId = m[1]!;
      if (!schoolCaller(req, res, pathname, 'GET', schoolId)) return true;
      if (!index.schools.has(schoolId)) {
        sendError(res, 'not_found', `no school ${schoolId}`);
        return true;
      }
      const lib = library.ok ? library.value : null;
      const body = cameraFrames({
        schoolId,
        cameraIds: catalog!.devices.filter((d) => d.schoolId === schoolId && d.kind === 'camera').map((d) => d.id),
        now: clock.now(),
        lastFrameAt: lib ? (t) => lib.lastFrameAt(t) : null,
        status: (id) => state.deviceStatus(id),
        since: (id) => state.deviceStatusSince(id),
      });
      sendJson(res, 200, body);
      return true;
    }

    const scopedCatalog = (scope: Scope): Promise<CachedJson> => {
      const key = scope.kind === 'city' ? 'city' : `school:${scope.schoolId}`;
      let cached = catalogCache.get(key);
      if (!cached) {
        const full = catalog!;
        const value: Catalog =
          scope.kind === 'city'
            ? full
            : (() => {
                const school = full.schools.find((s) => s.id === scope.schoolId);
                // Guards get their school's plans and devices only, and no crews.
                return {
                  districts: full.districts.filter((d) => d.id === school?.districtId),
                  schools: school ? [school] : [],
                  devices: full.devices.filter((d) => d.schoolId === scope.schoolId),
                  crews: [],
                };
              })();
        cached = cacheJson(value);
        catalogCache.set(key, cached);
      }
      return cached;
    };

    async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const [pathname = '/', search = ''] = (req.url ?? '/').split(/\?(.*)/s);
      const query = new URLSearchParams(search);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      if (pathname.startsWith('/api/') || pathname.startsWith('/media/')) setCors(req, res);
      if (req.method === 'OPTIONS') {
        res.writeHead(204);
        res.end();
        return;
      }
      if (!catalog) return sendError(res, 'unavailable', 'starting');
      if (pathname.startsWith('/media/')) {
        return handleMedia(req, res, pathname, query, {
          library,
          isCamera: (id) => index.devices.get(id)?.kind === 'camera',
          isOffline: (id) => state.deviceStatus(id) === 'offline',
          clock,
        });
      }
      if (await instructor.handle(req, res, pathname)) return;
      if (await handlePlans(req, res, pathname)) return;
      if (handleCameraFrames(req, res, pathname)) return;
      if (handleLinkHistory(req, res, pathname, query)) return;
      const route = `${req.method} ${pathname}`;
      switch (route) {
        case 'GET /api/health':
          return sendJson(res, 200, { ok: true, backendId });
        case 'POST /api/login': {
          const body = await readJson(req, LoginRequest);
          if (!body.ok) return sendResult(res, body);
          const login = auth.login(body.value.username, body.value.password);
          if (!login.ok) return sendResult(res, login);
          const response: LoginResponse = { ...login.value, stream: streamForScope(backendId, login.value.user.scope), backendId };
          log.info('login', { user: login.value.user.id });
          return sendJson(res, 200, response);
        }
        case 'GET /api/demo-accounts': {
          if (!opts.demo) return sendError(res, 'not_found', 'not a demo backend');
          const body: DemoAccounts = { accounts: accounts.map((a) => ({ username: a.username, password: a.password, role: a.user.role, label: a.label })) };
          return sendJson(res, 200, body);
        }
        case 'GET /api/catalog':
        case 'HEAD /api/catalog': {
          const scope = authorize(req, res);
          if (!scope) return;
          return sendCachedJson(req, res, await scopedCatalog(scope));
        }
        case 'GET /api/snapshot': {
          const scope = authorize(req, res);
          if (!scope) return;
          return sendJson(res, 200, snapshotOf(streamForScope(backendId, scope)));
        }
        default:
          if (/^\/api\/(health|login|demo-accounts|catalog|snapshot)$/.test(pathname)) {
            res.setHeader('Allow', pathname === '/api/login' ? 'POST, OPTIONS' : 'GET, OPTIONS');
            return sendJson(res, 405, { error: { code: 'bad_request', message: `${req.method} is not allowed on ${pathname}` } });
          }
          return sendError(res, 'not_found', `no route ${route.slice(0, 200)}`);
      }
    }

    const snapshotOf = (stream: string): Snapshot => ({ stream, seq: eventLog.latestSeq(stream), events: state.snapshot(stream) });

    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(opts.port, opts.host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
    cleanups.unshift(() => httpServer.closeAllConnections());
    const address = httpServer.address();
    const port = typeof address === 'object' && address ? address.port : opts.port;
    const url = `http://${urlHost(opts.host)}:${port}`;
    baseCatalog = toCatalog(city, opts.publicUrl ?? url);
    catalog = plans.apply(baseCatalog);
    if (opts.backgroundRate > 0) engine.setBackgroundRate(opts.backgroundRate);
    log.info('simulator listening', { url, backendId, dataDir, schools: city.schools.length, devices: city.devices.length });

    let closing: Promise<void> | null = null;
    const sim: Simulator = {
      url,
      port,
      backendId,
      dataDir,
      get catalog() {
        return catalog!;
      },
      index,
      accounts,
      instructorKey: identity.instructorKey,
      clock,
      streams: {
        city: cityStream(backendId),
        school: (schoolId) => schoolStream(backendId, schoolId),
        forScope: (scope) => streamForScope(backendId, scope),
      },
      playScenario: (name, playOpts) => engine.play(name, playOpts),
      inject: (event, injectOpts) => instructor.inject(event, injectOpts),
      setBackgroundRate: (rate) => engine.setBackgroundRate(rate),
      dispatch,
      latestSeq: (stream) => eventLog.latestSeq(stream),
      events: (stream, since = 0) => {
        const r = eventLog.read(stream, Math.max(since, eventLog.oldestSeq(stream) - 1));
        return r.kind === 'events' ? r.events : [];
      },
      snapshot: snapshotOf,
      deviceStatus: (id) => state.deviceStatus(id),
      close: () => {
        closing ??= (async () => {
          engine.stop();
          publisher.flush();
          const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
          httpServer.closeAllConnections();
          await io.close();
          await stopped;
          for (const c of cleanups.splice(0)) c();
          log.info('simulator closed', { backendId });
        })();
        return closing;
      },
    };
    return sim;
  } catch (e) {
    for (const c of cleanups.splice(0)) {
      try {
        c();
      } catch {
        // Already failing; the first error is the one to report.
      }
    }
    throw e;
  }
}

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

