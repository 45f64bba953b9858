/**
 * The simulated city: a deterministic (seeded) Shymkent with 268 schools, their buildings, floor
 * plans and devices, and 360 police crews.
 *
 *   const city = buildCity(seed);                    // geometry only, no URLs; < 100 ms
 *   const catalog = toCatalog(city, 'http://host:port'); // adds absolute HLS stream URLs
 *   const index = indexCatalog(catalog);             // lookups for scenarios and scope checks
 *
 * Plan coordinates: metres from the floor's top-left corner, x to the right, y down (as drawn).
 * Camera heading: degrees clockwise from plan-up (the -y direction); fov: horizontal degrees.
 * No camera is ever placed in a toilet or changing room. A few schools (about 4 %) leave one
 * stairwell without a camera: a coverage-compliance finding the duty officer should see.
 */
import { DISTRICTS } from '../shared/domain';
import { DEFAULT_SPEED_MODEL } from '../shared/dispatch';
import type { Building, Catalog, Crew, Device, District, Floor, Room, School } from '../shared/protocol';
import { createRng, type Rng } from './rng';

export const SCHOOL_COUNT = 268;
export const CREW_COUNT = 360;
export const TOTAL_CAMERAS = 10_000;
export const GYM1_ID = 'GYM1';
export const GYM1_NAME = 'Gymnasium No. 1 named after A. S. Pushkin';
export const GYM1_CAMERAS = 180;

const CITY_CENTER = { lat: 42.3155, lon: 69.5869 };
/** District centres, offset from the city centre in km (north, east). */
const DISTRICT_LAYOUT: Record<(typeof DISTRICTS)[number], { north: number; east: number; schools: number; crew: string }> = {
  Abay: { north: 2.4, east: -2.8, schools: 58, crew: 'Sunkar' },
  'Al-Farabi': { north: 0, east: 0, schools: 52, crew: 'Berkut' },
  Enbekshi: { north: -2.6, east: 0.8, schools: 56, crew: 'Kyran' },
  Karatau: { north: 3.0, east: 2.4, schools: 50, crew: 'Tulpar' },
  Turan: { north: -0.8, east: 3.8, schools: 52, crew: 'Bars' },
};
const KM_PER_DEG_LAT = 111.1;
const KM_PER_DEG_LON = 111.1 * Math.cos((CITY_CENTER.lat * Math.PI) / 180);

const STREETS = [
  'Tauke Khan Ave',
  'Respublika Ave',
  'Kunaev Blvd',
  'Baidibek Bi Ave',
  'Tole Bi St',
  'Kazybek Bi St',
  'Ryskulov St',
  'Zheltoksan St',
  'Momyshuly St',
  'Yassaui St',
  'Abai Ave',
  'Al-Farabi Sq',
  'Karasu St',
  'Madeli Kozha St',
  'Dulati St',
  'Turkestan St',
  'Auezov St',
  'Sairam St',
];
const NAMESAKES = [
  'Abai Kunanbaiuly',
  'M. Auezov',
  'Y. Altynsarin',
  'Sh. Ualikhanov',
  'Zh. Balasagun',
  'Kazybek Bi',
  'Tole Bi',
  'M. Zhumabaev',
  'S. Seifullin',
  'B. Momyshuly',
  'A. Baitursynuly',
  'K. Satbayev',
  'M. Makatayev',
  'I. Altynsarin',
  'Kh. Yassaui',
];

type SchoolKind = 'school' | 'gymnasium' | 'lyceum' | 'school_lyceum' | 'specialized';
const KIND_NAMING: Record<SchoolKind, { prefix: string; label: string; count: number; size: number }> = {
  gymnasium: { prefix: 'GYM', label: 'Gymnasium', count: 14, size: 1.3 },
  lyceum: { prefix: 'LYC', label: 'Lyceum', count: 18, size: 1.25 },
  school_lyceum: { prefix: 'SL', label: 'School-lyceum', count: 22, size: 1.15 },
  specialized: { prefix: 'SPS', label: 'Specialized school', count: 6, size: 0.9 },
  school: { prefix: 'SCH', label: 'School', count: SCHOOL_COUNT - 1 - 14 - 18 - 22 - 6, size: 1 },
};

