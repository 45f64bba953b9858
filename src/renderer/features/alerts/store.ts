// The alert queue's state. Written only by lib/backend-client.ts (the one place events enter) and
// by the operator's selection; the projection itself is src/shared/alerts.ts, shared with the journal.
import { create } from 'zustand';
import { alertIdOf, applyEvent, compareAlerts, isActive, type AlertView, type EntryStatus } from '../../../shared/alerts';
import type { EventEnvelope } from '../../../shared/protocol';
import { countAlert, isNewIn, tallyBySchool, type SchoolAlerts } from './school-tally';

export interface JournaledEntry {
  status: EntryStatus;
  event: EventEnvelope;
  reason?: string;
}

export interface AlertsStore {
  /**
   * Every alert by id. Updated in place by apply (a copy per frame is too costly at tens of
   * thousands of alerts): select `version` to follow changes, or select one alert (byId.get(id)).
   */
  byId: ReadonlyMap<string, AlertView>;
  /** Raised on every change of byId or order. */
  version: number;
  /**
   * Active (unresolved) alert ids in queue order (compareAlerts); resolved ones leave the queue.
   * One array, updated in place by apply (a new copy of 70,000 ids every frame was a third of what
   * the renderer allocated under a flood, in large objects the GC had to promote and free); a new
   * one after load, replace and reset. Select `orderVersion` to follow it, and read it when
   * rendering or in a selector: it is no snapshot to keep (copy it for that).
   */
  order: readonly string[];
  /** Raised whenever `order` changes, in place or replaced. */
  orderVersion: number;
  /**
   * Each school's active alerts (school-tally.ts), updated in place with `order` (orderVersion
   * says when): the overviews read it instead of counting every alert.
   */
  bySchool: ReadonlyMap<string, SchoolAlerts>;
  selectedId: string | null;
  /** The initial state from the journal (alerts.list). */
  load(alerts: readonly AlertView[]): void;
  /** Applies journaled entries in order; returns the alerts that changed. */
  apply(entries: readonly JournaledEntry[], receivedAt: string): AlertView[];
  /** Several journal batches as one store update (one render): see backend-client's frame batching. */
  applyBatches(batches: readonly { entries: readonly JournaledEntry[]; receivedAt: string }[]): AlertView[];
  /** Replaces everything (snapshot resync). */
  replace(alerts: ReadonlyMap<string, AlertView>): void;
  select(id: string | null): void;
  reset(): void;
}

function sortedIds(byId: ReadonlyMap<string, AlertView>): string[] {
  return [...byId.values()].filter(isActive).sort(compareAlerts).map((a) => a.id);
}

/**
 * `order` without `left` and with `added` merged in, in place. O(n + k log n) for k new alerts —
 * never a re-sort of the queue (which cost ~0.5 s at 70,000 alerts) — and no new array: the ids
 * after each insertion point move up in one pass from the back.
 */
function mergeInto(order: string[], left: ReadonlySet<string>, added: AlertView[], byId: ReadonlyMap<string, AlertView>): void {
  if (left.size > 0) {
    let w = 0;
    for (let r = 0; r < order.length; r++) {
      const id = order[r]!;
      if (!left.has(id)) order[w++] = id;
    }
    order.length = w;
  }
  // Sorted in place: orderDiff hands `added` on in queue order.
  added.sort(compareAlerts);
  const n = order.length;
  const k = added.length;
  if (k === 0) return;
  // Where each new alert goes: the first old id whose alert sorts after it (never decreasing).
  const at = new Int32Array(k);
  let from = 0;
  for (let i = 0; i < k; i++) {
    let lo = from;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareAlerts(byId.get(order[mid]!)!, added[i]!) <= 0) lo = mid + 1;
      else hi = mid;
    }
    at[i] = from = lo;
  }
  for (let i = 0; i < k; i++) order.push('');
  // From the back: the old ids at or after at[i] move up by i + 1, the new one goes just below them.
  let end = n;
  for (let i = k - 1; i >= 0; i--) {
    const p = at[i]!;
    for (let r = end - 1; r >= p; r--) order[r + i + 1] = order[r]!;
    order[p + i] = added[i]!.id;
    end = p;
  }
}

// How the order changed in its latest step: queue-rows.ts follows the queue from these steps (what
// entered, what left) instead of regrouping every alert each frame. One slot: a reader that missed
// a step starts again from the whole order.
export interface OrderDiff {
  /** orderVersion before and after the step. */
  from: number;
  to: number;
  /** Ids that left the order. */
  left: ReadonlySet<string>;
  /** The alerts new in the order, in queue order (compareAlerts). */
  added: readonly AlertView[];
}
let lastDiff: OrderDiff | null = null;

/** The order's latest step, if it was a merge (not a load, replace or reset). */
export function orderDiff(): OrderDiff | null {
  return lastDiff;
}

