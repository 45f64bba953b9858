// Each school's active alerts, counted as alerts enter and leave the queue (store.ts), for the
// overviews that show every school at once (the city map, the school list, the health board). They
// used to count every alert in the console once a second: at 70,000 alerts that was 5-15 ms in one
// task for the city map (the longest regular task under bench:alerts' stream besides GC, and with a
// GC in it, a long task), and the health board's pass cost 1.7 s a minute.
import { isActive, type AlertView } from '../../../shared/alerts';
import { NETWORK_ALERT_TYPE, type Priority } from '../../../shared/domain';

export interface SchoolAlerts {
  /** Active alerts of the school. */
  open: number;
  /** Active alerts by priority (the index: 0, unrecognized, to 5). */
  byPriority: number[];
  /** Active network_below_budget alerts. */
  network: number;
  /** What the health board scores: active alerts that are recognized and no drill, by priority. */
  scored: number[];
  /** Of those, network_below_budget alerts. */
  scoredNetwork: number;
  /**
   * Of those, the ones that entered the queue unacknowledged: a binary heap by time, in two
   * parallel arrays (no object per alert). An alert is new only until it is acknowledged or
   * resolved, so one that no longer is leaves when it reaches the top (oldestNew), or when the
   * heap has grown past twice the school's scored alerts (countAlert compacts it).
   */
  newAt: number[];
  newIds: string[];
}

/** Whether an alert (by id) is new: active and not acknowledged. */
export type IsNew = (alertId: string) => boolean;

/** IsNew for the alerts of a map by id (the store's). */
export const isNewIn =
  (byId: ReadonlyMap<string, AlertView>): IsNew =>
  (id) =>
    byId.get(id)?.status === 'new';

const isScored = (a: AlertView): boolean => a.recognized && !a.drill;

/**
 * Adds (+1) or takes away (-1) an alert; a school with no active alert left has no entry. `isNew`
 * answers for the alerts as they are now (the heap of new ones is compacted with it).
 */
export function countAlert(bySchool: Map<string, SchoolAlerts>, a: AlertView, by: 1 | -1, isNew: IsNew): void {
  if (!a.schoolId) return;
  let s = bySchool.get(a.schoolId);
  if (!s) bySchool.set(a.schoolId, (s = { open: 0, byPriority: [0, 0, 0, 0, 0, 0], network: 0, scored: [0, 0, 0, 0, 0, 0], scoredNetwork: 0, newAt: [], newIds: [] }));
  s.open += by;
  s.byPriority[a.priority]! += by;
  const network = a.type === NETWORK_ALERT_TYPE;
  if (network) s.network += by;
  if (isScored(a)) {
    s.scored[a.priority]! += by;
    if (network) s.scoredNetwork += by;
    const at = Date.parse(a.at);
    if (by === 1 && a.status === 'new' && Number.isFinite(at)) push(s, at, a.id);
  }
  if (s.open <= 0) bySchool.delete(a.schoolId);
  else if (s.newIds.length > 2 * sum(s.scored) + 64) compact(s, isNew);
}

/** The tally of the alerts of a map by id, from scratch (the active ones count). */
export function tallyBySchool(byId: ReadonlyMap<string, AlertView>): Map<string, SchoolAlerts> {
  const out = new Map<string, SchoolAlerts>();
  const isNew = isNewIn(byId);
  for (const a of byId.values()) if (isActive(a)) countAlert(out, a, 1, isNew);
  return out;
}

/** The priorities with active alerts, and how many each. */
export function prioritiesOf(counts: readonly number[]): Partial<Record<Priority, number>> {
  const out: Partial<Record<Priority, number>> = {};
  counts.forEach((n, p) => {
    if (n > 0) out[p as Priority] = n;
  });
  return out;
}

/**
 * The time (ms) of the school's oldest scored alert that is still new, or null. Drops the alerts
 * on top that no longer are (the answer is the same either way).
 */
export function oldestNew(s: SchoolAlerts, isNew: IsNew): number | null {
  while (s.newIds.length > 0 && !isNew(s.newIds[0]!)) pop(s);
  return s.newIds.length > 0 ? s.newAt[0]! : null;
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

function push(s: SchoolAlerts, at: number, id: string): void {
  let i = s.newAt.length;
  s.newAt.push(at);
  s.newIds.push(id);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (s.newAt[parent]! <= at) break;
    s.newAt[i] = s.newAt[parent]!;
    s.newIds[i] = s.newIds[parent]!;
    i = parent;
  }
  s.newAt[i] = at;
  s.newIds[i] = id;
}

function pop(s: SchoolAlerts): void {
  const at = s.newAt.pop()!;
  const id = s.newIds.pop()!;
  const n = s.newAt.length;
  if (n === 0) return;
  let i = 0;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && s.newAt[child + 1]! < s.newAt[child]!) child++;
    if (s.newAt[child]! >= at) break;
    s.newAt[i] = s.newAt[child]!;
    s.newIds[i] = s.newIds[child]!;
    i = child;
  }
  s.newAt[i] = at;
  s.newIds[i] = id;
}

/** Keeps only the alerts still new, and makes a heap of them again. */
function compact(s: SchoolAlerts, isNew: IsNew): void {
  const at = s.newAt;
  const ids = s.newIds;
  s.newAt = [];
  s.newIds = [];
  for (let i = 0; i < ids.length; i++) if (isNew(ids[i]!)) push(s, at[i]!, ids[i]!);
}
