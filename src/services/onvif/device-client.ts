/**
 * ONVIF device client: the `onvif` package, wrapped so that nothing it does can hang or crash the
 * console.
 *
 *   const check = await checkDevice({ xaddr: 'http://10.1.0.2/onvif/device_service', username, password });
 *   if (check.state === 'unauthorized') show(check.detail, check.clockSkewMs);
 *
 *   const device = await openDevice(target);   // throws DeviceError
 *   await device.ptz.continuousMove(token, { x: 0.5 }); await device.ptz.stop(token); device.close();
 *
 * Why each rule:
 * - every call has a hard deadline: the package's default is 120 s, its idle timer never fires on a
 *   device that trickles bytes, and some paths never call back; at the deadline the sockets of the
 *   device's own agent are destroyed;
 * - a reply larger than MAX_REPLY_BYTES is cut at the socket (the package buffers without limit);
 * - credentials are confirmed with GetDeviceInformation, which needs them: the package's connect()
 *   "succeeds" with zero profiles and a warning when the password is wrong;
 * - every URI is asked with an explicit profile token (the package otherwise uses its "active source");
 * - the `autoconnect` of the package is off, so nothing is sent until asked;
 * - one check per call: this module never tries a password on more than the one device it is given
 *   (Hikvision locks an account after a few failures), and never retries a failed login.
 */
import { Agent, type AgentOptions } from 'node:http';
import type { Duplex } from 'node:stream';
import { Cam } from 'onvif';
import { DeviceCheck, type DeviceAuthMode, type DeviceProfile } from '../../shared/devices';
import { createLogger } from '../../shared/log';

const log = createLogger('onvif');

export const DEFAULT_CALL_DEADLINE_MS = 5_000;
export const MAX_REPLY_BYTES = 2 * 1024 * 1024;
const MAX_PROFILES = 64;

export interface DeviceTarget {
  /** Device service address, e.g. http://10.1.0.2/onvif/device_service. */
  xaddr: string;
  username?: string;
  password?: string;
  auth?: DeviceAuthMode;
  /** Deadline of each call, ms. */
  deadlineMs?: number;
}

export type DeviceErrorKind = 'unauthorized' | 'timeout' | 'unreachable' | 'malformed' | 'error';

export class DeviceError extends Error {
  constructor(
    readonly kind: DeviceErrorKind,
    message: string,
    readonly clockSkewMs: number | null = null,
  ) {
    super(message);
    this.name = 'DeviceError';
  }
}

/** An http.Agent that cuts any connection once it has received more than `maxBytes`. */
class BoundedAgent extends Agent {
  constructor(
    private readonly maxBytes: number,
    options: AgentOptions,
  ) {
    super(options);
  }
  override createConnection(...args: Parameters<Agent['createConnection']>): Duplex {
    const socket = super.createConnection(...args) as Duplex;
    let received = 0;
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > this.maxBytes) socket.destroy(new Error(`reply larger than ${this.maxBytes} bytes`));
    });
    return socket;
  }
}

type Callback<T> = (err: Error | null, value?: T, xml?: string) => void;

export interface OpenDevice {
  readonly xaddr: string;
  readonly clockSkewMs: number | null;
  readonly authUsed: 'ws-security' | 'digest' | 'none';
  readonly hasPtz: boolean;
  info(): Promise<Pick<DeviceCheck, 'manufacturer' | 'model' | 'firmware' | 'serial' | 'hardwareId'>>;
  profiles(): Promise<DeviceProfile[]>;
  streamUri(profileToken: string): Promise<string>;
  snapshotUri(profileToken: string): Promise<string>;
  ptz: {
    continuousMove(profileToken: string, v: { x?: number; y?: number; zoom?: number }): Promise<void>;
    stop(profileToken: string): Promise<void>;
    presets(profileToken: string): Promise<{ token: string; name: string }[]>;
    gotoPreset(profileToken: string, presetToken: string): Promise<void>;
  };
  close(): void;
}

