/**
 * The city-backend protocol: what the backend (src/sim here, the city platform in production) sends
 * and accepts. The console validates everything it receives against these schemas.
 *
 * Transport:
 *   HTTP  POST /api/login              LoginRequest -> LoginResponse
 *         GET  /api/demo-accounts      -> DemoAccounts (404 unless the backend runs in demo mode)
 *         GET  /api/catalog            (Bearer) -> Catalog, filtered by the token's scope
 *         GET  /api/snapshot           (Bearer) -> Snapshot of the token's stream
 *         GET  /api/plans/<schoolId>   (Bearer) -> SchoolPlan (the school's current plan and version)
 *         PUT  /api/plans/<schoolId>/floors/<floorId> (Bearer; duty officer, or the school's guard)
 *                                      FloorPlanUpdate -> FloorPlanAccepted; publishes plan.updated v1
 *         PUT  /api/plans/<schoolId>/floors/<floorId>/background (same roles) the image's bytes
 *                                      (PNG, JPEG or SVG, at most 4 MB) -> BackgroundUploaded
 *         GET  /api/plans/<schoolId>/backgrounds/<id> (Bearer) -> the checked image's bytes
 *         GET  /media/<cameraId>/<main|sub>/index.m3u8 (+ segments) live HLS
 *   socket.io (path /socket.io, auth: HandshakeAuth)
 *         server -> client  'hello'   Hello
 *                           'events'  EventEnvelope[] in sequence order (each validated on its own)
 *                           'resync'  Resync: the client's offset is older than the log keeps
 *         client -> server  'command' Command, with an ack callback receiving CommandResult
 */
import { z } from 'zod';
import { Id, Role, Scope } from './domain';
import { SpeedModel } from './dispatch';
import { CrewStatusV1, DispatchStepV1 } from './protocol-dispatch';

export const MAX_TEXT = 4000;

export const LoginRequest = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const User = z.strictObject({
  id: Id,
  name: z.string().min(1).max(200),
  role: Role,
  scope: Scope,
});
export type User = z.infer<typeof User>;

export const LoginResponse = z.strictObject({
  token: z.string().min(16).max(4096),
  user: User,
  /** The stream this user's events arrive on; sequence numbers are per stream. */
  stream: z.string().min(1).max(200),
  backendId: z.string().min(1).max(100),
});
export type LoginResponse = z.infer<typeof LoginResponse>;

export const DemoAccounts = z.strictObject({
  accounts: z
    .array(z.strictObject({ username: z.string().max(64), password: z.string().max(256), role: Role, label: z.string().max(200) }))
    .max(20),
});
export type DemoAccounts = z.infer<typeof DemoAccounts>;

export const HandshakeAuth = z.strictObject({
  token: z.string().min(16).max(4096),
  /** Last contiguous sequence number the client has journaled; 0 = nothing yet. */
  since: z.number().int().min(0),
});
export type HandshakeAuth = z.infer<typeof HandshakeAuth>;

export const Hello = z.strictObject({
  stream: z.string().min(1).max(200),
  backendId: z.string().min(1).max(100),
  latestSeq: z.number().int().min(0),
  serverTime: z.string().max(40),
});
export type Hello = z.infer<typeof Hello>;

export const Resync = z.strictObject({
  reason: z.literal('too_old'),
  oldestSeq: z.number().int().min(0),
  latestSeq: z.number().int().min(0),
});
export type Resync = z.infer<typeof Resync>;

/**
 * The envelope every event has. The payload is validated separately by type and version, so that
 * an event of a type this console does not know is still journaled (and shown as unrecognized)
 * instead of being dropped.
 */
