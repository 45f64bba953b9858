// Event classification and the alert projection. Pure: the renderer applies it to live events and
// the local store applies the same function when it journals, so both always agree.
import type { z } from 'zod';
import { priorityOf, type AlertStatus, type Priority, type Role } from './domain';
import { fastSafeParse, fastSafeParsers } from './fast-accept';
import { describeIssues } from './result';
import { EVENT_PAYLOADS, EventEnvelope, MAX_TEXT, type FeedbackVerdict, type KnownEventKey, type ResolutionOutcome } from './protocol';

type Payload<K extends KnownEventKey> = z.infer<(typeof EVENT_PAYLOADS)[K]>;

export type EntryStatus = 'ok' | 'unrecognized' | 'rejected';

export type Classified =
  | { kind: 'malformed'; reason: string }
  | { kind: 'ok' | 'unrecognized' | 'rejected'; event: EventEnvelope; reason?: string };

/** A timestamp further than this from the receive time is flagged as wrong. */
export const TIMESTAMP_TOLERANCE_MS = 24 * 3600_000;

const parseEnvelope = fastSafeParse(EventEnvelope);
const parsePayload = fastSafeParsers(EVENT_PAYLOADS);

/**
 * Validates one message from the backend; never throws. A message that is already exactly what
 * its schemas output (the usual case) is taken as it is, without zod's allocations (fast-accept.ts).
 */
export function classifyEvent(raw: unknown): Classified {
  const env = parseEnvelope(raw);
  if (!env.success) return { kind: 'malformed', reason: `invalid event envelope: ${describeIssues(env.error.issues)}` };
  const event = env.data;
  const key = `${event.type}@${event.v}`;
  const parse = Object.hasOwn(parsePayload, key) ? parsePayload[key as KnownEventKey] : undefined;
  if (!parse) return { kind: 'unrecognized', event, reason: `unknown event type or version ${clip(key, 80)}` };
  const payload = parse(event.payload);
  if (!payload.success) return { kind: 'rejected', event, reason: `invalid ${key} payload: ${describeIssues(payload.error.issues)}` };
  return { kind: 'ok', event: payload.data === event.payload ? event : { ...event, payload: payload.data } };
}

export interface AlertView {
  id: string;
  type: string;
  /** False for alert types or event types this console does not know. */
  recognized: boolean;
  priority: Priority;
  status: AlertStatus;
  schoolId: string | null;
  title: string;
  details: string | null;
  cameraIds: string[];
  deviceId: string | null;
  /** The source's timestamp as sent (clipped), and whether it is plausible. */
  sourceTs: string;
  badTimestamp: boolean;
  receivedAt: string;
  /** When the alert happened as far as the console can tell: the source time, or the receive time if that is wrong. */
  at: string;
  ackBy: { id: string; name: string } | null;
  ackAt: string | null;
  drill: boolean;
  lastSeq: number;
  /** The operator who holds the alert (one at a time across all consoles), or null. */
  claimedBy: { id: string; name: string } | null;
  /** 0 = not escalated; raised by each accepted escalate command. */
  escalationLevel: number;
  resolution: { by: { id: string; name: string }; outcome: ResolutionOutcome; note: string; at: string } | null;
  feedback: FeedbackVerdict | null;
  /** Who gave the latest verdict, and when (the dispatcher's video verification). */
  feedbackBy: { by: { id: string; name: string }; at: string } | null;
  /** Notes on the shared incident, oldest first; `to` is the role it was handed to. */
  notes: { by: { id: string; name: string }; at: string; text: string; to: Role | null }[];
  /** The police dispatch steps for this alert, in arrival order (see shared/dispatch.ts foldDispatch). */
  dispatchSteps: DispatchStepView[];
  location: { buildingId: string | null; floorId: string | null; roomId: string | null };
  evidence: { snapshotUrl: string | null; confidence: number | null; watchlist: { listName: string; subject: string; score: number } | null };
}

export interface DispatchStepView {
  dispatchId: string;
  crewId: string;
  stage: 'dispatched' | 'accepted' | 'rejected' | 'en_route' | 'on_scene' | 'cleared' | 'cancelled';
  at: string;
  by: { id: string; name: string } | null;
  reason: string | null;
  eta: string | null;
}

/** Dispatch steps kept per alert: a real incident has a handful; a runaway backend cannot grow a row without bound. */
export const MAX_DISPATCH_STEPS = 200;
/** Notes kept per alert, for the same reason. */
export const MAX_NOTES = 200;

const NO_LOCATION: AlertView['location'] = Object.freeze({ buildingId: null, floorId: null, roomId: null });
const NO_EVIDENCE: AlertView['evidence'] = Object.freeze({ snapshotUrl: null, confidence: null, watchlist: null });
const NO_CAMERAS: string[] = Object.freeze([]) as unknown as string[];
const NO_STEPS: DispatchStepView[] = Object.freeze([]) as unknown as DispatchStepView[];
const NO_NOTES: AlertView['notes'] = Object.freeze([]) as unknown as AlertView['notes'];

