import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CameraFramesV1 } from '../shared/camera-health';
import { setLogLevel } from '../shared/log';
import { DeviceStatusV1, type LoginResponse } from '../shared/protocol';
import { ManualClock } from './clock';
import { startSimulator, type Simulator } from './server';
import { getJson, login } from './test-support';

setLogLevel('error');

let dataDir: string;
let sim: Simulator;
let duty: LoginResponse;
let guard: LoginResponse;
const clock = new ManualClock(Date.UTC(2026, 2, 2, 8, 0, 0));

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kuzet-frames-'));
  sim = await startSimulator({ backgroundRate: 0, dataDir, clock });
  const pw = (u: string) => sim.accounts.find((a) => a.username === u)!.password;
  [duty, guard] = await Promise.all([login(sim.url, 'duty', pw('duty')), login(sim.url, 'guard.gym1', pw('guard.gym1'))]);
});
afterAll(async () => {
  await sim.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const frames = async (schoolId: string, token?: string) => getJson(`${sim.url}/api/schools/${schoolId}/camera-frames`, token);

describe('GET /api/schools/<school>/camera-frames', () => {
  it("gives every camera of the school its last frame; an offline camera's stops when it went offline", async () => {
    const schoolId = [...sim.index.schools.keys()].find((id) => id !== 'GYM1' && /7$/.test(id))!;
    const cameras = (sim.index.devicesBySchool.get(schoolId) ?? []).filter((d) => d.kind === 'camera').map((d) => d.id);
    const run = sim.playScenario('camera_outage', { schoolId });
    if (!run.ok) throw new Error(run.error.message);
    const offline = DeviceStatusV1.parse(run.value.emitted.find((e) => e.type === 'device.status')!.payload).deviceId;
    const wentOffline = clock.now();
    clock.advance(20_000);

    const r = await frames(schoolId, duty.token);
    expect(r.status).toBe(200);
    const body = CameraFramesV1.parse(r.body);
    expect(body.at).toBe(new Date(clock.now()).toISOString());
    expect(body.cameras.map((c) => c.cameraId)).toEqual(cameras);
    const at = (id: string) => Date.parse(body.cameras.find((c) => c.cameraId === id)!.lastFrameAt!);
    // Playing cameras: within a segment of now. The offline one: nothing newer than its outage.
    const playing = cameras.find((id) => id !== offline)!;
    expect(clock.now() - at(playing)).toBeLessThan(5_000);
    expect(at(offline)).toBeLessThanOrEqual(wentOffline);
    expect(wentOffline - at(offline)).toBeLessThan(5_000);
  });

  it("keeps a guard to their own school and answers an unknown school or a missing token plainly", async () => {
    expect((await frames('GYM1', guard.token)).status).toBe(200);
    const other = [...sim.index.schools.keys()].find((id) => id !== 'GYM1')!;
    expect((await frames(other, guard.token)).status).toBe(403);
    expect((await frames('NO-SUCH-SCHOOL', duty.token)).status).toBe(404);
    expect((await frames('GYM1')).status).toBe(401);
    const post = await fetch(`${sim.url}/api/schools/GYM1/camera-frames`, { method: 'POST', headers: { authorization: `Bearer ${duty.token}` } });
    expect(post.status).toBe(405);
  });
});
