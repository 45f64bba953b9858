// Each school's active alerts, counted as alerts enter and leave the queue (store.ts), for the
// overviews that show every school at once (the city map, the school list). They used to count
// every alert in the console once a second: at 70,000 alerts that was 5-15 ms in one task, the
// longest regular task under bench:alerts' stream besides GC (and with a GC in it, a long task).
import { isActive, type AlertView } from '../../../shared/alerts';
import { NETWORK_ALERT_TYPE, type Priority } from '../../../shared/domain';

export interface SchoolAlerts {
  /** Active alerts of the school. */
  open: number;
  /** Active alerts by priority (the index: 0, unrecognized, to 5). */
  byPriority: number[];
  /** Active network_below_budget alerts. */
  network: number;
}

/** Adds (+1) or takes away (-1) an alert; a school with no active alert left has no entry. */
export function countAlert(bySchool: Map<string, SchoolAlerts>, a: AlertView, by: 1 | -1): void {
  if (!a.schoolId) return;
  let s = bySchool.get(a.schoolId);
  if (!s) bySchool.set(a.schoolId, (s = { open: 0, byPriority: [0, 0, 0, 0, 0, 0], network: 0 }));
  s.open += by;
  s.byPriority[a.priority]! += by;
  if (a.type === NETWORK_ALERT_TYPE) s.network += by;
  if (s.open <= 0) bySchool.delete(a.schoolId);
}

/** The tally of a set of alerts, from scratch (the active ones count). */
export function tallyBySchool(alerts: Iterable<AlertView>): Map<string, SchoolAlerts> {
  const out = new Map<string, SchoolAlerts>();
  for (const a of alerts) if (isActive(a)) countAlert(out, a, 1);
  return out;
}

/** The priorities with active alerts, and how many each. */
export function prioritiesOf(s: SchoolAlerts): Partial<Record<Priority, number>> {
  const out: Partial<Record<Priority, number>> = {};
  s.byPriority.forEach((n, p) => {
    if (n > 0) out[p as Priority] = n;
  });
  return out;
}
