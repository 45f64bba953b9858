/**
 * The one implementation of the console API contract (src/shared/api.ts). Transports are generic:
 * they hand every request frame to `call` and forward every push to their clients.
 *
 *   const router = createRouter({ store, app: { version, host: 'electron', backendUrl, embedded } });
 *   const result = await router.call(frame.method, frame.input, { transport: 'ipc', peer: 'wc1' });
 *   const stop = router.onPush((event, payload) => send({ event, payload }));
 *
 * Hosts normally get it from createServices (./services.ts) and carry it with ./transport.ts.
 *
 * `call` never throws: every failure is a Result with a code and a readable message.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { contract, MEDIA_LEASE_TTL_MS, pushEvents, type Contract, type Method, type Output, type PushEvent, type PushPayload } from '../shared/api';
import { createLogger } from '../shared/log';
import { ConsoleApiError, describeIssues, err, ok, type Result } from '../shared/result';
import { TILE_SERVER_SETTING, tileSettingError } from '../shared/tile-server';
import type { Evidence } from './evidence';
import { describePlanProblem, privacyViolation } from '../shared/geometry';
import { foldSchoolHealth, type StatusSample } from '../shared/camera-health';
import { inspectBackground } from '../shared/plan-image';
import { createCredentialVault, type CredentialVault } from './onvif/credentials';
import { createDeviceService } from './onvif/device-service';
import type { DiscoveryOptions } from './onvif/discovery';
import type { Lease, MediaGateway } from './media-gateway/gateway';
import type { Store } from './store';
import type { EvidenceRecord } from './store/wall';
import type { CallContext } from './transport';

export type { CallContext } from './transport';

const log = createLogger('router');

export type Handlers = {
  [M in Method]: (input: z.infer<Contract[M]['input']>, ctx: CallContext) => Output<M> | Promise<Output<M>>;
};

/** Called with each push; the event name narrows the payload. */
export type PushListener = (...push: { [E in PushEvent]: [event: E, payload: PushPayload<E>] }[PushEvent]) => void;
export type Emit = <E extends PushEvent>(event: E, payload: PushPayload<E>) => void;

export interface Router {
  call(method: string, input: unknown, ctx: CallContext): Promise<Result<unknown>>;
  /** Returns the unsubscribe function. */
  onPush(listener: PushListener): () => void;
  /**
   * A transport peer is gone (a WebSocket closed, a window's webContents destroyed): what it held
   * is let go (its local-media leases, so no ffmpeg runs for a window that no longer exists).
   */
  peerGone(peer: string): void;
  /** Stops timers and device sessions; the store stays open (its owner closes it). */
  close(): void;
}

export interface AppInfo {
  version: string;
  host: 'electron' | 'web';
  backendUrl: string;
  embedded: boolean;
}

export interface RouterDeps {
  store: Store;
  app: AppInfo;
  /** Where snapshots go; without it 'evidence.snapshot' answers 'unavailable'. */
  evidence?: Evidence;
  /** Check every answer against the contract; defaults to on outside production. */
  validateOutputs?: boolean;
  /** Device credentials; default: kept in memory for the session only. */
  vault?: CredentialVault;
  /** Confines discovery (tests: no multicast from the machine's own namespace). */
  discoveryDefaults?: Partial<DiscoveryOptions>;
  /** RTSP -> HLS for local video; without it 'media.*' answers 'unavailable'. */
  media?: MediaGateway;
  /** Local-media leases not renewed for this long are released; default MEDIA_LEASE_TTL_MS. */
  leaseTtlMs?: number;
  /** A host that can open windows (Electron): the wall on its own window, on another display. */
  wallWindow?: WallWindowHost;
}

export interface WallWindowHost {
  /** Opens (or brings up) the wall window; answers the display it is on. */
  open(): Promise<{ display: string | null }>;
}

/** What the handlers hold on behalf of transport peers, and how to let go of it. */
export interface HandlerLifecycle {
  peerGone(peer: string): void;
  close(): void;
}

