/**
 * A synthetic school with one dense floor, for the plan benchmark (`npm run bench:plan`): the
 * seeded city has no floor with 500 devices. Only added when the simulator is started with
 * `--bench-floor N` (SimulatorOptions.benchFloorDevices); the production catalog never has it.
 *
 *   const city = withBenchSchool(buildCity(1), 500);   // school BENCH, floor BENCH.B1.F1
 */
import type { Device, Room } from '../shared/protocol';
import type { City } from './catalog';

export const BENCH_SCHOOL_ID = 'BENCH';
export const BENCH_FLOOR_ID = 'BENCH.B1.F1';

const COLS = 12;
const ROOM_W = 12;
const ROOM_D = 10;
const CORRIDOR = 4;
/** The mix of a real floor: mostly cameras, then sensors, doors, turnstiles and buttons. */
const KINDS: readonly Device['kind'][] = ['camera', 'camera', 'camera', 'fire_sensor', 'smoke_sensor', 'door', 'camera', 'alarm_button', 'turnstile', 'smoke_sensor'];

export function withBenchSchool(city: City, deviceCount: number): City {
  if (deviceCount <= 0) return city;
  const anchor = city.schools[0]!;
  const bId = 'BENCH.B1';
  // Two rows of classrooms on each side of two corridors: 4 rows x COLS rooms.
  const rooms: Room[] = [];
  const rowsY = [0, ROOM_D + CORRIDOR, 2 * ROOM_D + CORRIDOR, 3 * ROOM_D + 2 * CORRIDOR];
  const rect = (x0: number, y0: number, x1: number, y1: number): [number, number][] => [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
  ];
  rowsY.forEach((y, row) => {
    for (let c = 0; c < COLS; c++) {
      rooms.push({ id: `${BENCH_FLOOR_ID}.R${row}${String(c).padStart(2, '0')}`, name: `Room ${row + 1}.${c + 1}`, kind: 'classroom', polygon: rect(c * ROOM_W, y, (c + 1) * ROOM_W, y + ROOM_D) });
    }
  });
  const width = COLS * ROOM_W;
  rooms.push({ id: `${BENCH_FLOOR_ID}.C1`, name: 'Corridor 1', kind: 'corridor', polygon: rect(0, ROOM_D, width, ROOM_D + CORRIDOR) });
  rooms.push({ id: `${BENCH_FLOOR_ID}.C2`, name: 'Corridor 2', kind: 'corridor', polygon: rect(0, 3 * ROOM_D + CORRIDOR, width, 3 * ROOM_D + 2 * CORRIDOR) });
  const height = 4 * ROOM_D + 2 * CORRIDOR;
  const classrooms = rooms.filter((r) => r.kind === 'classroom');

  const devices: Device[] = [];
  const perRoom = Math.ceil(deviceCount / classrooms.length);
  for (let i = 0; i < deviceCount; i++) {
    const room = classrooms[i % classrooms.length]!;
    const slot = Math.floor(i / classrooms.length);
    const [x0, y0] = room.polygon[0]!;
    const kind = KINDS[i % KINDS.length]!;
    // Spread the room's devices on a small grid inside it.
    const gx = slot % 4;
    const gy = Math.floor(slot / 4);
    const position: [number, number] = [x0 + 1.5 + gx * ((ROOM_W - 3) / 3), y0 + 1.5 + gy * ((ROOM_D - 3) / Math.max(1, Math.ceil(perRoom / 4) - 1))];
    const base = { id: `BENCH.D${String(i).padStart(4, '0')}`, kind, schoolId: BENCH_SCHOOL_ID, buildingId: bId, floorId: BENCH_FLOOR_ID, roomId: room.id, name: `Bench ${kind} ${i + 1}`, position };
    devices.push(kind === 'camera' ? { ...base, heading: (i * 37) % 360, fov: 70 } : base);
  }

  return {
    ...city,
    schools: [
      ...city.schools,
      {
        id: BENCH_SCHOOL_ID,
        name: 'Benchmark school (dense floor)',
        districtId: anchor.districtId,
        address: 'synthetic',
        location: { lat: anchor.location.lat + 0.004, lon: anchor.location.lon + 0.004 },
        buildings: [{ id: bId, name: 'Main building', floors: [{ id: BENCH_FLOOR_ID, level: 1, name: 'Ground floor', width, height, rooms }] }],
      },
    ],
    devices: [...city.devices, ...devices],
  };
}
