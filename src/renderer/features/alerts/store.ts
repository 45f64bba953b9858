// The alert queue's state. Written only by lib/backend-client.ts (the one place events enter) and
// by the operator's selection; the projection itself is src/shared/alerts.ts, shared with the journal.
import { create } from 'zustand';
import { applyEvent, compareAlerts, isActive, type AlertView, type EntryStatus } from '../../../shared/alerts';
import type { EventEnvelope } from '../../../shared/protocol';

export interface JournaledEntry {
  status: EntryStatus;
  event: EventEnvelope;
  reason?: string;
}

export interface AlertsStore {
  byId: ReadonlyMap<string, AlertView>;
  /** Active (unresolved) alert ids in queue order (compareAlerts); resolved ones leave the queue. */
  order: readonly string[];
  selectedId: string | null;
  /** The initial state from the journal (alerts.list). */
  load(alerts: readonly AlertView[]): void;
  /** Applies journaled entries in order; returns the alerts that changed. */
  apply(entries: readonly JournaledEntry[], receivedAt: string): AlertView[];
  /** Replaces everything (snapshot resync). */
  replace(alerts: ReadonlyMap<string, AlertView>): void;
  select(id: string | null): void;
  reset(): void;
}

// Beyond this many new alerts in one batch a full sort is cheaper than binary insertion.
const INSERT_LIMIT = 64;

function sortedIds(byId: ReadonlyMap<string, AlertView>): string[] {
  return [...byId.values()].filter(isActive).sort(compareAlerts).map((a) => a.id);
}

function insertSorted(order: string[], byId: ReadonlyMap<string, AlertView>, view: AlertView): void {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareAlerts(byId.get(order[mid]!)!, view) <= 0) lo = mid + 1;
    else hi = mid;
  }
  order.splice(lo, 0, view.id);
}

export const useAlertsStore = create<AlertsStore>()((set, get) => ({
  byId: new Map(),
  order: [],
  selectedId: null,
  load: (alerts) => {
    const byId = new Map(alerts.map((a) => [a.id, a]));
    set((s) => ({ byId, order: sortedIds(byId), selectedId: s.selectedId && byId.has(s.selectedId) ? s.selectedId : null }));
  },
  apply: (entries, receivedAt) => {
    if (entries.length === 0) return [];
    const prev = get();
    const byId = new Map(prev.byId);
    const changed: AlertView[] = [];
    // New to the queue in this batch, once each however many of its events the batch holds.
    const addedIds = new Set<string>();
    const left = new Set<string>();
    for (const e of entries) {
      const view = applyEvent(byId, e.status, e.event, receivedAt, e.reason);
      if (!view) continue;
      changed.push(view);
      const wasActive = prev.byId.has(view.id) ? isActive(prev.byId.get(view.id)!) : false;
      if (!isActive(view)) {
        if (wasActive) left.add(view.id);
      } else if (!prev.byId.has(view.id)) addedIds.add(view.id);
    }
    const added = [...addedIds].map((id) => byId.get(id)!);
    if (changed.length === 0) return changed;
    // The sort key (priority, time, id) never changes for an existing alert, so only new ones move
    // in, and resolved ones move out.
    let order: string[];
    if (added.length === 0 && left.size === 0) order = prev.order as string[];
    else if (added.length > INSERT_LIMIT || left.size > INSERT_LIMIT) order = sortedIds(byId);
    else {
      order = left.size > 0 ? prev.order.filter((id) => !left.has(id)) : [...prev.order];
      for (const a of added) if (isActive(byId.get(a.id)!)) insertSorted(order, byId, a);
    }
    set({ byId, order });
    return changed;
  },
  replace: (byId) => {
    const copy = new Map(byId);
    set((s) => ({ byId: copy, order: sortedIds(copy), selectedId: s.selectedId && copy.has(s.selectedId) ? s.selectedId : null }));
  },
  select: (selectedId) => set({ selectedId }),
  reset: () => set({ byId: new Map(), order: [], selectedId: null }),
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
