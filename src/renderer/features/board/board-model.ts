// The duty officer's health board (issue 8): one row per school in scope with its score and the
// parts of it: open alerts by priority and the oldest unhandled, cameras online / stale / offline,
// sensors and turnstiles in fault, the link against its budget. Pure, so scoring, sorting and
// filtering are tested without a browser.
import { isActive, type AlertView } from '../../../shared/alerts';
import { NETWORK_ALERT_TYPE } from '../../../shared/domain';
import type { Device, School } from '../../../shared/protocol';
import { healthScore, type HealthParts, type HealthScore, type LinkState } from '../../../shared/school-health';

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

export interface BoardInputs {
  schools: readonly School[];
  devicesBySchool: ReadonlyMap<string, readonly Device[]>;
  alerts: Iterable<AlertView>;
  deviceState(id: string): 'normal' | 'alarm' | 'fault' | 'offline';
  links: ReadonlyMap<string, { state: LinkState; history: readonly { linkMbps: number }[] }>;
  now: number;
}

const SENSORS = new Set<Device['kind']>(['fire_sensor', 'smoke_sensor', 'alarm_button', 'door']);

export function boardRows(input: BoardInputs): BoardRow[] {
  const open = new Map<string, { byPriority: HealthParts['openByPriority']; oldestNew: number | null; belowBudget: boolean }>();
  for (const a of input.alerts) {
    if (!a.schoolId || !isActive(a) || !a.recognized || a.drill) continue;
    let o = open.get(a.schoolId);
    if (!o) open.set(a.schoolId, (o = { byPriority: {}, oldestNew: null, belowBudget: false }));
    const p = a.priority as 1 | 2 | 3 | 4 | 5;
    o.byPriority[p] = (o.byPriority[p] ?? 0) + 1;
    if (a.status === 'new') {
      const at = Date.parse(a.at);
      if (Number.isFinite(at) && (o.oldestNew === null || at < o.oldestNew)) o.oldestNew = at;
    }
    if (a.type === NETWORK_ALERT_TYPE) o.belowBudget = true;
  }
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
    const o = open.get(s.id);
    const link = input.links.get(s.id);
    const linkState: HealthParts['link'] = link?.state.state === 'below_budget' || o?.belowBudget ? 'below_budget' : (link?.state.state ?? 'unknown');
    const parts: HealthParts = {
      openByPriority: o?.byPriority ?? {},
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