export function createRouter(deps: RouterDeps): Router {
  const validateOutputs = deps.validateOutputs ?? process.env.NODE_ENV !== 'production';
  const push = createPushHub(validateOutputs);
  const lifecycle: HandlerLifecycle = { peerGone: () => undefined, close: () => undefined };
  const call = createDispatcher(createHandlers(deps, push.emit, lifecycle), { validateOutputs });
  return { call, onPush: push.onPush, peerGone: (peer) => lifecycle.peerGone(peer), close: () => lifecycle.close() };
}

export function createHandlers(
  {
    store,
    app,
    evidence,
    vault,
    discoveryDefaults,
    media,
    leaseTtlMs = MEDIA_LEASE_TTL_MS,
    wallWindow,
  }: Pick<RouterDeps, 'store' | 'app' | 'evidence' | 'vault' | 'discoveryDefaults' | 'media' | 'leaseTtlMs' | 'wallWindow'>,
  emit: Emit,
  lifecycle: HandlerLifecycle = { peerGone: () => undefined, close: () => undefined },
): Handlers {
  const deviceVault = vault ?? createCredentialVault({ cipher: null, records: null });
  const devices = createDeviceService({ store: store.devices, vault: deviceVault, onProgress: (p) => emit('devices.progress', p), discoveryDefaults });
  const leases = new Map<string, { lease: Lease; peer: string; expires: number }>();
  const audit = (ctx: CallContext, operator: string, kind: string, reason: string) =>
    store.actions.record({ idempotencyKey: randomUUID(), kind, operator, status: 'accepted', reason: reason.slice(0, 500), via: `${ctx.transport}:${ctx.peer}` });
  const gateway = () => {
    if (!media) throw new ConsoleApiError('unavailable', 'This console has no local media gateway.');
    return media;
  };
  const dropLease = (leaseId: string, why: string) => {
    const held = leases.get(leaseId);
    if (!held) return;
    leases.delete(leaseId);
    held.lease.release();
    log.info('media lease released', { leaseId, stream: held.lease.id, why });
  };
  // Leases whose holder stopped renewing them (a renderer that crashed or hung) lapse.
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [id, held] of leases) if (held.expires <= now) dropLease(id, 'not renewed');
  }, Math.max(250, Math.min(5_000, leaseTtlMs / 4)));
  sweep.unref();
  lifecycle.peerGone = (peer) => {
    for (const [id, held] of leases) if (held.peer === peer) dropLease(id, 'peer gone');
  };
  lifecycle.close = () => {
    clearInterval(sweep);
    for (const id of [...leases.keys()]) dropLease(id, 'closing');
    devices.close();
  };
  const takeLease = (watch: () => Lease, peer: string) => {
    if (leases.size >= 200) throw new ConsoleApiError('conflict', 'Too many local streams are being watched.');
    let lease: Lease;
    try {
      lease = watch();
    } catch (e) {
      if (e instanceof ConsoleApiError) throw e;
      throw new ConsoleApiError('bad_request', e instanceof Error ? e.message : String(e));
    }
    const leaseId = randomUUID();
    leases.set(leaseId, { lease, peer, expires: Date.now() + leaseTtlMs });
    return { leaseId, streamId: lease.id, playlist: lease.playlist };
  };
  return {
    'app.info': () => ({ version: app.version, host: app.host, backendUrl: app.backendUrl, embedded: app.embedded }),
    'journal.append': ({ stream, receivedAt, entries }) => store.journal.append(stream, receivedAt, entries),
    'journal.cursor': ({ stream }) => {
      const { lastContiguousSeq, rejectedCount } = store.journal.cursor(stream);
      return { lastContiguousSeq, rejectedCount };
    },
    'journal.reset': ({ stream, seq }) => {
      store.journal.reset(stream, seq);
      return {};
    },
    'journal.recordMalformed': ({ stream, reason, excerpt }) => store.journal.recordMalformed(stream, reason, excerpt),
    'journal.deviceStates': ({ stream }) => ({ states: store.journal.deviceStates(stream) }),
    'journal.evacuation': ({ stream }) => ({ events: store.journal.evacuation(stream) }),
    'health.cameras': ({ stream, cameraIds, from, to }) => {
      const start = Date.parse(from);
      // A period reaching into the future is folded up to now: what lies beyond is not known yet.
      const end = Math.max(start, Math.min(Date.parse(to), Date.now()));
      const samples = new Map<string, StatusSample[]>();
      for (const r of store.journal.deviceHistory(stream, cameraIds, new Date(start).toISOString())) {
        let list = samples.get(r.deviceId);
        if (!list) samples.set(r.deviceId, (list = []));
        list.push(r);
      }
      return { from: new Date(start).toISOString(), to: new Date(end).toISOString(), ...foldSchoolHealth(cameraIds, samples, start, end) };
    },
    'alerts.list': ({ stream, activeOnly, period }) => ({
      alerts: store.alerts.list(stream, { activeOnly: activeOnly ?? false, ...(period ? { period: { from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString() } } : {}) }),
    }),
    'actions.record': (input, ctx) => {
      store.actions.record({ ...input, via: `${ctx.transport}:${ctx.peer}` });
      return {};
    },
    'alerts.localState': () => store.actions.localAlertState(),
    'settings.get': ({ key }) => ({ value: store.settings.get(key) }),
    'settings.set': ({ key, value }) => {
      const refused = key === TILE_SERVER_SETTING ? tileSettingError(value) : null;
      if (refused) throw new ConsoleApiError('bad_request', refused);
      store.settings.set(key, value);
      emit('settings.changed', { key });
      return {};
    },
    'wall.layouts.list': () => ({ layouts: store.wall.listLayouts() }),
    'wall.layouts.save': ({ name, layout }) => {
      const saved = store.wall.saveLayout(name, layout);
      emit('wall.layouts.changed', {});
      return { updatedAt: saved.updatedAt };
    },
    'wall.layouts.delete': ({ name }) => {
      const deleted = store.wall.deleteLayout(name);
      if (deleted) emit('wall.layouts.changed', {});
      return { deleted };
    },
    'evidence.snapshot': (input) => {
      if (!evidence) throw new ConsoleApiError('unavailable', 'This console has no evidence folder configured.');
      const { id, file, sha256, bytes } = evidence.save(input);
      return { id, file, sha256, bytes };
    },
    'wall.openWindow': () => {
      if (!wallWindow) throw new ConsoleApiError('unavailable', 'This console opens the wall on another display as a browser window (?view=wall).');
      return wallWindow.open();
    },
    'evidence.list': ({ cameraId }) => ({ items: (evidence?.list(cameraId) ?? []).map(evidenceItem) }),
    'evidence.open': ({ id }) => {
      if (!evidence) throw new ConsoleApiError('unavailable', 'This console has no evidence folder configured.');
      const { record, bytes, intact } = evidence.open(id);
      return { item: evidenceItem(record), pngBase64: bytes.toString('base64'), intact };
    },
    'outbox.add': (input) => store.outbox.add(input),
    'outbox.list': ({ stream }) => ({
      items: store.outbox.list(stream).map(({ idempotencyKey, kind, alertId, command, attempts }) => ({ idempotencyKey, kind, alertId, command, attempts })),
    }),
    'outbox.remove': ({ stream, idempotencyKey }) => store.outbox.remove(stream, idempotencyKey),
    'outbox.attempted': ({ idempotencyKey, error }) => {
      store.outbox.attempted(idempotencyKey, error);
      return {};
    },
    'devices.discover': async (input) => {
      const result = await devices.discover(input);
      emit('devices.changed', {});
      return result;
    },
    'devices.cancelDiscovery': () => ({ cancelled: devices.cancel() }),
    'devices.list': () => ({ devices: devices.list() }),
    'devices.check': async (input) => {
      const result = await devices.check(input);
      emit('devices.changed', {});
      return result;
    },
    'devices.vaultStatus': () => deviceVault.status(),
    'devices.place': ({ key, schoolId, cameraId }, ctx) => {
      devices.place(key, schoolId, cameraId);
      store.actions.record({
        idempotencyKey: randomUUID(),
        kind: 'devices.place',
        operator: 'local',
        status: 'accepted',
        reason: `${key} -> ${schoolId ?? '-'}/${cameraId ?? '-'}`.slice(0, 500),
        via: `${ctx.transport}:${ctx.peer}`,
      });
      emit('devices.changed', {});
      return {};
    },
    'devices.localCameras': () => ({ cameras: devices.localCameras() }),
    'devices.snapshot': async ({ key, profileToken }) => {
      const shot = await devices.snapshot(key, profileToken);
      return { contentType: shot.contentType as 'image/jpeg' | 'image/png', dataBase64: shot.bytes.toString('base64') };
    },
    'ptz.move': async ({ cameraId, pan, tilt, zoom }) => {
      await devices.ptz.move(cameraId, { pan, tilt, zoom });
      return {};
    },
    'ptz.stop': async ({ cameraId }) => {
      await devices.ptz.stop(cameraId);
      return {};
    },
    'ptz.presets': async ({ cameraId }) => ({ presets: await devices.ptz.presets(cameraId) }),
    'ptz.gotoPreset': async ({ cameraId, presetToken }, ctx) => {
      await devices.ptz.gotoPreset(cameraId, presetToken);
      store.actions.record({
        idempotencyKey: randomUUID(),
        kind: 'ptz.gotoPreset',
        operator: 'local',
        status: 'accepted',
        reason: `${cameraId} -> ${presetToken}`.slice(0, 500),
        via: `${ctx.transport}:${ctx.peer}`,
      });
      return {};
    },
    'media.watch': ({ rtspUri }, ctx) => takeLease(() => gateway().watch(rtspUri), ctx.peer),
    'media.watchCamera': ({ cameraId, variant }, ctx) => {
      const gw = gateway();
      return takeLease(() => gw.watch(devices.rtspFor(cameraId, variant)), ctx.peer);
    },
    'media.renew': ({ leaseId }, ctx) => {
      const held = leases.get(leaseId);
      if (!held || held.peer !== ctx.peer) return { renewed: false };
      held.expires = Date.now() + leaseTtlMs;
      return { renewed: true };
    },
    'media.release': ({ leaseId }, ctx) => {
      const held = leases.get(leaseId);
      if (!held || held.peer !== ctx.peer) return { released: false };
      dropLease(leaseId, 'released');
      return { released: true };
    },
    'media.list': () => ({ streams: gateway().list() }),
    'plans.importBackground': ({ fileName, data }) => {
      const image = inspectBackground(Buffer.from(data, 'base64'), fileName);
      const bytes = Buffer.from(image.bytes);
      const id = createHash('sha256').update(bytes).digest('hex');
      store.plans.putBackground({ id, mediaType: image.mediaType, width: image.width, height: image.height, bytes, removed: image.removed });
      log.info('plan background imported', { fileName: fileName.slice(0, 120), mediaType: image.mediaType, bytes: bytes.length, removed: image.removed.length });
      return { id, mediaType: image.mediaType, width: image.width, height: image.height, data: bytes.toString('base64'), removed: image.removed };
    },
    'plans.saveDraft': ({ draft, operator }, ctx) => {
      // The editor refuses these already; the local record never holds one whichever client wrote it.
      const violation = draft.devices.map((d) => privacyViolation(d, draft.rooms)).find((v) => v !== null);
      if (violation) throw new ConsoleApiError('bad_request', describePlanProblem(violation));
      const saved = store.plans.saveDraft(draft);
      audit(ctx, operator, 'plans.saveDraft', `${draft.schoolId}/${draft.floorId} draft ${saved.version}: ${draft.rooms.length} rooms, ${draft.devices.length} devices`);
      return saved;
    },
    'plans.getDraft': ({ schoolId, floorId }) => ({ saved: store.plans.latestDraft(schoolId, floorId) }),
    'plans.markSent': ({ schoolId, floorId, version, sentVersion, operator }, ctx) => {
      if (!store.plans.markSent(schoolId, floorId, version, sentVersion)) throw new ConsoleApiError('not_found', `no local draft ${version} of floor ${floorId}`);
      audit(ctx, operator, 'plans.sent', `${schoolId}/${floorId} draft ${version} accepted by the backend as plan version ${sentVersion}`);
      return {};
    },
  };
}

