import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Catalog, Device, School } from '../../../shared/protocol';
import { useCatalogStore } from '../catalog/store';
import { useDeviceStatusStore } from '../plan/device-status-store';
import { resetCoverage, startCoverage, useCoverageStore } from './store';

// Each school: a 4 x 4 m stairwell that one corner camera sees whole.
const school = (id: string): School => ({
  id,
  name: id,
  districtId: 'D1',
  address: 'a',
  location: { lat: 0, lon: 0 },
  buildings: [
    {
      id: `${id}.B1`,
      name: 'B1',
      floors: [
        {
          id: `${id}.F1`,
          level: 1,
          name: 'Floor 1',
          width: 10,
          height: 10,
          rooms: [
            {
              id: `${id}.ST`,
              name: 'Stairs',
              kind: 'stairwell',
              polygon: [
                [0, 0],
                [4, 0],
                [4, 4],
                [0, 4],
              ],
            },
          ],
        },
      ],
    },
  ],
});
const camera = (id: string, schoolId: string, position: [number, number] = [0.1, 0.1], heading = 135): Device => ({ id, kind: 'camera', schoolId, buildingId: `${schoolId}.B1`, floorId: `${schoolId}.F1`, roomId: `${schoolId}.ST`, name: id, position, heading, fov: 90 });
const catalog: Catalog = { districts: [{ id: 'D1', name: 'Abay' }], schools: [school('S1'), school('S2')], devices: [camera('S1-C1', 'S1'), camera('S2-C1', 'S2')], crews: [] };

let stop: () => void = () => {};
beforeEach(() => {
  vi.useFakeTimers();
  useCatalogStore.getState().load(catalog);
  stop = startCoverage();
});
afterEach(() => {
  stop();
  resetCoverage();
  useCatalogStore.getState().reset();
  useDeviceStatusStore.getState().reset();
  vi.useRealTimers();
});

const room = (id: string) => useCoverageStore.getState().bySchool.get(id)?.rooms[0];

describe('the coverage engine', () => {
  it('computes every school of the catalog in slices off the current task', () => {
    expect(useCoverageStore.getState().bySchool.size).toBe(0);
    vi.runOnlyPendingTimers();
    vi.runAllTimers();
    expect(useCoverageStore.getState().bySchool.size).toBe(2);
    expect(useCoverageStore.getState().pending).toBe(0);
    expect(room('S1')?.state).toBe('covered');
  });

  it("redoes a school when one of its cameras goes offline (within a second), keeping the other schools' figures as they were", () => {
    vi.runAllTimers();
    const s2 = useCoverageStore.getState().bySchool.get('S2');
    useDeviceStatusStore.getState().load([{ deviceId: 'S1-C1', status: 'offline', at: '2026-03-02T08:00:00Z', seq: 1 }]);
    vi.advanceTimersByTime(999);
    expect(room('S1')?.state).toBe('covered');
    vi.runAllTimers();
    expect(room('S1')?.state).toBe('uncovered');
    expect(useCoverageStore.getState().bySchool.get('S1')?.camerasOnline).toBe(0);
    expect(useCoverageStore.getState().bySchool.get('S2')).toBe(s2);
  });

  it('redoes the geometry of a school whose plan changed (plan.updated reload), and only that one', () => {
    vi.runAllTimers();
    const s2 = useCoverageStore.getState().bySchool.get('S2');
    // The camera turned to face away from the stairwell.
    useCatalogStore.getState().patchSchool({ schoolId: 'S1', version: 1, school: school('S1'), devices: [camera('S1-C1', 'S1', [0.1, 0.1], 315)] });
    vi.runAllTimers();
    expect(room('S1')?.state).not.toBe('covered');
    expect(useCoverageStore.getState().bySchool.get('S2')).toBe(s2);
  });
});
