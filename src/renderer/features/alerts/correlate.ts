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
export function correlate(order: readonly string[], byId: ReadonlyMap<string, AlertView>, expanded: ReadonlySet<string> = NONE): QueueRow[] {
  const n = order.length;
  // 1. Repeats from one device. Parallel arrays: this runs on every change of the queue's members.
  const rowId: string[] = [];
  const rowMembers: string[][] = [];
  const rowAt: number[] = [];
  const rowLastAt: number[] = [];
  const rowAlert: AlertView[] = [];
  const byDevice = new Map<string, number>();
  for (let k = 0; k < n; k++) {
    const id = order[k]!;
    const a = byId.get(id);
    if (!a) continue;
    const at = timeOf(a);
    if (a.deviceId !== null && a.recognized) {
      const key = `${a.type}|${a.deviceId}`;
      if (!expanded.has(`repeat:${key}`)) {
        const i = byDevice.get(key);
        if (i !== undefined && at - rowLastAt[i]! <= FOLD_WINDOW_MS) {
          rowMembers[i]!.push(id);
          rowLastAt[i] = at;
          continue;
        }
        byDevice.set(key, rowId.length);
      }
    }
    rowId.push(id);
    rowMembers.push([id]);
    rowAt.push(at);
    rowLastAt.push(at);
    rowAlert.push(a);
  }
  const m = rowId.length;

  // 2. Bursts at one school.
  const bucketOf: Array<Bucket | undefined> = new Array<Bucket | undefined>(m);
  const open = new Map<string, Bucket>();
  for (let i = 0; i < m; i++) {
    const a = rowAlert[i]!;
    if (!a.recognized || a.schoolId === null) continue;
    const key = `${a.type}|${a.schoolId}`;
    let b = open.get(key);
    if (!b || rowAt[i]! - b.start > FOLD_WINDOW_MS) {
      b = { start: rowAt[i]!, last: rowAt[i]!, rows: [] };
      open.set(key, b);
    }
    b.rows.push(i);
    if (rowAt[i]! > b.last) b.last = rowAt[i]!;
    bucketOf[i] = b;
  }

  const out: QueueRow[] = [];
  const emitted = new Set<Bucket>();
  for (let i = 0; i < m; i++) {
    const b = bucketOf[i];
    if (b && b.rows.length >= BURST_MIN) {
      if (emitted.has(b)) continue;
      const a = rowAlert[i]!;
      const groupId = `burst:${a.type}|${a.schoolId}|${rowId[b.rows[0]!]!}`;
      if (!expanded.has(groupId)) {
        emitted.add(b);
        const members: string[] = [];
        for (const j of b.rows) for (const id of rowMembers[j]!) members.push(id);
        out.push({ kind: 'burst', id: groupId, type: a.type, schoolId: a.schoolId!, members, spanMs: b.last - b.start });
        continue;
      }
    }
    out.push({ kind: 'alert', id: rowId[i]!, members: rowMembers[i]! });
  }
  return out;
}

const NONE: ReadonlySet<string> = new Set();

// An alert's time never changes; parsing it once per alert keeps a 70,000-alert pass cheap.
const times = new Map<string, { at: string; t: number }>();
function timeOf(a: AlertView): number {
  const hit = times.get(a.id);
  if (hit && hit.at === a.at) return hit.t;
  const t = Date.parse(a.at);
  if (times.size > 500_000) times.clear();
  times.set(a.id, { at: a.at, t });
  return t;
}
