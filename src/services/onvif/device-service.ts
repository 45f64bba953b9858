/**
 * The console's local devices: discovery runs (one at a time, progress pushed, cancellable),
 * device checks with credentials from the vault, and reconciliation against what operators
 * registered. The router's `devices.*` methods are thin calls into this.
 *
 *   const devices = createDeviceService({ store: store.devices, vault, onProgress: (p) => emit('devices.progress', p) });
 *   await devices.discover({ range: '10.2.0.0/24' });
 *   devices.list();   // LocalDeviceView[]
 *
 * Discovery sends packets only when asked; `discoveryDefaults` lets a test host confine it (no
 * multicast from a machine's own namespace).
 */
import type { DeviceAuthMode, DeviceCheck, DiscoveryProgressView, LocalDeviceView } from '../../shared/devices';
import { ConsoleApiError } from '../../shared/result';
import type { DevicesStore } from '../store';
import type { CredentialVault, DeviceCredential } from './credentials';
import { checkDevice } from './device-client';
import { deviceServiceUrl, expandCidr, startDiscovery, type DiscoveryOptions, type DiscoveryRun } from './discovery';

export interface DeviceServiceDeps {
  store: DevicesStore;
  vault: CredentialVault;
  onProgress?: (p: DiscoveryProgressView) => void;
  discoveryDefaults?: Partial<DiscoveryOptions>;
}

export interface DeviceService {
  discover(o: { multicast: boolean; range?: string; interfaces?: string[] }): Promise<{ found: number; rejected: number; errors: string[] }>;
  cancel(): boolean;
  list(): LocalDeviceView[];
  check(o: { key: string; credentialId?: string; credential?: DeviceCredential; remember?: boolean; auth?: DeviceAuthMode }): Promise<{
    check: DeviceCheck;
    persisted: boolean | null;
    vaultReason: string | null;
  }>;
  place(key: string, schoolId: string | null, cameraId: string | null): void;
}

export function createDeviceService(deps: DeviceServiceDeps): DeviceService {
  let running: DiscoveryRun | null = null;
  /** Start of the last completed discovery; devices placed but unseen since are "not answering". */
  let lastRunStarted: string | null = null;
  const checking = new Set<string>();

  return {
    async discover({ multicast, range, interfaces }) {
      if (running) throw new ConsoleApiError('conflict', 'A discovery is already running; cancel it or wait for it to end.');
      if (range) {
        try {
          expandCidr(range);
        } catch (e) {
          throw new ConsoleApiError('bad_request', e instanceof Error ? e.message : String(e));
        }
      }
      const started = new Date().toISOString();
      running = startDiscovery({
        ...deps.discoveryDefaults,
        ...(multicast ? {} : { multicast: false }),
        ...(range !== undefined ? { range } : {}),
        ...(interfaces?.length ? { interfaces } : {}),
        onProgress: (p) => deps.onProgress?.(p),
      });
      try {
        const { devices, rejected, errors } = await running.done;
        for (const d of devices) deps.store.upsertDiscovered(d, deviceServiceUrl(d).url);
        lastRunStarted = started;
        return { found: devices.length, rejected: rejected.length, errors: errors.slice(0, 20).map((e) => e.slice(0, 300)) };
      } finally {
        running = null;
      }
    },
    cancel() {
      if (!running) return false;
      running.cancel();
      return true;
    },
    list() {
      const rows = deps.store.list();
      const placedByEndpoint = new Map<string, string>();
      for (const r of rows) if (r.cameraId && !r.endpoint.startsWith('addr:')) placedByEndpoint.set(r.endpoint, r.address);
      return rows.map((r): LocalDeviceView => {
        let reconciliation: LocalDeviceView['reconciliation'];
        let previousAddress: string | null = null;
        const registeredAt = placedByEndpoint.get(r.endpoint);
        if (r.cameraId) {
          reconciliation = lastRunStarted !== null && r.lastSeen < lastRunStarted ? 'not-answering' : 'registered';
        } else if (registeredAt && registeredAt !== r.address) {
          reconciliation = 'address-changed';
          previousAddress = registeredAt;
        } else {
          reconciliation = 'unregistered';
        }
        return {
          key: r.key,
          address: r.address,
          xaddr: r.xaddr,
          discovered: r.discovered,
          lastCheck: r.lastCheck,
          schoolId: r.schoolId,
          cameraId: r.cameraId,
          firstSeen: r.firstSeen,
          lastSeen: r.lastSeen,
          reconciliation,
          previousAddress,
        };
      });
    },
    async check({ key, credentialId, credential, remember, auth }) {
      const row = deps.store.list().find((r) => r.key === key);
      if (!row) throw new ConsoleApiError('not_found', `No local device ${key}; run a discovery first.`);
      // One check per device at a time: a double click must not cost a second login attempt.
      if (checking.has(key)) throw new ConsoleApiError('conflict', 'This device is being checked already.');
      const id = credentialId ?? key;
      let persisted: boolean | null = null;
      let vaultReason: string | null = null;
      if (credential && remember) {
        const saved = deps.vault.save(id, credential);
        persisted = saved.persisted;
        vaultReason = saved.reason;
      }
      const cred = credential ?? deps.vault.load(id);
      checking.add(key);
      try {
        const result = await checkDevice({ xaddr: row.xaddr, username: cred?.username, password: cred?.password, auth });
        deps.store.saveCheck(key, result);
        return { check: result, persisted, vaultReason };
      } finally {
        checking.delete(key);
      }
    },
    place(key, schoolId, cameraId) {
      if (!deps.store.place(key, schoolId, cameraId)) throw new ConsoleApiError('not_found', `No local device ${key}.`);
    },
  };
}
