import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../../shared/protocol';
import { indexCatalog } from '../catalog/store';
import { buildTree, fold, schoolCameras, searchCameras } from './tree';
import { parseLayoutFile } from './sync';

const floor = (id: string, level: number) => ({ id, level, name: `Floor ${level}`, width: 100, height: 50, rooms: [] });
const cam = (id: string, schoolId: string, floorId: string, name: string) => ({
  id,
  kind: 'camera' as const,
  schoolId,
  buildingId: `${schoolId}-B1`,
  floorId,
  roomId: 'r',
  name,
  position: [0, 0] as [number, number],
  streams: { main: `http://h/media/${id}/main/index.m3u8`, sub: `http://h/media/${id}/sub/index.m3u8` },
});

function catalog(extraCameras = 0): Catalog {
  const school = (id: string, name: string, districtId: string) => ({
    id,
    name,
    districtId,
    address: '',
    location: { lat: 0, lon: 0 },
    buildings: [{ id: `${id}-B1`, name: 'Main building', floors: [floor(`${id}-F1`, 1), floor(`${id}-F2`, 2)] }],
  });
  const devices = [
    cam('S1-C1', 'S1', 'S1-F2', 'Stairwell east'),
    cam('S1-C2', 'S1', 'S1-F1', 'Main entrance'),
    cam('S2-C1', 'S2', 'S2-F1', 'Спортзал'),
    { ...cam('S2-T1', 'S2', 'S2-F1', 'Turnstile'), kind: 'turnstile' as const, streams: undefined },
  ];
  for (let i = 0; i < extraCameras; i++) devices.push(cam(`S3-C${i}`, 'S3', 'S3-F1', `Corridor ${i}`));
  return {
    districts: [
      { id: 'D2', name: 'Turan' },
      { id: 'D1', name: 'Abay' },
      { id: 'D3', name: 'Karatau' },
    ],
    schools: [school('S1', 'School No. 7', 'D1'), school('S2', 'Гимназия № 1', 'D2'), school('S3', 'Lyceum 3', 'D2')],
    devices,
    crews: [],
  };
}

describe('camera tree', () => {
  it('groups district -> school -> building -> floor -> camera, leaving out empty districts and non-cameras', () => {
    const tree = buildTree(indexCatalog(catalog()));
    expect(tree.districts.map((d) => [d.district.name, d.schools.map((s) => [s.school.id, s.cameraCount])])).toEqual([
      ['Abay', [['S1', 2]]],
      ['Turan', [['S3', 0], ['S2', 1]]],
    ]);
    expect(tree.camerasByFloor.get('S1-F1')!.map((c) => c.id)).toEqual(['S1-C2']);
    // Tree order: floors in building order, so the ground floor's entrance comes first.
    expect(tree.order).toEqual(['S1-C2', 'S1-C1', 'S2-C1']);
    expect(schoolCameras(tree, catalog().schools[0]!)).toEqual(['S1-C2', 'S1-C1']);
  });

  it('finds cameras by any words of name, school, district or id, in any case and script', () => {
    const tree = buildTree(indexCatalog(catalog()));
    expect(searchCameras(tree.search, 'stair').ids).toEqual(['S1-C1']);
    expect(searchCameras(tree.search, 'ABAY entrance').ids).toEqual(['S1-C2']);
    expect(searchCameras(tree.search, 'гимназия спорт').ids).toEqual(['S2-C1']);
    expect(searchCameras(tree.search, 's2-c1').ids).toEqual(['S2-C1']);
    expect(searchCameras(tree.search, '   ').total).toBe(0);
    expect(fold('Ёлка École')).toBe('елка ecole');
  });

  it('searches all 10,000 cameras and caps what it returns (its speed is a benchmark matter, not a timed test)', () => {
    const tree = buildTree(indexCatalog(catalog(10_000)));
    const r = searchCameras(tree.search, 'corridor 99', 100);
    expect(r.total).toBe(Array.from({ length: 10_000 }, (_, i) => String(i)).filter((n) => n.includes('99')).length);
    expect(r.ids).toHaveLength(100);
  });
});

describe('layout files', () => {
  const good = { format: 'kuzet.wall-layout', version: 1, name: 'Entrances', layout: { kind: '4', cells: ['S1-C1', null], tour: null } };

  it('accepts a valid file', () => {
    expect(parseLayoutFile(JSON.stringify(good), 10_000)).toEqual({ ok: true, file: good });
  });

  it('refuses what is too large, not JSON, or outside the schema, saying why', () => {
    expect(parseLayoutFile('x'.repeat(20), 10)).toMatchObject({ ok: false, reason: 'too_large' });
    expect(parseLayoutFile('{nope', 10_000)).toMatchObject({ ok: false, reason: 'not_json' });
    expect(parseLayoutFile(JSON.stringify({ ...good, layout: { ...good.layout, kind: '7' } }), 10_000)).toMatchObject({ ok: false, reason: 'invalid', detail: expect.stringContaining('layout.kind') });
    expect(parseLayoutFile(JSON.stringify({ ...good, extra: 1 }), 10_000)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(parseLayoutFile(JSON.stringify({ ...good, layout: { ...good.layout, cells: ['../../etc'] } }), 10_000)).toMatchObject({ ok: false, reason: 'invalid' });
  });
});
