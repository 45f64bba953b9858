// Live device states (normal / alarm / fault / offline) from device.status events. Written only by
// the place backend events enter (lib/backend-client.ts); read per device by the plan, so a burst of
// status changes re-renders the devices that changed, not the floor.
//
// Under a flood (bench:plan: 100 changes a second on a 500-device floor) two things matter: changes
// are applied at most once per animation frame (one store update and one React commit per frame,
// not per event), and the map is updated in place rather than copied per event (a city has ~13,000
// devices). So `byId` keeps its identity: read one device with a selector
// (`s => s.byId.get(id)`; its entry object is replaced when it changes), and depend on `version`
// for whole-map reads (roll-ups).
import { create } from 'zustand';
import type { DeviceStatusV1, EventEnvelope } from '../../../shared/protocol';

export type DeviceState = DeviceStatusV1['status'];
export interface DeviceStatusEntry {
  status: DeviceState;
  at: string;
  seq: number;
}

export interface DeviceStatusStore {
  /** Mutated in place; see `version`. */
  byId: ReadonlyMap<string, DeviceStatusEntry>;
  /** Bumped whenever `byId` changed. */
  version: number;
  /** The states journaled before this window started (journal.deviceStates). Applied at once. */
  load(states: readonly { deviceId: string; status: DeviceState; at: string; seq: number }[]): void;
  /**
   * Applies journaled device.status events at the next animation frame (or within FLUSH_MAX_MS
   * when frames are not running, as in a hidden window); older sequence numbers never overwrite
   * newer ones.
   */
  apply(events: readonly EventEnvelope[]): void;
  /** Applies what is pending now (tests; the frame callback). */
  flush(): void;
  reset(): void;
}

/** Longest a change waits for a frame: hidden windows get no frames, but their roll-ups must move. */
const FLUSH_MAX_MS = 250;

export const useDeviceStatusStore = create<DeviceStatusStore>()((set, get) => {
  const byId = new Map<string, DeviceStatusEntry>();
  let pending = new Map<string, DeviceStatusEntry>();
  let frame: number | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const cancel = () => {
    if (frame !== null) cancelAnimationFrame(frame);
    if (timer !== null) clearTimeout(timer);
    frame = timer = null;
  };
  const flush = () => {
    cancel();
    if (pending.size === 0) return;
    for (const [id, entry] of pending) byId.set(id, entry);
    pending = new Map();
    set((s) => ({ version: s.version + 1 }));
  };
  const schedule = () => {
    if (typeof requestAnimationFrame === 'function' && frame === null) frame = requestAnimationFrame(flush);
    timer ??= setTimeout(flush, FLUSH_MAX_MS);
  };
  return {
    byId,
    version: 0,
    load: (states) => {
      cancel();
      pending = new Map();
      byId.clear();
      for (const s of states) byId.set(s.deviceId, { status: s.status, at: s.at, seq: s.seq });
      set((s) => ({ version: s.version + 1 }));
    },
    apply: (events) => {
      let changed = false;
      for (const e of events) {
        if (e.type !== 'device.status' || e.v !== 1) continue;
        const p = e.payload as DeviceStatusV1;
        const current = pending.get(p.deviceId) ?? byId.get(p.deviceId);
        if (current && current.seq >= e.seq) continue;
        pending.set(p.deviceId, { status: p.status, at: e.ts, seq: e.seq });
        changed = true;
      }
      if (changed) schedule();
    },
    flush,
    reset: () => {
      cancel();
      pending = new Map();
      byId.clear();
      set({ version: get().version + 1 });
    },
  };
});

export const selectDeviceState = (id: string) => (s: DeviceStatusStore): DeviceState => s.byId.get(id)?.status ?? 'normal';
export const selectDeviceEntry = (id: string) => (s: DeviceStatusStore): DeviceStatusEntry | undefined => s.byId.get(id);
