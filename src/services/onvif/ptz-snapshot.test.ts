// A catalog camera through its local device, on loopback against the emulator: PTZ moves, stops,
// presets and the dead-man stop; snapshots over HTTP Digest with their bounds; the camera's local
// stream with the vault's credentials; media leases that lapse and end with their window.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DiscoveredDevice } from '../../shared/devices';
import { createMediaGateway, type MediaGateway } from '../media-gateway/gateway';
import { startRtspTestServer } from '../media-gateway/rtsp-test-server';
import { createRouter, type CallContext } from '../router';
import type { Store } from '../store';
import { tempFolder, until } from '../testing';
import { createCredentialVault } from './credentials';
import { DeviceError } from './device-client';
import { createDeviceService } from './device-service';
import { startEmulator, type Emulator, type EmulatorOptions } from './emulator/emulator';
import { fetchSnapshot } from './snapshot';

const CTX: CallContext = { transport: 'test', peer: 'window-1' };
const APP = { version: '0.0.0-test', host: 'web' as const, backendUrl: 'http://127.0.0.1:1', embedded: true };
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function emulator(o: EmulatorOptions = {}): Promise<Emulator> {
  const cam = await startEmulator({ host: '127.0.0.1', username: 'admin', password: 'secret', auth: 'digest', ...o });
  cleanups.push(() => cam.close());
  return cam;
}

/** The device as discovery would have registered it, without sending a probe. */
function register(store: Store, cam: Emulator): string {
  const d: DiscoveredDevice = {
    id: `urn:uuid:${cam.uuid}`,
    address: '127.0.0.1',
    xaddrs: [cam.url],
    scopes: [],
    types: [],
    warnings: [],
    via: 'unicast',
    firstSeen: new Date().toISOString(),
    lastSeen: new Date().toISOString(),
    gone: false,
  };
  store.devices.upsertDiscovered(d, cam.url);
  return `${d.id}@${d.address}`;
}

function gateway(o: Partial<Parameters<typeof createMediaGateway>[0]> = {}): MediaGateway {
  const root = mkdtempSync(join(tmpdir(), 'kuzet-ptz-media-'));
  const gw = createMediaGateway({ rootDir: root, graceMs: 100, minBackoffMs: 200, ...o });
  cleanups.push(async () => {
    await gw.close();
    rmSync(root, { recursive: true, force: true });
  });
  return gw;
}

function setup(o: { media?: MediaGateway; leaseTtlMs?: number } = {}) {
  const store = tempFolder().open();
  const router = createRouter({ store, app: APP, validateOutputs: true, ...o });
  cleanups.push(() => router.close());
  const raw = (m: string, i: unknown, ctx: CallContext = CTX) => router.call(m, i, ctx);
  const call = async <T>(method: string, input: unknown, ctx: CallContext = CTX): Promise<T> => {
    const r = await raw(method, input, ctx);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value as T;
  };
  return { store, router, call, raw };
}