export const EventEnvelope = z.strictObject({
  id: Id,
  stream: z.string().min(1).max(200),
  seq: z.number().int().positive(),
  /** ISO-8601 time at the source. May be wrong; the console keeps its receive time beside it. */
  ts: z.string().max(64),
  type: z.string().min(1).max(64),
  v: z.number().int().min(1).max(1000),
  schoolId: Id.optional(),
  payload: z.unknown(),
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;

const Operator = z.strictObject({ id: Id, name: z.string().min(1).max(200) });

/** alert.raised v1 */
export const AlertRaisedV1 = z.strictObject({
  alertId: Id,
  /** Not an enum on purpose: a type the console does not know is shown as unrecognized. */
  alertType: z.string().min(1).max(64),
  schoolId: Id,
  buildingId: Id.optional(),
  floorId: Id.optional(),
  roomId: Id.optional(),
  deviceId: Id.optional(),
  cameraIds: z.array(Id).max(64).default([]),
  title: z.string().max(MAX_TEXT),
  details: z.string().max(MAX_TEXT).optional(),
  confidence: z.number().min(0).max(1).optional(),
  drill: z.boolean().optional(),
  /** AI evidence: a still from the backend's media origin (path or URL), and a watch-list match. */
  snapshotUrl: z.string().max(2000).optional(),
  watchlistMatch: z.strictObject({ listName: z.string().max(200), subject: z.string().max(200), score: z.number().min(0).max(1) }).optional(),
});
export type AlertRaisedV1 = z.infer<typeof AlertRaisedV1>;

/** alert.acknowledged v1 */
export const AlertAcknowledgedV1 = z.strictObject({
  alertId: Id,
  by: Operator,
  commandId: Id,
});
export type AlertAcknowledgedV1 = z.infer<typeof AlertAcknowledgedV1>;

export const RESOLUTION_OUTCOMES = ['real', 'false_alarm', 'drill'] as const;
export const ResolutionOutcome = z.enum(RESOLUTION_OUTCOMES);
export type ResolutionOutcome = z.infer<typeof ResolutionOutcome>;
export const FEEDBACK_VERDICTS = ['confirmed', 'false_alarm'] as const;
export const FeedbackVerdict = z.enum(FEEDBACK_VERDICTS);
export type FeedbackVerdict = z.infer<typeof FeedbackVerdict>;
/** A note an operator must write (resolution): not blank. */
const Note = z.string().max(2000).refine((s) => s.trim().length > 0, 'a note is required');

/** alert.claimed v1: one operator owns the alert until released or resolved. */
export const AlertClaimedV1 = z.strictObject({ alertId: Id, by: Operator, commandId: Id });
export type AlertClaimedV1 = z.infer<typeof AlertClaimedV1>;
/** alert.released v1 */
export const AlertReleasedV1 = z.strictObject({ alertId: Id, by: Operator, commandId: Id });
export type AlertReleasedV1 = z.infer<typeof AlertReleasedV1>;
/** alert.escalated v1: raised to the next level of command (level counts from 1). */
export const AlertEscalatedV1 = z.strictObject({
  alertId: Id,
  by: Operator,
  commandId: Id,
  level: z.number().int().min(1).max(100),
  note: z.string().max(2000).optional(),
});
export type AlertEscalatedV1 = z.infer<typeof AlertEscalatedV1>;
/** alert.resolved v1: the alert leaves every active queue. */
export const AlertResolvedV1 = z.strictObject({ alertId: Id, by: Operator, commandId: Id, outcome: ResolutionOutcome, note: Note });
export type AlertResolvedV1 = z.infer<typeof AlertResolvedV1>;
/**
 * alert.noted v1: a note on the shared incident, seen by every console in scope (the dispatcher, the
 * duty officer, the school's guard); `to` hands it to a role ("guard: open the east gate").
 */
export const AlertNotedV1 = z.strictObject({ alertId: Id, by: Operator, commandId: Id, text: Note, to: Role.optional() });
export type AlertNotedV1 = z.infer<typeof AlertNotedV1>;
/** alert.feedback v1: the operator's verdict on an AI detection, for the backend's models. */
export const AlertFeedbackV1 = z.strictObject({ alertId: Id, by: Operator, commandId: Id, verdict: FeedbackVerdict });
export type AlertFeedbackV1 = z.infer<typeof AlertFeedbackV1>;

/** device.status v1 */
export const DeviceStatusV1 = z.strictObject({
  deviceId: Id,
  status: z.enum(['normal', 'alarm', 'fault', 'offline']),
});
export type DeviceStatusV1 = z.infer<typeof DeviceStatusV1>;

/** plan.updated v1: a school's floor plan was edited; consoles showing that school reload its plan. */
export const PlanUpdatedV1 = z.strictObject({
  schoolId: Id,
  floorId: Id,
  /** The school's plan version after the change (counts up from 0, the catalog as built). */
  version: z.number().int().min(1),
  by: z.strictObject({ id: Id, name: z.string().min(1).max(200) }),
});
export type PlanUpdatedV1 = z.infer<typeof PlanUpdatedV1>;
// ---- Fire linkage and evacuation headcount (issue 5) ---------------------------------------------

export const UNLOCK_STATES = ['commanded', 'confirmed', 'failed'] as const;
export const UNLOCK_CAUSES = ['fire', 'operator'] as const;

/**
 * turnstile.unlock v1: the backend commanded a turnstile to unlock for evacuation (cause fire: a
 * fire sensor's linkage; operator: an "unlock all" command), and later its confirmation or failure.
 * A turnstile that stays `commanded` longer than `limitMs` is overdue: the console shows that by
 * itself, even if the backend says nothing more.
 */
export const TurnstileUnlockV1 = z.strictObject({
  deviceId: Id,
  schoolId: Id,
  state: z.enum(UNLOCK_STATES),
  cause: z.enum(UNLOCK_CAUSES),
  /** The fire alert that caused it, or the alert the operator acted from. */
  alertId: Id.optional(),
  /** The operator command that caused it (cause operator), and who gave it. */
  commandId: Id.optional(),
  by: Operator.optional(),
  limitMs: z.number().int().min(100).max(600_000),
  /** Why it failed (state failed). */
  reason: z.string().max(500).optional(),
});
export type TurnstileUnlockV1 = z.infer<typeof TurnstileUnlockV1>;

/**
 * turnstile.passage v1: people through one turnstile since its previous passage event (the backend
 * batches them; one event carries both directions, half the events of one per direction).
 */
export const TurnstilePassageV1 = z.strictObject({
  deviceId: Id,
  schoolId: Id,
  in: z.number().int().min(0).max(100_000),
  out: z.number().int().min(0).max(100_000),
});
export type TurnstilePassageV1 = z.infer<typeof TurnstilePassageV1>;

/**
 * school.occupancy v1: the backend's authoritative count of people inside a school, sent
 * periodically. It already includes every passage of a lower sequence number; the console adds the
 * passages that follow it.
 */
export const SchoolOccupancyV1 = z.strictObject({
  schoolId: Id,
  inside: z.number().int().min(0).max(1_000_000),
});
export type SchoolOccupancyV1 = z.infer<typeof SchoolOccupancyV1>;

/** Known payload schemas by "type@v". Types not listed here are unrecognized, never dropped. */
export const EVENT_PAYLOADS = {
  'alert.raised@1': AlertRaisedV1,
  'alert.acknowledged@1': AlertAcknowledgedV1,
  'alert.claimed@1': AlertClaimedV1,
  'alert.released@1': AlertReleasedV1,
  'alert.escalated@1': AlertEscalatedV1,
  'alert.resolved@1': AlertResolvedV1,
  'alert.feedback@1': AlertFeedbackV1,
  'alert.noted@1': AlertNotedV1,
  'device.status@1': DeviceStatusV1,
  'plan.updated@1': PlanUpdatedV1,
  'crew.status@1': CrewStatusV1,
  'dispatch.step@1': DispatchStepV1,
  'turnstile.unlock@1': TurnstileUnlockV1,
  'turnstile.passage@1': TurnstilePassageV1,
  'school.occupancy@1': SchoolOccupancyV1,
} as const;
export type KnownEventKey = keyof typeof EVENT_PAYLOADS;

const IdempotencyKey = z.string().uuid();

const Reason = z.string().max(500).refine((s) => s.trim().length > 0, 'a reason is required');

/** Operator commands. Each names one alert (or, for a school command, one school); each gets an accepted/rejected answer. */
export const Command = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('alert.acknowledge'), idempotencyKey: IdempotencyKey, alertId: Id }),
  z.strictObject({ kind: z.literal('alert.claim'), idempotencyKey: IdempotencyKey, alertId: Id }),
  z.strictObject({ kind: z.literal('alert.release'), idempotencyKey: IdempotencyKey, alertId: Id }),
  z.strictObject({ kind: z.literal('alert.escalate'), idempotencyKey: IdempotencyKey, alertId: Id, note: z.string().max(2000).optional() }),
  z.strictObject({ kind: z.literal('alert.resolve'), idempotencyKey: IdempotencyKey, alertId: Id, outcome: ResolutionOutcome, note: Note }),
  z.strictObject({ kind: z.literal('alert.feedback'), idempotencyKey: IdempotencyKey, alertId: Id, verdict: FeedbackVerdict }),
  /** A note on the incident for everyone in scope, optionally handed to a role. */
  z.strictObject({ kind: z.literal('alert.note'), idempotencyKey: IdempotencyKey, alertId: Id, text: Note, to: Role.optional() }),
  /** Sends a crew to the alert's school. Without a confirmed verdict on the alert, `unverifiedReason` is required. */
  z.strictObject({ kind: z.literal('crew.dispatch'), idempotencyKey: IdempotencyKey, alertId: Id, crewId: Id, unverifiedReason: Reason.optional() }),
  /** Calls a dispatched crew off (false alarm, another crew is closer). */
  z.strictObject({ kind: z.literal('dispatch.cancel'), idempotencyKey: IdempotencyKey, alertId: Id, dispatchId: Id, reason: Reason }),
  /** Unlock every turnstile of a school for evacuation (see canUnlockTurnstiles for who may). */
  z.strictObject({ kind: z.literal('school.unlock_turnstiles'), idempotencyKey: IdempotencyKey, schoolId: Id, alertId: Id.optional(), note: z.string().max(2000).optional() }),
]);
export const COMMAND_KINDS = ['alert.acknowledge', 'alert.claim', 'alert.release', 'alert.escalate', 'alert.resolve', 'alert.feedback', 'alert.note', 'crew.dispatch', 'dispatch.cancel', 'school.unlock_turnstiles'] as const;
export type CommandKind = Command['kind'];
export type Command = z.infer<typeof Command>;

