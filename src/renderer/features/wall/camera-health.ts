// What the wall's players last saw of each camera they show (live / stale / offline), for the
// status dots of the camera tree. One entry per watched camera; a dot reads only its own entry
// and the backend's device status of that camera (cameraDot combines the two).
import { create } from 'zustand';
import type { DeviceState } from '../plan/device-status-store';
import type { TileState } from './health';

export type CameraHealth = 'live' | 'stale' | 'offline';

export interface CameraHealthStore {
  byId: ReadonlyMap<string, CameraHealth>;
  report(cameraId: string, state: TileState): void;
  forget(cameraId: string): void;
  reset(): void;
}

export function healthOf(state: TileState): CameraHealth | null {
  if (state === 'live') return 'live';
  if (state === 'stale') return 'stale';
  if (state === 'offline' || state === 'error') return 'offline';
  return null;
}

export const useCameraHealthStore = create<CameraHealthStore>()((set, get) => ({
  byId: new Map(),
  report: (cameraId, state) => {
    const h = healthOf(state);
    if (h === null) return;
    if (get().byId.get(cameraId) === h) return;
    const next = new Map(get().byId);
    next.set(cameraId, h);
    set({ byId: next });
  },
  forget: (cameraId) => {
    if (!get().byId.has(cameraId)) return;
    const next = new Map(get().byId);
    next.delete(cameraId);
    set({ byId: next });
  },
  reset: () => set({ byId: new Map() }),
}));

export const selectCameraHealth = (id: string) => (s: CameraHealthStore) => s.byId.get(id) ?? null;

/**
 * A camera's dot in the tree: the backend calling it offline wins (nothing will play); otherwise
 * what a tile playing it sees now; otherwise the backend's word (a fault is a degraded picture).
 * No device.status yet means normal, as on the plans and the city map.
 */
export function cameraDot(device: DeviceState | undefined, watched: CameraHealth | null): CameraHealth {
  if (device === 'offline') return 'offline';
  if (watched) return watched;
  return device === 'fault' ? 'stale' : 'live';
}
