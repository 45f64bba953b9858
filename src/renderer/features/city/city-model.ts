// The city overview's model: a flat projection of lon/lat to kilometres (a city is small enough),
// each school's rolled-up status, and clustering of marks that would overlap on screen.
import { alertRank } from '../../../shared/alerts';
import type { Priority } from '../../../shared/domain';
import { prioritiesOf, type SchoolAlerts } from '../alerts/school-tally';
import type { Device, District, School } from '../../../shared/protocol';
import type { Pt, View } from '../../lib/pan-zoom';

const KM_PER_DEG_LAT = 111.13;

export interface Projection {
  toXY(lon: number, lat: number): Pt;
  /** The inverse of toXY. */
  toLonLat(x: number, y: number): [lon: number, lat: number];
  /** Extent in km of everything projected (districts and schools), from (0, 0). */
  width: number;
  height: number;
}

export function projectCity(districts: readonly District[], schools: readonly School[]): Projection {
  const lons: number[] = [];
  const lats: number[] = [];
  for (const d of districts) {
    for (const [lon, lat] of d.outline ?? []) {
      lons.push(lon);
      lats.push(lat);
    }
  }
  for (const s of schools) {
    lons.push(s.location.lon);
    lats.push(s.location.lat);
  }
  if (lons.length === 0) return { toXY: () => [0, 0], toLonLat: () => [0, 0], width: 1, height: 1 };
  const minLon = Math.min(...lons);
  const maxLat = Math.max(...lats);
  const midLat = (Math.min(...lats) + maxLat) / 2;
  const kmPerDegLon = KM_PER_DEG_LAT * Math.cos((midLat * Math.PI) / 180);
  const toXY = (lon: number, lat: number): Pt => [(lon - minLon) * kmPerDegLon, (maxLat - lat) * KM_PER_DEG_LAT];
  const toLonLat = (x: number, y: number): [number, number] => [minLon + x / kmPerDegLon, maxLat - y / KM_PER_DEG_LAT];
  const [w, h] = toXY(Math.max(...lons), Math.min(...lats));
  return { toXY, toLonLat, width: Math.max(w, 0.1), height: Math.max(h, 0.1) };
}

export interface SchoolStatus {
  open: number;
  /** The highest open priority (lowest rank), or null when nothing is open. */
  worst: Priority | null;
  byPriority: Partial<Record<Priority, number>>;
  camerasOffline: number;
  cameras: number;
  /** People inside (the backend's count and the passages since), or null before the first count. */
  inside: number | null;
  /**
   * The school's link: below budget while a network_below_budget alert is open or the link
   * monitor says so; ok when the monitor says so; unknown without either.
   */
  network: NetworkState;
}

export type NetworkState = 'ok' | 'below_budget' | 'unknown';

/** Each school's status from the open alerts and the device states. */
export function rollUp(
  schools: readonly School[],
  /** The school's active alerts (the alert store's tally: school-tally.ts). */
  alertsAt: (schoolId: string) => SchoolAlerts | undefined,
  camerasBySchool: ReadonlyMap<string, readonly Device[]>,
  deviceState: (id: string) => string,
  insideOf: (schoolId: string) => number | null = () => null,
  linkState: (schoolId: string) => NetworkState = () => 'unknown',
  /** The last roll-up: a school whose status is the same keeps its object (its mark is not drawn again). */
  previous?: ReadonlyMap<string, SchoolStatus>,
): Map<string, SchoolStatus> {
  const out = new Map<string, SchoolStatus>();
  for (const s of schools) {
    const cams = camerasBySchool.get(s.id) ?? [];
    let offline = 0;
    for (const c of cams) if (deviceState(c.id) === 'offline') offline++;
    const open = alertsAt(s.id);
    const before = previous?.get(s.id);
    const byPriority = open?.open ? samePriorities(before?.byPriority, open.byPriority) : NO_PRIORITIES;
    let worst: Priority | null = null;
    for (const p of Object.keys(byPriority).map(Number) as Priority[]) if (worst === null || alertRank(p) < alertRank(worst)) worst = p;
    const next: SchoolStatus = {
      open: open?.open ?? 0,
      worst,
      byPriority,
      camerasOffline: offline,
      cameras: cams.length,
      inside: insideOf(s.id),
      network: open && open.network > 0 ? 'below_budget' : linkState(s.id),
    };
    out.set(s.id, before && sameStatus(before, next) ? before : next);
  }
  return out;
}

