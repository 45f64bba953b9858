/**
 * Local ONVIF devices as the console reports them: what discovery heard and what a device answered
 * when checked. The services build these from untrusted network replies and validate them here
 * before anything else sees them.
 */
import { z } from 'zod';

const Text = z.string().max(256);
const Url = z.string().max(2048);

export const DeviceAuthMode = z.enum(['auto', 'ws-security', 'digest']);
export type DeviceAuthMode = z.infer<typeof DeviceAuthMode>;

export const DeviceProfile = z.strictObject({
  token: Text,
  name: Text,
  videoSourceToken: Text.nullable(),
  encoding: Text.nullable(),
  width: z.number().int().min(0).max(100_000).nullable(),
  height: z.number().int().min(0).max(100_000).nullable(),
  streamUri: Url.nullable(),
  snapshotUri: Url.nullable(),
  /** Why a URI is missing, when it is. */
  problem: Text.nullable(),
});
export type DeviceProfile = z.infer<typeof DeviceProfile>;

export const DeviceCheckState = z.enum(['ok', 'unauthorized', 'timeout', 'unreachable', 'malformed', 'error']);
export type DeviceCheckState = z.infer<typeof DeviceCheckState>;

export const DeviceCheck = z.strictObject({
  xaddr: Url,
  state: DeviceCheckState,
  /** Human-readable cause when state is not ok (English; the UI localises by state). */
  detail: z.string().max(1000).nullable(),
  /** Device clock minus ours, from GetSystemDateAndTime (second resolution); null when unknown. */
  clockSkewMs: z.number().int().nullable(),
  /** Which authentication the device accepted. */
  authUsed: z.enum(['ws-security', 'digest', 'none']).nullable(),
  manufacturer: Text.nullable(),
  model: Text.nullable(),
  firmware: Text.nullable(),
  serial: Text.nullable(),
  hardwareId: Text.nullable(),
  profiles: z.array(DeviceProfile).max(256),
  ptz: z.boolean(),
  elapsedMs: z.number().int().min(0),
});
export type DeviceCheck = z.infer<typeof DeviceCheck>;

export const DiscoveredDevice = z.strictObject({
  /** Endpoint reference address (urn:uuid:...), or `addr:<ip>` when a device sent none. */
  id: Text,
  /** Source address of the reply. */
  address: z.string().max(64),
  xaddrs: z.array(Url).max(16),
  scopes: z.array(z.string().max(512)).max(64),
  types: z.array(Text).max(16),
  /** Problems noticed in what the device sent (no XAddrs, XAddrs on another host, UUID seen elsewhere...). */
  warnings: z.array(z.string().max(300)).max(16),
  via: z.enum(['multicast', 'unicast', 'hello']),
  firstSeen: z.string().max(64),
  lastSeen: z.string().max(64),
  /** Set when a Bye arrived. */
  gone: z.boolean(),
});
export type DiscoveredDevice = z.infer<typeof DiscoveredDevice>;

/** `onvif://www.onvif.org/name/Foo%20Bar` -> `Foo Bar`; scopes carry names, hardware and location. */
export function scopeValue(scopes: readonly string[], key: 'name' | 'hardware' | 'location' | 'type'): string | null {
  const prefix = `onvif://www.onvif.org/${key}/`;
  const hit = scopes.find((s) => s.startsWith(prefix));
  if (hit === undefined) return null;
  try {
    return decodeURIComponent(hit.slice(prefix.length)) || null;
  } catch {
    return hit.slice(prefix.length) || null;
  }
}

/**
 * A local device compared with what operators registered:
 * - `unregistered`: answers, but is not placed on any school's plan / catalog camera
 * - `registered`: placed, and answered the last discovery
 * - `not-answering`: placed, but silent in the last discovery
 * - `address-changed`: its UUID answered from another address than the one it was registered at
 */
export const Reconciliation = z.enum(['unregistered', 'registered', 'not-answering', 'address-changed']);
export type Reconciliation = z.infer<typeof Reconciliation>;

export const LocalDeviceView = z.strictObject({
  key: z.string().max(400),
  address: z.string().max(64),
  xaddr: Url,
  discovered: DiscoveredDevice,
  lastCheck: DeviceCheck.nullable(),
  schoolId: z.string().max(128).nullable(),
  cameraId: z.string().max(128).nullable(),
  firstSeen: z.string().max(64),
  lastSeen: z.string().max(64),
  reconciliation: Reconciliation,
  previousAddress: z.string().max(64).nullable(),
});
export type LocalDeviceView = z.infer<typeof LocalDeviceView>;

export const DiscoveryProgressView = z.strictObject({
  phase: z.enum(['multicast', 'unicast', 'listening', 'done', 'cancelled']),
  probesSent: z.number().int().min(0),
  swept: z.number().int().min(0),
  sweepTotal: z.number().int().min(0),
  found: z.number().int().min(0),
  rejected: z.number().int().min(0),
});
export type DiscoveryProgressView = z.infer<typeof DiscoveryProgressView>;

/** Setting an operator turns on to store device passwords although the vault backend is insecure. */
export const ACCEPT_INSECURE_VAULT_SETTING = 'devices.vault.acceptInsecure';

export const VaultStatusView = z.strictObject({
  persistent: z.boolean(),
  backend: z.string().max(64).nullable(),
  secure: z.boolean(),
  riskAccepted: z.boolean(),
  reason: z.string().max(500).nullable(),
});
export type VaultStatusView = z.infer<typeof VaultStatusView>;

/** A catalog camera with a local device placed on it: what the wall may do with it. */
export const LocalCameraView = z.strictObject({
  cameraId: z.string().max(128),
  schoolId: z.string().max(128).nullable(),
  key: z.string().max(400),
  address: z.string().max(64),
  /** The device answered its last check with a PTZ service. */
  ptz: z.boolean(),
  /** The device gave a stream address: the wall can play it locally when the city link is down. */
  localVideo: z.boolean(),
});
export type LocalCameraView = z.infer<typeof LocalCameraView>;

export const PtzPreset = z.strictObject({ token: z.string().max(64), name: z.string().max(256) });
export type PtzPreset = z.infer<typeof PtzPreset>;
