// Live telemetry from the backend's 'telemetry' channel (src/shared/protocol-dispatch.ts): crews'
// positions and schools' link throughput. Not journaled: the latest value wins and a lost batch is
// replaced a second later. Every entry is validated on its own; a bad one is dropped, counted and
// logged once per kind of problem, and the rest of the batch is used.
//
// Links keep a bounded history per school (for the charts) and a LinkMonitor (below budget, since
// when, how far). Updates are coalesced: the store changes at most once per batch.
import { create } from 'zustand';
import { CrewPosition, LinkTelemetry, TelemetryBatch, type CrewStatus } from '../../../shared/protocol-dispatch';
import { fastSafeParse } from '../../../shared/fast-accept';
import { createLogger } from '../../../shared/log';
import { describeIssues } from '../../../shared/result';
import { LinkMonitor, type LinkState } from '../../../shared/school-health';

const log = createLogger('renderer.telemetry');

/** Samples kept per school: 10 minutes at one per second. */
export const LINK_HISTORY = 600;

export interface LinkPoint {
  at: number;
  linkMbps: number;
  alarm: number;
  video: number;
  education: number;
}

export interface SchoolLink {
  /** Oldest first, at most LINK_HISTORY. */
  history: LinkPoint[];
  state: LinkState;
}

export interface CrewLive {
  status: CrewStatus;
  lat: number;
  lon: number;
  at: number;
}

export interface TelemetryStore {
  crews: ReadonlyMap<string, CrewLive>;
  links: ReadonlyMap<string, SchoolLink>;
  /** Time of the last batch applied (epoch ms at the backend). */
  lastAt: number | null;
  rejected: number;
  /** Applies one raw 'telemetry' message; returns how many entries were rejected. */
  apply(raw: unknown): number;
  reset(): void;
}

const monitors = new Map<string, LinkMonitor>();
const warned = new Set<string>();

function warnOnce(kind: string, detail: string): void {
  if (warned.has(kind)) return;
  warned.add(kind);
  log.warn('telemetry entry rejected', { kind, detail });
}

// Validated per entry, hundreds a second: without zod's allocations when an entry is plainly valid.
const parseBatch = fastSafeParse(TelemetryBatch);
const parseCrew = fastSafeParse(CrewPosition);
const parseLink = fastSafeParse(LinkTelemetry);

export const useTelemetryStore = create<TelemetryStore>()((set, get) => ({
  crews: new Map(),
  links: new Map(),
  lastAt: null,
  rejected: 0,
  apply: (raw) => {
    const batch = parseBatch(raw);
    if (!batch.success) {
      warnOnce('batch', describeIssues(batch.error.issues));
      set({ rejected: get().rejected + 1 });
      return 1;
    }
    const at = Date.parse(batch.data.at);
    if (!Number.isFinite(at)) {
      warnOnce('time', `unreadable time ${batch.data.at.slice(0, 40)}`);
      set({ rejected: get().rejected + 1 });
      return 1;
    }
    const last = get().lastAt;
    // A batch older than the one shown (a late delivery after a reconnect) must not move crews back.
    if (last !== null && at < last) return 0;
    let rejected = 0;
    let crews: Map<string, CrewLive> | null = null;
    for (const entry of batch.data.crews) {
      const c = parseCrew(entry);
      if (!c.success) {
        rejected++;
        warnOnce('crew', describeIssues(c.error.issues));
        continue;
      }
      crews ??= new Map(get().crews);
      crews.set(c.data.crewId, { status: c.data.status, lat: c.data.lat, lon: c.data.lon, at });
    }
    let links: Map<string, SchoolLink> | null = null;
    for (const entry of batch.data.links) {
      const l = parseLink(entry);
      if (!l.success) {
        rejected++;
        warnOnce('link', describeIssues(l.error.issues));
        continue;
      }
      links ??= new Map(get().links);
      const { schoolId, linkMbps, channels } = l.data;
      let monitor = monitors.get(schoolId);
      if (!monitor) monitors.set(schoolId, (monitor = new LinkMonitor()));
      const state = monitor.add({ at, linkMbps, channels });
      const previous = links.get(schoolId)?.history ?? [];
      const history = previous.length >= LINK_HISTORY ? previous.slice(previous.length - LINK_HISTORY + 1) : previous.slice();
      history.push({ at, linkMbps, ...channels });
      links.set(schoolId, { history, state });
    }
    set({
      ...(crews ? { crews } : {}),
      ...(links ? { links } : {}),
      lastAt: at,
      ...(rejected ? { rejected: get().rejected + rejected } : {}),
    });
    return rejected;
  },
  reset: () => {
    monitors.clear();
    warned.clear();
    set({ crews: new Map(), links: new Map(), lastAt: null, rejected: 0 });
  },
}));
