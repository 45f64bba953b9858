import { describe, expect, it } from 'vitest';
import type { Catalog, Device } from '../../../shared/protocol';
import { indexCatalog } from './store';

function device(id: string, schoolId: string, kind: Device['kind'] = 'camera'): Device {
  return { id, kind, schoolId, buildingId: `${schoolId}.B1`, floorId: `${schoolId}.B1.F1`, roomId: `${schoolId}.B1.F1.R1`, name: id, position: [0, 0] };
}

const school = (id: string, name: string) => ({ id, name, districtId: 'D1', address: 'street', location: { lat: 0, lon: 0 }, buildings: [] });

describe('catalog index', () => {
  it('indexes devices by id and school, and picks the first cameras of the scope by school name', () => {
    const catalog: Catalog = {
      districts: [{ id: 'D1', name: 'Abay' }],
      schools: [school('S2', 'School No. 2'), school('S1', 'Gymnasium No. 1')],
      devices: [device('S2-C1', 'S2'), device('S1-F1', 'S1', 'fire_sensor'), device('S1-C1', 'S1'), device('S1-C2', 'S1'), device('S2-C2', 'S2'), device('S2-C3', 'S2')],
      crews: [],
    };
    const index = indexCatalog(catalog);
    expect(index.schoolList.map((s) => s.id)).toEqual(['S1', 'S2']);
    expect(index.devices.get('S1-F1')?.kind).toBe('fire_sensor');
    expect(index.devicesBySchool.get('S1')).toHaveLength(3);
    expect(index.camerasBySchool.get('S1')?.map((d) => d.id)).toEqual(['S1-C1', 'S1-C2']);
    expect(index.firstCameras.map((d) => d.id)).toEqual(['S1-C1', 'S1-C2', 'S2-C1', 'S2-C2']);
    expect(index.districts.get('D1')?.name).toBe('Abay');
  });
});
