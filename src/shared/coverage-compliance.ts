/**
 * Coverage compliance of a school's video (issue 8): every required place (entrances, corridors and
 * stairwells — the "shadow" places — yard, canteen, gym) against the cameras whose field of view
 * covers it on the school's floor plans, with all cameras and with only the cameras online now; the
 * share of cameras online; any camera in a toilet or changing room. One score per school with the
 * reasons, and the city ranked by it.
 *
 *   const geo = coverageGeometry(school, cameras)      // the expensive part: per plan version, cache it
 *   const c = compliance(geo, (id) => online(id))      // cheap: per camera status change
 *   rankByCompliance(list)                             // worst first
 *
 * Geometry comes from geometry.ts (roomCoverage's sample grid, the field-of-view test, privacyViolation): the
 * same figures the plan editor and the backend use. Walls are not modelled there, so coverage is an
 * upper bound. Each room is sampled once and each camera's view of it kept as a bit per sample, so a
 * camera going offline recomputes a room without any geometry.
 */
import { DEFAULT_FOV_RANGE_M, boundingBox, fieldOfViewTest, privacyViolation, roomSamplePoints, type CameraView } from './geometry';
import type { Device, Room, School } from './protocol';

export const REQUIRED_ROOM_KINDS = ['entrance', 'corridor', 'stairwell', 'yard', 'canteen', 'gym'] as const satisfies readonly Room['kind'][];
export type RequiredKind = (typeof REQUIRED_ROOM_KINDS)[number];
/** Required kinds a school's plan must have at all: every school has entrances, corridors and stairs. */
export const KINDS_EVERY_PLAN_HAS = ['entrance', 'corridor', 'stairwell'] as const satisfies readonly RequiredKind[];

/**
 * A required room counts as covered when at least this share of its floor area lies in some
 * camera's sector. Not 100 %: a wall-mounted camera never sees the strip beside its own mount, and
 * the sampled estimate is good to a few per cent. Not lower: the figure ignores walls (an upper
 * bound), and a stairwell half in view still hides whoever stands in the other half.
 */
export const COVERED_THRESHOLD = 0.8;

/** Sample points per room for roomCoverage: ~1 % resolution, and the whole city stays well under a second. */
const SAMPLES = 300;

export interface CoveringCamera {
  id: string;
  /** Share of the room this camera alone sees, 0..1. */
  share: number;
  /** 1 where the camera sees the room's sample point. */
  hits: Uint8Array;
}

export interface RoomGeometry {
  roomId: string;
  name: string;
  kind: RequiredKind;
  buildingId: string;
  floorId: string;
  floorName: string;
  /** Sample points inside the room (roomSamplePoints). */
  samples: number;
  /** Cameras on the room's floor that see some of it, most of the room first. */
  cameras: CoveringCamera[];
  /** Share seen by all of those cameras together, 0..1. */
  all: number;
}

export interface PrivacyFlag {
  cameraId: string;
  cameraName: string;
  roomId: string;
  roomName: string;
  roomKind: Room['kind'];
  floorName: string;
}

/** What depends only on the plan (rooms, camera placement): compute once per plan version. */
export interface CoverageGeometry {
  schoolId: string;
  /** The school has at least one floor with rooms. */
  hasPlan: boolean;
  rooms: RoomGeometry[];
  /** Required kinds the plan has no room of (only KINDS_EVERY_PLAN_HAS cost points). */
  missingKinds: RequiredKind[];
  privacy: PrivacyFlag[];
  cameraIds: string[];
}

function isRequired(kind: Room['kind']): kind is RequiredKind {
  return (REQUIRED_ROOM_KINDS as readonly string[]).includes(kind);
}

function viewOf(d: Device): CameraView | null {
  if (d.heading === undefined || d.fov === undefined || !(d.fov > 0)) return null;
  return { position: d.position, heading: d.heading, fov: d.fov };
}

/** Whether a camera's range circle can reach the room's bounding box (a cheap filter before sampling). */
function mayReach(v: CameraView, box: ReturnType<typeof boundingBox>): boolean {
  const dx = Math.max(box.minX - v.position[0], 0, v.position[0] - box.maxX);
  const dy = Math.max(box.minY - v.position[1], 0, v.position[1] - box.maxY);
  return Math.hypot(dx, dy) <= (v.range ?? DEFAULT_FOV_RANGE_M);
}

