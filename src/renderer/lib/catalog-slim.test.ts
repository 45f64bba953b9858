import { describe, expect, it } from 'vitest';
import { Catalog, SchoolPlan, type Device, type School } from '../../shared/protocol';
import { indexCatalog } from '../features/catalog/store';
import { buildTree } from '../features/wall/tree';
import { wallCatalog, wallPlan } from './catalog-slim';

const GYM1_ID = 'GYM1';
const room = (id: string) => ({ id, name: id, kind: 'classroom' as const, polygon: [[0, 0], [4, 0], [4, 4]] as [number, number][] });
function school(id: string, name: string, districtId: string): School {
  return {
    id,
    name,
    districtId,
    address: 'street 1',
    location: { lat: 43.2, lon: 76.9 },
    buildings: [1, 2].map((b) => ({
      id: `${id}.B${b}`,
      name: `Building ${b}`,
      floors: [1, 2].map((f) => ({ id: `${id}.B${b}.F${f}`, level: f, name: `Floor ${f}`, width: 40, height: 20, rooms: [room(`${id}.B${b}.F${f}.R1`), room(`${id}.B${b}.F${f}.R2`)] })),
    })),
  };
}
function devices(s: School): Device[] {
  const out: Device[] = [];
  for (const b of s.buildings)
    for (const f of b.floors)
      for (const kind of ['camera', 'alarm_button', 'camera', 'fire_sensor'] as const) {
        const id = `${f.id}.D${out.length}`;
        out.push({ id, kind, schoolId: s.id, buildingId: b.id, floorId: f.id, roomId: f.rooms[0]!.id, name: `${kind} ${id}`, position: [1, 1], ...(kind === 'camera' ? { heading: 90, fov: 70, streams: { main: `http://127.0.0.1:9/hls/${id}/main.m3u8`, sub: `http://127.0.0.1:9/hls/${id}/sub.m3u8` } } : {}) });
      }
  return out;
}
const schools = [school('SCH2', 'School No. 2', 'D2'), school(GYM1_ID, 'Gymnasium No. 1', 'D1'), school('SCH3', 'School No. 3', 'D1')];
const full: Catalog = {
  districts: [
    { id: 'D1', name: 'Almaly', outline: [[76.9, 43.2], [76.95, 43.2], [76.95, 43.25]] },
    { id: 'D2', name: 'Bostandyk' },
  ],
  schools,
  devices: schools.flatMap(devices),
  crews: [{ id: 'CR1', callsign: 'A-1', status: 'available', location: { lat: 43.2, lon: 76.9 } }],
};

describe('the wall-only window catalog', () => {
  const slim = wallCatalog(full);

  it('keeps every camera with its name, school and streams, and the tree order of the full catalog', () => {
    expect(Catalog.safeParse(slim).success).toBe(true);
    const cameras = full.devices.filter((d) => d.kind === 'camera');
    expect(slim.devices).toEqual(cameras);
    const a = indexCatalog(full);
    const b = indexCatalog(slim);
    expect(b.schoolList.map((s) => [s.id, s.name])).toEqual(a.schoolList.map((s) => [s.id, s.name]));
    expect(b.camerasBySchool.get(GYM1_ID)).toEqual(a.camerasBySchool.get(GYM1_ID));
    expect(buildTree(b).order).toEqual(buildTree(a).order);
    expect(b.firstCameras).toEqual(a.firstCameras);
  });

  it('drops what the wall never shows: rooms, other devices, crews, district outlines', () => {
    expect(full.devices.some((d) => d.kind !== 'camera')).toBe(true);
    expect(full.crews.length).toBeGreaterThan(0);
    expect(slim.crews).toEqual([]);
    expect(slim.schools.flatMap((s) => s.buildings.flatMap((b) => b.floors.flatMap((f) => f.rooms)))).toEqual([]);
    expect(slim.districts.every((d) => d.outline === undefined)).toBe(true);
  });

  it('slims a school plan update the same way', () => {
    const school = full.schools.find((s) => s.id === GYM1_ID)!;
    const plan: SchoolPlan = { schoolId: GYM1_ID, version: 3, school, devices: full.devices.filter((d) => d.schoolId === GYM1_ID) };
    const p = wallPlan(plan);
    expect(SchoolPlan.safeParse(p).success).toBe(true);
    expect(p.version).toBe(3);
    expect(p.devices.every((d) => d.kind === 'camera')).toBe(true);
    expect(p.devices).toHaveLength(plan.devices.filter((d) => d.kind === 'camera').length);
    expect(p.school.buildings.map((b) => b.floors.map((f) => f.id))).toEqual(school.buildings.map((b) => b.floors.map((f) => f.id)));
  });
});
