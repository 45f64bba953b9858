// The state of the link to the city backend, written only by lib/backend-client.ts.
import { create } from 'zustand';

export type LinkState = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface LinkStore {
  state: LinkState;
  /** Why the link is not live, as the socket reported it (technical detail, shown secondary). */
  detail: string | null;
  /** The backend said hello on the current session at least once. */
  helloReceived: boolean;
  /** Highest sequence number the backend has announced (hello) or sent. */
  latestSeq: number;
  /**
   * Last contiguous sequence number this window has journaled (and so shown: the view may run a
   * little ahead of the journal, never behind it). The resubscribe cursor.
   */
  appliedSeq: number;
  /** Messages the console could not read at all (journal.recordMalformed). */
  rejectedCount: number;
  /** A snapshot reload is running. */
  resyncing: boolean;
  /** Commands waiting in the outbox for the link to return. */
  outboxWaiting: number;
  /** A sequence gap is being held open, waiting for the missing events (then a resync). */
  gap: boolean;
  setState(state: LinkState, detail?: string | null): void;
  hello(latestSeq: number): void;
  sawSeq(seq: number): void;
  applied(seq: number): void;
  setRejectedCount(count: number): void;
  setResyncing(on: boolean): void;
  setOutboxWaiting(n: number): void;
  setGap(on: boolean): void;
  reset(): void;
}

const initial = {
  state: 'connecting' as LinkState,
  detail: null,
  helloReceived: false,
  latestSeq: 0,
  appliedSeq: 0,
  rejectedCount: 0,
  resyncing: false,
  outboxWaiting: 0,
  gap: false,
};

export const useLinkStore = create<LinkStore>()((set) => ({
  ...initial,
  setState: (state, detail = null) => set((s) => (s.state === state && s.detail === detail ? s : { state, detail })),
  hello: (latestSeq) => set({ helloReceived: true, latestSeq, state: 'live', detail: null }),
  sawSeq: (seq) => set((s) => (seq > s.latestSeq ? { latestSeq: seq } : s)),
  applied: (seq) => set((s) => (s.appliedSeq === seq ? s : { appliedSeq: seq })),
  setRejectedCount: (rejectedCount) => set((s) => (s.rejectedCount === rejectedCount ? s : { rejectedCount })),
  setResyncing: (resyncing) => set({ resyncing }),
  setOutboxWaiting: (outboxWaiting) => set((s) => (s.outboxWaiting === outboxWaiting ? s : { outboxWaiting })),
  setGap: (gap) => set((s) => (s.gap === gap ? s : { gap })),
  reset: () => set(initial),
}));

/** Events the backend has that this window has not journaled yet: "behind by N". */
export const selectBehindBy = (s: LinkStore): number => Math.max(0, s.latestSeq - s.appliedSeq);