export function coverageGeometry(school: School, devices: readonly Device[]): CoverageGeometry {
  const steps = coverageGeometrySteps(school, devices);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * coverageGeometry in steps: it pauses after each required room, so a caller on the UI thread can
 * spread a large school (GYM1: 20 rooms, 180 cameras, ~150 ms before the JIT has warmed up) over
 * several tasks.
 */
export function* coverageGeometrySteps(school: School, devices: readonly Device[]): Generator<void, CoverageGeometry, void> {
  const camerasByFloor = new Map<string, { d: Device; v: CameraView | null }[]>();
  const cameraIds: string[] = [];
  for (const d of devices) {
    if (d.kind !== 'camera') continue;
    cameraIds.push(d.id);
    const entry = { d, v: viewOf(d) };
    const list = camerasByFloor.get(d.floorId);
    if (list) list.push(entry);
    else camerasByFloor.set(d.floorId, [entry]);
  }
  const rooms: RoomGeometry[] = [];
  const privacy: PrivacyFlag[] = [];
  const kinds = new Set<Room['kind']>();
  let hasPlan = false;
  for (const b of school.buildings) {
    for (const f of b.floors) {
      if (f.rooms.length > 0) hasPlan = true;
      const cams = camerasByFloor.get(f.id) ?? [];
      for (const { d } of cams) {
        const p = privacyViolation(d, f.rooms);
        if (p) privacy.push({ cameraId: d.id, cameraName: d.name, roomId: p.roomId, roomName: f.rooms.find((r) => r.id === p.roomId)?.name ?? p.roomId, roomKind: p.roomKind, floorName: f.name });
      }
      for (const r of f.rooms) {
        kinds.add(r.kind);
        if (!isRequired(r.kind)) continue;
        const points = roomSamplePoints(r.polygon, SAMPLES);
        const box = boundingBox(r.polygon);
        const covering: CoveringCamera[] = [];
        const any = new Uint8Array(points.length);
        for (const { d, v } of cams) {
          if (!v || !mayReach(v, box)) continue;
          const sees = fieldOfViewTest(v);
          const hits = new Uint8Array(points.length);
          let n = 0;
          for (let i = 0; i < points.length; i++) {
            if (sees(points[i]!)) {
              hits[i] = 1;
              any[i] = 1;
              n++;
            }
          }
          if (n > 0) covering.push({ id: d.id, share: n / points.length, hits });
        }
        covering.sort((a, b) => b.share - a.share || (a.id < b.id ? -1 : 1));
        rooms.push({ roomId: r.id, name: r.name, kind: r.kind, buildingId: b.id, floorId: f.id, floorName: f.name, samples: points.length, cameras: covering, all: share(any) });
        yield;
      }
    }
  }
  const missingKinds = hasPlan ? REQUIRED_ROOM_KINDS.filter((k) => !kinds.has(k)) : [];
  return { schoolId: school.id, hasPlan, rooms, missingKinds, privacy, cameraIds };
}

function share(bits: Uint8Array): number {
  if (bits.length === 0) return 0;
  let n = 0;
  for (let i = 0; i < bits.length; i++) n += bits[i]!;
  return n / bits.length;
}

/** Share of the room that the cameras online now see. */
function onlineShare(room: RoomGeometry, isOnline: (cameraId: string) => boolean): number {
  const online = room.cameras.filter((c) => isOnline(c.id));
  if (online.length === room.cameras.length) return room.all;
  if (online.length === 0) return 0;
  const any = new Uint8Array(room.samples);
  for (const c of online) for (let i = 0; i < room.samples; i++) any[i] |= c.hits[i]!;
  return share(any);
}

export type CoverageState = 'covered' | 'partly' | 'uncovered';

export interface RoomCompliance {
  room: RoomGeometry;
  /** Share seen by the cameras online now, 0..1. */
  online: number;
  state: CoverageState;
  /** Covered with every camera, but not with the ones online now. */
  lostToOutage: boolean;
}

export type ComplianceReason =
  | 'no_plan'
  | 'privacy_violation'
  | 'shadow_uncovered'
  | 'shadow_partly'
  | 'room_uncovered'
  | 'room_partly'
  | 'kind_missing'
  | 'cameras_offline';

export interface Compliance {
  schoolId: string;
  score: number;
  /** Why points were lost, largest first. */
  reasons: { reason: ComplianceReason; points: number; count: number }[];
  rooms: RoomCompliance[];
  /** Required rooms covered (online) / all required rooms. */
  covered: number;
  required: number;
  camerasOnline: number;
  cameras: number;
  missingKinds: RequiredKind[];
  privacy: PrivacyFlag[];
}

export function coverageState(share: number): CoverageState {
  return share >= COVERED_THRESHOLD ? 'covered' : share > 0 ? 'partly' : 'uncovered';
}

const SHADOW: ReadonlySet<RequiredKind> = new Set(['corridor', 'stairwell']);

/**
 * The score (0..100) from the plan's geometry and which cameras are online now. Losses: a camera in
 * a toilet or changing room 40 each (the rule is absolute); a required room short of
 * COVERED_THRESHOLD loses in proportion to how far short it is, up to 15 for a shadow place
 * (corridor, stairwell) and 10 for another, all rooms together at most 60 (so a half-seen corridor
 * costs less than a stairwell nobody sees, and a camera outage shows in the score as the coverage
 * it takes away); a kind every plan has missing 10; offline cameras up to 20 by their share. No
 * plan at all is 0.
 */
export function compliance(geo: CoverageGeometry, isOnline: (cameraId: string) => boolean): Compliance {
  let camerasOnline = 0;
  for (const id of geo.cameraIds) if (isOnline(id)) camerasOnline++;
  const rooms = geo.rooms.map((room): RoomCompliance => {
    const online = onlineShare(room, isOnline);
    const state = coverageState(online);
    return { room, online, state, lostToOutage: state !== 'covered' && coverageState(room.all) === 'covered' };
  });
  const counts = new Map<ComplianceReason, { points: number; count: number }>();
  const take = (reason: ComplianceReason, points: number) => {
    const c = counts.get(reason) ?? { points: 0, count: 0 };
    counts.set(reason, { points: c.points + points, count: c.count + 1 });
  };
  if (!geo.hasPlan) take('no_plan', 100);
  for (let i = 0; i < geo.privacy.length; i++) take('privacy_violation', 40);
  let roomPoints = 0;
  for (const r of rooms) {
    if (r.state === 'covered') continue;
    const shadow = SHADOW.has(r.room.kind);
    const full = shadow ? 15 : 10;
    const points = (full * (COVERED_THRESHOLD - r.online)) / COVERED_THRESHOLD;
    // The rooms' share is capped at 60 together; later rooms count, with what is left of the cap.
    const p = Math.min(points, Math.max(0, 60 - roomPoints));
    roomPoints += p;
    take(shadow ? (r.state === 'uncovered' ? 'shadow_uncovered' : 'shadow_partly') : r.state === 'uncovered' ? 'room_uncovered' : 'room_partly', p);
  }
  for (const k of geo.missingKinds) if ((KINDS_EVERY_PLAN_HAS as readonly string[]).includes(k)) take('kind_missing', 10);
  const cameras = geo.cameraIds.length;
  if (cameras > 0 && camerasOnline < cameras) take('cameras_offline', (20 * (cameras - camerasOnline)) / cameras);
  const reasons = [...counts]
    .map(([reason, c]) => ({ reason, points: Math.round(c.points * 10) / 10, count: c.count }))
    .filter((r) => r.points > 0 || r.reason === 'no_plan')
    .sort((a, b) => b.points - a.points);
  const lost = reasons.reduce((s, r) => s + r.points, 0);
  return {
    schoolId: geo.schoolId,
    score: Math.max(0, Math.round(100 - lost)),
    reasons,
    rooms,
    covered: rooms.filter((r) => r.state === 'covered').length,
    required: rooms.length,
    camerasOnline,
    cameras,
    missingKinds: geo.missingKinds,
    privacy: geo.privacy,
  };
}

/**
 * Keeps each school's geometry while its plan is the same: the school object and its camera objects
 * are replaced when the plan changes (a plan.updated reload or a new catalog), so identity is the
 * plan version here. Status changes only redo compliance(), which is cheap.
 */
export class CoverageCache {
  private readonly bySchool = new Map<string, { school: School; cameras: readonly Device[]; geo: CoverageGeometry }>();

  /** The cached geometry, or undefined when the plan changed (or was never computed). */
  peek(school: School, devices: readonly Device[]): CoverageGeometry | undefined {
    const hit = this.bySchool.get(school.id);
    if (!hit || hit.school !== school) return undefined;
    const cameras = devices.filter((d) => d.kind === 'camera');
    if (cameras.length !== hit.cameras.length || cameras.some((d, i) => d !== hit.cameras[i])) return undefined;
    return hit.geo;
  }

  get(school: School, devices: readonly Device[]): CoverageGeometry {
    return this.peek(school, devices) ?? this.put(school, devices, coverageGeometry(school, devices));
  }

  /** Keeps geometry computed elsewhere (coverageGeometrySteps) for this plan of the school. */
  put(school: School, devices: readonly Device[], geo: CoverageGeometry): CoverageGeometry {
    this.bySchool.set(school.id, { school, cameras: devices.filter((d) => d.kind === 'camera'), geo });
    return geo;
  }

  /** Forget schools that are no longer in scope. */
  retain(schoolIds: ReadonlySet<string>): void {
    for (const id of this.bySchool.keys()) if (!schoolIds.has(id)) this.bySchool.delete(id);
  }
}

/** Worst first; equal scores by fewer covered rooms, then by id (stable across runs). */
export function rankByCompliance<T extends { schoolId: string; compliance: Pick<Compliance, 'score' | 'covered' | 'required'> }>(list: readonly T[]): T[] {
  const share = (c: Pick<Compliance, 'covered' | 'required'>) => (c.required === 0 ? 1 : c.covered / c.required);
  return [...list].sort((a, b) => a.compliance.score - b.compliance.score || share(a.compliance) - share(b.compliance) || (a.schoolId < b.schoolId ? -1 : a.schoolId > b.schoolId ? 1 : 0));
}
