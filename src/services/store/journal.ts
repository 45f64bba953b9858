// The event journal and the alert projection it feeds. Both are written in one SQLite transaction
// per batch, using the same classifyEvent/applyEvent the renderer uses, so the stored queue and
// the live queue cannot drift apart.
import type Database from 'better-sqlite3';
import { AlertViewSchema, type JournalEntry } from '../../shared/api';
import { applyEvent, classifyEvent, clip, compareAlerts, type AlertView, type EntryStatus } from '../../shared/alerts';
import { createLogger } from '../../shared/log';
import { ConsoleApiError } from '../../shared/result';
import type { EventEnvelope } from '../../shared/protocol';

const log = createLogger('journal');

/** Malformed messages kept per stream for diagnosis; the count stays exact beyond this. */
export const REJECTED_KEEP = 10_000;
const EXCERPT_MAX = 1000;

export interface AppendResult {
  /** Ids of the events that were new to the journal, in the order given. */
  inserted: string[];
  duplicates: number;
  lastContiguousSeq: number;
}

export interface StreamCursor {
  lastContiguousSeq: number;
  rejectedCount: number;
  duplicateCount: number;
}

export interface StoredEvent {
  seq: number;
  id: string;
  type: string;
  status: EntryStatus;
  reason: string | null;
  receivedAt: string;
  /** The event as it arrived. */
  json: string;
}

export interface RejectedMessage {
  reason: string;
  excerpt: string;
  receivedAt: string;
}

export interface Journal {
  /** Journals a batch in one transaction; events already journaled (same id) are counted, not stored again. */
  append(stream: string, receivedAt: string, entries: readonly JournalEntry[]): AppendResult;
  cursor(stream: string): StreamCursor;
  /** After a snapshot reload: everything up to `seq` is now reflected, count contiguity from there. */
  reset(stream: string, seq: number): void;
  recordMalformed(stream: string, reason: string, excerpt: string): { rejectedCount: number };
  /** Journaled events in sequence order, for replay and diagnosis. */
  read(stream: string, options?: { afterSeq?: number; limit?: number }): StoredEvent[];
  rejectedMessages(stream: string, limit?: number): RejectedMessage[];
  /** The latest valid device.status of each device, for the plans' live state at start. */
  deviceStates(stream: string): DeviceState[];
  /**
   * Camera health: the journaled device.status of the given devices received from `receivedFrom`
   * on, plus each device's latest one received before it (its state entering the period).
   */
  deviceHistory(stream: string, deviceIds: readonly string[], receivedFrom: string): DeviceStatusRow[];
  /** Fire linkage: each turnstile's latest unlock, each school's latest count and the passages after the oldest of those counts; in order. */
  evacuation(stream: string): { event: EventEnvelope; receivedAt: string }[];
}

export interface DeviceState {
  deviceId: string;
  status: 'normal' | 'alarm' | 'fault' | 'offline';
  at: string;
  seq: number;
}

export interface DeviceStatusRow {
  deviceId: string;
  seq: number;
  ts: string;
  receivedAt: string;
  status: DeviceState['status'];
}

export interface Alerts {
  /** The stream's alerts in queue order (compareAlerts). */
  /** `period`: alerts raised from `from` (inclusive) to `to` (exclusive), ISO-8601 UTC. */
  list(stream: string, options?: { activeOnly?: boolean; period?: { from: string; to: string } }): AlertView[];
}

type Row<T> = T | undefined;

