// Correlation for the queue's display: repeats of one type from one device within a window fold
// into one row with a count and a timeline; a burst of one type at one school collapses into one
// group row ("12 intrusion alerts, School 87, 5 min"). Grouping is only ever within one alert type,
// hence one priority class, and a group sits where its oldest member would: it never hides or
// outranks a higher priority. The alerts themselves (store, journal, backend) are not merged: every
// member stays its own alert, acknowledged or resolved on its own.
import type { AlertView } from '../../../shared/alerts';

export const FOLD_WINDOW_MS = 5 * 60_000;
/** A school burst needs at least this many rows of one type within the window. */
export const BURST_MIN = 5;

export type QueueRow =
  | { kind: 'alert'; id: string; /** The alert and its folded repeats, oldest first. */ members: readonly string[] }
  | { kind: 'burst'; id: string; type: string; schoolId: string; members: readonly string[]; spanMs: number };

interface Bucket {
  start: number;
  last: number;
  rows: number[];
}

/**
 * Builds the queue's rows from the queue order (priority, then time). `expanded` holds group row
 * ids the operator opened: their members are listed one by one.
 */
export function correlate(order: readonly string[], byId: ReadonlyMap<string, AlertView>, expanded: ReadonlySet<string> = new Set()): QueueRow[] {
  // 1. Repeats from one device.
  const rows: Array<{ id: string; members: string[]; at: number; lastAt: number; alert: AlertView }> = [];
  const byDevice = new Map<string, number>();
  for (const id of order) {
    const a = byId.get(id);
    if (!a) continue;
    const at = Date.parse(a.at);
    if (a.recognized && a.deviceId !== null && !expanded.has(`repeat:${a.type}|${a.deviceId}`)) {
      const key = `${a.type}|${a.deviceId}`;
      const i = byDevice.get(key);
      if (i !== undefined && at - rows[i]!.lastAt <= FOLD_WINDOW_MS) {
        rows[i]!.members.push(id);
        rows[i]!.lastAt = at;
        continue;
      }
      byDevice.set(key, rows.length);
    }
    rows.push({ id, members: [id], at, lastAt: at, alert: a });
  }

  // 2. Bursts at one school.
  const bucketOf = new Array<Bucket | null>(rows.length).fill(null);
  const open = new Map<string, Bucket>();
  rows.forEach((r, i) => {
    const a = r.alert;
    if (!a.recognized || a.schoolId === null) return;
    const key = `${a.type}|${a.schoolId}`;
    let b = open.get(key);
    if (!b || r.at - b.start > FOLD_WINDOW_MS) {
      b = { start: r.at, last: r.at, rows: [] };
      open.set(key, b);
    }
    b.rows.push(i);
    b.last = Math.max(b.last, r.at);
    bucketOf[i] = b;
  });

  const out: QueueRow[] = [];
  const emitted = new Set<Bucket>();
  rows.forEach((r, i) => {
    const b = bucketOf[i];
    if (b && b.rows.length >= BURST_MIN) {
      const groupId = `burst:${r.alert.type}|${r.alert.schoolId}|${rows[b.rows[0]!]!.id}`;
      if (!expanded.has(groupId)) {
        if (emitted.has(b)) return;
        emitted.add(b);
        out.push({ kind: 'burst', id: groupId, type: r.alert.type, schoolId: r.alert.schoolId!, members: b.rows.flatMap((j) => rows[j]!.members), spanMs: b.last - b.start });
        return;
      }
    }
    out.push({ kind: 'alert', id: r.id, members: r.members });
  });
  return out;
}
