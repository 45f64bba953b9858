// The duty officer's health board (issue 8): one row per school in scope with its score and the
// parts of it: open alerts by priority and the oldest unhandled, cameras online / stale / offline,
// sensors and turnstiles in fault, the link against its budget. Pure, so scoring, sorting and
// filtering are tested without a browser.
import type { Device, School } from '../../../shared/protocol';
import { healthScore, type HealthParts, type HealthScore, type LinkState } from '../../../shared/school-health';
import { oldestNew, prioritiesOf, type IsNew, type SchoolAlerts } from '../alerts/school-tally';

export interface BoardRow {
  schoolId: string;
  name: string;
  districtId: string;
  score: HealthScore;
  parts: HealthParts;
  /** The link's capacity at the last sample, Mbps; null without telemetry. */
  linkMbps: number | null;
  link: LinkState | null;
}

/** What the board scores of a school's open alerts: recognized ones, drills left out. */
export interface BoardAlerts {
  openByPriority: HealthParts['openByPriority'];
  /** When the oldest of them still unacknowledged was raised (ms since epoch), or null. */
  oldestNew: number | null;
  belowBudget: boolean;
}

/** A school's BoardAlerts from the alert store's tally (school-tally.ts). */
export function boardAlertsOf(s: SchoolAlerts | undefined, isNew: IsNew): BoardAlerts | undefined {
  if (!s) return undefined;
  return { openByPriority: prioritiesOf(s.scored) as HealthParts['openByPriority'], oldestNew: oldestNew(s, isNew), belowBudget: s.scoredNetwork > 0 };
}

export interface BoardInputs {
  schools: readonly School[];
  devicesBySchool: ReadonlyMap<string, readonly Device[]>;
  /** The school's open alerts, counted (boardAlertsOf), not each alert: the board is refreshed every second. */
  alertsAt(schoolId: string): BoardAlerts | undefined;
  deviceState(id: string): 'normal' | 'alarm' | 'fault' | 'offline';
  links: ReadonlyMap<string, { state: LinkState; history: readonly { linkMbps: number }[] }>;
  now: number;
}

const SENSORS = new Set<Device['kind']>(['fire_sensor', 'smoke_sensor', 'alarm_button', 'door']);

export function boardRows(input: BoardInputs): BoardRow[] {
  return input.schools.map((s) => {
    const cameras = { online: 0, stale: 0, offline: 0 };
    let sensorsInFault = 0;
    let turnstilesInFault = 0;
    for (const d of input.devicesBySchool.get(s.id) ?? []) {
      const st = input.deviceState(d.id);
      const bad = st === 'fault' || st === 'offline';
      if (d.kind === 'camera') cameras[st === 'offline' ? 'offline' : st === 'fault' ? 'stale' : 'online']++;
      else if (d.kind === 'turnstile') turnstilesInFault += bad ? 1 : 0;
      else if (SENSORS.has(d.kind)) sensorsInFault += bad ? 1 : 0;
    }
    const o = input.alertsAt(s.id);
    const link = input.links.get(s.id);
    const linkState: HealthParts['link'] = link?.state.state === 'below_budget' || o?.belowBudget ? 'below_budget' : (link?.state.state ?? 'unknown');
    const parts: HealthParts = {
      openByPriority: o?.openByPriority ?? {},
      ...(o?.oldestNew != null ? { oldestUnhandledMs: Math.max(0, input.now - o.oldestNew) } : {}),
      cameras,
      sensorsInFault,
      turnstilesInFault,
      link: linkState,
    };
    return {
      schoolId: s.id,
      name: s.name,
      districtId: s.districtId,
      score: healthScore(parts),
      parts,
      linkMbps: link?.history.at(-1)?.linkMbps ?? null,
      link: link?.state ?? null,
    };
  });
}

export type BoardSort = 'score' | 'name' | 'district' | 'cameras' | 'network';

export interface BoardFilter {
  districtId: string | 'all';
  text: string;
  /** Only schools with something wrong (score below 100). */
  problemsOnly: boolean;
}

export function sortAndFilter(rows: readonly BoardRow[], sort: BoardSort, f: BoardFilter): BoardRow[] {
  const q = f.text.trim().toLowerCase();
  const out = rows.filter((r) => (f.districtId === 'all' || r.districtId === f.districtId) && (q === '' || r.name.toLowerCase().includes(q) || r.schoolId.toLowerCase().includes(q)) && (!f.problemsOnly || r.score.score < 100));
  const byName = (a: BoardRow, b: BoardRow) => a.name.localeCompare(b.name) || a.schoolId.localeCompare(b.schoolId);
  const cmp: Record<BoardSort, (a: BoardRow, b: BoardRow) => number> = {
    score: (a, b) => a.score.score - b.score.score || byName(a, b),
    name: byName,
    district: (a, b) => a.districtId.localeCompare(b.districtId) || a.score.score - b.score.score || byName(a, b),
    cameras: (a, b) => b.parts.cameras.offline - a.parts.cameras.offline || b.parts.cameras.stale - a.parts.cameras.stale || byName(a, b),
    network: (a, b) => (a.linkMbps ?? Infinity) - (b.linkMbps ?? Infinity) || byName(a, b),
  };
  return out.sort(cmp[sort]);
}
