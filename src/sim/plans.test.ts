import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { floorPlanProblems } from '../shared/geometry';
import { setLogLevel } from '../shared/log';
import { Catalog, FloorPlanAccepted, PlanUpdatedV1, type LoginResponse } from '../shared/protocol';
import { buildCity } from './catalog';
import { startSimulator, type Simulator } from './server';
import { connect, floorForEdit, getJson, signInAs } from './test-support';

setLogLevel('error');

const FLOOR = 'GYM1.B1.F1';
let dataDir: string;
let sim: Simulator;
let duty: LoginResponse;
let guard: LoginResponse;
let dispatcher: LoginResponse;

async function put(path: string, body: unknown, token?: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${sim.url}${path}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

const currentFloor = (token: string) => floorForEdit(sim.url, token, 'GYM1', FLOOR);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kuzet-plans-'));
  sim = await startSimulator({ backgroundRate: 0, dataDir });
  [duty, guard, dispatcher] = await signInAs(sim, 'duty', 'guard.gym1', 'dispatcher');
});
afterAll(async () => {
  await sim.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('floor plans on the simulator', () => {
  it('generates a city whose every floor already obeys the editor’s rules', () => {
    const city = buildCity(1);
    const byFloor = new Map<string, (typeof city.devices)[number][]>();
    for (const d of city.devices) byFloor.set(d.floorId, [...(byFloor.get(d.floorId) ?? []), d]);
    for (const s of city.schools)
      for (const b of s.buildings)
        for (const f of b.floors) expect(floorPlanProblems({ width: f.width, height: f.height, rooms: f.rooms, devices: byFloor.get(f.id) ?? [] }), f.id).toEqual([]);
  });

  it('accepts a guard’s edit of their school, serves it in the catalog and tells every console with a plan.updated event', async () => {
    const city = await connect(sim.url, duty.token, sim.latestSeq(duty.stream));
    try {
      const { version, update } = await currentFloor(guard.token);
      expect(version).toBe(0);
      const cam = update.devices.find((d) => d.kind === 'camera')!;
      const moved = { ...update, devices: update.devices.map((d) => (d.id === cam.id ? { ...d, position: [40, 10.5] as [number, number], heading: 180, fov: 95 } : d)) };
      const r = await put(`/api/plans/GYM1/floors/${FLOOR}`, moved, guard.token);
      expect(r.status).toBe(200);
      expect(FloorPlanAccepted.parse(r.body)).toEqual({ schoolId: 'GYM1', floorId: FLOOR, version: 1 });

      await city.waitFor((events) => events.some((e) => e.type === 'plan.updated'));
      const event = city.events.find((e) => e.type === 'plan.updated')!;
      expect(event.v).toBe(1);
      expect(event.schoolId).toBe('GYM1');
      expect(PlanUpdatedV1.parse(event.payload)).toEqual({ schoolId: 'GYM1', floorId: FLOOR, version: 1, by: { id: guard.user.id, name: guard.user.name } });
      expect(city.violations).toEqual([]);

      const catalog = Catalog.parse((await getJson(`${sim.url}/api/catalog`, duty.token)).body);
      const served = catalog.devices.find((d) => d.id === cam.id)!;
      expect(served).toMatchObject({ position: [40, 10.5], heading: 180, fov: 95, roomId: 'GYM1.B1.F1.R01', floorId: FLOOR });
      // The camera keeps its video.
      expect(served.streams?.main).toMatch(/\/media\/GYM1-CAM001\/main\/index\.m3u8$/);
    } finally {
      await city.close();
    }
  });

  it('refuses a camera in a toilet with the reason, and keeps the plan as it was', async () => {
    const { version, update } = await currentFloor(duty.token);
    const bad = { ...update, devices: [...update.devices, { id: 'NEW-CAM-WC', kind: 'camera' as const, name: 'WC camera', position: [1.5, 15] as [number, number], heading: 0, fov: 60 }] };
    const r = await put(`/api/plans/GYM1/floors/${FLOOR}`, bad, duty.token);
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toMatch(/camera NEW-CAM-WC is in a toilet .*no camera may be placed in toilets or changing rooms/);
    expect((await currentFloor(duty.token)).version).toBe(version);
  });

  it('lets only a duty officer or the school’s own guard edit', async () => {
    const { update } = await currentFloor(duty.token);
    const byDispatcher = await put(`/api/plans/GYM1/floors/${FLOOR}`, update, dispatcher.token);
    expect(byDispatcher.status).toBe(403);
    expect(JSON.stringify(byDispatcher.body)).toMatch(/dispatchers cannot edit floor plans/);

    const other = sim.catalog.schools.find((s) => s.id !== 'GYM1')!;
    const otherFloor = other.buildings[0]!.floors[0]!;
    const byGuard = await put(`/api/plans/${other.id}/floors/${otherFloor.id}`, { baseVersion: 0, rooms: otherFloor.rooms, devices: [] }, guard.token);
    expect(byGuard.status).toBe(403);
    expect((await getJson(`${sim.url}/api/plans/${other.id}`, guard.token)).status).toBe(403);

    const anonymous = await put(`/api/plans/GYM1/floors/${FLOOR}`, update);
    expect(anonymous.status).toBe(401);
  });

  it('validates the body: malformed JSON, unknown fields, a stale version, an unknown floor, an id used elsewhere', async () => {
    const { update } = await currentFloor(duty.token);
    const path = `/api/plans/GYM1/floors/${FLOOR}`;
    expect((await put(path, '{"baseVersion":', duty.token)).status).toBe(400);
    const extra = await put(path, { ...update, script: 'x' }, duty.token);
    expect(extra.status).toBe(400);
    expect(JSON.stringify(extra.body)).toMatch(/script/);
    const notPoint = await put(path, { ...update, rooms: [{ ...update.rooms[0]!, polygon: [[0, 0], [1, 'x'], [2, 2]] }] }, duty.token);
    expect(notPoint.status).toBe(400);

    const stale = await put(path, { ...update, baseVersion: 0 }, duty.token);
    expect(stale.status).toBe(409);
    expect(JSON.stringify(stale.body)).toMatch(/changed since it was opened/);

    expect((await put('/api/plans/GYM1/floors/NOPE.F9', update, duty.token)).status).toBe(404);

    const clash = await put(path, { ...update, devices: [...update.devices, { id: 'GYM1-CAM170', kind: 'door', name: 'Door', position: [40, 10] }] }, duty.token);
    expect(clash.status).toBe(409);
    expect(JSON.stringify(clash.body)).toMatch(/GYM1-CAM170 is already used/);
  });

  it('keeps the edited plans and their version across a restart with the same data folder', async () => {
    const before = await currentFloor(duty.token);
    await sim.close();
    sim = await startSimulator({ backgroundRate: 0, dataDir });
    [duty] = await signInAs(sim, 'duty');
    const token = duty.token;
    const after = await currentFloor(token);
    expect(after.version).toBe(before.version);
    expect(after.update.devices.find((d) => d.id === 'GYM1-CAM001')?.position).toEqual([40, 10.5]);
  });
});
