// The backend's current state as a projection of the log: open alerts (for snapshots and command
// checks) and device statuses (for media and snapshots). Applied to every appended envelope and
// to the whole log on start, so a restarted simulator knows what it knew before.
import { CrewStatusV1, DispatchStepV1 } from '../shared/protocol-dispatch';
import { AlertAcknowledgedV1, AlertRaisedV1, DeviceStatusV1, EVENT_PAYLOADS, SchoolOccupancyV1, TurnstilePassageV1, TurnstileUnlockV1, type EventEnvelope } from '../shared/protocol';
import type { z } from 'zod';

/** Workflow events and the command kind each answers (the log is the source of truth for idempotency). */
const WORKFLOW_EVENTS: Record<string, string> = {
  'alert.claimed': 'alert.claim',
  'alert.released': 'alert.release',
  'alert.escalated': 'alert.escalate',
  'alert.resolved': 'alert.resolve',
  'alert.feedback': 'alert.feedback',
  'alert.noted': 'alert.note',
};

export interface AlertState {
  alertId: string;
  alertType: string;
  /** The school the alert was routed to (envelope schoolId, else payload schoolId). */
  schoolId: string | undefined;
  /** The streams the alert.raised went to: who can see and act on it. */
  streams: Set<string>;
  acknowledged: { by: { id: string; name: string }; commandId: string } | null;
  claimedBy: { id: string; name: string } | null;
  escalationLevel: number;
  resolved: { by: { id: string; name: string }; outcome: string } | null;
  /** Raised as a drill: never dispatches a real crew. */
  drill: boolean;
  /** The latest operator verdict on the detection (alert.feedback). */
  verdict: 'confirmed' | 'false_alarm' | null;
  /** Dispatches to this alert by id: the crew and whether it is still running. */
  dispatches: Map<string, { crewId: string; active: boolean }>;
  /** Per stream, the envelopes that make up this alert's state (raised, then acknowledged). */
  history: Map<string, EventEnvelope[]>;
}

export type DeviceStatus = DeviceStatusV1['status'];

export interface CommandRecord {
  commandId: string;
  kind: string;
  userId: string;
  target: string;
}

export class SimState {
  readonly alerts = new Map<string, AlertState>();
  /** `since`: when the device entered its status (the event's time), for the last-frame times. */
  private readonly devices = new Map<string, { status: DeviceStatus; since: number | null; latest: Map<string, EventEnvelope> }>();
  /** Accepted commands as seen in the log (the log is the source of truth for idempotency). */
  readonly commands = new Map<string, CommandRecord>();
  /** Each crew's last journaled status and position (restored into the fleet on start). */
  readonly crews = new Map<string, CrewStatusV1>();
  /** Per stream: each turnstile's latest unlock event. */
  private readonly unlocks = new Map<string, Map<string, EventEnvelope>>();
  /** Per stream and school: the latest count and the passages since (a snapshot needs both). */
  private readonly headcounts = new Map<string, Map<string, { count: EventEnvelope | null; since: EventEnvelope[] }>>();