/** The city before it has a network address: everything except the stream URLs. */
export interface City {
  seed: number;
  districts: District[];
  schools: School[];
  devices: Device[];
  crews: Crew[];
}

export function buildCity(seed = 1): City {
  const rng = createRng(seed);
  const districts: District[] = DISTRICTS.map((name) => ({ id: districtId(name), name }));
  const plans = planSchools(rng);
  const cameraTargets = cameraCounts(rng, plans);
  const schools: School[] = [];
  const devices: Device[] = [];
  plans.forEach((plan, i) => {
    const built = buildSchool(rng, plan, cameraTargets[i]!);
    schools.push(built.school);
    for (const d of built.devices) devices.push(d);
  });
  for (const d of districts) d.outline = districtOutline(schools.filter((s) => s.districtId === d.id).map((s) => s.location));
  return { seed, districts, schools, devices, crews: buildCrews(rng) };
}

/** Adds the absolute stream URLs (they depend on where the simulator listens). */
export function toCatalog(city: City, baseUrl: string): Catalog {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    districts: city.districts,
    schools: city.schools,
    devices: city.devices.map((d) =>
      d.kind === 'camera'
        ? {
            ...d,
            streams: {
              main: `${base}/media/${encodeURIComponent(d.id)}/main/index.m3u8`,
              sub: `${base}/media/${encodeURIComponent(d.id)}/sub/index.m3u8`,
            },
          }
        : d,
    ),
    crews: city.crews,
    speedModel: DEFAULT_SPEED_MODEL,
  };
}

export interface RoomRef {
  room: Room;
  floor: Floor;
  building: Building;
  school: School;
}

/** Lookups the scenario engine, scope checks and media need; built once per instance. */
export interface CatalogIndex {
  schools: Map<string, School>;
  devices: Map<string, Device>;
  rooms: Map<string, RoomRef>;
  devicesBySchool: Map<string, Device[]>;
  devicesByRoom: Map<string, Device[]>;
  camerasByFloor: Map<string, Device[]>;
}

export function indexCatalog(catalog: Pick<Catalog, 'schools' | 'devices'>): CatalogIndex {
  const index: CatalogIndex = {
    schools: new Map(),
    devices: new Map(),
    rooms: new Map(),
    devicesBySchool: new Map(),
    devicesByRoom: new Map(),
    camerasByFloor: new Map(),
  };
  for (const school of catalog.schools) {
    index.schools.set(school.id, school);
    for (const building of school.buildings)
      for (const floor of building.floors) for (const room of floor.rooms) index.rooms.set(room.id, { room, floor, building, school });
  }
  const push = (map: Map<string, Device[]>, key: string, d: Device) => {
    const list = map.get(key);
    if (list) list.push(d);
    else map.set(key, [d]);
  };
  for (const d of catalog.devices) {
    index.devices.set(d.id, d);
    push(index.devicesBySchool, d.schoolId, d);
    push(index.devicesByRoom, d.roomId, d);
    if (d.kind === 'camera') push(index.camerasByFloor, d.floorId, d);
  }
  return index;
}

// ---- schools ----------------------------------------------------------------------------------

interface SchoolPlan {
  id: string;
  name: string;
  kind: SchoolKind;
  districtId: string;
  address: string;
  location: { lat: number; lon: number };
  size: number;
}