/** Fields of a view that a raise does not set (what newView gives them); for views built elsewhere (tests). */
export const WORKFLOW_DEFAULTS = {
  claimedBy: null,
  escalationLevel: 0,
  resolution: null,
  feedback: null,
  feedbackBy: null,
  dispatchSteps: NO_STEPS,
  notes: NO_NOTES,
  location: NO_LOCATION,
  evidence: NO_EVIDENCE,
} as const satisfies Partial<AlertView>;

/**
 * A new view, every field in one literal: the object keeps all its fields inside itself (no
 * second property store), and views share the frozen empty parts. Tens of thousands are live.
 */
function newView(
  id: string,
  type: string,
  priority: Priority,
  schoolId: string | null,
  title: string,
  details: string | null,
  cameraIds: string[],
  deviceId: string | null,
  drill: boolean,
  base: { sourceTs: string; badTimestamp: boolean; receivedAt: string; at: string; lastSeq: number },
  location: AlertView['location'],
  evidence: AlertView['evidence'],
): AlertView {
  return {
    id,
    type,
    recognized: priority !== 0,
    priority,
    status: 'new',
    schoolId,
    title,
    details,
    cameraIds: cameraIds.length === 0 ? NO_CAMERAS : cameraIds,
    deviceId,
    sourceTs: base.sourceTs,
    badTimestamp: base.badTimestamp,
    receivedAt: base.receivedAt,
    at: base.at,
    ackBy: null,
    ackAt: null,
    drill,
    lastSeq: base.lastSeq,
    claimedBy: null,
    escalationLevel: 0,
    resolution: null,
    feedback: null,
    feedbackBy: null,
    notes: NO_NOTES,
    dispatchSteps: NO_STEPS,
    location,
    evidence,
  };
}

/** Still in the active queue: not resolved. */
export function isActive(view: Pick<AlertView, 'status'>): boolean {
  return view.status !== 'resolved';
}

export function clip(text: string, max = MAX_TEXT): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The time in toISOString's form; the same string when it already is (the usual case), so views share it. */
function canonicalTime(ts: string): string {
  const iso = new Date(Date.parse(ts)).toISOString();
  return iso === ts ? ts : iso;
}

function checkTimestamp(ts: string, receivedAt: string): boolean {
  const t = Date.parse(ts);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(ts) || Number.isNaN(t)) return false;
  return Math.abs(t - Date.parse(receivedAt)) <= TIMESTAMP_TOLERANCE_MS;
}

/** The id of the alert an event would create or change (see applyEvent), or null for none. */
export function alertIdOf(status: EntryStatus, event: EventEnvelope): string | null {
  if (status === 'unrecognized' || status === 'rejected') return `${status}:${event.id}`;
  const p = event.payload as { alertId?: unknown } | null;
  return event.type.startsWith('alert.') && typeof p?.alertId === 'string' ? p.alertId : null;
}

/**
 * Applies one journaled event to the alert map. Returns the changed alert, or null when the event
 * does not touch an alert. Idempotent: an event at or below an alert's lastSeq is ignored.
 */
