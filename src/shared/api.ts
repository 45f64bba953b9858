/**
 * The console API: the one contract between the UI and the Node side. Services implement it once
 * (src/services/router.ts); it is carried generically over Electron IPC (src/main, src/preload) and
 * over a WebSocket (src/web). Every input is validated by the router on the Node side; every output
 * by the client on the UI side.
 *
 * Wire frames (both transports):
 *   request  { id, method, input }          -> response { id, result: Result<output> }
 *   push     { event, payload }              (server -> client only)
 */
import { z } from 'zod';
import type { METHOD_NAMES, PUSH_EVENT_NAMES } from './api-methods';
import { Id } from './domain';
import { EventEnvelope } from './protocol';
import { LayoutName, MAX_SNAPSHOT_BYTES, SnapshotInput, WallLayout } from './wall';
import { planEditorMethods } from './plan-editor';
import { cameraHealthMethods } from './camera-health';
import { DeviceAuthMode, DeviceCheck, DiscoveryProgressView, LocalCameraView, LocalDeviceView, PtzPreset, VaultStatusView } from './devices';

export const Stream = z.string().min(1).max(200);

export const JournalEntry = z.strictObject({
  event: EventEnvelope,
  status: z.enum(['ok', 'unrecognized', 'rejected']),
  reason: z.string().max(1000).optional(),
});
export type JournalEntry = z.infer<typeof JournalEntry>;

export const AlertViewSchema = z.strictObject({
  id: z.string().max(300),
  type: z.string().max(64),
  recognized: z.boolean(),
  priority: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]),
  status: z.enum(['new', 'acknowledged', 'resolved']),
  schoolId: z.string().max(128).nullable(),
  title: z.string().max(5000),
  details: z.string().max(5000).nullable(),
  cameraIds: z.array(z.string().max(128)).max(64),
  deviceId: z.string().max(128).nullable(),
  sourceTs: z.string().max(64),
  badTimestamp: z.boolean(),
  receivedAt: z.string().max(64),
  at: z.string().max(64),
  ackBy: z.strictObject({ id: z.string().max(128), name: z.string().max(200) }).nullable(),
  ackAt: z.string().max(64).nullable(),
  drill: z.boolean(),
  lastSeq: z.number().int(),
  // Workflow fields (issue 4); defaults keep rows journaled before them readable.
  claimedBy: z.strictObject({ id: z.string().max(128), name: z.string().max(200) }).nullable().default(null),
  escalationLevel: z.number().int().min(0).default(0),
  resolution: z
    .strictObject({
      by: z.strictObject({ id: z.string().max(128), name: z.string().max(200) }),
      outcome: z.enum(['real', 'false_alarm', 'drill']),
      note: z.string().max(2000),
      at: z.string().max(64),
    })
    .nullable()
    .default(null),
  feedback: z.enum(['confirmed', 'false_alarm']).nullable().default(null),
  // Dispatch fields (issue 7); defaults keep older rows readable.
  feedbackBy: z
    .strictObject({ by: z.strictObject({ id: z.string().max(128), name: z.string().max(200) }), at: z.string().max(64) })
    .nullable()
    .default(null),
  notes: z
    .array(
      z.strictObject({
        by: z.strictObject({ id: z.string().max(128), name: z.string().max(200) }),
        at: z.string().max(64),
        text: z.string().max(2000),
        to: z.enum(['dispatcher', 'duty_officer', 'guard']).nullable(),
      }),
    )
    .max(200)
    .default([]),
  dispatchSteps: z
    .array(
      z.strictObject({
        dispatchId: z.string().max(128),
        crewId: z.string().max(128),
        stage: z.enum(['dispatched', 'accepted', 'rejected', 'en_route', 'on_scene', 'cleared', 'cancelled']),
        at: z.string().max(64),
        by: z.strictObject({ id: z.string().max(128), name: z.string().max(200) }).nullable(),
        reason: z.string().max(500).nullable(),
        eta: z.string().max(64).nullable(),
      }),
    )
    .max(200)
    .default([]),
  location: z
    .strictObject({ buildingId: z.string().max(128).nullable(), floorId: z.string().max(128).nullable(), roomId: z.string().max(128).nullable() })
    .default({ buildingId: null, floorId: null, roomId: null }),
  evidence: z
    .strictObject({
      snapshotUrl: z.string().max(2000).nullable(),
      confidence: z.number().nullable(),
      watchlist: z.strictObject({ listName: z.string().max(200), subject: z.string().max(200), score: z.number() }).nullable(),
    })
    .default({ snapshotUrl: null, confidence: null, watchlist: null }),
});