/**
 * What a command acts on, one string: its alert, or `school:<id>` for a school command. Keys the
 * console's in-flight commands and audit rows, and the backend's idempotency check.
 */
export function commandSubject(cmd: { kind: CommandKind; alertId?: string; schoolId?: string }): string {
  return cmd.kind === 'school.unlock_turnstiles' ? `school:${cmd.schoolId ?? ''}` : (cmd.alertId ?? '');
}

/**
 * Who may command "unlock all turnstiles" of a school: the duty officer (any school) and the guard
 * of that school. The backend enforces it; the console uses the same rule to offer the button. A
 * police dispatcher sees the evacuation but does not operate school doors.
 */
export function canUnlockTurnstiles(user: Pick<User, 'role' | 'scope'>, schoolId: string): boolean {
  if (user.role === 'duty_officer') return user.scope.kind === 'city' || user.scope.schoolId === schoolId;
  if (user.role === 'guard') return user.scope.kind === 'school' && user.scope.schoolId === schoolId;
  return false;
}

export const CommandResult = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('accepted'), commandId: Id, duplicate: z.boolean() }),
  z.strictObject({ status: z.literal('rejected'), reason: z.string().max(500), code: z.string().max(64) }),
]);
export type CommandResult = z.infer<typeof CommandResult>;

