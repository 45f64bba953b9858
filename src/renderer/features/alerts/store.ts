// The alert queue's state. Written only by lib/backend-client.ts (the one place events enter) and
// by the operator's selection; the projection itself is src/shared/alerts.ts, shared with the journal.
import { create } from 'zustand';
import { alertIdOf, applyEvent, compareAlerts, isActive, type AlertView, type EntryStatus } from '../../../shared/alerts';
import type { EventEnvelope } from '../../../shared/protocol';

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
  /** Active (unresolved) alert ids in queue order (compareAlerts); resolved ones leave the queue. */
  order: readonly string[];
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
 * The new order: `prev` without `left`, with `added` merged in. O(n + k log n) for k new alerts —
 * never a re-sort of the queue (which cost ~0.5 s at 70,000 alerts) — and one array of n ids
 * allocated: at 1,000 alerts a second into 70,000, copies of the order were half of everything
 * the renderer allocated (slices and their concatenation), and what made its GC pauses frequent.
 */
function mergeOrder(prev: readonly string[], left: ReadonlySet<string>, added: AlertView[], byId: ReadonlyMap<string, AlertView>): string[] {
  // Sorted in place: orderDiff hands `added` on in queue order.
  added.sort(compareAlerts);
  if (added.length === 0) return prev.filter((id) => !left.has(id));
  const base = left.size > 0 ? prev.filter((id) => !left.has(id)) : prev;
  const out = new Array<string>(base.length + added.length);
  let from = 0;
  let k = 0;
  for (const a of added) {
    // First position in base whose alert sorts after a; the old ids before it are copied over.
    let lo = from;
    let hi = base.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareAlerts(byId.get(base[mid]!)!, a) <= 0) lo = mid + 1;
      else hi = mid;
    }
    while (from < lo) out[k++] = base[from++]!;
    out[k++] = a.id;
  }
  while (from < base.length) out[k++] = base[from++]!;
  return out;
}

// How the latest order the store made differs from the one before it: correlate.ts carries its
// per-alert columns over instead of recomputing them for every alert, every frame. One slot, not a
// map per order: each diff holds its previous order, so a chain of them would keep every order
// the queue ever had.
export interface OrderDiff {
  prev: readonly string[];
  /** Ids of `prev` that are not in the new order. */
  left: ReadonlySet<string>;
  /** The alerts new in the order, in queue order (compareAlerts). */
  added: readonly AlertView[];
}
let lastDiff: (OrderDiff & { order: readonly string[] }) | null = null;

/** How `order` was merged from the order before it, if `order` is the latest the store made. */
export function orderDiff(order: readonly string[]): OrderDiff | null {
  return lastDiff && lastDiff.order === order ? lastDiff : null;
}

export const useAlertsStore = create<AlertsStore>()((set, get) => ({
  byId: new Map(),
  order: [],
  version: 0,
  selectedId: null,
  load: (alerts) => {
    lastDiff = null;
    const byId = new Map(alerts.map((a) => [a.id, a]));
    set((s) => ({ byId, order: sortedIds(byId), version: s.version + 1, selectedId: s.selectedId && byId.has(s.selectedId) ? s.selectedId : null }));
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
    const order = added.length === 0 && left.size === 0 ? prev.order : mergeOrder(prev.order, left, added, byId);
    if (order !== prev.order) lastDiff = { order, prev: prev.order, left, added };
    set({ order, version: prev.version + 1 });
    return changed;
  },
  replace: (byId) => {
    lastDiff = null;
    const copy = new Map(byId);
    set((s) => ({ byId: copy, order: sortedIds(copy), version: s.version + 1, selectedId: s.selectedId && copy.has(s.selectedId) ? s.selectedId : null }));
  },
  select: (selectedId) => set({ selectedId }),
  reset: () => {
    lastDiff = null;
    set((s) => ({ byId: new Map(), order: [], version: s.version + 1, selectedId: null }));
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