/** The generic part: method lookup, input and output validation, errors as values. */
export function createDispatcher(
  handlers: Handlers,
  { validateOutputs }: { validateOutputs: boolean },
): (method: string, input: unknown, ctx: CallContext) => Promise<Result<unknown>> {
  return async (method, input, ctx) => {
    const started = performance.now();
    const who = { method: clipName(method), transport: ctx.transport, peer: ctx.peer };
    if (!isMethod(method)) {
      log.warn('unknown method', who);
      return err('not_found', `Unknown method "${clipName(method)}". Known methods: ${Object.keys(contract).join(', ')}.`);
    }
    const spec = contract[method];
    const parsed = (spec.input as z.ZodType).safeParse(input);
    if (!parsed.success) {
      const message = `${method}: invalid input: ${describeIssues(parsed.error.issues)}`;
      log.warn('rejected input', { ...who, message });
      return err('bad_request', message);
    }
    try {
      // The map is typed per method; looking it up by a runtime name loses the pairing of input and
      // handler, which the schema check above has re-established.
      const handler = handlers[method] as (input: unknown, ctx: CallContext) => unknown;
      const value = await handler(parsed.data, ctx);
      if (validateOutputs) {
        const checked = (spec.output as z.ZodType).safeParse(value);
        if (!checked.success) {
          log.error('handler answered outside the contract', { ...who, issues: describeIssues(checked.error.issues) });
          return err('internal', `${method} produced an invalid answer: ${describeIssues(checked.error.issues)}`);
        }
      }
      log.debug('call', { ...who, ms: Math.round(performance.now() - started) });
      return ok(value);
    } catch (e) {
      if (e instanceof ConsoleApiError) {
        log.warn('call refused', { ...who, code: e.code, message: e.message });
        return err(e.code, e.message);
      }
      const message = e instanceof Error ? e.message : String(e);
      log.error('handler failed', { ...who, message, stack: e instanceof Error ? e.stack : undefined });
      return err('internal', `${method} failed: ${message}`);
    }
  };
}

