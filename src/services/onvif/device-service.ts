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
 *
 * Catalog cameras map to local devices by placement (devices.place): that mapping gives the wall
 * its PTZ controls and its local streams when the city link is down. PTZ keeps one logged-in
 * session per device (a login per key press would be slow, and a refused login is never retried
 * until the operator checks the device again: cameras lock accounts). A continuous move stops by
 * itself after PTZ_DEADMAN_MS without a renewed move, so a lost key-up or a closed window never
 * leaves a camera turning.
 */
import type { DeviceAuthMode, DeviceCheck, DeviceProfile, DiscoveryProgressView, LocalCameraView, LocalDeviceView } from '../../shared/devices';
import { createLogger } from '../../shared/log';
import { ConsoleApiError } from '../../shared/result';
import type { DevicesStore, LocalDevice } from '../store';
import type { CredentialVault, DeviceCredential } from './credentials';
import { checkDevice, DeviceError, openDevice, SAFE_TOKEN, type OpenDevice } from './device-client';
import { fetchSnapshot } from './snapshot';
import { deviceServiceUrl, expandCidr, startDiscovery, type DiscoveryOptions, type DiscoveryRun } from './discovery';

export interface DeviceServiceDeps {
  store: DevicesStore;
  vault: CredentialVault;
  onProgress?: (p: DiscoveryProgressView) => void;
  discoveryDefaults?: Partial<DiscoveryOptions>;
  /** A continuous move not renewed within this stops by itself; default PTZ_DEADMAN_MS. */
  ptzDeadmanMs?: number;
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
  /** Catalog cameras that have a local device: what the wall may do with them. */
  localCameras(): LocalCameraView[];
  /** The RTSP URI of a catalog camera's local device, with the vault's credentials in it. */
  rtspFor(cameraId: string, variant: 'main' | 'sub'): string;
  snapshot(key: string, profileToken: string): Promise<{ contentType: string; bytes: Buffer }>;
  ptz: {
    move(cameraId: string, v: { pan: number; tilt: number; zoom: number }): Promise<void>;
    stop(cameraId: string): Promise<void>;
    presets(cameraId: string): Promise<{ token: string; name: string }[]>;
    gotoPreset(cameraId: string, presetToken: string): Promise<void>;
  };
  /** Ends PTZ sessions and timers. */
  close(): void;
}

export const PTZ_DEADMAN_MS = 10_000;
const PTZ_IDLE_CLOSE_MS = 60_000;
const log = createLogger('devices');

/** Main: the largest picture with a stream; sub: the smallest. */
export function pickProfile(profiles: readonly DeviceProfile[], variant: 'main' | 'sub'): DeviceProfile | null {
  const usable = profiles.filter((p) => p.streamUri);
  if (usable.length === 0) return null;
  const area = (p: DeviceProfile) => (p.width ?? 0) * (p.height ?? 0);
  return usable.reduce((best, p) => ((variant === 'main' ? area(p) > area(best) : area(p) < area(best)) ? p : best));
}

function withCredentials(uri: string, cred: DeviceCredential | null): string {
  if (!cred) return uri;
  const url = new URL(uri);
  url.username = encodeURIComponent(cred.username);
  url.password = encodeURIComponent(cred.password);
  return url.href;
}