export const Snapshot = z.strictObject({
  stream: z.string().min(1).max(200),
  /** Everything up to and including this sequence number is reflected in `events`. */
  seq: z.number().int().min(0),
  /** The events that make up the current state (open alerts and their history), in order. */
  events: z.array(z.unknown()).max(200_000),
});
export type Snapshot = z.infer<typeof Snapshot>;

// ---- Catalog ---------------------------------------------------------------------------------

export const ROOM_KINDS = [
  'classroom',
  'corridor',
  'stairwell',
  'gym',
  'canteen',
  'toilet',
  'changing_room',
  'entrance',
  'yard',
  'office',
] as const;
export const DEVICE_KINDS = ['camera', 'fire_sensor', 'smoke_sensor', 'turnstile', 'alarm_button', 'door'] as const;

const Point = z.tuple([z.number(), z.number()]);

export const Room = z.strictObject({
  id: Id,
  name: z.string().max(200),
  kind: z.enum(ROOM_KINDS),
  polygon: z.array(Point).min(3).max(200),
});

export const BACKGROUND_MEDIA_TYPES = ['image/png', 'image/jpeg', 'image/svg+xml'] as const;
export const BackgroundMediaType = z.enum(BACKGROUND_MEDIA_TYPES);
export type BackgroundMediaType = z.infer<typeof BackgroundMediaType>;
/** A background image's id: the SHA-256 (hex) of its checked bytes. */
export const BackgroundId = z.string().regex(/^[0-9a-f]{64}$/);

/** Where a background image lies on the floor, in floor metres. */
export const BackgroundPlacement = z.strictObject({
  x: z.number().finite(),
  y: z.number().finite(),
  width: z.number().positive().finite(),
  height: z.number().positive().finite(),
  opacity: z.number().min(0).max(1),
});
export type BackgroundPlacement = z.infer<typeof BackgroundPlacement>;

/** A floor's background drawing as the backend keeps it; the bytes are fetched by id. */
export const FloorBackground = z.strictObject({
  id: BackgroundId,
  mediaType: BackgroundMediaType,
  width: z.number().positive().finite(),
  height: z.number().positive().finite(),
  placement: BackgroundPlacement,
});
export type FloorBackground = z.infer<typeof FloorBackground>;

