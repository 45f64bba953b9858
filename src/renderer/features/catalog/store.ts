// The scope's catalog (schools, buildings, devices), indexed once when it arrives: ~10,000 devices
// must not be searched linearly on every render.
import { create } from 'zustand';
import type { SpeedModel } from '../../../shared/dispatch';
import type { Catalog, Crew, Device, District, School, SchoolPlan } from '../../../shared/protocol';
import type { ErrorRef } from '../../lib/errors';

export interface CatalogIndex {
  schools: ReadonlyMap<string, School>;
  /** Schools sorted by name (locale-independent, stable). */
  schoolList: readonly School[];
  districts: ReadonlyMap<string, District>;
  devices: ReadonlyMap<string, Device>;
  devicesBySchool: ReadonlyMap<string, readonly Device[]>;
  camerasBySchool: ReadonlyMap<string, readonly Device[]>;
  devicesByFloor: ReadonlyMap<string, readonly Device[]>;
  /** The first cameras of the scope, for the wall when nothing is selected. */
  firstCameras: readonly Device[];
  /** Police crews in scope (city scope only), with their positions at catalog time. */
  crews: ReadonlyMap<string, Crew>;
  /** The backend's travel model for ETAs, when it sends one. */
  speedModel: SpeedModel | undefined;
}

export interface CatalogStore {
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: ErrorRef | null;
  index: CatalogIndex | null;
  loading(): void;
  load(catalog: Catalog): void;
  fail(error: ErrorRef): void;
  /** Puts a school's updated plan (its buildings, floors, rooms and devices) in place of the old one. */
  patchSchool(plan: SchoolPlan): void;
  reset(): void;
}

const WALL_TILES = 4;

export function indexCatalog(catalog: Catalog): CatalogIndex {
  const schools = new Map(catalog.schools.map((s) => [s.id, s]));
  const devices = new Map<string, Device>();
  const devicesBySchool = new Map<string, Device[]>();
  const camerasBySchool = new Map<string, Device[]>();
  const devicesByFloor = new Map<string, Device[]>();
  const push = (map: Map<string, Device[]>, key: string, d: Device) => {
    const list = map.get(key);
    if (list) list.push(d);
    else map.set(key, [d]);
  };
  for (const d of catalog.devices) {
    devices.set(d.id, d);
    push(devicesBySchool, d.schoolId, d);
    push(devicesByFloor, d.floorId, d);
    if (d.kind === 'camera') push(camerasBySchool, d.schoolId, d);
  }
  const schoolList = [...catalog.schools].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const firstCameras: Device[] = [];
  for (const s of schoolList) {
    for (const c of camerasBySchool.get(s.id) ?? []) {
      if (firstCameras.length >= WALL_TILES) break;
      firstCameras.push(c);
    }
    if (firstCameras.length >= WALL_TILES) break;
  }
  return {
    schools,
    schoolList,
    districts: new Map(catalog.districts.map((d) => [d.id, d])),
    devices,
    devicesBySchool,
    camerasBySchool,
    devicesByFloor,
    firstCameras,
    crews: new Map(catalog.crews.map((c) => [c.id, c])),
    speedModel: catalog.speedModel,
  };
}

export const useCatalogStore = create<CatalogStore>()((set) => ({
  status: 'idle',
  error: null,
  index: null,
  loading: () => set({ status: 'loading', error: null }),
  load: (catalog) => set({ status: 'ready', error: null, index: indexCatalog(catalog) }),
  fail: (error) => set({ status: 'error', error }),
  patchSchool: (plan) =>
    set((s) => {
      if (!s.index || !s.index.schools.has(plan.schoolId)) return {};
      const { index } = s;
      // The school's devices stay where they were in the catalog's order (the wall's first cameras follow it).
      const devices: Device[] = [];
      let placed = false;
      for (const d of index.devices.values()) {
        if (d.schoolId !== plan.schoolId) devices.push(d);
        else if (!placed) {
          devices.push(...plan.devices);
          placed = true;
        }
      }
      if (!placed) devices.push(...plan.devices);
      const catalog: Catalog = {
        districts: [...index.districts.values()],
        schools: index.schoolList.map((school) => (school.id === plan.schoolId ? plan.school : school)),
        devices,
        crews: [...index.crews.values()],
      };
      return { index: indexCatalog(catalog) };
    }),
  reset: () => set({ status: 'idle', error: null, index: null }),
}));
