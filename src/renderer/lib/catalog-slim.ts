// What a wall-only window (/?view=wall) keeps of the scope's catalog. The wall shows cameras by
// name and school, steps and tours through them in tree order (district, school, building, floor)
// and plays their streams; it never draws plans, maps or crews. Dropping rooms, floor drawings,
// district outlines, crews and the ~8,600 devices that are not cameras keeps a dispatcher's wall
// window tens of megabytes lighter (bench:wall). The operator's window keeps the whole catalog.
import type { Catalog, SchoolPlan } from '../../shared/protocol';

type School = Catalog['schools'][number];
type Device = Catalog['devices'][number];

function slimSchool(s: School): School {
  return {
    ...s,
    buildings: s.buildings.map((b) => ({
      id: b.id,
      name: b.name,
      floors: b.floors.map((f) => ({ id: f.id, level: f.level, name: f.name, width: f.width, height: f.height, rooms: [] })),
    })),
  };
}

const isCamera = (d: Device) => d.kind === 'camera';

export function wallCatalog(c: Catalog): Catalog {
  return {
    districts: c.districts.map((d) => ({ id: d.id, name: d.name })),
    schools: c.schools.map(slimSchool),
    devices: c.devices.filter(isCamera),
    crews: [],
  };
}

/** A school's updated plan as a wall-only window keeps it (see wallCatalog). */
export function wallPlan(p: SchoolPlan): SchoolPlan {
  return { ...p, school: slimSchool(p.school), devices: p.devices.filter(isCamera) };
}