export function applyEvent(
  alerts: Map<string, AlertView>,
  status: EntryStatus,
  event: EventEnvelope,
  receivedAt: string,
  reason?: string,
): AlertView | null {
  const goodTs = checkTimestamp(event.ts, receivedAt);
  const sourceTs = clip(event.ts, 64);
  const base = {
    sourceTs,
    badTimestamp: !goodTs,
    receivedAt,
    at: goodTs ? canonicalTime(sourceTs) : receivedAt,
    lastSeq: event.seq,
  };
  if (status === 'unrecognized' || status === 'rejected') {
    // Never dropped: the operator sees that something arrived that the console could not read.
    const id = `${status}:${event.id}`;
    if (alerts.has(id)) return null;
    const view = newView(id, event.type, 0, event.schoolId ?? null, clip(`${event.type} v${event.v}`, 200), reason ? clip(reason, 500) : null, NO_CAMERAS, null, false, base, NO_LOCATION, NO_EVIDENCE);
    alerts.set(id, view);
    return view;
  }
  if (event.type === 'alert.raised') {
    const p = event.payload as z.infer<(typeof EVENT_PAYLOADS)['alert.raised@1']>;
    const existing = alerts.get(p.alertId);
    if (existing) return null;
    const location = p.buildingId || p.floorId || p.roomId ? { buildingId: p.buildingId ?? null, floorId: p.floorId ?? null, roomId: p.roomId ?? null } : NO_LOCATION;
    const evidence =
      p.snapshotUrl || p.confidence !== undefined || p.watchlistMatch
        ? {
            snapshotUrl: p.snapshotUrl ? clip(p.snapshotUrl, 2000) : null,
            confidence: p.confidence ?? null,
            watchlist: p.watchlistMatch ? { listName: clip(p.watchlistMatch.listName, 200), subject: clip(p.watchlistMatch.subject, 200), score: p.watchlistMatch.score } : null,
          }
        : NO_EVIDENCE;
    const view = newView(p.alertId, p.alertType, priorityOf(p.alertType), p.schoolId, clip(p.title), p.details ? clip(p.details) : null, p.cameraIds, p.deviceId ?? null, p.drill ?? false, base, location, evidence);
    alerts.set(view.id, view);
    return view;
  }
  if (event.type === 'dispatch.step') {
    // Recorded even after the alert is resolved: the crew's clearing belongs to the incident's record.
    const d = event.payload as Payload<'dispatch.step@1'>;
    const existing = alerts.get(d.incidentId);
    if (!existing || existing.lastSeq >= event.seq || existing.dispatchSteps.length >= MAX_DISPATCH_STEPS) return null;
    const step: DispatchStepView = {
      dispatchId: d.dispatchId,
      crewId: d.crewId,
      stage: d.stage,
      at: base.at,
      by: d.by ?? null,
      reason: d.reason ? clip(d.reason, 500) : null,
      eta: d.eta && !Number.isNaN(Date.parse(d.eta)) ? new Date(Date.parse(d.eta)).toISOString() : null,
    };
    const next: AlertView = { ...existing, dispatchSteps: [...existing.dispatchSteps, step], lastSeq: event.seq };
    alerts.set(next.id, next);
    return next;
  }
  // Workflow events: each applies once (seq above the alert's last), never to a resolved alert.
  const p = event.payload as { alertId?: unknown };
  if (typeof p.alertId !== 'string' || !event.type.startsWith('alert.')) return null;
  const existing = alerts.get(p.alertId);
  if (!existing || existing.lastSeq >= event.seq || existing.status === 'resolved') return null;
  let next: AlertView | null = null;
  switch (event.type) {
    case 'alert.acknowledged': {
      const a = event.payload as Payload<'alert.acknowledged@1'>;
      if (existing.status !== 'new') return null;
      next = { ...existing, status: 'acknowledged', ackBy: a.by, ackAt: base.at };
      break;
    }
    case 'alert.claimed':
      next = { ...existing, claimedBy: (event.payload as Payload<'alert.claimed@1'>).by };
      break;
    case 'alert.released':
      next = { ...existing, claimedBy: null };
      break;
    case 'alert.escalated':
      next = { ...existing, escalationLevel: Math.max(existing.escalationLevel, (event.payload as Payload<'alert.escalated@1'>).level) };
      break;
    case 'alert.resolved': {
      const r = event.payload as Payload<'alert.resolved@1'>;
      next = { ...existing, status: 'resolved', claimedBy: null, resolution: { by: r.by, outcome: r.outcome, note: clip(r.note, 2000), at: base.at } };
      break;
    }
    case 'alert.noted': {
      const n = event.payload as Payload<'alert.noted@1'>;
      if (existing.notes.length >= MAX_NOTES) return null;
      next = { ...existing, notes: [...existing.notes, { by: n.by, at: base.at, text: clip(n.text, 2000), to: n.to ?? null }] };
      break;
    }
    case 'alert.feedback': {
      const f = event.payload as Payload<'alert.feedback@1'>;
      next = { ...existing, feedback: f.verdict, feedbackBy: { by: f.by, at: base.at } };
      break;
    }
    default:
      return null;
  }
  next.lastSeq = event.seq;
  alerts.set(next.id, next);
  return next;
}

/**
 * Why an alert is not a readable backend alert: an event of a type or version this console does not
 * know ('unrecognized'), or a known type whose payload failed validation ('rejected'). The ids are
 * the ones applyEvent gives such events.
 */
export function unreadableKind(alert: Pick<AlertView, 'id' | 'recognized'>): 'unrecognized' | 'rejected' | null {
  if (alert.id.startsWith('rejected:')) return 'rejected';
  if (alert.id.startsWith('unrecognized:') || !alert.recognized) return 'unrecognized';
  return null;
}

/** Queue order: priority class (unrecognized right after life-critical), then oldest first. */
export function alertRank(p: Priority): number {
  return p === 0 ? 1.5 : p;
}

// Plain code-unit comparison, not localeCompare: `at` is always toISOString (one length), ids are
// opaque, and the queue sorts tens of thousands of alerts (localeCompare is ~20x slower).
const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

export function compareAlerts(a: AlertView, b: AlertView): number {
  return alertRank(a.priority) - alertRank(b.priority) || cmp(a.at, b.at) || cmp(a.id, b.id);
}

export type KnownKey = KnownEventKey;
