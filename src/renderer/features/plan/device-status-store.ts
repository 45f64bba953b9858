// Live device states (normal / alarm / fault / offline) from device.status events. Written only by
// the place backend events enter (lib/backend-client.ts); read per device by the plan, so a burst of
// status changes re-renders the devices that changed, not the floor.
import { create } from 'zustand';
import type { DeviceStatusV1, EventEnvelope } from '../../../shared/protocol';

export type DeviceState = DeviceStatusV1['status'];

export interface DeviceStatusStore {
  byId: ReadonlyMap<string, { status: DeviceState; at: string; seq: number }>;
  /** The states journaled before this window started (journal.deviceStates). */
  load(states: readonly { deviceId: string; status: DeviceState; at: string; seq: number }[]): void;
  /** Applies journaled device.status events; older sequence numbers never overwrite newer ones. */
  apply(events: readonly EventEnvelope[]): void;
  reset(): void;
}

export const useDeviceStatusStore = create<DeviceStatusStore>()((set, get) => ({
  byId: new Map(),
  load: (states) => set({ byId: new Map(states.map((s) => [s.deviceId, { status: s.status, at: s.at, seq: s.seq }])) }),
  apply: (events) => {
    let next: Map<string, { status: DeviceState; at: string; seq: number }> | null = null;
    for (const e of events) {
      if (e.type !== 'device.status' || e.v !== 1) continue;
      const p = e.payload as DeviceStatusV1;
      const current = (next ?? get().byId).get(p.deviceId);
      if (current && current.seq >= e.seq) continue;
      next ??= new Map(get().byId);
      next.set(p.deviceId, { status: p.status, at: e.ts, seq: e.seq });
    }
    if (next) set({ byId: next });
  },
  reset: () => set({ byId: new Map() }),
}));

export const selectDeviceState = (id: string) => (s: DeviceStatusStore): DeviceState => s.byId.get(id)?.status ?? 'normal';