  apply(e: EventEnvelope): void {
    if (e.v !== 1) return;
    switch (e.type) {
      case 'alert.raised': {
        const p = AlertRaisedV1.safeParse(e.payload);
        if (!p.success) return;
        let alert = this.alerts.get(p.data.alertId);
        if (!alert) {
          alert = {
            alertId: p.data.alertId,
            alertType: p.data.alertType,
            schoolId: e.schoolId ?? p.data.schoolId,
            streams: new Set(),
            acknowledged: null,
            claimedBy: null,
            escalationLevel: 0,
            resolved: null,
            drill: p.data.drill ?? false,
            verdict: null,
            dispatches: new Map(),
            history: new Map(),
          };
          this.alerts.set(alert.alertId, alert);
        }
        // A second raise of the same id in a stream is a duplicate the console ignores; so do we.
        if (alert.streams.has(e.stream)) return;
        alert.streams.add(e.stream);
        alert.history.set(e.stream, [e]);
        return;
      }
      case 'alert.acknowledged': {
        const p = AlertAcknowledgedV1.safeParse(e.payload);
        if (!p.success) return;
        const alert = this.alerts.get(p.data.alertId);
        if (!alert) return;
        alert.acknowledged ??= { by: p.data.by, commandId: p.data.commandId };
        alert.history.get(e.stream)?.push(e);
        this.commands.set(p.data.commandId, { commandId: p.data.commandId, kind: 'alert.acknowledge', userId: p.data.by.id, target: p.data.alertId });
        return;
      }
      case 'alert.claimed':
      case 'alert.released':
      case 'alert.escalated':
      case 'alert.resolved':
      case 'alert.feedback':
      case 'alert.noted': {
        const schema = (EVENT_PAYLOADS as Record<string, z.ZodType>)[`${e.type}@1`]!;
        const p = schema.safeParse(e.payload);
        if (!p.success) return;
        const data = p.data as { alertId: string; by: { id: string; name: string }; commandId: string; level?: number; outcome?: string };
        const alert = this.alerts.get(data.alertId);
        if (!alert) return;
        // One command's event reaches several streams; change the state once, record every copy.
        const first = !this.commands.has(data.commandId);
        if (first && !alert.resolved) {
          if (e.type === 'alert.claimed') alert.claimedBy = data.by;
          else if (e.type === 'alert.released') alert.claimedBy = null;
          else if (e.type === 'alert.escalated') alert.escalationLevel = Math.max(alert.escalationLevel, data.level ?? 1);
          else if (e.type === 'alert.resolved') {
            alert.resolved = { by: data.by, outcome: data.outcome ?? 'real' };
            alert.claimedBy = null;
          }
        }
        if (e.type === 'alert.feedback') alert.verdict = (data as { verdict?: 'confirmed' | 'false_alarm' }).verdict ?? alert.verdict;
        alert.history.get(e.stream)?.push(e);
        this.commands.set(data.commandId, { commandId: data.commandId, kind: WORKFLOW_EVENTS[e.type]!, userId: data.by.id, target: data.alertId });
        return;
      }
      case 'dispatch.step': {
        const p = DispatchStepV1.safeParse(e.payload);
        if (!p.success) return;
        const alert = this.alerts.get(p.data.incidentId);
        if (!alert) return;
        const d = alert.dispatches.get(p.data.dispatchId) ?? { crewId: p.data.crewId, active: true };
        if (p.data.stage === 'rejected' || p.data.stage === 'cleared' || p.data.stage === 'cancelled') d.active = false;
        alert.dispatches.set(p.data.dispatchId, d);
        alert.history.get(e.stream)?.push(e);
        if (p.data.commandId && p.data.by) {
          const kind = p.data.stage === 'dispatched' ? 'crew.dispatch' : p.data.stage === 'cancelled' ? 'dispatch.cancel' : undefined;
          if (kind) this.commands.set(p.data.commandId, { commandId: p.data.commandId, kind, userId: p.data.by.id, target: alert.alertId });
        }
        return;
      }
      case 'crew.status': {
        const p = CrewStatusV1.safeParse(e.payload);
        if (p.success) this.crews.set(p.data.crewId, p.data);
        return;
      }
      case 'device.status': {
        const p = DeviceStatusV1.safeParse(e.payload);
        if (!p.success) return;
        let device = this.devices.get(p.data.deviceId);
        if (!device) {
          device = { status: 'normal', since: null, latest: new Map() };
          this.devices.set(p.data.deviceId, device);
        }
        // The same status on other streams (city and school) is one change, not a later one.
        if (device.status !== p.data.status || device.since === null) device.since = Date.parse(e.ts);
        device.status = p.data.status;
        device.latest.set(e.stream, e);
        return;
      }
      case 'turnstile.unlock': {
        const p = TurnstileUnlockV1.safeParse(e.payload);
        if (!p.success) return;
        perStream(this.unlocks, e.stream).set(p.data.deviceId, e);
        if (p.data.commandId && p.data.by)
          this.commands.set(p.data.commandId, { commandId: p.data.commandId, kind: 'school.unlock_turnstiles', userId: p.data.by.id, target: `school:${p.data.schoolId}` });
        return;
      }
      case 'school.occupancy':
      case 'turnstile.passage': {
        const p = (e.type === 'school.occupancy' ? SchoolOccupancyV1 : TurnstilePassageV1).safeParse(e.payload);
        if (!p.success) return;
        const schools = perStream(this.headcounts, e.stream);
        const h = schools.get(p.data.schoolId) ?? { count: null, since: [] };
        schools.set(p.data.schoolId, h);
        if (e.type === 'school.occupancy') {
          h.count = e;
          h.since = [];
        } else if (h.since.length < MAX_PASSAGES_KEPT) h.since.push(e);
        return;
      }
      default:
        return;
    }
  }