function districtId(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

function planSchools(rng: Rng): SchoolPlan[] {
  // Which kind each of the 267 other schools is, then which district each school is in.
  const kinds: SchoolKind[] = [];
  for (const kind of Object.keys(KIND_NAMING) as SchoolKind[]) for (let i = 0; i < KIND_NAMING[kind].count; i++) kinds.push(kind);
  rng.shuffle(kinds);
  const districtSlots: string[] = [];
  for (const name of DISTRICTS) for (let i = 0; i < DISTRICT_LAYOUT[name].schools; i++) districtSlots.push(name);
  // GYM1 is in the centre (Al-Farabi); remove one Al-Farabi slot for it.
  districtSlots.splice(districtSlots.indexOf('Al-Farabi'), 1);
  rng.shuffle(districtSlots);

  // Numbers are unique per kind; gymnasium numbering starts at 2 since No. 1 is the Pushkin gymnasium.
  const numbers: Record<SchoolKind, number[]> = {
    gymnasium: rng.shuffle(range(2, 40)),
    lyceum: rng.shuffle(range(1, 60)),
    school_lyceum: rng.shuffle(range(1, 90)),
    specialized: rng.shuffle(range(1, 20)),
    school: rng.shuffle(range(1, 230)),
  };
  const plans: SchoolPlan[] = [
    {
      id: GYM1_ID,
      name: GYM1_NAME,
      kind: 'gymnasium',
      districtId: districtId('Al-Farabi'),
      address: '12 Tauke Khan Ave, Shymkent',
      location: offset(CITY_CENTER, 0.35, -0.25),
      size: 1,
    },
  ];
  kinds.forEach((kind, i) => {
    const naming = KIND_NAMING[kind];
    const n = numbers[kind].shift()!;
    const district = districtSlots[i]! as (typeof DISTRICTS)[number];
    const layout = DISTRICT_LAYOUT[district];
    const namesake = rng.chance(0.22) ? ` named after ${rng.pick(NAMESAKES)}` : '';
    const suffix = kind === 'specialized' ? ' for gifted children' : '';
    plans.push({
      id: `${naming.prefix}${n}`,
      name: `${naming.label} No. ${n}${suffix}${namesake}`,
      kind,
      districtId: districtId(district),
      address: `${rng.int(1, 240)} ${rng.pick(STREETS)}, Shymkent`,
      location: offset(CITY_CENTER, layout.north + rng.normal() * 1.1, layout.east + rng.normal() * 1.1),
      size: naming.size * (0.55 + rng.next() * 0.9),
    });
  });
  return plans;
}

/** Camera count per school: GYM1 has exactly 180, the rest share the remainder by size. */
function cameraCounts(rng: Rng, plans: SchoolPlan[]): number[] {
  const MIN = 16;
  const rest = TOTAL_CAMERAS - GYM1_CAMERAS;
  const weights = plans.map((p) => (p.id === GYM1_ID ? 0 : p.size));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w, i) => (plans[i]!.id === GYM1_ID ? GYM1_CAMERAS : Math.max(MIN, Math.round((w / totalWeight) * rest))));
  let diff = TOTAL_CAMERAS - counts.reduce((a, b) => a + b, 0);
  while (diff !== 0) {
    const i = rng.int(0, plans.length - 1);
    if (plans[i]!.id === GYM1_ID) continue;
    const step = diff > 0 ? 1 : -1;
    if (counts[i]! + step < MIN) continue;
    counts[i]! += step;
    diff -= step;
  }
  return counts;
}

// ---- buildings, floors, rooms -----------------------------------------------------------------

const ROOM_DEPTH = 9;
const CORRIDOR = 3;
const PLAN_DEPTH = ROOM_DEPTH * 2 + CORRIDOR;
const YARD_DEPTH = 15;
const SLOT = 8;
const END_BLOCK = 6;

/** How many cameras a room can reasonably hold, and where they are mounted. */
interface Mount {
  position: [number, number];
  heading: number;
  fov: number;
}
interface RoomSpec {
  room: Room;
  mounts: Mount[];
  /** Gets a camera before any room gets a second one (entrances, corridors, stairwells, yard ...). */
  mandatory: boolean;
  weight: number;
}
interface FloorSpec {
  floor: Floor;
  rooms: RoomSpec[];
}
interface BuildingSpec {
  building: Building;
  floors: FloorSpec[];
}

