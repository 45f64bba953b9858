// The camera tree (district -> school -> building -> floor -> camera) and the type-ahead search,
// both built once per catalog: the catalog is already filtered by the operator's scope, so the
// tree is too. Searching 10,000 cameras is a scan of prepared lower-case strings (~1 ms).
import type { Device, District, School } from '../../../shared/protocol';
import type { CatalogIndex } from '../catalog/store';

export interface SchoolNode {
  school: School;
  cameraCount: number;
}

export interface DistrictNode {
  district: District;
  schools: SchoolNode[];
  cameraCount: number;
}

export interface CameraTree {
  districts: DistrictNode[];
  /** Cameras per floor id, in catalog order. */
  camerasByFloor: ReadonlyMap<string, readonly Device[]>;
  /** Every camera in tree order: next / previous camera steps through this. */
  order: readonly string[];
  cameraCount: number;
  search: SearchIndex;
}

export interface SearchIndex {
  ids: readonly string[];
  hay: readonly string[];
}

/** Lower case, accents removed, ё as е: what a hurried operator types should match. */
export function fold(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/ё/g, 'е');
}

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function buildTree(index: CatalogIndex): CameraTree {
  const camerasByFloor = new Map<string, Device[]>();
  for (const cams of index.camerasBySchool.values()) {
    for (const c of cams) {
      const list = camerasByFloor.get(c.floorId);
      if (list) list.push(c);
      else camerasByFloor.set(c.floorId, [c]);
    }
  }
  const bySchoolDistrict = new Map<string, SchoolNode[]>();
  for (const school of index.schoolList) {
    const node = { school, cameraCount: index.camerasBySchool.get(school.id)?.length ?? 0 };
    const list = bySchoolDistrict.get(school.districtId);
    if (list) list.push(node);
    else bySchoolDistrict.set(school.districtId, [node]);
  }
  const districts: DistrictNode[] = [...index.districts.values()]
    .sort(byName)
    .map((district) => {
      const schools = bySchoolDistrict.get(district.id) ?? [];
      return { district, schools, cameraCount: schools.reduce((n, s) => n + s.cameraCount, 0) };
    })
    .filter((d) => d.schools.length > 0);

  const order: string[] = [];
  const ids: string[] = [];
  const hay: string[] = [];
  for (const d of districts) {
    for (const { school } of d.schools) {
      for (const b of school.buildings) {
        for (const f of b.floors) {
          for (const c of camerasByFloor.get(f.id) ?? []) {
            order.push(c.id);
            ids.push(c.id);
            hay.push(fold(`${c.name} ${school.name} ${d.district.name} ${b.name} ${f.name} ${c.id}`));
          }
        }
      }
    }
  }
  return { districts, camerasByFloor, order, cameraCount: order.length, search: { ids, hay } };
}

/** Cameras whose text holds every word of the query, in tree order; at most `limit`, and the total. */
export function searchCameras(search: SearchIndex, query: string, limit = 100): { ids: string[]; total: number } {
  const terms = fold(query).split(/\s+/).filter(Boolean);
  if (terms.length === 0) return { ids: [], total: 0 };
  const ids: string[] = [];
  let total = 0;
  const { hay } = search;
  outer: for (let i = 0; i < hay.length; i++) {
    const h = hay[i]!;
    for (const t of terms) if (!h.includes(t)) continue outer;
    total++;
    if (ids.length < limit) ids.push(search.ids[i]!);
  }
  return { ids, total };
}

/** The cameras of a school in tree order (building, floor). */
export function schoolCameras(tree: CameraTree, school: School): string[] {
  const out: string[] = [];
  for (const b of school.buildings) for (const f of b.floors) for (const c of tree.camerasByFloor.get(f.id) ?? []) out.push(c.id);
  return out;
}
