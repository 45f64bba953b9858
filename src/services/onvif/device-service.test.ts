// The devices.* console API end to end on loopback: discovery confined to a unicast probe of
// 127.0.0.2 (no multicast from the machine's own namespace), checks with credentials, the vault,
// and reconciliation against registered devices.
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalDeviceView } from '../../shared/devices';
import { createRouter, type CallContext } from '../router';
import { tempFolder } from '../testing';
import { startEmulator, type Emulator } from './emulator/emulator';

const CTX: CallContext = { transport: 'test', peer: 'device-service.test' };
const APP = { version: '0.0.0-test', host: 'web' as const, backendUrl: 'http://127.0.0.1:1', embedded: true };

const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

function setup() {
  const store = tempFolder().open();
  const router = createRouter({ store, app: APP, validateOutputs: true, discoveryDefaults: { waitMs: 500 } });
  const pushes: string[] = [];
  router.onPush((...[event]) => {
    pushes.push(event);
  });
  const call = async <T>(method: string, input: unknown): Promise<T> => {
    const r = await router.call(method, input, CTX);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value as T;
  };
  return { store, router, call, pushes, raw: (m: string, i: unknown) => router.call(m, i, CTX) };
}

describe('devices.* on loopback', () => {
  it('discovers, checks with a remembered credential, and reconciles with registrations', async () => {
    let cam: Emulator;
    try {
      cam = await startEmulator({ host: '127.0.0.2', username: 'admin', password: 'secret', model: 'DS-2CD2143G2-I', discovery: { interfaceAddress: '127.0.0.2' } });
    } catch (e) {
      process.stderr.write(`skipped: UDP 3702 on loopback unavailable (${String(e)})\n`);
      return;
    }
    running.push(cam);
    const { call, pushes, store } = setup();

    const found = await call<{ found: number }>('devices.discover', { multicast: false, range: '127.0.0.2/32' });
    expect(found.found).toBe(1);
    expect(pushes).toContain('devices.progress');
    expect(pushes).toContain('devices.changed');

    let { devices } = await call<{ devices: LocalDeviceView[] }>('devices.list', {});
    expect(devices).toHaveLength(1);
    expect(devices[0]).toMatchObject({ address: '127.0.0.2', xaddr: cam.url, reconciliation: 'unregistered', lastCheck: null });
    const key = devices[0]!.key;

    // Wrong password: reported as such.
    const bad = await call<{ check: { state: string } }>('devices.check', { key, credential: { username: 'admin', password: 'nope' } });
    expect(bad.check.state).toBe('unauthorized');
    // Right one, remembered: in browser mode / tests the vault keeps it for the session only.
    const good = await call<{ check: { state: string; model: string }; persisted: boolean; vaultReason: string }>('devices.check', {
      key,
      credential: { username: 'admin', password: 'secret' },
      remember: true,
    });
    expect(good.check).toMatchObject({ state: 'ok', model: 'DS-2CD2143G2-I' });
    expect(good.persisted).toBe(false);
    expect(good.vaultReason).toMatch(/kept until the console stops/);
    // Later checks use the remembered credential.
    expect((await call<{ check: { state: string } }>('devices.check', { key })).check.state).toBe('ok');
    expect(await call('devices.vaultStatus', {})).toMatchObject({ persistent: false });
    // Nothing about the password reached the store.
    expect(JSON.stringify(store.devices.list())).not.toContain('secret');
    expect(store.devices.credentials.list()).toEqual([]);

    // Registered to a catalog camera (audited): answering -> registered; silent -> not answering.
    await call('devices.place', { key, schoolId: 'school-1', cameraId: 'cam-1' });
    expect(store.actions.list().some((a) => a.kind === 'devices.place')).toBe(true);
    ({ devices } = await call<{ devices: LocalDeviceView[] }>('devices.list', {}));
    expect(devices[0]!.reconciliation).toBe('registered');
    await cam.close();
    running.length = 0;
    await call('devices.discover', { multicast: false, range: '127.0.0.2/32' });
    ({ devices } = await call<{ devices: LocalDeviceView[] }>('devices.list', {}));
    expect(devices[0]!.reconciliation).toBe('not-answering');
  });

  it('flags a registered device that now answers from another address', async () => {
    const { store, call } = setup();
    const seen = (address: string) => ({
      id: 'urn:uuid:1',
      address,
      xaddrs: [`http://${address}/onvif/device_service`],
      scopes: [],
      types: [],
      warnings: [],
      via: 'multicast' as const,
      firstSeen: '2026-01-01T00:00:00.000Z',
      lastSeen: '2026-01-01T00:00:00.000Z',
      gone: false,
    });
    store.devices.upsertDiscovered(seen('10.0.0.2'), 'http://10.0.0.2/onvif/device_service');
    store.devices.place('urn:uuid:1@10.0.0.2', 'school-1', 'cam-1');
    store.devices.upsertDiscovered(seen('10.0.0.9'), 'http://10.0.0.9/onvif/device_service');
    const { devices } = await call<{ devices: LocalDeviceView[] }>('devices.list', {});
    expect(devices.find((d) => d.address === '10.0.0.9')).toMatchObject({ reconciliation: 'address-changed', previousAddress: '10.0.0.2' });
    expect(devices.find((d) => d.address === '10.0.0.2')).toMatchObject({ reconciliation: 'registered', cameraId: 'cam-1' });
  });

  it('refuses a second discovery while one runs, and a range too large', async () => {
    const { raw } = setup();
    const first = raw('devices.discover', { multicast: false, range: '127.0.2.0/24' });
    await new Promise((r) => setTimeout(r, 50));
    const second = await raw('devices.discover', { multicast: false, range: '127.0.2.0/30' });
    expect(second).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await raw('devices.cancelDiscovery', {})).toMatchObject({ ok: true, value: { cancelled: true } });
    await first;
    expect(await raw('devices.discover', { multicast: false, range: '10.0.0.0/8' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await raw('devices.check', { key: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await raw('devices.place', { key: 'nope', schoolId: 's', cameraId: 'c' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
