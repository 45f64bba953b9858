// The device client against the project's ONVIF emulator on loopback: every difficult behaviour
// ends in a clear state within the deadline, never a hang or a crash.
import { afterEach, describe, expect, it } from 'vitest';
import { checkDevice, formatSkew, openDevice } from './device-client';
import { startEmulator, type Emulator, type EmulatorOptions } from './emulator/emulator';

const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

async function emulator(o: EmulatorOptions = {}): Promise<Emulator> {
  const e = await startEmulator({ username: 'admin', password: 'secret', ...o });
  running.push(e);
  return e;
}

describe('checkDevice', () => {
  it('reads information, profiles, stream and snapshot URIs of a well-behaved camera (WS-Security)', async () => {
    const cam = await emulator({ auth: 'ws-security', manufacturer: 'Hikvision', model: 'DS-2CD2143G2-I', firmware: 'V5.7.3' });
    const check = await checkDevice({ xaddr: cam.url, username: 'admin', password: 'secret' });
    expect(check.state).toBe('ok');
    expect(check).toMatchObject({ manufacturer: 'Hikvision', model: 'DS-2CD2143G2-I', firmware: 'V5.7.3', authUsed: 'ws-security', ptz: true });
    expect(check.profiles.length).toBeGreaterThan(0);
    for (const p of check.profiles) {
      expect(p.streamUri).toBe(`rtsp://127.0.0.1:554/${p.token}`);
      expect(p.snapshotUri).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${cam.port}/snapshot/`));
    }
    // Every URI request named its profile.
    expect(cam.requests.filter((r) => r.op === 'GetStreamUri')).toHaveLength(check.profiles.length);
    expect(Math.abs(check.clockSkewMs ?? 99_999)).toBeLessThanOrEqual(1_000);
  });

  it('falls back to HTTP Digest on a Digest-only device', async () => {
    const cam = await emulator({ auth: 'digest' });
    const check = await checkDevice({ xaddr: cam.url, username: 'admin', password: 'secret' });
    expect(check.state).toBe('ok');
    expect(check.authUsed).toBe('digest');
  });

  it('uses Digest from the first request when the device is configured for it', async () => {
    const cam = await emulator({ auth: 'digest' });
    const check = await checkDevice({ xaddr: cam.url, username: 'admin', password: 'secret', auth: 'digest' });
    expect(check.state).toBe('ok');
    expect(check.authUsed).toBe('digest');
  });

  it.each(['any', 'digest', 'ws-security'] as const)('reports a wrong password as such (%s), not as a device with zero profiles', async (auth) => {
    const cam = await emulator({ auth });
    const check = await checkDevice({ xaddr: cam.url, username: 'admin', password: 'wrong' });
    expect(check.state).toBe('unauthorized');
    expect(check.detail).toMatch(/refused the user name or password/);
    expect(check.profiles).toEqual([]);
    // One login attempt (a Digest challenge costs one round trip), no retries, nothing after it.
    expect(cam.requests.filter((r) => r.op === 'GetDeviceInformation').length).toBeLessThanOrEqual(2);
    expect(cam.requests.at(-1)?.op).toBe('GetDeviceInformation');
  });

  it('measures the clock skew and shows it when authorization fails', async () => {
    // A device 2 hours ahead refusing the login: the skew is measured and named, so the operator can
    // tell a clock problem from a password problem.
    const cam = await emulator({ auth: 'ws-security', clockSkewMs: 2 * 3600_000, password: 'other' });
    const check = await checkDevice({ xaddr: cam.url, username: 'admin', password: 'secret' });
    expect(check.state).toBe('unauthorized');
    expect(Math.abs((check.clockSkewMs ?? 0) - 2 * 3600_000)).toBeLessThanOrEqual(2_000);
    expect(check.detail).toMatch(/2 h ahead/);
  });

  it('logs in despite clock skew, because WS-Security stamps follow the device clock', async () => {
    const cam = await emulator({ auth: 'ws-security', clockSkewMs: -37 * 60_000 });
    const check = await checkDevice({ xaddr: cam.url, username: 'admin', password: 'secret' });
    expect(check.state).toBe('ok');
    expect(Math.round((check.clockSkewMs ?? 0) / 60_000)).toBe(-37);
  });

  it('reports a silent port within the deadline', async () => {
    const cam = await emulator({ silent: true });
    const t0 = Date.now();
    const check = await checkDevice({ xaddr: cam.url, username: 'admin', password: 'secret', deadlineMs: 800 });
    expect(check.state).toBe('timeout');
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  it('reports a closed port as unreachable', async () => {
    const cam = await emulator();
    const url = cam.url;
    await cam.close();
    running.length = 0;
    const check = await checkDevice({ xaddr: url, username: 'admin', password: 'secret' });
    expect(check.state).toBe('unreachable');
  });

  it('lists NVR profiles with their own video sources, each URI asked with its token', async () => {
    const cam = await emulator({ layout: 'nvr', channels: 3, ptz: false });
    const check = await checkDevice({ xaddr: cam.url, username: 'admin', password: 'secret' });
    expect(check.state).toBe('ok');
    expect(check.ptz).toBe(false);
    expect(check.profiles.map((p) => [p.token, p.videoSourceToken])).toEqual([
      ['Profile_101', 'VideoSource_1'],
      ['Profile_102', 'VideoSource_1'],
      ['Profile_201', 'VideoSource_2'],
      ['Profile_202', 'VideoSource_2'],
      ['Profile_301', 'VideoSource_3'],
      ['Profile_302', 'VideoSource_3'],
    ]);
    expect(check.profiles[5]).toMatchObject({ width: 640, height: 360, encoding: 'H264', streamUri: 'rtsp://127.0.0.1:554/Profile_302' });
  });

  it.each(['garbage', 'truncated', 'entity-expansion', 'wrong-shape', 'huge'] as const)(
    'survives a %s reply to GetDeviceInformation with a clear state',
    async (kind) => {
      const cam = await emulator({ malformed: { ops: ['GetDeviceInformation'], kind } });
      const t0 = Date.now();
      const check = await checkDevice({ xaddr: cam.url, username: 'admin', password: 'secret', deadlineMs: 2_000 });
      expect(['malformed', 'error']).toContain(check.state);
      expect(check.detail).toBeTruthy();
      expect(Date.now() - t0).toBeLessThan(3_000);
    },
  );

  it.each(['garbage', 'entity-expansion', 'wrong-shape', 'truncated'] as const)('survives a %s reply to every call', async (kind) => {
    const cam = await emulator({ malformed: { ops: ['*'], kind } });
    const check = await checkDevice({ xaddr: cam.url, username: 'admin', password: 'secret', deadlineMs: 2_000 });
    expect(check.state).not.toBe('ok');
  });

  it('keeps the device usable when one profile answers malformed URIs', async () => {
    const cam = await emulator({ malformed: { ops: ['GetSnapshotUri'], kind: 'wrong-shape' } });
    const check = await checkDevice({ xaddr: cam.url, username: 'admin', password: 'secret' });
    expect(check.state).toBe('ok');
    expect(check.profiles[0]?.streamUri).toBeTruthy();
    expect(check.profiles[0]?.snapshotUri).toBeNull();
    expect(check.profiles[0]?.problem).toMatch(/snapshot/);
  });

  it('cuts a device that trickles its answer at the deadline', async () => {
    const cam = await emulator({ malformed: { ops: ['GetProfiles'], kind: 'trickle' } });
    const t0 = Date.now();
    const check = await checkDevice({ xaddr: cam.url, username: 'admin', password: 'secret', deadlineMs: 1_000 });
    expect(check.state).toBe('timeout');
    expect(Date.now() - t0).toBeLessThan(2_500);
  });
});

describe('openDevice PTZ', () => {
  it('moves, stops and lists presets where the device has PTZ', async () => {
    const cam = await emulator();
    const device = await openDevice({ xaddr: cam.url, username: 'admin', password: 'secret' });
    try {
      expect(device.hasPtz).toBe(true);
      const [profile] = await device.profiles();
      await device.ptz.continuousMove(profile!.token, { x: 0.5 });
      await device.ptz.stop(profile!.token);
      expect(cam.requests.map((r) => r.op)).toEqual(expect.arrayContaining(['ContinuousMove', 'Stop']));
    } finally {
      device.close();
    }
  });

  it('refuses PTZ where the device has none, without sending anything', async () => {
    const cam = await emulator({ ptz: false });
    const device = await openDevice({ xaddr: cam.url, username: 'admin', password: 'secret' });
    try {
      await expect(device.ptz.stop('main')).rejects.toThrow(/no PTZ/);
      expect(cam.requests.some((r) => r.op === 'Stop')).toBe(false);
    } finally {
      device.close();
    }
  });
});

describe('formatSkew', () => {
  it('writes hours, minutes and seconds with a direction', () => {
    expect(formatSkew(2 * 3600_000 + 5 * 60_000)).toBe('2 h 5 min ahead');
    expect(formatSkew(-3_000)).toBe('3 s behind');
    expect(formatSkew(2 * 3600_000 - 1_000)).toBe('2 h ahead');
    expect(formatSkew(-(90_000))).toBe('1 min 30 s behind');
  });
});
