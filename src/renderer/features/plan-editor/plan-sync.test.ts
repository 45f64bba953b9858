import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Catalog, EventEnvelope, SchoolPlan } from '../../../shared/protocol';
import { useCatalogStore } from '../catalog/store';
import { applyPlanEvents, followPlanUpdates } from './plan-sync';

const floor = (id: string, rooms: number) => ({
  id,
  level: 1,
  name: 'Floor 1',
  width: 10,
  height: 10,
  rooms: Array.from({ length: rooms }, (_, i) => ({ id: `${id}.R${i}`, name: `R${i}`, kind: 'classroom' as const, polygon: [[0, 0], [1, 0], [1, 1]] as [number, number][] })),
});
const school = (id: string, rooms: number) => ({ id, name: id, districtId: 'D1', address: 'a', location: { lat: 0, lon: 0 }, buildings: [{ id: `${id}.B1`, name: 'B1', floors: [floor(`${id}.F1`, rooms)] }] });
const device = (id: string, schoolId: string) => ({ id, kind: 'camera' as const, schoolId, buildingId: `${schoolId}.B1`, floorId: `${schoolId}.F1`, roomId: `${schoolId}.F1.R0`, name: id, position: [0.5, 0.2] as [number, number] });
const catalog: Catalog = {
  districts: [{ id: 'D1', name: 'Abay' }],
  schools: [school('S1', 1), school('S2', 1)],
  devices: [device('S1-C1', 'S1'), device('S2-C1', 'S2')],
  crews: [{ id: 'CREW-1', callsign: 'Berkut-1', status: 'available', location: { lat: 42.3, lon: 69.6 } }],
};
const event = (seq: number, schoolId: string, version: number): EventEnvelope => ({
  id: `e${seq}`,
  stream: 'city',
  seq,
  ts: '2026-03-02T08:00:00Z',
  type: 'plan.updated',
  v: 1,
  schoolId,
  payload: { schoolId, floorId: `${schoolId}.F1`, version, by: { id: 'u', name: 'U' } },
});

afterEach(() => useCatalogStore.getState().reset());

describe('following plan updates', () => {
  it('reloads an updated school’s plan into the catalog once per new version, leaving other schools alone', async () => {
    useCatalogStore.getState().load(catalog);
    const plan: SchoolPlan = { schoolId: 'S1', version: 1, school: school('S1', 3), devices: [device('S1-C1', 'S1'), device('S1-C9', 'S1')] };
    const load = vi.fn(() => Promise.resolve(plan));
    const stop = followPlanUpdates(load);
    applyPlanEvents([event(1, 'S1', 1)]);
    await vi.waitFor(() => expect(useCatalogStore.getState().index?.devicesBySchool.get('S1')?.map((d) => d.id)).toEqual(['S1-C1', 'S1-C9']));
    const index = useCatalogStore.getState().index!;
    expect(index.schools.get('S1')?.buildings[0]?.floors[0]?.rooms).toHaveLength(3);
    expect(index.devices.get('S2-C1')).toBeDefined();
    expect(index.crews.get('CREW-1')?.callsign).toBe('Berkut-1');
    // A replay of the same version, or an older one, fetches nothing.
    applyPlanEvents([event(1, 'S1', 1), event(2, 'S1', 1)]);
    await Promise.resolve();
    expect(load).toHaveBeenCalledTimes(1);
    stop();
  });

  it('ignores plan events for schools outside the catalog and malformed payloads', async () => {
    useCatalogStore.getState().load(catalog);
    const load = vi.fn(() => Promise.reject(new Error('should not load')));
    const stop = followPlanUpdates(load);
    applyPlanEvents([event(1, 'S9', 1), { ...event(2, 'S1', 1), payload: { schoolId: 'S1' } }]);
    await Promise.resolve();
    expect(load).not.toHaveBeenCalled();
    stop();
  });
});