export function createJournal(db: Database.Database, now: () => string): { journal: Journal; alerts: Alerts } {
  const ensureStream = db.prepare<[string, string]>(
    'INSERT INTO streams (stream, updated_at) VALUES (?, ?) ON CONFLICT (stream) DO NOTHING',
  );
  const selectStream = db.prepare<[string], { last: number; rejected: number; duplicates: number }>(
    'SELECT last_contiguous_seq AS last, rejected_count AS rejected, duplicate_count AS duplicates FROM streams WHERE stream = ?',
  );
  const insertEvent = db.prepare<[string, number, string, string, EntryStatus, string | null, string, string]>(
    `INSERT INTO events (stream, seq, id, type, status, reason, received_at, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (stream, id) DO NOTHING`,
  );
  const hasSeq = db.prepare<[string, number], { one: number }>('SELECT 1 AS one FROM events WHERE stream = ? AND seq = ? LIMIT 1');
  const updateAfterAppend = db.prepare<[number, number, string, string]>(
    'UPDATE streams SET last_contiguous_seq = ?, duplicate_count = duplicate_count + ?, updated_at = ? WHERE stream = ?',
  );
  const setCursor = db.prepare<[number, string, string]>('UPDATE streams SET last_contiguous_seq = ?, updated_at = ? WHERE stream = ?');
  const insertRejected = db.prepare<[string, string, string, string]>(
    'INSERT INTO rejected_messages (stream, reason, excerpt, received_at) VALUES (?, ?, ?, ?)',
  );
  const countRejected = db.prepare<[string, string]>(
    'UPDATE streams SET rejected_count = rejected_count + 1, updated_at = ? WHERE stream = ?',
  );
  // Keeps the newest REJECTED_KEEP rows: a flood of garbage must not grow the file without bound.
  const pruneRejected = db.prepare<[string, string, number]>(
    `DELETE FROM rejected_messages WHERE stream = ? AND id <= (
       SELECT id FROM rejected_messages WHERE stream = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
  );
  const selectRejected = db.prepare<[string, number], RejectedMessage>(
    'SELECT reason, excerpt, received_at AS receivedAt FROM rejected_messages WHERE stream = ? ORDER BY id DESC LIMIT ?',
  );
  const selectEvents = db.prepare<[string, number, number], StoredEvent>(
    `SELECT seq, id, type, status, reason, received_at AS receivedAt, json FROM events
     WHERE stream = ? AND seq > ? ORDER BY seq, rowid LIMIT ?`,
  );
  const selectAlert = db.prepare<[string, string], { json: string }>('SELECT json FROM alerts WHERE stream = ? AND id = ?');
  // Valid events only (status 'ok'), so their payload shape was checked when they were journaled.
  const selectDeviceStates = db.prepare<[string], DeviceState>(
    `SELECT json_extract(json, '$.payload.deviceId') AS deviceId, json_extract(json, '$.payload.status') AS status,
            json_extract(json, '$.ts') AS at, MAX(seq) AS seq
     FROM events WHERE stream = ? AND type = 'device.status' AND status = 'ok'
     GROUP BY json_extract(json, '$.payload.deviceId')`,
  );
  // Both use the partial index events_device_status (migration 0009): the expression and the
  // `type = 'device.status'` term must stay exactly as the index has them.
  const deviceHistoryColumns = `json_extract(json, '$.payload.deviceId') AS deviceId, seq, json_extract(json, '$.ts') AS ts,
            received_at AS receivedAt, json_extract(json, '$.payload.status') AS status`;
  const selectDeviceHistory = db.prepare<[string, string, string], DeviceStatusRow>(
    `SELECT ${deviceHistoryColumns} FROM events
     WHERE stream = ? AND type = 'device.status' AND json_extract(json, '$.payload.deviceId') IN (SELECT value FROM json_each(?))
       AND received_at >= ? AND status = 'ok'`,
  );
  // One seek per device (the index ends in received_at): the latest before the period, not a scan
  // of every status the device ever had. Parameters: device ids (JSON), stream, period start.
  const selectDeviceEntering = db.prepare<[string, string, string], DeviceStatusRow>(
    `SELECT ${deviceHistoryColumns.replace(/json_extract\(json/g, 'json_extract(e.json').replace('seq,', 'e.seq AS seq,').replace('received_at', 'e.received_at')}
     FROM json_each(?) AS d JOIN events AS e ON e.rowid = (
       SELECT rowid FROM events WHERE stream = ? AND type = 'device.status' AND json_extract(json, '$.payload.deviceId') = d.value
         AND received_at < ? AND status = 'ok'
       ORDER BY received_at DESC, rowid DESC LIMIT 1)`,
  );
  type EvacRow = { seq: number; type: string; json: string; receivedAt: string };
  const selectLatestUnlocks = db.prepare<[string], EvacRow>(
    `SELECT MAX(seq) AS seq, type, json, received_at AS receivedAt FROM events
     WHERE stream = ? AND type = 'turnstile.unlock' AND status = 'ok' GROUP BY json_extract(json, '$.payload.deviceId')`,
  );
  const selectLatestCounts = db.prepare<[string], EvacRow>(
    `SELECT MAX(seq) AS seq, type, json, received_at AS receivedAt FROM events
     WHERE stream = ? AND type = 'school.occupancy' AND status = 'ok' GROUP BY json_extract(json, '$.payload.schoolId')`,
  );
  const selectPassagesAfter = db.prepare<[string, number, number], EvacRow>(
    `SELECT seq, type, json, received_at AS receivedAt FROM events
     WHERE stream = ? AND seq > ? AND type = 'turnstile.passage' AND status = 'ok' ORDER BY seq DESC LIMIT ?`,
  );
  const selectAlerts = db.prepare<[string], { json: string }>('SELECT json FROM alerts WHERE stream = ?');
  const selectActiveAlerts = db.prepare<[string], { json: string }>("SELECT json FROM alerts WHERE stream = ? AND status <> 'resolved'");
  // `at` is an ISO-8601 UTC instant (AlertView.at), so text order is time order.
  const selectAlertsBetween = db.prepare<[string, string, string], { json: string }>('SELECT json FROM alerts WHERE stream = ? AND at >= ? AND at < ?');
  const upsertAlert = db.prepare<[string, string, string, number, string, string, string]>(
    `INSERT INTO alerts (stream, id, status, priority, at, json, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (stream, id) DO UPDATE SET status = excluded.status, priority = excluded.priority, at = excluded.at,
       json = excluded.json, updated_at = excluded.updated_at`,
  );

  const loadAlert = (stream: string, id: string): AlertView | undefined => {
    const row: Row<{ json: string }> = selectAlert.get(stream, id);
    return row ? parseAlert(row.json, stream) : undefined;
  };

  const appendTx = db.transaction((stream: string, receivedAt: string, entries: readonly JournalEntry[]): AppendResult => {
    const t = now();
    ensureStream.run(stream, t);
    const alerts = new StoredAlerts((id) => loadAlert(stream, id));
    const changed = new Map<string, AlertView>();
    const inserted: string[] = [];
    const seqs = new Set<number>();
    let duplicates = 0;
    let disagreements = 0;
    for (const entry of entries) {
      // The store re-classifies rather than trusting the caller's status: it owns the durable
      // projection, and classification also applies payload defaults that applyEvent relies on.
      const verdict = classifyEvent(entry.event);
      if (verdict.kind === 'malformed') throw new ConsoleApiError('bad_request', `event ${clip(String(entry.event.id), 130)}: ${verdict.reason}`);
      if (verdict.kind !== entry.status) disagreements++;
      const { event } = verdict;
      const reason = verdict.reason ?? null;
      const res = insertEvent.run(stream, event.seq, event.id, event.type, verdict.kind, reason, receivedAt, JSON.stringify(entry.event));
      if (res.changes === 0) {
        duplicates++;
        continue;
      }
      inserted.push(event.id);
      seqs.add(event.seq);
      const view = applyEvent(alerts, verdict.kind, event, receivedAt, verdict.reason);
      if (view) changed.set(view.id, view);
    }
    for (const view of changed.values()) {
      upsertAlert.run(stream, view.id, view.status, view.priority, view.at, JSON.stringify(view), t);
    }
    let last = selectStream.get(stream)?.last ?? 0;
    while (seqs.has(last + 1) || hasSeq.get(stream, last + 1)) last++;
    updateAfterAppend.run(last, duplicates, t, stream);
    if (disagreements) log.warn('caller classified events differently from the store; the store classification was kept', { stream, disagreements });
    return { inserted, duplicates, lastContiguousSeq: last };
  });

  const resetTx = db.transaction((stream: string, seq: number) => {
    const t = now();
    ensureStream.run(stream, t);
    // Alerts stay: the snapshot's events are appended next, and duplicates of what we have are absorbed.
    setCursor.run(seq, t, stream);
  });

  const recordMalformedTx = db.transaction((stream: string, reason: string, excerpt: string) => {
    const t = now();
    ensureStream.run(stream, t);
    insertRejected.run(stream, clip(reason, 1000), clip(excerpt, EXCERPT_MAX), t);
    countRejected.run(t, stream);
    pruneRejected.run(stream, stream, REJECTED_KEEP);
    return { rejectedCount: selectStream.get(stream)?.rejected ?? 0 };
  });

  const journal: Journal = {
    append(stream, receivedAt, entries) {
      const foreign = entries.find((e) => e.event.stream !== stream);
      if (foreign) {
        throw new ConsoleApiError('bad_request', `event ${foreign.event.id} belongs to stream "${clip(foreign.event.stream, 200)}", not "${clip(stream, 200)}"`);
      }
      // IMMEDIATE takes the write lock up front: a deferred transaction that has to upgrade can fail
      // with SQLITE_BUSY half-way instead of waiting out busy_timeout.
      return appendTx.immediate(stream, receivedAt, entries);
    },
    cursor(stream) {
      const row = selectStream.get(stream);
      return { lastContiguousSeq: row?.last ?? 0, rejectedCount: row?.rejected ?? 0, duplicateCount: row?.duplicates ?? 0 };
    },
    reset(stream, seq) {
      resetTx.immediate(stream, seq);
    },
    recordMalformed(stream, reason, excerpt) {
      return recordMalformedTx.immediate(stream, reason, excerpt);
    },
    read(stream, { afterSeq = 0, limit = 1000 } = {}) {
      return selectEvents.all(stream, afterSeq, limit);
    },
    rejectedMessages(stream, limit = 100) {
      return selectRejected.all(stream, limit);
    },
    deviceStates(stream) {
      return selectDeviceStates.all(stream);
    },
    deviceHistory(stream, deviceIds, receivedFrom) {
      const ids = JSON.stringify(deviceIds);
      return [...selectDeviceEntering.all(ids, stream, receivedFrom), ...selectDeviceHistory.all(stream, ids, receivedFrom)];
    },
    evacuation(stream) {
      const latest = [...selectLatestUnlocks.all(stream), ...selectLatestCounts.all(stream)];
      const counts = latest.filter((r) => r.type === 'school.occupancy');
      const fromSeq = counts.length ? Math.min(...counts.map((r) => r.seq)) : 0;
      const rows = [...latest, ...selectPassagesAfter.all(stream, fromSeq, EVACUATION_PASSAGES_MAX)].sort((a, b) => a.seq - b.seq);
      return rows.map((r) => ({ event: JSON.parse(r.json) as EventEnvelope, receivedAt: r.receivedAt }));
    },
  };

  const alerts: Alerts = {
    list(stream, { activeOnly = false, period } = {}) {
      const rows = period ? selectAlertsBetween.all(stream, period.from, period.to) : (activeOnly ? selectActiveAlerts : selectAlerts).all(stream);
      const views = rows.map((r) => parseAlert(r.json, stream));
      return (period && activeOnly ? views.filter((v) => v.status !== 'resolved') : views).sort(compareAlerts);
    },
  };

  return { journal, alerts };
}

/**
 * The alert map applyEvent works on, backed by the alerts table: rows are loaded on first access,
 * so a batch touches only the alerts its events name instead of loading the whole stream.
 * applyEvent only uses get/has/set, which is all this needs to support.
 */
class StoredAlerts extends Map<string, AlertView> {
  private readonly absent = new Set<string>();
  constructor(private readonly load: (id: string) => AlertView | undefined) {
    super();
  }
  override get(id: string): AlertView | undefined {
    if (!super.has(id) && !this.absent.has(id)) {
      const view = this.load(id);
      if (view) super.set(id, view);
      else this.absent.add(id);
    }
    return super.get(id);
  }
  override has(id: string): boolean {
    return this.get(id) !== undefined;
  }
}

function parseAlert(json: string, stream: string): AlertView {
  // The file on disk is a trust boundary too: a damaged row is reported, not passed on as an alert.
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    value = undefined;
  }
  const parsed = AlertViewSchema.safeParse(value);
  if (!parsed.success) throw new Error(`damaged alert row in stream "${clip(stream, 200)}": ${clip(json, 120)}`);
  return parsed.data;
}

/** Passages restored at start at most (the newest); a count follows every minute anyway. */
const EVACUATION_PASSAGES_MAX = 20_000;
