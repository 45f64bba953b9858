// The Cameras tab of a school's health detail (issue 8): one row per camera from three sources,
// each the one that knows the fact. Uptime, stale periods and the outage history come from the
// local journal (console API 'health.cameras'), so they survive restarts and need no backend; the
// live state is the device-status store (the journal's newest word, applied a moment later) with
// a wall tile's own view of a camera it plays (wall/camera-health.ts cameraDot); the last frame is
// what the city's VMS says (CameraFramesV1). Pure, so sorting is tested without a browser.
import type { CameraHealthRow } from '../../../shared/camera-health';
import type { Device } from '../../../shared/protocol';
import type { DeviceStatusEntry } from '../plan/device-status-store';
import { cameraDot, type CameraHealth } from '../wall/camera-health';

export interface CameraRow {
  id: string;
  name: string;
  dot: CameraHealth;
  /** A wall tile plays it now. */
  onWall: boolean;
  /** Null until the journal answered. */
  uptimePct: number | null;
  stalePeriods: number | null;
  staleMs: number | null;
  /** Epoch ms on the backend's clock; null when the backend has none (or did not answer). */
  lastFrameAt: number | null;
  /** Epoch ms the current outage began; null when the camera is not offline. */
  outageSince: number | null;
}

export type CameraSort = 'state' | 'name' | 'uptime' | 'stale' | 'lastFrame' | 'outage';

export interface CameraRowInputs {
  cameras: readonly Pick<Device, 'id' | 'name'>[];
  history: ReadonlyMap<string, CameraHealthRow> | null;
  live(id: string): DeviceStatusEntry | undefined;
  wall: ReadonlyMap<string, CameraHealth>;
  frames: ReadonlyMap<string, number | null> | null;
}

export function cameraRows(input: CameraRowInputs): CameraRow[] {
  return input.cameras.map((c) => {
    const live = input.live(c.id);
    const h = input.history?.get(c.id);
    const watched = input.wall.get(c.id) ?? null;
    const offline = live ? live.status === 'offline' : h?.state === 'offline';
    // The journal's fold knows when the outage began even if it began before this window opened.
    const since = h?.state === 'offline' && h.since ? Date.parse(h.since) : live?.status === 'offline' ? Date.parse(live.at) : NaN;
    return {
      id: c.id,
      name: c.name,
      dot: cameraDot(live?.status ?? h?.state, watched),
      onWall: watched !== null,
      uptimePct: h ? h.uptimePct : null,
      stalePeriods: h ? h.stalePeriods : null,
      staleMs: h ? h.staleMs : null,
      lastFrameAt: input.frames?.get(c.id) ?? null,
      outageSince: offline && Number.isFinite(since) ? since : null,
    };
  });
}

const DOT_RANK: Record<CameraHealth, number> = { offline: 0, stale: 1, live: 2 };
/** Unknown values sort last whichever way. */
const nullable = (a: number | null, b: number | null, dir: 1 | -1) => (a === null ? (b === null ? 0 : 1) : b === null ? -1 : dir * (a - b));

/**
 * `asc` false flips the column's natural order. Natural orders put the worst first: offline before
 * stale before online, lowest uptime, most stale periods, oldest last frame, longest outage.
 */
export function sortCameraRows(rows: readonly CameraRow[], sort: CameraSort, asc = true): CameraRow[] {
  const d: 1 | -1 = asc ? 1 : -1;
  const byName = (a: CameraRow, b: CameraRow) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
  const cmp: Record<CameraSort, (a: CameraRow, b: CameraRow) => number> = {
    state: (a, b) => d * (DOT_RANK[a.dot] - DOT_RANK[b.dot]) || nullable(a.outageSince, b.outageSince, 1) || nullable(a.uptimePct, b.uptimePct, 1),
    name: (a, b) => d * byName(a, b),
    uptime: (a, b) => nullable(a.uptimePct, b.uptimePct, d),
    stale: (a, b) => nullable(a.stalePeriods, b.stalePeriods, (-d) as 1 | -1),
    lastFrame: (a, b) => nullable(a.lastFrameAt, b.lastFrameAt, d),
    outage: (a, b) => nullable(a.outageSince, b.outageSince, d),
  };
  return [...rows].sort((a, b) => cmp[sort](a, b) || byName(a, b));
}
