import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceCheck, LocalDeviceView } from '../../../shared/devices';
import { setConsoleClient, type ConsoleClient } from '../../lib/console-api';
import { useDevicesStore } from './store';

const check: DeviceCheck = {
  xaddr: 'http://10.0.0.2/onvif/device_service',
  state: 'unauthorized',
  detail: 'GetDeviceInformation: the device refused the user name or password',
  clockSkewMs: 7_200_000,
  authUsed: null,
  manufacturer: null,
  model: null,
  firmware: null,
  serial: null,
  hardwareId: null,
  profiles: [],
  ptz: false,
  elapsedMs: 12,
};

const device: LocalDeviceView = {
  key: 'urn:uuid:1@10.0.0.2',
  address: '10.0.0.2',
  xaddr: check.xaddr,
  discovered: { id: 'urn:uuid:1', address: '10.0.0.2', xaddrs: [check.xaddr], scopes: [], types: [], warnings: [], via: 'multicast', firstSeen: 't', lastSeen: 't', gone: false },
  lastCheck: null,
  schoolId: null,
  cameraId: null,
  firstSeen: 't',
  lastSeen: 't',
  reconciliation: 'unregistered',
  previousAddress: null,
};

function fakeClient(calls: string[]): ConsoleClient {
  let checked = false;
  const api: Record<string, (input: unknown) => Promise<unknown>> = {
    'devices.list': async () => ({ devices: [{ ...device, lastCheck: checked ? check : null }] }),
    'devices.discover': async (input) => {
      calls.push(`discover ${JSON.stringify(input)}`);
      return { found: 1, rejected: 2, errors: [] };
    },
    'devices.check': async (input) => {
      calls.push(`check ${JSON.stringify(input)}`);
      checked = true;
      return { check, persisted: false, vaultReason: 'session only' };
    },
  };
  return api as unknown as ConsoleClient;
}

afterEach(() => {
  useDevicesStore.getState().reset();
  setConsoleClient(null);
});

describe('devices store', () => {
  it('runs a discovery with the operator choice and loads the list', async () => {
    const calls: string[] = [];
    setConsoleClient(fakeClient(calls));
    await useDevicesStore.getState().discover({ multicast: false, range: '10.0.0.0/28' });
    expect(calls).toEqual(['discover {"multicast":false,"range":"10.0.0.0/28"}']);
    expect(useDevicesStore.getState()).toMatchObject({ discovering: false, lastRun: { found: 1, rejected: 2 } });
    expect(useDevicesStore.getState().devices).toHaveLength(1);
  });

  it('sends credentials only when typed, and keeps the answer of the check', async () => {
    const calls: string[] = [];
    setConsoleClient(fakeClient(calls));
    await useDevicesStore.getState().check(device.key, { username: 'admin', password: 'pw' }, true);
    await useDevicesStore.getState().check(device.key, null, true);
    expect(calls[0]).toBe(`check {"key":"${device.key}","credential":{"username":"admin","password":"pw"},"remember":true}`);
    expect(calls[1]).toBe(`check {"key":"${device.key}"}`);
    expect(useDevicesStore.getState().lastCheck).toMatchObject({ key: device.key, persisted: false, check: { state: 'unauthorized' } });
    expect(useDevicesStore.getState().devices[0]!.lastCheck?.clockSkewMs).toBe(7_200_000);
  });
});