/** Connect, measure the clock, confirm the credentials. Throws DeviceError. */
export async function openDevice(target: DeviceTarget): Promise<OpenDevice> {
  const url = parseXaddr(target.xaddr);
  const deadline = target.deadlineMs ?? DEFAULT_CALL_DEADLINE_MS;
  const agent = new BoundedAgent(MAX_REPLY_BYTES, { keepAlive: false, maxSockets: 4 });
  const cam = new Cam({
    hostname: url.hostname,
    port: Number(url.port) || 80,
    path: url.pathname || '/onvif/device_service',
    username: target.username || undefined,
    password: target.password || undefined,
    useWSSecurity: target.auth !== 'digest',
    timeout: deadline,
    autoconnect: false,
    // Use the address we reached the device at, not the one it writes in its service list (NAT,
    // a second interface, a factory-default 192.168.1.64).
    preserveAddress: true,
    agent,
  });
  // An EventEmitter without an 'error' listener throws; the package emits warnings too.
  cam.on('error', (e: unknown) => log.debug('onvif error event', { xaddr: url.origin, error: String(e) }));
  cam.on('warning', (w: unknown) => log.debug('onvif warning', { xaddr: url.origin, warning: String(w) }));

  const call = <T>(what: string, fn: (cb: Callback<T>) => void): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        agent.destroy();
        reject(new DeviceError('timeout', `${what}: no answer within ${deadline} ms`));
      }, deadline);
      try {
        fn((err, value) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          if (err) reject(classify(what, err));
          else resolve(value as T);
        });
      } catch (e) {
        settled = true;
        clearTimeout(timer);
        reject(classify(what, e));
      }
    });

  let clockSkewMs: number | null = null;
  try {
    const before = Date.now();
    const deviceTime = await call<Date>('GetSystemDateAndTime', (cb) => cam.getSystemDateAndTime(cb));
    const after = Date.now();
    if (deviceTime instanceof Date && Number.isFinite(deviceTime.getTime())) {
      // The device answers in whole seconds: round the skew to a second.
      clockSkewMs = Math.round((deviceTime.getTime() - (before + after) / 2) / 1000) * 1000;
    }
  } catch (e) {
    if (!(e instanceof DeviceError) || e.kind !== 'unauthorized') {
      agent.destroy();
      throw e;
    }
  }

  try {
    try {
      await call('GetServices', (cb) => cam.getServices(true, cb));
    } catch (e) {
      if (e instanceof DeviceError && (e.kind === 'timeout' || e.kind === 'unreachable')) throw e;
      await call('GetCapabilities', (cb) => cam.getCapabilities(cb));
    }
    // The authenticated call that proves the credentials.
    const rawInfo = await call<unknown>('GetDeviceInformation', (cb) => cam.getDeviceInformation(cb));
    if (!rawInfo || typeof rawInfo !== 'object') throw new DeviceError('malformed', 'GetDeviceInformation: the reply has no device information');
  } catch (e) {
    agent.destroy();
    if (e instanceof DeviceError && e.kind === 'unauthorized') {
      const skew = clockSkewMs !== null && Math.abs(clockSkewMs) >= 5_000 ? ` The device clock is ${formatSkew(clockSkewMs)} of ours; WS-Security logins fail when the clocks differ.` : '';
      throw new DeviceError('unauthorized', `${e.message}.${skew}`, clockSkewMs);
    }
    throw e;
  }

  const camAny = cam as unknown as { _nc?: number; uri?: Record<string, unknown>; capabilities?: { PTZ?: unknown } };
  const authUsed = !target.username ? 'none' : (camAny._nc ?? 0) > 0 ? 'digest' : 'ws-security';
  const hasPtz = Boolean(camAny.uri?.ptz);

  const requirePtz = (...tokens: string[]) => {
    if (!hasPtz) throw new DeviceError('error', 'the device has no PTZ service');
    requireTokens(...tokens);
  };

  return {
    xaddr: target.xaddr,
    clockSkewMs,
    authUsed,
    hasPtz,
    async info() {
      const raw = await call<unknown>('GetDeviceInformation', (cb) => cam.getDeviceInformation(cb));
      return normalizeInfo(raw);
    },
    async profiles() {
      const raw = await call<unknown>('GetProfiles', (cb) => cam.getProfiles(cb));
      return normalizeProfiles(raw);
    },
    async streamUri(profileToken) {
      requireTokens(profileToken);
      const raw = await call<unknown>('GetStreamUri', (cb) => cam.getStreamUri({ protocol: 'RTSP', profileToken }, cb));
      return uriOf(raw, 'GetStreamUri', ['rtsp:', 'rtsps:']);
    },
    async snapshotUri(profileToken) {
      requireTokens(profileToken);
      const raw = await call<unknown>('GetSnapshotUri', (cb) => cam.getSnapshotUri({ profileToken }, cb));
      return uriOf(raw, 'GetSnapshotUri', ['http:', 'https:']);
    },
    ptz: {
      async continuousMove(profileToken, v) {
        requirePtz(profileToken);
        await call('ContinuousMove', (cb) => cam.continuousMove({ profileToken, x: unit(v.x), y: unit(v.y), zoom: unit(v.zoom) }, cb));
      },
      async stop(profileToken) {
        requirePtz(profileToken);
        await call('Stop', (cb) => cam.stop({ profileToken, panTilt: true, zoom: true }, cb));
      },
      async presets(profileToken) {
        requirePtz(profileToken);
        const raw = await call<unknown>('GetPresets', (cb) => cam.getPresets({ profileToken }, cb));
        // The package answers { [name]: preset element } with the token in preset.$.token.
        if (!raw || typeof raw !== 'object') return [];
        return Object.entries(raw as Record<string, unknown>)
          .slice(0, 256)
          .map(([name, preset]) => ({ name: clip(name) ?? '', token: clip(obj(obj(preset).$).token) ?? '' }))
          .filter((p) => SAFE_TOKEN.test(p.token));
      },
      async gotoPreset(profileToken, preset) {
        requirePtz(profileToken, preset);
        await call('GotoPreset', (cb) => cam.gotoPreset({ profileToken, preset }, cb));
      },
    },
    close() {
      agent.destroy();
      cam.removeAllListeners();
      cam.on('error', () => undefined);
    },
  };
}

