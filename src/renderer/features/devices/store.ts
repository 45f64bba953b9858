// Local ONVIF devices as the Devices panel shows them. Filled from the console API (devices.*);
// progress pushes enter in exactly one place, the panel's subscription.
import { create } from 'zustand';
import type { DeviceCheck, DiscoveryProgressView, LocalDeviceView } from '../../../shared/devices';
import { consoleClient } from '../../lib/console-api';

export interface DevicesState {
  open: boolean;
  devices: readonly LocalDeviceView[];
  discovering: boolean;
  progress: DiscoveryProgressView | null;
  /** Summary of the last run. */
  lastRun: { found: number; rejected: number; errors: readonly string[] } | null;
  error: string | null;
  selected: string | null;
  checking: string | null;
  lastCheck: { key: string; check: DeviceCheck; persisted: boolean | null; vaultReason: string | null } | null;
  setOpen(open: boolean): void;
  select(key: string | null): void;
  refresh(): Promise<void>;
  discover(o: { multicast: boolean; range?: string }): Promise<void>;
  cancel(): Promise<void>;
  check(key: string, credential: { username: string; password: string } | null, remember: boolean): Promise<void>;
  onProgress(p: DiscoveryProgressView): void;
  reset(): void;
}

const initial = {
  open: false,
  devices: [],
  discovering: false,
  progress: null,
  lastRun: null,
  error: null,
  selected: null,
  checking: null,
  lastCheck: null,
} satisfies Partial<DevicesState>;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export const useDevicesStore = create<DevicesState>()((set, get) => ({
  ...initial,
  setOpen: (open) => set({ open }),
  select: (selected) => set({ selected }),
  async refresh() {
    try {
      const { devices } = await consoleClient()['devices.list']({});
      set({ devices });
    } catch (e) {
      set({ error: message(e) });
    }
  },
  async discover(o) {
    if (get().discovering) return;
    set({ discovering: true, progress: null, error: null, lastRun: null });
    try {
      const lastRun = await consoleClient()['devices.discover'](o);
      set({ lastRun });
      await get().refresh();
    } catch (e) {
      set({ error: message(e) });
    } finally {
      set({ discovering: false });
    }
  },
  async cancel() {
    try {
      await consoleClient()['devices.cancelDiscovery']({});
    } catch (e) {
      set({ error: message(e) });
    }
  },
  async check(key, credential, remember) {
    if (get().checking) return;
    set({ checking: key, error: null });
    try {
      const result = await consoleClient()['devices.check']({ key, ...(credential ? { credential, remember } : {}) });
      set({ lastCheck: { key, ...result } });
      await get().refresh();
    } catch (e) {
      set({ error: message(e) });
    } finally {
      set({ checking: null });
    }
  },
  onProgress: (progress) => set({ progress }),
  reset: () => set(initial),
}));