  deviceStatus(deviceId: string): DeviceStatus {
    return this.devices.get(deviceId)?.status ?? 'normal';
  }

  /** When the device entered its current status (ms), or null when it never reported one. */
  deviceStatusSince(deviceId: string): number | null {
    const since = this.devices.get(deviceId)?.since;
    return since === undefined || !Number.isFinite(since) ? null : since;
  }

  /**
   * The events that make up the current state of a stream, in sequence order: the whole history of
   * every alert (resolved ones too, so a console that reloads learns they are closed), and the latest status of
   * every device that is not `normal`.
   */
  snapshot(stream: string): EventEnvelope[] {
    const out: EventEnvelope[] = [];
    for (const alert of this.alerts.values()) {
      const history = alert.history.get(stream);
      if (history) out.push(...history);
    }
    for (const device of this.devices.values()) {
      if (device.status === 'normal') continue;
      const e = device.latest.get(stream);
      if (e) out.push(e);
    }
    out.push(...(this.unlocks.get(stream)?.values() ?? []));
    for (const h of this.headcounts.get(stream)?.values() ?? []) {
      if (h.count) out.push(h.count);
      out.push(...h.since);
    }
    return out.sort((a, b) => a.seq - b.seq);
  }

  /** True for envelopes the snapshot still needs, so log compaction keeps them. */
  isPinned(e: EventEnvelope): boolean {
    if (e.type === 'alert.raised' || e.type === 'alert.acknowledged' || e.type === 'dispatch.step' || e.type in WORKFLOW_EVENTS) {
      const payload = e.payload as { alertId?: unknown; incidentId?: unknown } | null;
      const alertId = e.type === 'dispatch.step' ? payload?.incidentId : payload?.alertId;
      if (typeof alertId !== 'string') return false;
      return this.alerts.get(alertId)?.history.get(e.stream)?.some((h) => h.seq === e.seq) ?? false;
    }
    if (e.type === 'device.status') {
      const deviceId = (e.payload as { deviceId?: unknown } | null)?.deviceId;
      if (typeof deviceId !== 'string') return false;
      const device = this.devices.get(deviceId);
      return !!device && device.status !== 'normal' && device.latest.get(e.stream)?.seq === e.seq;
    }
    if (e.type === 'turnstile.unlock') {
      const deviceId = (e.payload as { deviceId?: unknown } | null)?.deviceId;
      return typeof deviceId === 'string' && this.unlocks.get(e.stream)?.get(deviceId)?.seq === e.seq;
    }
    if (e.type === 'school.occupancy' || e.type === 'turnstile.passage') {
      const schoolId = (e.payload as { schoolId?: unknown } | null)?.schoolId;
      const h = typeof schoolId === 'string' ? this.headcounts.get(e.stream)?.get(schoolId) : undefined;
      return !!h && (h.count?.seq === e.seq || h.since.some((p) => p.seq === e.seq));
    }
    return false;
  }
}

/** Passages kept per school between two counts (the backend sends a count every minute). */
const MAX_PASSAGES_KEPT = 2000;

function perStream<V>(m: Map<string, Map<string, V>>, stream: string): Map<string, V> {
  let inner = m.get(stream);
  if (!inner) {
    inner = new Map();
    m.set(stream, inner);
  }
  return inner;
}