/**
 * Everything the Devices panel and the CLI show about one device. Never throws: failures are a
 * state with a readable detail.
 */
export async function checkDevice(target: DeviceTarget): Promise<DeviceCheck> {
  const started = Date.now();
  const base: DeviceCheck = {
    xaddr: target.xaddr.slice(0, 2048),
    state: 'ok',
    detail: null,
    clockSkewMs: null,
    authUsed: null,
    manufacturer: null,
    model: null,
    firmware: null,
    serial: null,
    hardwareId: null,
    profiles: [],
    ptz: false,
    elapsedMs: 0,
  };
  let device: OpenDevice | null = null;
  try {
    device = await openDevice(target);
    const info = await device.info();
    const profiles = (await device.profiles()).slice(0, MAX_PROFILES);
    for (const p of profiles) {
      const problems: string[] = [];
      try {
        p.streamUri = await device.streamUri(p.token);
      } catch (e) {
        problems.push(`stream: ${errorMessage(e)}`);
        if (e instanceof DeviceError && e.kind === 'timeout') break;
      }
      try {
        p.snapshotUri = await device.snapshotUri(p.token);
      } catch (e) {
        problems.push(`snapshot: ${errorMessage(e)}`);
        if (e instanceof DeviceError && e.kind === 'timeout') break;
      }
      p.problem = problems.length ? clip(problems.join('; ')) : null;
    }
    return DeviceCheck.parse({
      ...base,
      ...info,
      clockSkewMs: device.clockSkewMs,
      authUsed: device.authUsed,
      profiles,
      ptz: device.hasPtz,
      elapsedMs: Date.now() - started,
    });
  } catch (e) {
    const de = e instanceof DeviceError ? e : new DeviceError('error', errorMessage(e));
    return DeviceCheck.parse({
      ...base,
      state: de.kind,
      detail: de.message.slice(0, 1000),
      clockSkewMs: de.clockSkewMs ?? device?.clockSkewMs ?? null,
      elapsedMs: Date.now() - started,
    });
  } finally {
    device?.close();
  }
}

/**
 * The package writes tokens into its SOAP bodies without escaping them: only plain tokens (what
 * devices use) are sent, so a token taken from a reply or from the UI cannot inject XML.
 */
export const SAFE_TOKEN = /^[A-Za-z0-9_.:-]{1,64}$/;

