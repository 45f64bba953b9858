// Coverage compliance of every school in scope (issue 8), kept current while a view needs it.
//
//   useCoverageEngine()                                   // in the view that shows compliance
//   useCoverageStore((s) => s.bySchool.get(schoolId))     // one school's Compliance
//
// The geometry (sampling every required room against every camera of its floor) costs ~0.4 s for
// the seeded city on this machine (npm run bench:coverage; up to ~20 ms for the largest school), so
// it is computed room by room in slices of at most SLICE_MS, never in one long task, and cached
// per plan (a plan.updated reload replaces the school's objects in the catalog; that school alone is
// redone). Camera status changes only redo compliance() of the schools whose set of cameras
// not online changed: no geometry. "Online" is normal or alarm; a camera in fault (stale picture) or
// offline does not cover anything now.
import { useEffect } from 'react';
import { create } from 'zustand';
import { CoverageCache, compliance, coverageGeometrySteps, type Compliance, type CoverageGeometry } from '../../../shared/coverage-compliance';
import type { Device, School } from '../../../shared/protocol';
import { useCatalogStore, type CatalogIndex } from '../catalog/store';
import { useDeviceStatusStore } from '../plan/device-status-store';

/** Longest one slice of computation runs before yielding to the UI. */
const SLICE_MS = 8;
/** Status changes are folded into one recompute at most this often. */
const STATUS_REFRESH_MS = 1000;
/** While the first computation runs, partial results are published at most this often. */
const PUBLISH_MS = 300;

export interface CoverageStore {
  /** Compliance per school id; replaced (not mutated) on each publish. */
  bySchool: ReadonlyMap<string, Compliance>;
  /** Schools of the scope not computed yet. */
  pending: number;
  publish(bySchool: ReadonlyMap<string, Compliance>, pending: number): void;
  reset(): void;
}

export const useCoverageStore = create<CoverageStore>()((set) => ({
  bySchool: new Map(),
  pending: 0,
  publish: (bySchool, pending) => set({ bySchool, pending }),
  reset: () => set({ bySchool: new Map(), pending: 0 }),
}));

export function isCameraOnline(id: string): boolean {
  const s = useDeviceStatusStore.getState().byId.get(id)?.status ?? 'normal';
  return s === 'normal' || s === 'alarm';
}

/** The school's cameras not online now, as a key: compliance changes only when this does. */
function offlineKey(cameras: readonly Device[] | undefined): string {
  let key = '';
  for (const c of cameras ?? []) if (!isCameraOnline(c.id)) key += `${c.id}\n`;
  return key;
}

interface Entry {
  geoKey: object;
  offline: string;
  result: Compliance;
}

/** Computes and keeps compliance for the catalog's schools; one per console window. */
class CoverageEngine {
  private readonly cache = new CoverageCache();
  private readonly entries = new Map<string, Entry>();
  private index: CatalogIndex | null = null;
  private queue: string[] = [];
  /** The school whose geometry is being computed across slices. */
  private current: { school: School; devices: readonly Device[]; steps: Generator<void, CoverageGeometry, void> } | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private statusTimer: ReturnType<typeof setTimeout> | null = null;
  private lastPublish = 0;
  private unpublished = false;
  private users = 0;
  private unsubscribe: (() => void)[] = [];

  start(): void {
    if (this.users++ > 0) return;
    this.unsubscribe = [
      useCatalogStore.subscribe((s, prev) => s.index !== prev.index && this.setIndex(s.index)),
      useDeviceStatusStore.subscribe((s, prev) => s.version !== prev.version && this.statusChanged()),
    ];
    this.setIndex(useCatalogStore.getState().index);
  }

  stop(): void {
    if (--this.users > 0) return;
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    this.clearTimers();
  }

  reset(): void {
    this.clearTimers();
    this.entries.clear();
    this.cache.retain(new Set());
    this.index = null;
    this.queue = [];
    this.current = null;
    this.unpublished = false;
  }

  private clearTimers(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.statusTimer !== null) clearTimeout(this.statusTimer);
    this.timer = this.statusTimer = null;
  }

  private setIndex(index: CatalogIndex | null): void {
    this.index = index;
    if (!index) {
      this.reset();
      useCoverageStore.getState().reset();
      return;
    }
    // A school half computed may have been replaced; enqueueAll brings it back.
    this.current = null;
    const ids = new Set(index.schools.keys());
    this.cache.retain(ids);
    for (const id of this.entries.keys()) if (!ids.has(id)) this.entries.delete(id);
    this.enqueueAll();
  }

  private statusChanged(): void {
    if (this.statusTimer !== null || !this.index) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = null;
      this.enqueueAll();
    }, STATUS_REFRESH_MS);
  }

  private enqueueAll(): void {
    if (!this.index) return;
    // Schools not computed yet first (they show nothing), the rest after.
    const ids = this.index.schoolList.map((s) => s.id);
    this.queue = [...ids.filter((id) => !this.entries.has(id)), ...ids.filter((id) => this.entries.has(id))];
    if (this.timer === null) this.timer = setTimeout(() => this.slice(), 0);
  }

  private slice(): void {
    this.timer = null;
    const index = this.index;
    if (!index) return;
    const started = performance.now();
    while ((this.current || this.queue.length > 0) && performance.now() - started < SLICE_MS) {
      let geo: CoverageGeometry | undefined;
      let id: string;
      if (this.current) {
        const { school, devices, steps } = this.current;
        const step = steps.next();
        if (!step.done) continue;
        this.current = null;
        id = school.id;
        geo = this.cache.put(school, devices, step.value);
      } else {
        id = this.queue.shift()!;
        const school = index.schools.get(id);
        if (!school) continue;
        const devices = index.devicesBySchool.get(id) ?? [];
        geo = this.cache.peek(school, devices);
        if (!geo) {
          this.current = { school, devices, steps: coverageGeometrySteps(school, devices) };
          continue;
        }
      }
      const offline = offlineKey(index.camerasBySchool.get(id));
      const old = this.entries.get(id);
      if (old && old.geoKey === geo && old.offline === offline) continue;
      this.entries.set(id, { geoKey: geo, offline, result: compliance(geo, isCameraOnline) });
      this.unpublished = true;
    }
    const pending = index.schoolList.length - this.entries.size;
    const now = performance.now();
    if (this.unpublished && ((!this.current && this.queue.length === 0) || now - this.lastPublish >= PUBLISH_MS)) {
      this.lastPublish = now;
      this.unpublished = false;
      useCoverageStore.getState().publish(new Map([...this.entries].map(([id, e]) => [id, e.result])), pending);
    }
    if (this.current || this.queue.length > 0) this.timer = setTimeout(() => this.slice(), 0);
  }
}

const engine = new CoverageEngine();

/** Keeps compliance computed while the calling component is mounted. */
export function startCoverage(): () => void {
  engine.start();
  return () => engine.stop();
}

export function useCoverageEngine(): void {
  useEffect(() => startCoverage(), []);
}

/** Logout and tests: forget every school's figures. */
export function resetCoverage(): void {
  engine.reset();
  useCoverageStore.getState().reset();
}
