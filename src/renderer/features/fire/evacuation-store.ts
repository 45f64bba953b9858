// Fire linkage state: each turnstile's unlock and each school's people inside. Written only by the
// place backend events enter (lib/backend-client.ts), like the device states; read per turnstile and
// per school, so a passage burst re-renders the counts, not the plan.
import { create } from 'zustand';
import type { EventEnvelope } from '../../../shared/protocol';
import { foldHeadcounts, foldUnlocks, type Headcount, type TurnstileUnlock } from './evacuation-fold';

export interface EvacuationStore {
  unlocks: ReadonlyMap<string, TurnstileUnlock>;
  headcounts: ReadonlyMap<string, Headcount>;
  /** Applies journaled events with valid payloads (other types are ignored). */
  apply(events: readonly EventEnvelope[], receivedAt: string): void;
  reset(): void;
}

export const useEvacuationStore = create<EvacuationStore>()((set, get) => ({
  unlocks: new Map(),
  headcounts: new Map(),
  apply: (events, receivedAt) => {
    const s = get();
    const unlocks = foldUnlocks(s.unlocks, events, receivedAt);
    const headcounts = foldHeadcounts(s.headcounts, events, receivedAt);
    if (unlocks || headcounts) set({ ...(unlocks ? { unlocks } : {}), ...(headcounts ? { headcounts } : {}) });
  },
  reset: () => set({ unlocks: new Map(), headcounts: new Map() }),
}));

export const selectUnlock = (deviceId: string) => (s: EvacuationStore): TurnstileUnlock | undefined => s.unlocks.get(deviceId);
export const selectHeadcount = (schoolId: string) => (s: EvacuationStore): Headcount | undefined => s.headcounts.get(schoolId);
/** People inside a school, or null when the backend has not counted it yet. */
export const selectInside = (schoolId: string) => (s: EvacuationStore): number | null => s.headcounts.get(schoolId)?.inside ?? null;