export const Floor = z.strictObject({
  id: Id,
  level: z.number().int(),
  name: z.string().max(200),
  width: z.number().positive(),
  height: z.number().positive(),
  rooms: z.array(Room).max(500),
  /** The imported drawing under the plan, once an editor sent one. */
  background: FloorBackground.optional(),
});
export const Building = z.strictObject({ id: Id, name: z.string().max(200), floors: z.array(Floor).max(50) });
export const School = z.strictObject({
  id: Id,
  name: z.string().max(300),
  districtId: Id,
  address: z.string().max(300),
  location: z.strictObject({ lat: z.number(), lon: z.number() }),
  buildings: z.array(Building).max(20),
});
export const District = z.strictObject({
  id: Id,
  name: z.string().max(200),
  /** The district's outline as [lon, lat] points: the city is a closed network, the map draws these, no tiles. */
  outline: z.array(z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)])).min(3).max(2000).optional(),
});
export const Device = z.strictObject({
  id: Id,
  kind: z.enum(DEVICE_KINDS),
  schoolId: Id,
  buildingId: Id,
  floorId: Id,
  roomId: Id,
  name: z.string().max(200),
  position: Point,
  /** Cameras: direction of view in degrees, field of view in degrees, and their streams. */
  heading: z.number().optional(),
  fov: z.number().optional(),
  streams: z.strictObject({ main: z.string().max(2000), sub: z.string().max(2000) }).optional(),
});
export const Crew = z.strictObject({
  id: Id,
  callsign: z.string().max(50),
  status: z.enum(['available', 'dispatched', 'en_route', 'on_scene', 'busy', 'off_duty']),
  location: z.strictObject({ lat: z.number(), lon: z.number() }),
});
export const Catalog = z.strictObject({
  districts: z.array(District).max(50),
  schools: z.array(School).max(2000),
  devices: z.array(Device).max(100_000),
  crews: z.array(Crew).max(2000),
  /** How the backend estimates crews' travel (traffic, time of day); the console's default otherwise. */
  speedModel: SpeedModel.optional(),
});
export type Room = z.infer<typeof Room>;
export type Floor = z.infer<typeof Floor>;
export type Building = z.infer<typeof Building>;
export type School = z.infer<typeof School>;
export type District = z.infer<typeof District>;
export type Device = z.infer<typeof Device>;
export type Crew = z.infer<typeof Crew>;
export type Catalog = z.infer<typeof Catalog>;

// ---- Plan editing ----------------------------------------------------------------------------

/** A device as the plan editor sends it: the school, building and floor come from the URL. */
export const PlanDevice = Device.omit({ schoolId: true, buildingId: true, floorId: true, streams: true, roomId: true });
export type PlanDevice = z.infer<typeof PlanDevice>;

/** PUT /api/plans/<schoolId>/floors/<floorId>: the floor's rooms and devices, replacing what it had. */
export const FloorPlanUpdate = z.strictObject({
  /** The plan version the edit started from; a stale one is refused (someone else saved first). */
  baseVersion: z.number().int().min(0),
  rooms: z.array(Room).max(500),
  devices: z.array(PlanDevice).max(2000),
  /**
   * The background uploaded before (by its id) and where it lies; null removes it; absent keeps
   * what the floor has (a client that edits devices only never drops the drawing).
   */
  background: z.strictObject({ id: BackgroundId, placement: BackgroundPlacement }).nullable().optional(),
});
export type FloorPlanUpdate = z.infer<typeof FloorPlanUpdate>;

/** PUT /api/plans/<schoolId>/floors/<floorId>/background: the image as the backend checked and kept it. */
export const BackgroundUploaded = z.strictObject({
  schoolId: Id,
  id: BackgroundId,
  mediaType: BackgroundMediaType,
  width: z.number().positive().finite(),
  height: z.number().positive().finite(),
  /** What the backend's SVG sanitizer took out, in words. */
  removed: z.array(z.string().max(200)).max(100),
});
export type BackgroundUploaded = z.infer<typeof BackgroundUploaded>;

export const FloorPlanAccepted = z.strictObject({ schoolId: Id, floorId: Id, version: z.number().int().min(1) });
export type FloorPlanAccepted = z.infer<typeof FloorPlanAccepted>;

/** GET /api/plans/<schoolId>: the school (buildings, floors, rooms) and its devices at a version. */
export const SchoolPlan = z.strictObject({
  schoolId: Id,
  version: z.number().int().min(0),
  school: School,
  devices: z.array(Device).max(20_000),
});
export type SchoolPlan = z.infer<typeof SchoolPlan>;