function requireTokens(...tokens: string[]): void {
  for (const t of tokens) if (!SAFE_TOKEN.test(t)) throw new DeviceError('error', `not a usable token: ${JSON.stringify(t.slice(0, 70))}`);
}

function classify(what: string, e: unknown): DeviceError {
  if (e instanceof DeviceError) return e;
  const message = errorMessage(e);
  const code = (e as { code?: string } | null)?.code;
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL') {
    return new DeviceError('unreachable', `${what}: ${code}`);
  }
  if (/Network timeout|ETIMEDOUT|socket hang up.*timeout/i.test(message)) return new DeviceError('timeout', `${what}: ${message}`);
  if (/Digest authentication failed|NotAuthorized|not authorized|Unauthorized|401/i.test(message)) {
    return new DeviceError('unauthorized', `${what}: the device refused the user name or password`);
  }
  if (/reply larger than|Wrong ONVIF SOAP response|Unexpected|Invalid|Unclosed|Non-whitespace|Text data outside|entity|Cannot read|undefined|not a function/i.test(message)) {
    return new DeviceError('malformed', `${what}: malformed reply (${message.slice(0, 200)})`);
  }
  if (code) return new DeviceError('unreachable', `${what}: ${code}`);
  return new DeviceError('error', `${what}: ${message.slice(0, 300)}`);
}

function parseXaddr(xaddr: string): URL {
  let url: URL;
  try {
    url = new URL(xaddr);
  } catch {
    throw new DeviceError('error', `not a device address: ${xaddr.slice(0, 200)}`);
  }
  if (url.protocol !== 'http:') throw new DeviceError('error', `unsupported scheme ${url.protocol} (http only)`);
  return url;
}

function clip(v: unknown): string | null {
  if (typeof v === 'string') return v.trim().slice(0, 256) || null;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

/** A velocity component as the package writes it into an attribute: a finite number in [-1, 1]. */
function unit(v: number | undefined): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.max(-1, Math.min(1, Math.round(v * 1000) / 1000)) : 0;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 100_000 ? v : null;
}

function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function normalizeInfo(raw: unknown) {
  const r = obj(raw);
  return {
    manufacturer: clip(r.manufacturer),
    model: clip(r.model),
    firmware: clip(r.firmwareVersion),
    serial: clip(r.serialNumber),
    hardwareId: clip(r.hardwareId),
  };
}

/** The package hands back linerase()d profiles; anything may be missing or of another type. */
export function normalizeProfiles(raw: unknown): DeviceProfile[] {
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  const out: DeviceProfile[] = [];
  for (const item of list.slice(0, MAX_PROFILES)) {
    const p = obj(item);
    const token = clip(obj(p.$).token);
    if (!token) continue;
    const vsc = obj(p.videoSourceConfiguration);
    const vec = obj(p.videoEncoderConfiguration);
    const res = obj(vec.resolution);
    out.push({
      token,
      name: clip(p.name) ?? token,
      videoSourceToken: clip(vsc.sourceToken),
      encoding: clip(vec.encoding),
      width: num(res.width),
      height: num(res.height),
      streamUri: null,
      snapshotUri: null,
      problem: null,
    });
  }
  return out;
}

function uriOf(raw: unknown, what: string, schemes: string[]): string {
  const value = obj(raw).uri;
  const uri = typeof value === 'string' ? value.trim().slice(0, 2048) : null;
  if (!uri) throw new DeviceError('malformed', `${what}: the reply has no URI`);
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    throw new DeviceError('malformed', `${what}: not a URI: ${uri.slice(0, 100)}`);
  }
  if (!schemes.includes(parsed.protocol)) throw new DeviceError('malformed', `${what}: unexpected scheme ${parsed.protocol}`);
  return uri;
}

function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

export function formatSkew(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  const dir = ms >= 0 ? 'ahead' : 'behind';
  if (s < 60) return `${s} s ${dir}`;
  // Beyond an hour, seconds are noise (the device answers in whole seconds).
  const total = s >= 3600 ? Math.round(s / 60) * 60 : s;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : '', rest ? `${rest} s` : '', dir].filter(Boolean).join(' ');
}