/** rollUp, keeping from one call to the next the object of each school whose status did not change. */
export function keepingRollUp(): (...args: Parameters<typeof rollUp>) => Map<string, SchoolStatus> {
  let last: ReadonlyMap<string, SchoolStatus> | undefined;
  return (schools, alertsAt, camerasBySchool, deviceState, insideOf, linkState) => (last = rollUp(schools, alertsAt, camerasBySchool, deviceState, insideOf, linkState, last));
}

const NO_PRIORITIES: Partial<Record<Priority, number>> = Object.freeze({});

/** `before` when it holds the same counts as the tally's `counts`, else the counts as a new record. */
function samePriorities(before: Partial<Record<Priority, number>> | undefined, counts: readonly number[]): Partial<Record<Priority, number>> {
  // The tally counts every priority, so equal counts at each are the same record.
  if (before && counts.every((n, p) => (before[p as Priority] ?? 0) === n)) return before;
  return prioritiesOf(counts);
}

function sameStatus(a: SchoolStatus, b: SchoolStatus): boolean {
  // `worst` follows from byPriority.
  return a.open === b.open && a.byPriority === b.byPriority && a.camerasOffline === b.camerasOffline && a.cameras === b.cameras && a.inside === b.inside && a.network === b.network;
}

export interface Mark {
  id: string;
  x: number;
  y: number;
}

export interface Cluster {
  /** Screen position: the mean of its members. */
  x: number;
  y: number;
  ids: string[];
}

/**
 * Groups marks whose screen positions fall in the same cell of a grid `cellPx` wide. A group of one
 * is drawn as the school itself. Deterministic: the same input gives the same clusters.
 */
export function cluster(marks: readonly Mark[], view: View, cellPx: number): Cluster[] {
  const cells = new Map<string, { sx: number; sy: number; ids: string[] }>();
  for (const m of marks) {
    const sx = view.tx + m.x * view.scale;
    const sy = view.ty + m.y * view.scale;
    const key = `${Math.floor(sx / cellPx)},${Math.floor(sy / cellPx)}`;
    const c = cells.get(key);
    if (c) {
      c.sx += sx;
      c.sy += sy;
      c.ids.push(m.id);
    } else cells.set(key, { sx, sy, ids: [m.id] });
  }
  return [...cells.values()].map((c) => ({ x: c.sx / c.ids.length, y: c.sy / c.ids.length, ids: c.ids }));
}

/** The worst status of a group, for its colour. */
export function worstOf(ids: readonly string[], status: ReadonlyMap<string, SchoolStatus>): Priority | null {
  let worst: Priority | null = null;
  for (const id of ids) {
    const w = status.get(id)?.worst ?? null;
    if (w !== null && (worst === null || alertRank(w) < alertRank(worst))) worst = w;
  }
  return worst;
}

/** A cluster's status: its schools' statuses added up. */
export interface GroupStatus extends Omit<SchoolStatus, 'inside' | 'network'> {
  schools: number;
  /** People inside the schools that were counted; null when none was. */
  inside: number | null;
  /** How many of the schools have a count (the others are not in `inside`). */
  insideCounted: number;
  /** Schools by network state. */
  network: Record<NetworkState, number>;
}