export const useAlertsStore = create<AlertsStore>()((set, get) => ({
  byId: new Map(),
  order: [],
  orderVersion: 0,
  bySchool: new Map(),
  version: 0,
  selectedId: null,
  load: (alerts) => {
    lastDiff = null;
    const byId = new Map(alerts.map((a) => [a.id, a]));
    set((s) => ({ byId, order: sortedIds(byId), orderVersion: s.orderVersion + 1, bySchool: tallyBySchool(byId), version: s.version + 1, selectedId: s.selectedId && byId.has(s.selectedId) ? s.selectedId : null }));
  },
  apply: (entries, receivedAt) => get().applyBatches([{ entries, receivedAt }]),
  applyBatches: (batches) => {
    const prev = get();
    // Updated in place: copying a 70,000-alert map per frame cost more than everything else the
    // queue does (and its garbage, long GC pauses). `version` says when it changed.
    const byId = prev.byId as Map<string, AlertView>;
    const changed: AlertView[] = [];
    // Whether each touched alert was in the queue before these batches (null: did not exist).
    const before = new Map<string, boolean | null>();
    for (const { entries, receivedAt } of batches) {
      for (const e of entries) {
        const id = alertIdOf(e.status, e.event);
        if (id !== null && !before.has(id)) {
          const was = byId.get(id);
          before.set(id, was ? isActive(was) : null);
        }
        const view = applyEvent(byId, e.status, e.event, receivedAt, e.reason);
        if (view) changed.push(view);
      }
    }
    if (changed.length === 0) return changed;
    const added: AlertView[] = [];
    const left = new Set<string>();
    for (const [id, was] of before) {
      const now = byId.get(id);
      if (!now) continue;
      if (was === null && isActive(now)) added.push(now);
      else if (was === true && !isActive(now)) left.add(id);
    }
    // The sort key (priority, time, id) never changes for an existing alert, so only new ones move
    // in, and resolved ones move out.
    if (added.length === 0 && left.size === 0) {
      set({ version: prev.version + 1 });
      return changed;
    }
    mergeInto(prev.order as string[], left, added, byId);
    const bySchool = prev.bySchool as Map<string, SchoolAlerts>;
    const isNew = isNewIn(byId);
    for (const a of added) countAlert(bySchool, a, 1, isNew);
    for (const id of left) countAlert(bySchool, byId.get(id)!, -1, isNew);
    lastDiff = { from: prev.orderVersion, to: prev.orderVersion + 1, left, added };
    set({ orderVersion: prev.orderVersion + 1, version: prev.version + 1 });
    return changed;
  },
  replace: (byId) => {
    lastDiff = null;
    const copy = new Map(byId);
    set((s) => ({ byId: copy, order: sortedIds(copy), orderVersion: s.orderVersion + 1, bySchool: tallyBySchool(copy), version: s.version + 1, selectedId: s.selectedId && copy.has(s.selectedId) ? s.selectedId : null }));
  },
  select: (selectedId) => set({ selectedId }),
  reset: () => {
    lastDiff = null;
    set((s) => ({ byId: new Map(), order: [], orderVersion: s.orderVersion + 1, bySchool: new Map(), version: s.version + 1, selectedId: null }));
  },
}));

/** Alerts the backend knows (and can act on); unrecognized or unreadable messages are local views. */
export function isBackendAlert(view: Pick<AlertView, 'id'>): boolean {
  return !view.id.startsWith('unrecognized:') && !view.id.startsWith('rejected:');
}

// Narrow selectors.
export const selectOrder = (s: AlertsStore) => s.order;
export const selectSelectedId = (s: AlertsStore) => s.selectedId;
export const selectSelected = (s: AlertsStore): AlertView | null => (s.selectedId ? (s.byId.get(s.selectedId) ?? null) : null);

const NO_CAMERAS: readonly string[] = [];
/** The selected alert's cameras, for the wall's alarm pane (issue 3) and the detail panel. */
export const selectSelectedCameraIds = (s: AlertsStore): readonly string[] => (s.selectedId ? (s.byId.get(s.selectedId)?.cameraIds ?? NO_CAMERAS) : NO_CAMERAS);

/** A read-only view of the alert map with its own identity: a new one for every version. */
class AlertMapView implements ReadonlyMap<string, AlertView> {
  constructor(private readonly map: ReadonlyMap<string, AlertView>) {}
  get size(): number {
    return this.map.size;
  }
  get(id: string): AlertView | undefined {
    return this.map.get(id);
  }
  has(id: string): boolean {
    return this.map.has(id);
  }
  forEach(fn: (value: AlertView, key: string, map: ReadonlyMap<string, AlertView>) => void): void {
    this.map.forEach((v, k) => fn(v, k, this));
  }
  entries(): MapIterator<[string, AlertView]> {
    return this.map.entries();
  }
  keys(): MapIterator<string> {
    return this.map.keys();
  }
  values(): MapIterator<AlertView> {
    return this.map.values();
  }
  [Symbol.iterator](): MapIterator<[string, AlertView]> {
    return this.map.entries();
  }
}

let mapView: { version: number; byId: ReadonlyMap<string, AlertView>; view: AlertMapView } | null = null;
/**
 * Every alert, as a map whose identity changes whenever an alert does (byId itself is updated in
 * place): for views that recompute from all alerts (city roll-up, school list, reports), usually
 * throttled. No copy is made.
 */
export const selectAlertMap = (s: AlertsStore): ReadonlyMap<string, AlertView> => {
  if (!mapView || mapView.version !== s.version || mapView.byId !== s.byId) mapView = { version: s.version, byId: s.byId, view: new AlertMapView(s.byId) };
  return mapView.view;
};