describe('PTZ of a catalog camera', () => {
  it('moves, stops, lists presets and goes to one, only for a placed camera with PTZ', async () => {
    const cam = await emulator({ ptz: true });
    const { store, call, raw } = setup();
    const key = register(store, cam);
    expect(await raw('ptz.move', { cameraId: 'cam-1', pan: 0.5, tilt: 0, zoom: 0 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    await call('devices.check', { key, credential: { username: 'admin', password: 'secret' }, remember: true });
    await call('devices.place', { key, schoolId: 'school-1', cameraId: 'cam-1' });
    expect(await call('devices.localCameras', {})).toEqual({
      cameras: [{ cameraId: 'cam-1', schoolId: 'school-1', key, address: '127.0.0.1', ptz: true, localVideo: true }],
    });

    await call('ptz.move', { cameraId: 'cam-1', pan: 0.5, tilt: -0.25, zoom: 0 });
    expect(cam.ptz.moving).toEqual({ x: 0.5, y: -0.25, zoom: 0 });
    await new Promise((r) => setTimeout(r, 300));
    await call('ptz.stop', { cameraId: 'cam-1' });
    expect(cam.ptz.moving).toBeNull();
    expect(cam.ptz.stops).toBe(1);
    expect(cam.ptz.position.x).toBeGreaterThan(0.1);
    expect(cam.ptz.position.y).toBeLessThan(-0.05);

    const { presets } = await call<{ presets: { token: string; name: string }[] }>('ptz.presets', { cameraId: 'cam-1' });
    expect(presets).toEqual([
      { name: 'Entrance', token: 'P1' },
      { name: 'Corridor', token: 'P2' },
      { name: 'Stairs', token: 'P3' },
    ]);
    await call('ptz.gotoPreset', { cameraId: 'cam-1', presetToken: 'P2' });
    expect(cam.ptz.lastPreset).toBe('P2');
    expect(store.actions.list().some((a) => a.kind === 'ptz.gotoPreset')).toBe(true);
    // A token that could carry XML into the package's unescaped SOAP body never leaves.
    expect(await raw('ptz.gotoPreset', { cameraId: 'cam-1', presetToken: 'P1</PresetToken><x>' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await raw('ptz.move', { cameraId: 'cam-1', pan: 2, tilt: 0, zoom: 0 })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    // One login for all of these: two GetDeviceInformation for the check, one for the PTZ session.
    expect(cam.requests.filter((r) => r.op === 'GetDeviceInformation' && r.authenticated)).toHaveLength(3);
  });

  it('refuses PTZ for a camera without it, and never retries a refused password', async () => {
    const fixed = await emulator({ ptz: false });
    const { store, call, raw } = setup();
    const key = register(store, fixed);
    await call('devices.check', { key, credential: { username: 'admin', password: 'secret' } });
    await call('devices.place', { key, schoolId: 'school-1', cameraId: 'cam-fixed' });
    expect(await call('devices.localCameras', {})).toMatchObject({ cameras: [{ cameraId: 'cam-fixed', ptz: false }] });
    expect(await raw('ptz.move', { cameraId: 'cam-fixed', pan: 0.5, tilt: 0, zoom: 0 })).toMatchObject({ ok: false, error: { code: 'unavailable', message: 'This camera has no PTZ.' } });
    // A second device cannot take the same catalog camera.
    const other = await emulator({ ptz: true });
    const otherKey = register(store, other);
    expect(await raw('devices.place', { key: otherKey, schoolId: 'school-1', cameraId: 'cam-fixed' })).toMatchObject({ ok: false, error: { code: 'conflict' } });

    // The password changed on the camera after the check: one refused login, then no more tries.
    const ptzCam = await emulator({ ptz: true, password: 'secret' });
    const k = register(store, ptzCam);
    await call('devices.check', { key: k, credential: { username: 'admin', password: 'secret' } });
    await call('devices.place', { key: k, schoolId: 'school-1', cameraId: 'cam-ptz' });
    await ptzCam.close();
    const changed = await emulator({ ptz: true, password: 'changed', port: ptzCam.port, uuid: ptzCam.uuid });
    expect(await raw('ptz.move', { cameraId: 'cam-ptz', pan: 0.5, tilt: 0, zoom: 0 })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const attempts = changed.requests.filter((r) => r.op === 'GetDeviceInformation').length;
    expect(await raw('ptz.move', { cameraId: 'cam-ptz', pan: 0.5, tilt: 0, zoom: 0 })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(changed.requests.filter((r) => r.op === 'GetDeviceInformation').length).toBe(attempts);
  });

  it('stops a move that is not renewed (a lost key-up, a closed window)', async () => {
    const cam = await emulator({ ptz: true });
    const store = tempFolder().open();
    const vault = createCredentialVault({ cipher: null, records: null });
    const devices = createDeviceService({ store: store.devices, vault, ptzDeadmanMs: 400 });
    cleanups.push(() => devices.close());
    const key = register(store, cam);
    await devices.check({ key, credential: { username: 'admin', password: 'secret' }, remember: true });
    devices.place(key, 'school-1', 'cam-1');
    await devices.ptz.move('cam-1', { pan: 0, tilt: 0, zoom: 0.5 });
    expect(cam.ptz.moving).toEqual({ x: 0, y: 0, zoom: 0.5 });
    await until('dead-man stop', () => cam.ptz.stops === 1 && cam.ptz.moving === null, 5_000);
  });
});

describe('snapshots', () => {
  it('fetches a JPEG over HTTP Digest with the credential the camera accepted', async () => {
    const cam = await emulator();
    const { store, call, raw } = setup();
    const key = register(store, cam);
    // Not asked to remember it: the session still holds the password the camera accepted.
    await call('devices.check', { key, credential: { username: 'admin', password: 'secret' } });
    const token = store.devices.list()[0]!.lastCheck!.profiles[0]!.token;
    const shot = await call<{ contentType: string; dataBase64: string }>('devices.snapshot', { key, profileToken: token });
    expect(shot.contentType).toBe('image/jpeg');
    expect(Buffer.from(shot.dataBase64, 'base64').subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(cam.requests.filter((r) => r.op === 'snapshot').map((r) => r.authenticated)).toEqual([false, true]);
    expect(await raw('devices.snapshot', { key, profileToken: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('refuses what is not a bounded image, within the deadline', async () => {
    const url = (cam: Emulator) => `${cam.url.replace('/onvif/device_service', '')}/snapshot/p.jpg`;
    const wrong = await emulator();
    await expect(fetchSnapshot({ url: url(wrong), username: 'admin', password: 'nope' })).rejects.toMatchObject({ kind: 'unauthorized' });
    const html = await emulator({ snapshot: 'html' });
    await expect(fetchSnapshot({ url: url(html), username: 'admin', password: 'secret' })).rejects.toThrow(/not an image \(text\/html\)/);
    const huge = await emulator({ snapshot: 'huge' });
    await expect(fetchSnapshot({ url: url(huge), username: 'admin', password: 'secret' })).rejects.toThrow(/larger than/);
    const silent = await emulator({ snapshot: 'silent' });
    const t0 = Date.now();
    const e = await fetchSnapshot({ url: url(silent), username: 'admin', password: 'secret', deadlineMs: 500 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DeviceError);
    expect((e as DeviceError).kind).toBe('timeout');
    expect(Date.now() - t0).toBeLessThan(2_000);
    await expect(fetchSnapshot({ url: 'https://127.0.0.1:1/x.jpg' })).rejects.toThrow(/http only/);
  });
});

describe('local video of a catalog camera and its leases', () => {
  it('plays the placed device stream with the vault credentials', async () => {
    const rtsp = await startRtspTestServer({ credentials: { username: 'admin', password: 'secret' } });
    cleanups.push(() => rtsp.close());
    const cam = await emulator({ rtspUri: rtsp.url.replace(/\/\/[^@]*@/, '//') });
    const media = gateway();
    const { store, call } = setup({ media });
    const key = register(store, cam);
    await call('devices.check', { key, credential: { username: 'admin', password: 'secret' }, remember: true });
    await call('devices.place', { key, schoolId: 'school-1', cameraId: 'cam-1' });
    const lease = await call<{ streamId: string; playlist: string }>('media.watchCamera', { cameraId: 'cam-1', variant: 'sub' });
    await until('running', () => media.status(lease.streamId)?.state === 'running', 30_000);
    expect(rtsp.relayed()).toBeGreaterThan(0);
  }, 60_000);

  it('lets a lease lapse when not renewed, keeps a renewed one, and ends a window\'s leases with it', async () => {
    const media = gateway({ ffmpegPath: '/nonexistent/ffmpeg' });
    const { call } = setup({ media, leaseTtlMs: 600 });
    const other: CallContext = { transport: 'test', peer: 'window-2' };
    const lapsing = await call<{ leaseId: string; streamId: string }>('media.watch', { rtspUri: 'rtsp://127.0.0.1:9/a' });
    const renewed = await call<{ leaseId: string; streamId: string }>('media.watch', { rtspUri: 'rtsp://127.0.0.1:9/b' });
    // Another window can neither renew nor release it.
    expect(await call('media.renew', { leaseId: renewed.leaseId }, other)).toEqual({ renewed: false });
    expect(await call('media.release', { leaseId: renewed.leaseId }, other)).toEqual({ released: false });
    const t0 = Date.now();
    while (Date.now() - t0 < 1_500) {
      expect(await call('media.renew', { leaseId: renewed.leaseId })).toEqual({ renewed: true });
      await new Promise((r) => setTimeout(r, 150));
    }
    expect(media.status(lapsing.streamId)).toBeNull();
    expect(media.status(renewed.streamId)?.watchers).toBe(1);
    expect(await call('media.renew', { leaseId: lapsing.leaseId })).toEqual({ renewed: false });

    const { router, call: call2 } = setup({ media });
    const held = await call2<{ streamId: string }>('media.watch', { rtspUri: 'rtsp://127.0.0.1:9/c' }, other);
    expect(media.status(held.streamId)?.watchers).toBe(1);
    router.peerGone('window-2');
    await until('stream stopped with its window', () => media.status(held.streamId) === null, 2_000);
  });
});