/** Two roll-ups say the same thing (a cluster's mark need not render again). */
export function sameGroup(a: GroupStatus, b: GroupStatus): boolean {
  if (a.schools !== b.schools || a.open !== b.open || a.worst !== b.worst || a.camerasOffline !== b.camerasOffline || a.cameras !== b.cameras) return false;
  if (a.inside !== b.inside || a.insideCounted !== b.insideCounted) return false;
  if (a.network.ok !== b.network.ok || a.network.below_budget !== b.network.below_budget || a.network.unknown !== b.network.unknown) return false;
  return ([1, 2, 3, 4, 5] as const).every((p) => (a.byPriority[p] ?? 0) === (b.byPriority[p] ?? 0));
}

export function rollUpGroup(ids: readonly string[], status: ReadonlyMap<string, SchoolStatus>): GroupStatus {
  const g: GroupStatus = { schools: ids.length, open: 0, worst: null, byPriority: {}, camerasOffline: 0, cameras: 0, inside: null, insideCounted: 0, network: { ok: 0, below_budget: 0, unknown: 0 } };
  for (const id of ids) {
    const s = status.get(id);
    if (!s) {
      g.network.unknown++;
      continue;
    }
    g.open += s.open;
    for (const [p, n] of Object.entries(s.byPriority) as [`${Priority}`, number][]) g.byPriority[Number(p) as Priority] = (g.byPriority[Number(p) as Priority] ?? 0) + n;
    g.camerasOffline += s.camerasOffline;
    g.cameras += s.cameras;
    if (s.inside !== null) {
      g.inside = (g.inside ?? 0) + s.inside;
      g.insideCounted++;
    }
    g.network[s.network]++;
  }
  g.worst = worstOf(ids, status);
  return g;
}

// ---- tiles of a configured tile server (Web Mercator, 256-px tiles) -----------------------------

export interface Tile {
  z: number;
  x: number;
  y: number;
  /** Where it goes in the projection's km coordinates (its corners mapped exactly). */
  box: { x: number; y: number; w: number; h: number };
}

const EARTH_KM = 40_075.016686;
const MAX_TILES = 64;

function lonToTileX(lon: number, n: number): number {
  return ((lon + 180) / 360) * n;
}
function latToTileY(lat: number, n: number): number {
  const r = (lat * Math.PI) / 180;
  return ((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n;
}
function tileXToLon(x: number, n: number): number {
  return (x / n) * 360 - 180;
}
function tileYToLat(y: number, n: number): number {
  return (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI;
}

/**
 * The tiles covering what the view shows, at the zoom whose tiles come closest to 256 screen
 * pixels; at most MAX_TILES (a lower zoom is used rather than flooding the server).
 */
export function visibleTiles(projection: Projection, view: View, screen: { w: number; h: number }): Tile[] {
  const [lonA, latA] = projection.toLonLat(-view.tx / view.scale, -view.ty / view.scale);
  const [lonB, latB] = projection.toLonLat((screen.w - view.tx) / view.scale, (screen.h - view.ty) / view.scale);
  const midLat = (latA + latB) / 2;
  const kmPer256px = 256 / view.scale;
  let z = Math.max(0, Math.min(19, Math.round(Math.log2((EARTH_KM * Math.cos((midLat * Math.PI) / 180)) / kmPer256px))));
  for (; z >= 0; z--) {
    const n = 2 ** z;
    const x0 = Math.max(0, Math.floor(lonToTileX(lonA, n)));
    const x1 = Math.min(n - 1, Math.floor(lonToTileX(lonB, n)));
    const y0 = Math.max(0, Math.floor(latToTileY(latA, n)));
    const y1 = Math.min(n - 1, Math.floor(latToTileY(latB, n)));
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > MAX_TILES) continue;
    const tiles: Tile[] = [];
    for (let ty = y0; ty <= y1; ty++)
      for (let tx = x0; tx <= x1; tx++) {
        const [ax, ay] = projection.toXY(tileXToLon(tx, n), tileYToLat(ty, n));
        const [bx, by] = projection.toXY(tileXToLon(tx + 1, n), tileYToLat(ty + 1, n));
        tiles.push({ z, x: tx, y: ty, box: { x: ax, y: ay, w: bx - ax, h: by - ay } });
      }
    return tiles;
  }
  return [];
}