export function createDeviceService(deps: DeviceServiceDeps): DeviceService {
  let running: DiscoveryRun | null = null;
  /** Start of the last completed discovery; devices placed but unseen since are "not answering". */
  let lastRunStarted: string | null = null;
  const checking = new Set<string>();
  /** One PTZ session per device key. */
  const sessions = new Map<string, { device: Promise<OpenDevice>; idle: NodeJS.Timeout | null }>();
  /** Devices whose PTZ login was refused: not tried again until the next check. */
  const refused = new Map<string, string>();
  const deadman = new Map<string, NodeJS.Timeout>();

  const dropSession = (key: string) => {
    const s = sessions.get(key);
    if (!s) return;
    sessions.delete(key);
    if (s.idle) clearTimeout(s.idle);
    s.device.then((d) => d.close()).catch(() => undefined);
  };

  /** The placed device of a catalog camera, checked ok. */
  const deviceOf = (cameraId: string): LocalDevice & { lastCheck: DeviceCheck } => {
    const row = deps.store.list().find((r) => r.cameraId === cameraId);
    if (!row) throw new ConsoleApiError('not_found', `Camera ${cameraId} has no local device.`);
    if (!row.lastCheck || row.lastCheck.state !== 'ok') throw new ConsoleApiError('unavailable', `The local device of camera ${cameraId} has not answered a check; check it in the Devices panel.`);
    return row as LocalDevice & { lastCheck: DeviceCheck };
  };

  const ptzSession = async (cameraId: string): Promise<{ device: OpenDevice; profile: string; key: string }> => {
    const row = deviceOf(cameraId);
    if (!row.lastCheck.ptz) throw new ConsoleApiError('unavailable', 'This camera has no PTZ.');
    const profile = row.lastCheck.profiles[0]?.token;
    if (!profile || !SAFE_TOKEN.test(profile)) throw new ConsoleApiError('unavailable', 'This camera reported no usable media profile.');
    const why = refused.get(row.key);
    if (why) throw new ConsoleApiError('unauthorized', `${why} Check the device again with the right password.`);
    let s = sessions.get(row.key);
    if (!s) {
      const cred = deps.vault.load(row.key);
      s = { device: openDevice({ xaddr: row.xaddr, username: cred?.username, password: cred?.password }), idle: null };
      sessions.set(row.key, s);
    }
    const session = s;
    if (session.idle) clearTimeout(session.idle);
    session.idle = setTimeout(() => dropSession(row.key), PTZ_IDLE_CLOSE_MS);
    try {
      return { device: await session.device, profile, key: row.key };
    } catch (e) {
      dropSession(row.key);
      throw ptzError(row.key, e);
    }
  };

  const ptzError = (key: string, e: unknown): unknown => {
    if (!(e instanceof DeviceError)) return e;
    if (e.kind === 'unauthorized') refused.set(key, 'The camera refused the saved password.');
    if (e.kind !== 'error') dropSession(key);
    return new ConsoleApiError(e.kind === 'unauthorized' ? 'unauthorized' : 'unavailable', e.message);
  };

  const ptzCall = async <T>(cameraId: string, fn: (d: OpenDevice, profile: string) => Promise<T>): Promise<T> => {
    const { device, profile, key } = await ptzSession(cameraId);
    try {
      return await fn(device, profile);
    } catch (e) {
      throw ptzError(key, e);
    }
  };

  const disarm = (cameraId: string) => {
    const t = deadman.get(cameraId);
    if (t) clearTimeout(t);
    deadman.delete(cameraId);
  };

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
      refused.delete(key);
      dropSession(key);
      checking.add(key);
      try {
        const result = await checkDevice({ xaddr: row.xaddr, username: cred?.username, password: cred?.password, auth });
        deps.store.saveCheck(key, result);
        // PTZ, snapshots and local video of this device need the password it just accepted.
        if (credential && !remember && result.state === 'ok') deps.vault.hold(id, credential);
        return { check: result, persisted, vaultReason };
      } finally {
        checking.delete(key);
      }
    },
    place(key, schoolId, cameraId) {
      if (cameraId) {
        const other = deps.store.list().find((r) => r.cameraId === cameraId && r.key !== key);
        if (other) throw new ConsoleApiError('conflict', `Camera ${cameraId} is already the device at ${other.address}; unregister that one first.`);
      }
      if (!deps.store.place(key, schoolId, cameraId)) throw new ConsoleApiError('not_found', `No local device ${key}.`);
      dropSession(key);
    },
    localCameras() {
      return deps.store
        .list()
        .filter((r): r is LocalDevice & { cameraId: string } => r.cameraId !== null)
        .map((r) => {
          const ok = r.lastCheck?.state === 'ok';
          return {
            cameraId: r.cameraId,
            schoolId: r.schoolId,
            key: r.key,
            address: r.address,
            ptz: ok && r.lastCheck!.ptz,
            localVideo: ok && pickProfile(r.lastCheck!.profiles, 'main') !== null,
          };
        });
    },
    rtspFor(cameraId, variant) {
      const row = deviceOf(cameraId);
      const profile = pickProfile(row.lastCheck.profiles, variant);
      if (!profile?.streamUri) throw new ConsoleApiError('unavailable', `The local device of camera ${cameraId} gave no stream address.`);
      return withCredentials(profile.streamUri, deps.vault.load(row.key));
    },
    async snapshot(key, profileToken) {
      const row = deps.store.list().find((r) => r.key === key);
      if (!row) throw new ConsoleApiError('not_found', `No local device ${key}.`);
      const profile = row.lastCheck?.profiles.find((p) => p.token === profileToken);
      if (!profile?.snapshotUri) throw new ConsoleApiError('not_found', 'This profile has no snapshot address; check the device first.');
      const cred = deps.vault.load(key);
      try {
        return await fetchSnapshot({ url: profile.snapshotUri, username: cred?.username, password: cred?.password });
      } catch (e) {
        if (e instanceof DeviceError) throw new ConsoleApiError(e.kind === 'unauthorized' ? 'unauthorized' : 'unavailable', e.message);
        throw e;
      }
    },
    ptz: {
      async move(cameraId, v) {
        await ptzCall(cameraId, (d, profile) => d.ptz.continuousMove(profile, { x: v.pan, y: v.tilt, zoom: v.zoom }));
        disarm(cameraId);
        deadman.set(
          cameraId,
          setTimeout(() => {
            deadman.delete(cameraId);
            log.info('PTZ move not renewed; stopping the camera', { cameraId });
            ptzCall(cameraId, (d, profile) => d.ptz.stop(profile)).catch((e: unknown) => log.warn('PTZ dead-man stop failed', { cameraId, error: String(e) }));
          }, deps.ptzDeadmanMs ?? PTZ_DEADMAN_MS),
        );
      },
      async stop(cameraId) {
        disarm(cameraId);
        await ptzCall(cameraId, (d, profile) => d.ptz.stop(profile));
      },
      presets: (cameraId) => ptzCall(cameraId, (d, profile) => d.ptz.presets(profile)),
      async gotoPreset(cameraId, presetToken) {
        if (!SAFE_TOKEN.test(presetToken)) throw new ConsoleApiError('bad_request', 'Not a preset token.');
        disarm(cameraId);
        await ptzCall(cameraId, (d, profile) => d.ptz.gotoPreset(profile, presetToken));
      },
    },
    close() {
      for (const t of deadman.values()) clearTimeout(t);
      deadman.clear();
      for (const key of [...sessions.keys()]) dropSession(key);
    },
  };
}
