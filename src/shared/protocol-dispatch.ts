/**
 * The city-backend protocol for police crews, dispatch and telemetry (issues 7 and 8); the rest of
 * the protocol is in protocol.ts, which lists these event types in EVENT_PAYLOADS and these
 * commands in Command.
 *
 * Journaled events (they are facts the incident's record needs):
 *   crew.status@1    a crew's status changed (with where it was)
 *   dispatch.step@1  one step of one crew's dispatch to an incident
 * Telemetry (socket.io 'telemetry', not journaled: the latest value wins, a lost one is replaced
 * within a second):
 *   TelemetryBatch   crews' positions and schools' link throughput, once a second
 */
import { z } from 'zod';
import { Id } from './domain';

export const CREW_STATUSES = ['available', 'dispatched', 'en_route', 'on_scene', 'busy', 'off_duty'] as const;
export const CrewStatus = z.enum(CREW_STATUSES);
export type CrewStatus = z.infer<typeof CrewStatus>;

const Lat = z.number().min(-90).max(90);
const Lon = z.number().min(-180).max(180);
export const LatLonSchema = z.strictObject({ lat: Lat, lon: Lon });

/** crew.status v1 */
export const CrewStatusV1 = z.strictObject({
  crewId: Id,
  status: CrewStatus,
  location: LatLonSchema,
  /** The incident (alert id) the crew works on, while dispatched, en route or on scene. */
  incidentId: Id.optional(),
});
export type CrewStatusV1 = z.infer<typeof CrewStatusV1>;

export const DISPATCH_STEP_STAGES = ['dispatched', 'accepted', 'rejected', 'en_route', 'on_scene', 'cleared', 'cancelled'] as const;

/** dispatch.step v1: the incident id is the alert id the dispatch answers. */
export const DispatchStepV1 = z.strictObject({
  incidentId: Id,
  dispatchId: Id,
  crewId: Id,
  stage: z.enum(DISPATCH_STEP_STAGES),
  /** Who ordered it (dispatched, cancelled by an operator). */
  by: z.strictObject({ id: Id, name: z.string().min(1).max(200) }).optional(),
  commandId: Id.optional(),
  /** Why: a rejection's reason, a cancellation's, or a dispatch made without video confirmation. */
  reason: z.string().max(500).optional(),
  /** Expected arrival, ISO-8601, once en route. */
  eta: z.string().max(40).optional(),
});
export type DispatchStepV1 = z.infer<typeof DispatchStepV1>;

const Mbps = z.number().min(0).max(100_000);

export const LinkTelemetry = z.strictObject({
  schoolId: Id,
  /** What the link delivers now. */
  linkMbps: Mbps,
  channels: z.strictObject({ alarm: Mbps, video: Mbps, education: Mbps }),
});
export type LinkTelemetry = z.infer<typeof LinkTelemetry>;

export const CrewPosition = z.strictObject({ crewId: Id, status: CrewStatus, lat: Lat, lon: Lon });
export type CrewPosition = z.infer<typeof CrewPosition>;

/**
 * socket.io 'telemetry'. Entries are validated one by one by the console (a bad entry is dropped
 * and counted, the rest are used), so the arrays are `unknown` here.
 */
export const TelemetryBatch = z.strictObject({
  /** ISO-8601 time of the sample at the backend. */
  at: z.string().max(40),
  links: z.array(z.unknown()).max(5000).default([]),
  crews: z.array(z.unknown()).max(5000).default([]),
});
export type TelemetryBatch = z.infer<typeof TelemetryBatch>;