/** An evidence row as the console API shows it (the row's own creation time stays inside). */
function evidenceItem({ id, cameraId, capturedAt, operator, file, sha256, bytes }: EvidenceRecord) {
  return { id, cameraId, capturedAt, operator, file, sha256, bytes };
}

function isMethod(name: string): name is Method {
  return Object.hasOwn(contract, name);
}

function clipName(name: string): string {
  return name.length > 100 ? `${name.slice(0, 99)}…` : name;
}

function createPushHub(validate: boolean): { emit: Emit; onPush: Router['onPush'] } {
  const listeners = new Set<PushListener>();
  return {
    emit(event, payload) {
      if (validate) {
        const checked = (pushEvents[event] as z.ZodType).safeParse(payload);
        if (!checked.success) {
          log.error('push outside the contract, not sent', { event, issues: describeIssues(checked.error.issues) });
          return;
        }
      }
      // emit's signature pairs event and payload; the tuple union cannot see that through generics.
      const push = [event, payload] as Parameters<PushListener>;
      for (const listener of listeners) {
        try {
          listener(...push);
        } catch (e) {
          // One broken transport must not stop the others, nor fail the call that caused the push.
          log.error('push listener failed', { event, message: e instanceof Error ? e.message : String(e) });
        }
      }
    },
    onPush(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
