import { describe, expect, it } from 'vitest';
import { Id } from '../shared/domain';
import { Catalog } from '../shared/protocol';
import { buildCity, CREW_COUNT, GYM1_ID, GYM1_NAME, indexCatalog, pointInPolygon, SCHOOL_COUNT, toCatalog } from './catalog';

const city = buildCity(1);
const catalog = toCatalog(city, 'http://127.0.0.1:4010');

describe('catalog', () => {
  it('is identical for the same seed and different for another', () => {
    expect(JSON.stringify(buildCity(1))).toBe(JSON.stringify(city));
    expect(JSON.stringify(buildCity(2))).not.toBe(JSON.stringify(city));
  });

  it('outlines every district around all of its schools, for a map without tiles', () => {
    for (const d of catalog.districts) {
      expect(d.outline!.length).toBeGreaterThanOrEqual(3);
      for (const s of catalog.schools.filter((x) => x.districtId === d.id)) {
        expect(pointInPolygon([s.location.lon, s.location.lat], d.outline!), `${s.id} inside ${d.name}`).toBe(true);
      }
    }
  });

  it('validates against the protocol and uses valid, unique ids', () => {
    expect(Catalog.safeParse(catalog).success).toBe(true);
    const ids = new Set<string>();
    const problems: string[] = [];
    const check = (id: string) => {
      if (!Id.safeParse(id).success) problems.push(`bad id ${id}`);
      if (ids.has(id)) problems.push(`duplicate ${id}`);
      ids.add(id);
    };
    for (const s of catalog.schools) {
      check(s.id);
      for (const b of s.buildings) {
        check(b.id);
        for (const f of b.floors) {
          check(f.id);
          for (const r of f.rooms) check(r.id);
        }
      }
    }
    for (const d of catalog.devices) check(d.id);
    for (const c of catalog.crews) check(c.id);
    expect(problems).toEqual([]);
  });

  it('has the five districts, 268 schools and 360 crews of Shymkent', () => {
    expect(catalog.districts.map((d) => d.name)).toEqual(['Abay', 'Al-Farabi', 'Enbekshi', 'Karatau', 'Turan']);
    expect(catalog.schools).toHaveLength(SCHOOL_COUNT);
    expect(SCHOOL_COUNT).toBe(268);
    expect(new Set(catalog.schools.map((s) => s.name)).size).toBe(268);
    expect(catalog.crews).toHaveLength(CREW_COUNT);
    expect(CREW_COUNT).toBe(360);
    expect(new Set(catalog.crews.map((c) => c.callsign)).size).toBe(360);
    const districtIds = new Set(catalog.districts.map((d) => d.id));
    for (const s of catalog.schools) expect(districtIds.has(s.districtId)).toBe(true);
    // Every kind of school name appears.
    for (const kind of ['School No.', 'Lyceum No.', 'Gymnasium No.', 'School-lyceum No.']) expect(catalog.schools.some((s) => s.name.startsWith(kind))).toBe(true);
  });

  it('places schools and crews around Shymkent', () => {
    const near = (p: { lat: number; lon: number }) => Math.abs(p.lat - 42.32) < 0.12 && Math.abs(p.lon - 69.59) < 0.15;
    expect(catalog.schools.filter((s) => !near(s.location)).map((s) => s.id)).toEqual([]);
    expect(catalog.crews.filter((c) => !near(c.location)).map((c) => c.id)).toEqual([]);
    const lats = catalog.schools.map((s) => s.location.lat);
    // Spread of roughly ten kilometres, not a single point.
    expect((Math.max(...lats) - Math.min(...lats)) * 111).toBeGreaterThan(6);
  });

  it('has Gymnasium No. 1 named after A. S. Pushkin with exactly 180 cameras', () => {
    const gym1 = catalog.schools.find((s) => s.id === GYM1_ID)!;
    expect(gym1.name).toBe(GYM1_NAME);
    expect(catalog.devices.filter((d) => d.schoolId === GYM1_ID && d.kind === 'camera')).toHaveLength(180);
    // Same in another seed: the Pushkin gymnasium is fixed.
    expect(buildCity(99).devices.filter((d) => d.schoolId === GYM1_ID && d.kind === 'camera')).toHaveLength(180);
  });

  it('has about 10,000 cameras, every kind of device, and a camera in every school', () => {
    const cameras = catalog.devices.filter((d) => d.kind === 'camera');
    expect(cameras.length).toBeGreaterThanOrEqual(9800);
    expect(cameras.length).toBeLessThanOrEqual(10200);
    for (const kind of ['fire_sensor', 'smoke_sensor', 'turnstile', 'alarm_button', 'door'] as const)
      expect(catalog.devices.some((d) => d.kind === kind)).toBe(true);
    const perSchool = new Map<string, number>();
    for (const c of cameras) perSchool.set(c.schoolId, (perSchool.get(c.schoolId) ?? 0) + 1);
    expect(perSchool.size).toBe(268);
  });

  it('never puts a camera in a toilet or changing room, and every device inside its room', () => {
    const index = indexCatalog(catalog);
    const kinds = new Set(catalog.schools.flatMap((s) => s.buildings.flatMap((b) => b.floors.flatMap((f) => f.rooms.map((r) => r.kind)))));
    for (const k of ['toilet', 'changing_room', 'stairwell', 'corridor', 'classroom', 'entrance'] as const) expect(kinds.has(k)).toBe(true);
    const problems: string[] = [];
    for (const d of catalog.devices) {
      const ref = index.rooms.get(d.roomId);
      if (!ref) {
        problems.push(`${d.id}: unknown room`);
        continue;
      }
      if (ref.school.id !== d.schoolId || ref.floor.id !== d.floorId || ref.building.id !== d.buildingId) problems.push(`${d.id}: inconsistent ids`);
      if (!pointInPolygon(d.position, ref.room.polygon)) problems.push(`${d.id} at ${d.position.join(',')} outside ${ref.room.id}`);
      if (d.kind !== 'camera') continue;
      if (ref.room.kind === 'toilet' || ref.room.kind === 'changing_room') problems.push(`${d.id}: camera in ${ref.room.kind}`);
      if (!(d.heading! >= 0 && d.heading! < 360 && d.fov! > 0 && d.fov! <= 180)) problems.push(`${d.id}: bad heading/fov`);
    }
    expect(problems).toEqual([]);
  });

  it('keeps rooms on their floor plan and gives cameras absolute main and sub stream URLs', () => {
    const outside: string[] = [];
    for (const s of catalog.schools)
      for (const b of s.buildings)
        for (const f of b.floors) for (const r of f.rooms) if (r.polygon.some(([x, y]) => x < 0 || y < 0 || x > f.width || y > f.height)) outside.push(r.id);
    expect(outside).toEqual([]);
    const cam = catalog.devices.find((d) => d.kind === 'camera')!;
    expect(cam.streams).toEqual({
      main: `http://127.0.0.1:4010/media/${cam.id}/main/index.m3u8`,
      sub: `http://127.0.0.1:4010/media/${cam.id}/sub/index.m3u8`,
    });
    expect(catalog.devices.filter((d) => d.kind !== 'camera').every((d) => d.streams === undefined)).toBe(true);
  });

  it('covers stairwells in most schools (a few gaps are the coverage findings)', () => {
    const index = indexCatalog(catalog);
    let stairwells = 0;
    let covered = 0;
    for (const ref of index.rooms.values()) {
      if (ref.room.kind !== 'stairwell') continue;
      stairwells++;
      if ((index.devicesByRoom.get(ref.room.id) ?? []).some((d) => d.kind === 'camera')) covered++;
    }
    expect(covered / stairwells).toBeGreaterThan(0.95);
  });
});