function buildSchool(rng: Rng, plan: SchoolPlan, cameras: number): { school: School; devices: Device[] } {
  const slotsPerSide = plan.id === GYM1_ID ? 10 : Math.min(10, Math.max(5, Math.round(4 + cameras / 12 + rng.int(-1, 1))));
  const buildings: BuildingSpec[] = [];
  let capacity = 0;
  // Add floors (up to 4 per building, then another block) until the plan holds the cameras with room to spare.
  while (capacity < cameras * 1.3 || buildings.length === 0 || buildings[0]!.floors.length < 2) {
    let current = buildings[buildings.length - 1];
    if (!current || current.floors.length >= (buildings.length === 1 ? 4 : 3)) {
      const b = buildings.length;
      const id = `${plan.id}.B${b + 1}`;
      current = { building: { id, name: b === 0 ? 'Main building' : `Block ${String.fromCharCode(65 + b)}`, floors: [] }, floors: [] };
      buildings.push(current);
    }
    const level = current.floors.length + 1;
    const spec = buildFloor(current.building.id, level, buildings.length === 1, buildings.length === 1 ? slotsPerSide : Math.max(4, slotsPerSide - 2));
    current.floors.push(spec);
    current.building.floors.push(spec.floor);
    capacity += spec.rooms.reduce((s, r) => s + r.mounts.length, 0);
    if (buildings.length > 20) throw new Error(`cannot fit ${cameras} cameras in ${plan.id}`);
  }

  const allRooms = buildings.flatMap((b) => b.floors.flatMap((f) => f.rooms.map((r) => ({ spec: r, floor: f, building: b }))));
  const counts = new Map<RoomSpec, number>();
  let left = cameras;
  // A few schools leave one stairwell uncovered: the kind of gap the coverage view must reveal.
  const uncovered = rng.chance(0.04) ? allRooms.find((r) => r.spec.room.kind === 'stairwell')?.spec : undefined;
  for (const r of allRooms) {
    if (left === 0) break;
    if (r.spec.mandatory && r.spec.mounts.length > 0 && r.spec !== uncovered) {
      counts.set(r.spec, 1);
      left--;
    }
  }
  const candidates = allRooms.filter((r) => r.spec.mounts.length > 0 && r.spec !== uncovered);
  while (left > 0) {
    const open = candidates.filter((r) => (counts.get(r.spec) ?? 0) < r.spec.mounts.length);
    if (open.length === 0) throw new Error(`no camera mounts left in ${plan.id}`);
    const total = open.reduce((s, r) => s + r.spec.weight, 0);
    let pick = rng.next() * total;
    let chosen = open[open.length - 1]!;
    for (const r of open) {
      pick -= r.spec.weight;
      if (pick < 0) {
        chosen = r;
        break;
      }
    }
    counts.set(chosen.spec, (counts.get(chosen.spec) ?? 0) + 1);
    left--;
  }

  const devices: Device[] = [];
  const seq: Record<Device['kind'], number> = { camera: 0, fire_sensor: 0, smoke_sensor: 0, turnstile: 0, alarm_button: 0, door: 0 };
  const add = (kind: Device['kind'], r: (typeof allRooms)[number], name: string, position: [number, number], extra?: Partial<Device>) => {
    seq[kind]++;
    devices.push({
      id: `${plan.id}-${DEVICE_PREFIX[kind]}${String(seq[kind]).padStart(kind === 'camera' ? 3 : 2, '0')}`,
      kind,
      schoolId: plan.id,
      buildingId: r.building.building.id,
      floorId: r.floor.floor.id,
      roomId: r.spec.room.id,
      name,
      position: [round(position[0]), round(position[1])],
      ...extra,
    });
  };
  for (const r of allRooms) {
    const room = r.spec.room;
    const [cx, cy] = centre(room);
    const n = counts.get(r.spec) ?? 0;
    for (let i = 0; i < n; i++) {
      const m = r.spec.mounts[i]!;
      add('camera', r, `Camera ${room.name}${n > 1 ? ` #${i + 1}` : ''}`, m.position, { heading: m.heading, fov: m.fov });
    }
    switch (room.kind) {
      case 'corridor': {
        const [x0, , x1] = bounds(room);
        const sensors = Math.max(1, Math.round((x1 - x0) / 24));
        for (let i = 0; i < sensors; i++) add('smoke_sensor', r, `Smoke sensor ${room.name} #${i + 1}`, [x0 + ((x1 - x0) * (i + 0.5)) / sensors, cy]);
        add('alarm_button', r, `Alarm button ${room.name}`, [x0 + (x1 - x0) / 2 + 1, bounds(room)[1] + 0.3]);
        break;
      }
      case 'stairwell':
      case 'gym':
        add('smoke_sensor', r, `Smoke sensor ${room.name}`, [cx, cy]);
        if (room.kind === 'stairwell' && r.floor.floor.level === 1) add('door', r, `Emergency exit ${room.name}`, [cx, bounds(room)[1] + 0.2]);
        break;
      case 'canteen':
        add('fire_sensor', r, `Heat sensor ${room.name} (kitchen)`, [cx - 3, cy]);
        add('smoke_sensor', r, `Smoke sensor ${room.name}`, [cx + 3, cy]);
        break;
      case 'classroom':
        if (rng.chance(0.35)) add('fire_sensor', r, `Fire sensor ${room.name}`, [cx, cy]);
        break;
      case 'office':
        add('smoke_sensor', r, `Smoke sensor ${room.name}`, [cx, cy]);
        if (room.name.startsWith('Security')) add('alarm_button', r, `Alarm button ${room.name}`, [cx + 1, cy + 1]);
        break;
      case 'entrance': {
        const [x0, , x1, y1] = bounds(room);
        const main = r.building === buildings[0];
        const turnstiles = main ? (plan.id === GYM1_ID ? 4 : 2 + (cameras > 45 ? 1 : 0)) : 1;
        for (let i = 0; i < turnstiles; i++) add('turnstile', r, `Turnstile ${r.building.building.name} #${i + 1}`, [x0 + ((x1 - x0) * (i + 1)) / (turnstiles + 1), y1 - 2.5]);
        add('door', r, `Entrance door ${r.building.building.name}`, [cx, y1 - 0.2]);
        add('alarm_button', r, `Alarm button ${room.name}`, [x0 + 0.3, y1 - 1]);
        break;
      }
      default:
        break;
    }
  }
  const school: School = {
    id: plan.id,
    name: plan.name,
    districtId: plan.districtId,
    address: plan.address,
    location: plan.location,
    buildings: buildings.map((b) => b.building),
  };
  return { school, devices };
}

const DEVICE_PREFIX: Record<Device['kind'], string> = {
  camera: 'CAM',
  fire_sensor: 'FIRE',
  smoke_sensor: 'SMK',
  turnstile: 'TS',
  alarm_button: 'BTN',
  door: 'DOOR',
};

function buildFloor(buildingId: string, level: number, mainBuilding: boolean, slots: number): FloorSpec {
  const id = `${buildingId}.F${level}`;
  const width = END_BLOCK * 2 + slots * SLOT;
  const ground = level === 1;
  const withYard = ground && mainBuilding;
  const rooms: RoomSpec[] = [];
  let n = 0;
  const room = (kind: Room['kind'], name: string, x0: number, y0: number, x1: number, y1: number) => {
    n++;
    const r: Room = { id: `${id}.R${String(n).padStart(2, '0')}`, name, kind, polygon: rect(x0, y0, x1, y1) };
    rooms.push({ room: r, mounts: mountsFor(kind, x0, y0, x1, y1), mandatory: MANDATORY.has(kind), weight: WEIGHT[kind] });
  };
  const northY: [number, number] = [0, ROOM_DEPTH];
  const southY: [number, number] = [ROOM_DEPTH + CORRIDOR, PLAN_DEPTH];

  room('corridor', `Corridor ${level}`, 0, ROOM_DEPTH, width, ROOM_DEPTH + CORRIDOR);
  room('stairwell', `Stairwell ${level}A`, 0, northY[0], END_BLOCK, northY[1]);
  room('stairwell', `Stairwell ${level}B`, width - END_BLOCK, northY[0], width, northY[1]);
  room('toilet', `Toilet ${level} (boys)`, 0, southY[0], END_BLOCK / 2, southY[1]);
  room('toilet', `Toilet ${level} (girls)`, END_BLOCK / 2, southY[0], END_BLOCK, southY[1]);
  if (ground && mainBuilding) {
    room('changing_room', 'Changing room (boys)', width - END_BLOCK, southY[0], width - END_BLOCK / 2, southY[1]);
    room('changing_room', 'Changing room (girls)', width - END_BLOCK / 2, southY[0], width, southY[1]);
  } else {
    room('office', level === 1 ? 'Staff room' : `Teachers' room ${level}`, width - END_BLOCK, southY[0], width, southY[1]);
  }

  const slotX = (i: number): [number, number] => [END_BLOCK + i * SLOT, END_BLOCK + (i + 1) * SLOT];
  let classroom = 0;
  const classroomName = () => `Classroom ${level}.${String(++classroom).padStart(2, '0')}`;
  // North side: canteen and security post on the main building's ground floor, classrooms elsewhere.
  for (let i = 0; i < slots; i++) {
    const [x0, x1] = slotX(i);
    if (ground && mainBuilding && i === 0) room('office', 'Security post', x0, northY[0], x1, northY[1]);
    else if (ground && mainBuilding && (i === 1 || i === 2)) {
      if (i === 1) room('canteen', 'Canteen', x0, northY[0], slotX(2)[1], northY[1]);
    } else room('classroom', classroomName(), x0, northY[0], x1, northY[1]);
  }
  // South side: entrance in the middle of every ground floor; the gym at the far end of the main one.
  const entranceSlot = Math.floor(slots / 2) - 1;
  const gymFrom = slots - 3;
  for (let i = 0; i < slots; i++) {
    const [x0, x1] = slotX(i);
    if (ground && i === entranceSlot) room('entrance', mainBuilding ? 'Main entrance' : 'Entrance', x0, southY[0], x1, southY[1]);
    else if (ground && mainBuilding && i >= gymFrom) {
      if (i === gymFrom) room('gym', 'Gym', x0, southY[0], slotX(slots - 1)[1], southY[1]);
    } else room('classroom', classroomName(), x0, southY[0], x1, southY[1]);
  }
  if (withYard) room('yard', 'Schoolyard', 0, PLAN_DEPTH, width, PLAN_DEPTH + YARD_DEPTH);

  return {
    floor: {
      id,
      level,
      name: level === 1 ? 'Ground floor' : `Floor ${level}`,
      width,
      height: withYard ? PLAN_DEPTH + YARD_DEPTH : PLAN_DEPTH,
      rooms: rooms.map((r) => r.room),
    },
    rooms,
  };
}

const MANDATORY = new Set<Room['kind']>(['entrance', 'corridor', 'stairwell', 'yard', 'gym', 'canteen']);
const WEIGHT: Record<Room['kind'], number> = {
  classroom: 1,
  corridor: 3,
  stairwell: 2,
  gym: 2,
  canteen: 2,
  toilet: 0,
  changing_room: 0,
  entrance: 3,
  yard: 3,
  office: 0.5,
};

/** Where cameras may hang in a room, best first. Toilets and changing rooms have none, by rule. */
function mountsFor(kind: Room['kind'], x0: number, y0: number, x1: number, y1: number): Mount[] {
  const inset = 0.4;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const corner = (x: number, y: number, fov = 90): Mount => ({ position: [x, y], heading: headingTo(x, y, cx, cy), fov });
  const corners = [
    corner(x0 + inset, y0 + inset),
    corner(x1 - inset, y1 - inset),
    corner(x1 - inset, y0 + inset),
    corner(x0 + inset, y1 - inset),
  ];
  switch (kind) {
    case 'toilet':
    case 'changing_room':
      return [];
    case 'corridor': {
      // Along the corridor, alternating walls and directions, so the whole length is seen twice.
      const n = Math.max(2, Math.round((x1 - x0) / 12));
      return Array.from({ length: n }, (_, i) => ({
        position: [x0 + ((x1 - x0) * (i + 0.5)) / n, i % 2 ? y1 - inset : y0 + inset] as [number, number],
        heading: i % 2 ? 270 : 90,
        fov: 70,
      }));
    }
    case 'yard': {
      const n = 6;
      return Array.from({ length: n }, (_, i) => ({ position: [x0 + ((x1 - x0) * (i + 0.5)) / n, y0 + inset] as [number, number], heading: 180, fov: 100 }));
    }
    case 'entrance':
      return [corner(cx, y0 + inset, 100), corners[1]!, corners[3]!];
    case 'stairwell':
      return corners.slice(0, 2);
    case 'gym':
      return corners;
    case 'canteen':
      return corners.slice(0, 3);
    case 'classroom':
      return [corner(x0 + inset, y0 + inset, 100), corner(x1 - inset, y1 - inset, 100)];
    case 'office':
      return corners.slice(0, 1);
  }
}

// ---- crews ------------------------------------------------------------------------------------

function buildCrews(rng: Rng): Crew[] {
  const crews: Crew[] = [];
  const perDistrict = CREW_COUNT / DISTRICTS.length;
  for (const district of DISTRICTS) {
    const layout = DISTRICT_LAYOUT[district];
    for (let i = 1; i <= perDistrict; i++) {
      const callsign = `${layout.crew}-${String(i).padStart(2, '0')}`;
      const status = rng.weighted({ available: 78, busy: 12, off_duty: 10 } as const);
      crews.push({
        id: `crew-${callsign.toLowerCase()}`,
        callsign,
        status,
        location: offset(CITY_CENTER, layout.north + rng.normal() * 1.5, layout.east + rng.normal() * 1.5),
      });
    }
  }
  return crews;
}

// ---- geometry helpers -------------------------------------------------------------------------

/**
 * A district's outline for the map: the convex hull of its schools, pushed out by a margin so no
 * school sits on the line. Outlines of neighbouring districts may overlap; the map draws them
 * translucent.
 */
export function districtOutline(points: readonly { lat: number; lon: number }[], marginKm = 0.4): [number, number][] {
  const pts = [...points].map((p) => [p.lon, p.lat] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (pts.length < 3) {
    const c = pts[0] ?? [CITY_CENTER.lon, CITY_CENTER.lat];
    const dLon = marginKm / KM_PER_DEG_LON;
    const dLat = marginKm / KM_PER_DEG_LAT;
    return [
      [c[0] - dLon, c[1] - dLat],
      [c[0] + dLon, c[1] - dLat],
      [c[0] + dLon, c[1] + dLat],
      [c[0] - dLon, c[1] + dLat],
    ];
  }
  const cross = (o: [number, number], a: [number, number], b: [number, number]) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const half = (list: [number, number][]) => {
    const out: [number, number][] = [];
    for (const p of list) {
      while (out.length >= 2 && cross(out[out.length - 2]!, out[out.length - 1]!, p) <= 0) out.pop();
      out.push(p);
    }
    out.pop();
    return out;
  };
  const hull = [...half(pts), ...half([...pts].reverse())];
  const cLon = hull.reduce((s, p) => s + p[0], 0) / hull.length;
  const cLat = hull.reduce((s, p) => s + p[1], 0) / hull.length;
  // Push each vertex away from the centre by the margin, measured in km so it is even on the map.
  return hull.map(([lon, lat]) => {
    const ex = (lon - cLon) * KM_PER_DEG_LON;
    const ny = (lat - cLat) * KM_PER_DEG_LAT;
    const d = Math.hypot(ex, ny) || 1;
    const k = (d + marginKm) / d;
    return [Math.round((cLon + (ex * k) / KM_PER_DEG_LON) * 1e6) / 1e6, Math.round((cLat + (ny * k) / KM_PER_DEG_LAT) * 1e6) / 1e6];
  });
}

function offset(origin: { lat: number; lon: number }, northKm: number, eastKm: number): { lat: number; lon: number } {
  return {
    lat: Math.round((origin.lat + northKm / KM_PER_DEG_LAT) * 1e6) / 1e6,
    lon: Math.round((origin.lon + eastKm / KM_PER_DEG_LON) * 1e6) / 1e6,
  };
}

function rect(x0: number, y0: number, x1: number, y1: number): [number, number][] {
  return [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
  ];
}

export function bounds(room: Room): [number, number, number, number] {
  const xs = room.polygon.map((p) => p[0]);
  const ys = room.polygon.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

export function centre(room: Room): [number, number] {
  const [x0, y0, x1, y1] = bounds(room);
  return [(x0 + x1) / 2, (y0 + y1) / 2];
}

/** Even-odd rule (points exactly on an edge may go either way). */
export function pointInPolygon(p: readonly [number, number], polygon: readonly (readonly [number, number])[]): boolean {
  const [x, y] = p;
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function headingTo(x: number, y: number, tx: number, ty: number): number {
  const deg = (Math.atan2(tx - x, -(ty - y)) * 180) / Math.PI;
  return Math.round(((deg % 360) + 360) % 360);
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