const Empty = z.strictObject({});
const EvidenceItem = z.strictObject({
  id: z.string().max(64),
  cameraId: Id,
  capturedAt: z.string().max(64),
  operator: z.string().max(200),
  file: z.string().max(300),
  sha256: z.string().length(64),
  bytes: z.number().int().positive(),
});
const SettingKey = z.string().min(1).max(100).regex(/^[a-z0-9_.-]+$/i);
/** JSON values only, bounded: settings are small. */
const SettingValue = z.json().refine((v) => JSON.stringify(v).length <= 64_000, 'setting value too large (64 KB max)');

const CameraIdInput = z.string().min(1).max(128);
const PtzSpeed = z.number().min(-1).max(1);
const MediaLease = z.strictObject({ leaseId: z.string().max(64), streamId: z.string().max(64), playlist: z.string().max(200) });
/** A local-media lease not renewed for this long is released (a renderer that vanished). */
export const MEDIA_LEASE_TTL_MS = 60_000;

export const contract = {
  'app.info': {
    input: Empty,
    output: z.strictObject({
      version: z.string(),
      host: z.enum(['electron', 'web']),
      backendUrl: z.string().url(),
      /** True when the backend is the embedded simulator (demo accounts may be shown). */
      embedded: z.boolean(),
    }),
  },
  'journal.append': {
    input: z.strictObject({ stream: Stream, receivedAt: z.iso.datetime(), entries: z.array(JournalEntry).min(1).max(2000) }),
    output: z.strictObject({
      /** Ids of the events that were new to the journal, in the order given. */
      inserted: z.array(Id),
      duplicates: z.number().int(),
      lastContiguousSeq: z.number().int(),
    }),
  },
  'journal.cursor': {
    input: z.strictObject({ stream: Stream }),
    output: z.strictObject({ lastContiguousSeq: z.number().int(), rejectedCount: z.number().int() }),
  },
  'journal.reset': {
    input: z.strictObject({ stream: Stream, seq: z.number().int().min(0) }),
    output: Empty,
  },
  'journal.recordMalformed': {
    input: z.strictObject({ stream: Stream, reason: z.string().max(1000), excerpt: z.string().max(2000) }),
    output: z.strictObject({ rejectedCount: z.number().int() }),
  },
  'journal.deviceStates': {
    input: z.strictObject({ stream: Stream }),
    output: z.strictObject({
      /** The latest journaled device.status of each device that has one. */
      states: z.array(z.strictObject({ deviceId: Id, status: z.enum(['normal', 'alarm', 'fault', 'offline']), at: z.string().max(64), seq: z.number().int() })).max(200_000),
    }),
  },
  /**
   * The journaled fire-linkage state (issue 5), to restore the folds at start: each turnstile's
   * latest turnstile.unlock, each school's latest school.occupancy and the passages after it.
   */
  'journal.evacuation': {
    input: z.strictObject({ stream: Stream }),
    output: z.strictObject({ events: z.array(z.strictObject({ event: EventEnvelope, receivedAt: z.string().max(64) })).max(50_000) }),
  },
  'alerts.list': {
    /** activeOnly: without resolved alerts (the queue's start; a long-running console has many). */
    input: z.strictObject({
      stream: Stream,
      activeOnly: z.boolean().optional(),
      /** Alerts raised in [from, to) (a report's period), ISO-8601 UTC instants. */
      period: z
        .strictObject({ from: z.iso.datetime(), to: z.iso.datetime() })
        .refine((p) => Date.parse(p.to) > Date.parse(p.from), 'the period must end after it starts')
        .optional(),
    }),
    output: z.strictObject({ alerts: z.array(AlertViewSchema) }),
  },
  'actions.record': {
    input: z.strictObject({
      idempotencyKey: z.string().uuid(),
      kind: z.string().min(1).max(64),
      alertId: z.string().max(300).optional(),
      operator: z.string().min(1).max(200),
      status: z.enum(['pending', 'accepted', 'rejected']),
      reason: z.string().max(500).optional(),
    }),
    output: Empty,
  },
  /** This console's own alert actions, read back after a reload: muted alerts and SOP steps done. */
  'alerts.localState': {
    input: Empty,
    output: z.strictObject({
      muted: z.array(z.string().max(300)).max(20_000),
      steps: z.array(z.strictObject({ alertId: z.string().max(300), step: z.string().max(500) })).max(20_000),
    }),
  },
  'settings.get': {
    input: z.strictObject({ key: SettingKey }),
    output: z.strictObject({ value: z.json().nullable() }),
  },
  'settings.set': {
    input: z.strictObject({ key: SettingKey, value: SettingValue }),
    output: Empty,
  },
  // Video wall (issue 3): named layouts in the local store; the live layout itself is the setting
  // 'wall.current', so every window showing the wall follows it through 'settings.changed'.
  'wall.layouts.list': {
    input: Empty,
    output: z.strictObject({
      layouts: z.array(z.strictObject({ name: LayoutName, layout: WallLayout, updatedAt: z.string().max(64) })).max(500),
    }),
  },
  'wall.layouts.save': {
    input: z.strictObject({ name: LayoutName, layout: WallLayout }),
    output: z.strictObject({ updatedAt: z.string().max(64) }),
  },
  'wall.layouts.delete': {
    input: z.strictObject({ name: LayoutName }),
    output: z.strictObject({ deleted: z.boolean() }),
  },
  /** A tile's frame as PNG (base64), saved under <dataDir>/evidence with its SHA-256. */
  'evidence.snapshot': {
    input: SnapshotInput,
    output: z.strictObject({ id: z.string().max(64), file: z.string().max(300), sha256: z.string().length(64), bytes: z.number().int().positive() }),
  },
  /** Electron: the wall in its own window, on another display when there is one (remembered). */
  'wall.openWindow': {
    input: Empty,
    output: z.strictObject({ display: z.string().max(200).nullable() }),
  },
  /** The evidence register, newest first (one camera's, or all). */
  'evidence.list': {
    input: z.strictObject({ cameraId: Id.optional() }),
    output: z.strictObject({ items: z.array(EvidenceItem).max(1000) }),
  },
  /** One snapshot's PNG, re-hashed: intact is false when the file no longer matches its SHA-256. */
  'evidence.open': {
    input: z.strictObject({ id: z.string().min(1).max(64) }),
    output: z.strictObject({ item: EvidenceItem, pngBase64: z.string().max(Math.ceil((MAX_SNAPSHOT_BYTES * 4) / 3) + 4), intact: z.boolean() }),
  },
  // Command outbox (issue 4): commands issued while the city backend is unreachable, sent once when it returns.
  'outbox.add': {
    input: z.strictObject({
      idempotencyKey: z.string().uuid(),
      stream: Stream,
      kind: z.string().min(1).max(64),
      alertId: z.string().max(300).optional(),
      command: z.string().min(2).max(8000),
      operator: z.string().min(1).max(200),
    }),
    output: z.strictObject({ waiting: z.number().int() }),
  },
  'outbox.list': {
    input: z.strictObject({ stream: Stream }),
    output: z.strictObject({
      items: z.array(z.strictObject({ idempotencyKey: z.string().uuid(), kind: z.string().max(64), alertId: z.string().max(300).nullable(), command: z.string().max(8000), attempts: z.number().int() })).max(500),
    }),
  },
  'outbox.remove': {
    input: z.strictObject({ stream: Stream, idempotencyKey: z.string().uuid() }),
    output: z.strictObject({ waiting: z.number().int() }),
  },
  'outbox.attempted': {
    input: z.strictObject({ idempotencyKey: z.string().uuid(), error: z.string().max(500) }),
    output: Empty,
  },
  // Local ONVIF devices (issue 6). Discovery sends packets only when asked; progress arrives as
  // 'devices.progress' pushes and the list changes as 'devices.changed'.
  'devices.discover': {
    input: z.strictObject({
      /** Multicast probes on the host's interfaces; explicit, so nothing multicasts by accident. */
      multicast: z.boolean(),
      range: z.string().max(32).optional(),
      interfaces: z.array(z.string().max(64)).max(16).optional(),
    }),
    output: z.strictObject({ found: z.number().int(), rejected: z.number().int(), errors: z.array(z.string().max(300)).max(20) }),
  },
  'devices.cancelDiscovery': { input: Empty, output: z.strictObject({ cancelled: z.boolean() }) },
  'devices.list': { input: Empty, output: z.strictObject({ devices: z.array(LocalDeviceView).max(5000) }) },
  'devices.check': {
    input: z.strictObject({
      key: z.string().min(1).max(400),
      credentialId: z.string().min(1).max(200).optional(),
      credential: z.strictObject({ username: z.string().min(1).max(128), password: z.string().max(256) }).optional(),
      /** Keep the credential in the OS vault (if the vault allows; see devices.vaultStatus). */
      remember: z.boolean().optional(),
      auth: DeviceAuthMode.optional(),
    }),
    output: z.strictObject({ check: DeviceCheck, persisted: z.boolean().nullable(), vaultReason: z.string().max(500).nullable() }),
  },
  'devices.vaultStatus': { input: Empty, output: VaultStatusView },
  /** Register a local device as a catalog camera of a school (null ids: unregister). */
  'devices.place': {
    input: z.strictObject({ key: z.string().min(1).max(400), schoolId: z.string().min(1).max(128).nullable(), cameraId: z.string().min(1).max(128).nullable() }),
    output: Empty,
  },
  /** Catalog cameras with a local device placed on them (PTZ, local video). */
  'devices.localCameras': { input: Empty, output: z.strictObject({ cameras: z.array(LocalCameraView).max(5000) }) },
  /** A still image from a device profile's snapshot URI, fetched by services with the vault's credentials. */
  'devices.snapshot': {
    input: z.strictObject({ key: z.string().min(1).max(400), profileToken: z.string().min(1).max(64) }),
    output: z.strictObject({ contentType: z.enum(['image/jpeg', 'image/png']), dataBase64: z.string().max(3_000_000) }),
  },
  // PTZ of a catalog camera through its local device. Velocities are -1..1; a move stops by itself
  // after 10 s unless renewed (services' dead-man), so the UI repeats it while a key is held.
  'ptz.move': {
    input: z.strictObject({ cameraId: CameraIdInput, pan: PtzSpeed, tilt: PtzSpeed, zoom: PtzSpeed }),
    output: Empty,
  },
  'ptz.stop': { input: z.strictObject({ cameraId: CameraIdInput }), output: Empty },
  'ptz.presets': { input: z.strictObject({ cameraId: CameraIdInput }), output: z.strictObject({ presets: z.array(PtzPreset).max(256) }) },
  'ptz.gotoPreset': { input: z.strictObject({ cameraId: CameraIdInput, presetToken: z.string().min(1).max(64) }), output: Empty },
  // Local video (issue 6): a camera's RTSP stream as HLS on the console's own origin, under
  // /local-media/<stream>/index.m3u8, for as long as a lease is held. A lease lapses after
  // MEDIA_LEASE_TTL_MS without media.renew, and with the window (transport peer) that took it.
  'media.watch': {
    input: z.strictObject({ rtspUri: z.string().min(8).max(2048).regex(/^rtsps?:\/\//) }),
    output: MediaLease,
  },
  /** The local stream of a catalog camera (its placed device, the vault's credentials). */
  'media.watchCamera': {
    input: z.strictObject({ cameraId: CameraIdInput, variant: z.enum(['main', 'sub']) }),
    output: MediaLease,
  },
  'media.renew': { input: z.strictObject({ leaseId: z.string().min(1).max(64) }), output: z.strictObject({ renewed: z.boolean() }) },
  'media.release': { input: z.strictObject({ leaseId: z.string().min(1).max(64) }), output: z.strictObject({ released: z.boolean() }) },
  'media.list': {
    input: Empty,
    output: z.strictObject({
      streams: z
        .array(
          z.strictObject({
            id: z.string().max(64),
            state: z.enum(['starting', 'running', 'restarting', 'failed', 'stopped']),
            watchers: z.number().int(),
            restarts: z.number().int(),
            lastError: z.string().max(2000).nullable(),
            playlist: z.string().max(200),
          }),
        )
        .max(500),
    }),
  },
  // Plan editor (issue 5): backgrounds checked and kept here, drafts versioned per floor.
  ...planEditorMethods,
  // Camera health (issue 8): uptime, outages and stale periods folded from the local journal.
  ...cameraHealthMethods,
} as const;

export type Contract = typeof contract;
export type Method = keyof Contract;
export type Input<M extends Method> = z.input<Contract[M]['input']>;
export type Output<M extends Method> = z.infer<Contract[M]['output']>;

/** Push events, server -> UI. */
export const pushEvents = {
  'settings.changed': z.strictObject({ key: SettingKey }),
  'wall.layouts.changed': z.strictObject({}),
  'devices.progress': DiscoveryProgressView,
  'devices.changed': z.strictObject({}),
} as const;
export type PushEvent = keyof typeof pushEvents;
export type PushPayload<E extends PushEvent> = z.infer<(typeof pushEvents)[E]>;

export const METHODS = Object.keys(contract) as Method[];

/** Frames on the wire, validated by both transports before anything else looks at them. */
export const RequestFrame = z.strictObject({
  id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  method: z.string().max(100),
  input: z.unknown(),
});
export type RequestFrame = z.infer<typeof RequestFrame>;

export const MAX_FRAME_BYTES = 8 * 1024 * 1024;

/** The typed client surface: one async function per method. */
export type ConsoleApi = {
  [M in Method]: (input: Input<M>) => Promise<Output<M>>;
};

// The zod-free name lists in api-methods.ts must match the contract exactly.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _methodsMatch: Same<(typeof METHOD_NAMES)[number], Method> = true;
const _eventsMatch: Same<(typeof PUSH_EVENT_NAMES)[number], PushEvent> = true;
void _methodsMatch;
void _eventsMatch;
