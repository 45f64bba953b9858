// Plan geometry in floor metres (x right, y down; headings in degrees clockwise from plan-up, the
// -y direction). Pure and platform-free: the plan editor, the simulator's plan endpoint and the
// coverage compliance checks (issue 8) all use these, so they agree on what a camera sees and where
// a device is.
//
//   roomAt([4, 2], floor.rooms)                  // the room a point is in (smallest if nested) or null
//   inFieldOfView(camera, [6, 3])                // the point is in the camera's sector
//   roomCoverage([camA, camB], room.polygon)     // 0..1 of the room's area inside some camera's sector
//   privacyViolation(device, floor.rooms)        // null, or why this camera may not hang there
//   floorPlanProblems(plan)                      // every rule the editor and the backend enforce
//
// Walls are not modelled: a sector is a circle slice of `range` metres, so coverage is an upper
// bound of what a camera sees.
import type { Device, Room } from './protocol';

export type Pt = readonly [number, number];
export type Polygon = readonly Pt[];

/** Points closer than this (metres) to a room's edge count as inside it. */
export const EDGE_EPS = 1e-6;
/** How far a camera's sector reaches when the catalog does not say: a school camera's useful range. */
export const DEFAULT_FOV_RANGE_M = 9;
/** Room kinds where no camera may be placed (privacy rule). */
export const PRIVATE_ROOM_KINDS = ['toilet', 'changing_room'] as const satisfies readonly Room['kind'][];

export interface CameraView {
  position: Pt;
  /** Degrees clockwise from plan-up. */
  heading: number;
  /** Horizontal angle of view in degrees, (0, 360]. */
  fov: number;
  /** Metres; DEFAULT_FOV_RANGE_M when absent. */
  range?: number;
}

// ---- Points and polygons ---------------------------------------------------------------------

/** Unit direction of a heading. */
export function direction(headingDeg: number): Pt {
  const r = (headingDeg * Math.PI) / 180;
  return [Math.sin(r), -Math.cos(r)];
}

/** The heading (degrees in [0, 360)) from `from` towards `to`; 0 when they coincide. */
export function headingTowards(from: Pt, to: Pt): number {
  const dx = to[0] - from[0];
  const dy = to[1] - from[1];
  if (dx === 0 && dy === 0) return 0;
  return normalizeDegrees((Math.atan2(dx, -dy) * 180) / Math.PI);
}

export function normalizeDegrees(deg: number): number {
  const d = deg % 360;
  return d < 0 ? d + 360 : d === 0 ? 0 : d; // no -0
}

export function distanceToSegment(p: Pt, a: Pt, b: Pt): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

/** Even-odd rule; a point on an edge (within EDGE_EPS) is inside. Fewer than 3 points: nothing is inside. */
export function pointInPolygon(p: Pt, polygon: Polygon): boolean {
  const n = polygon.length;
  if (n < 3) return false;
  let inside = false;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const a = polygon[i]!;
    const b = polygon[j]!;
    if (distanceToSegment(p, a, b) <= EDGE_EPS) return true;
    if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
  }
  return inside;
}

/** Signed area (shoelace): positive when the vertices run clockwise on a y-down plan. */
export function signedArea(polygon: Polygon): number {
  let a = 0;
  for (let i = 0; i < polygon.length; i++) {
    const [x0, y0] = polygon[i]!;
    const [x1, y1] = polygon[(i + 1) % polygon.length]!;
    a += x0 * y1 - x1 * y0;
  }
  return a / 2;
}

export function polygonArea(polygon: Polygon): number {
  return Math.abs(signedArea(polygon));
}

export function boundingBox(polygon: Polygon): { minX: number; minY: number; maxX: number; maxY: number } {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of polygon) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  return { minX, minY, maxX, maxY };
}

function cross(o: Pt, a: Pt, b: Pt): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

function segmentsIntersect(a: Pt, b: Pt, c: Pt, d: Pt): boolean {
  const d1 = cross(c, d, a);
  const d2 = cross(c, d, b);
  const d3 = cross(a, b, c);
  const d4 = cross(a, b, d);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  const on = (p: Pt, q: Pt, r: Pt) => Math.min(p[0], q[0]) <= r[0] && r[0] <= Math.max(p[0], q[0]) && Math.min(p[1], q[1]) <= r[1] && r[1] <= Math.max(p[1], q[1]);
  return (d1 === 0 && on(c, d, a)) || (d2 === 0 && on(c, d, b)) || (d3 === 0 && on(a, b, c)) || (d4 === 0 && on(a, b, d));
}

function collinear(polygon: Polygon): boolean {
  return polygon.every((p) => cross(polygon[0]!, polygon[1]!, p) === 0);
}

/** No two non-adjacent edges meet, and adjacent edges meet only at their shared vertex. */
export function isSimplePolygon(polygon: Polygon): boolean {
  const n = polygon.length;
  if (n < 3) return false;
  for (let i = 0; i < n; i++) {
    const a = polygon[i]!;
    const b = polygon[(i + 1) % n]!;
    if (a[0] === b[0] && a[1] === b[1]) return false;
    for (let j = i + 1; j < n; j++) {
      const c = polygon[j]!;
      const d = polygon[(j + 1) % n]!;
      const adjacent = j === i + 1 || (i === 0 && j === n - 1);
      if (adjacent) {
        // Adjacent edges folding back onto each other overlap along a line.
        const shared = j === i + 1 ? b : a;
        const other1 = j === i + 1 ? a : b;
        const other2 = j === i + 1 ? d : c;
        if (cross(shared, other1, other2) === 0 && (other1[0] - shared[0]) * (other2[0] - shared[0]) + (other1[1] - shared[1]) * (other2[1] - shared[1]) > 0) return false;
        continue;
      }
      if (segmentsIntersect(a, b, c, d)) return false;
    }
  }
  return true;
}

// ---- Rooms ---------------------------------------------------------------------------------

/** The room a point is in; the smallest by area when rooms nest or overlap; null outside every room. */
export function roomAt<R extends { readonly polygon: Polygon }>(p: Pt, rooms: readonly R[]): R | null {
  let best: R | null = null;
  let bestArea = Infinity;
  for (const r of rooms) {
    if (!pointInPolygon(p, r.polygon)) continue;
    const area = polygonArea(r.polygon);
    if (area < bestArea) {
      best = r;
      bestArea = area;
    }
  }
  return best;
}

export function isPrivateRoomKind(kind: Room['kind']): boolean {
  return (PRIVATE_ROOM_KINDS as readonly string[]).includes(kind);
}

// ---- Field of view ------------------------------------------------------------------------

function fovOf(camera: CameraView): number {
  return Math.min(360, Math.max(0, camera.fov));
}

/** Whether a point is inside the camera's sector (edges and the camera's own position included). */
export function inFieldOfView(camera: CameraView, p: Pt): boolean {
  return fieldOfViewTest(camera)(p);
}

/**
 * inFieldOfView for one camera and many points: the heading's direction and the half-angle's cosine
 * are worked out once (coverage compliance asks ~800,000 points of a city).
 */
export function fieldOfViewTest(camera: CameraView): (p: Pt) => boolean {
  const range = camera.range ?? DEFAULT_FOV_RANGE_M;
  const fov = fovOf(camera);
  const [hx, hy] = direction(camera.heading);
  const minCos = Math.cos((fov / 2) * (Math.PI / 180)) - 1e-9;
  const [cx, cy] = camera.position;
  return (p) => {
    const dx = p[0] - cx;
    const dy = p[1] - cy;
    const d = Math.hypot(dx, dy);
    // At the lens itself the direction is meaningless (and tiny offsets lose their precision).
    if (d <= EDGE_EPS) return true;
    if (d > range + EDGE_EPS) return false;
    if (fov >= 360) return true;
    return (dx * hx + dy * hy) / d >= minCos;
  };
}

/** The sector as a polygon (camera position, then the arc in `segments` steps), for drawing and clipping. */
export function fieldOfViewPolygon(camera: CameraView, segments = 24): Pt[] {
  const range = camera.range ?? DEFAULT_FOV_RANGE_M;
  const fov = fovOf(camera);
  const start = camera.heading - fov / 2;
  const pts: Pt[] = fov >= 360 ? [] : [camera.position];
  const steps = Math.max(2, Math.ceil((segments * fov) / 90));
  for (let i = 0; i <= steps; i++) {
    if (fov >= 360 && i === steps) break;
    const [x, y] = direction(start + (fov * i) / steps);
    pts.push([camera.position[0] + x * range, camera.position[1] + y * range]);
  }
  return pts;
}

/** Cameras of `cameras` whose sector contains the point. */
export function camerasSeeing<C extends CameraView>(cameras: readonly C[], p: Pt): C[] {
  return cameras.filter((c) => inFieldOfView(c, p));
}

export interface Coverage {
  /** Share of the room's area (0..1) inside at least one camera's sector. */
  covered: number;
  /** Sample points that fell inside the room (the estimate's resolution). */
  samples: number;
}

function isAxisAlignedRectangle(polygon: Polygon): boolean {
  if (polygon.length !== 4) return false;
  for (let i = 0; i < 4; i++) {
    const a = polygon[i]!;
    const b = polygon[(i + 1) % 4]!;
    // Each edge runs along one axis, and the edges alternate between the axes.
    const horizontal = a[1] === b[1] && a[0] !== b[0];
    const vertical = a[0] === b[0] && a[1] !== b[1];
    if (!(horizontal || vertical) || horizontal !== (i % 2 === (polygon[0]![1] === polygon[1]![1] ? 0 : 1))) return false;
  }
  return true;
}

/**
 * The regular grid of about `samples` points over the room's bounding box that fall inside the room:
 * the points roomCoverage estimates on (deterministic). Callers that ask many questions of one room
 * (which cameras see how much of it) sample it once.
 */
export function roomSamplePoints(polygon: Polygon, samples = 400): Pt[] {
  if (polygon.length < 3 || polygonArea(polygon) === 0) return [];
  const box = boundingBox(polygon);
  const w = box.maxX - box.minX;
  const h = box.maxY - box.minY;
  const step = Math.sqrt((w * h) / Math.max(1, samples)) || Math.max(w, h) / Math.sqrt(samples);
  // An axis-aligned rectangle (most rooms) holds every grid point of its box: no polygon test.
  const rect = isAxisAlignedRectangle(polygon);
  const points: Pt[] = [];
  for (let y = box.minY + step / 2; y < box.maxY; y += step) {
    for (let x = box.minX + step / 2; x < box.maxX; x += step) {
      const p: Pt = [x, y];
      if (rect || pointInPolygon(p, polygon)) points.push(p);
    }
  }
  return points;
}

/**
 * How much of a room the cameras see, estimated on a regular grid of about `samples` points over the
 * room's bounding box (deterministic: the same room and cameras give the same figure).
 */
export function roomCoverage(cameras: readonly CameraView[], polygon: Polygon, samples = 400): Coverage {
  const points = roomSamplePoints(polygon, samples);
  const tests = cameras.map(fieldOfViewTest);
  let seen = 0;
  for (const p of points) if (tests.some((see) => see(p))) seen++;
  return { covered: points.length === 0 ? 0 : seen / points.length, samples: points.length };
}

// ---- Rules the editor and the backend enforce ------------------------------------------------

/** What the rules need of a device and a room (catalog objects and editor drafts both fit). */
export interface RuleDevice {
  readonly id: string;
  readonly kind: Device['kind'];
  readonly position: Pt;
  readonly heading?: number;
  readonly fov?: number;
}
export interface RuleRoom {
  readonly id: string;
  readonly kind: Room['kind'];
  readonly polygon: Polygon;
}

export interface PrivacyViolation {
  code: 'camera_in_private_room';
  deviceId: string;
  roomId: string;
  roomKind: Room['kind'];
}

/** The privacy rule: no camera in a toilet or a changing room. Null when the device may be there. */
export function privacyViolation(device: RuleDevice, rooms: readonly RuleRoom[]): PrivacyViolation | null {
  if (device.kind !== 'camera') return null;
  // Any private room containing the point counts, not only the smallest: a camera on the wall
  // shared by a corridor and a toilet is refused.
  const room = rooms.find((r) => isPrivateRoomKind(r.kind) && pointInPolygon(device.position, r.polygon));
  return room ? { code: 'camera_in_private_room', deviceId: device.id, roomId: room.id, roomKind: room.kind } : null;
}

export type PlanProblem =
  | PrivacyViolation
  | { code: 'room_too_few_points' | 'room_self_intersecting' | 'room_zero_area' | 'room_outside_floor'; roomId: string }
  | { code: 'duplicate_id'; id: string }
  | { code: 'device_outside_rooms' | 'device_outside_floor' | 'camera_without_view'; deviceId: string };

export interface FloorPlanInput {
  width: number;
  height: number;
  rooms: readonly RuleRoom[];
  devices: readonly RuleDevice[];
}

/** Every problem that keeps a floor plan from being saved, in a stable order (rooms, then devices). */
export function floorPlanProblems(plan: FloorPlanInput): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const seen = new Set<string>();
  const inFloor = ([x, y]: Pt) => x >= -EDGE_EPS && y >= -EDGE_EPS && x <= plan.width + EDGE_EPS && y <= plan.height + EDGE_EPS;
  for (const r of plan.rooms) {
    if (seen.has(r.id)) problems.push({ code: 'duplicate_id', id: r.id });
    seen.add(r.id);
    if (r.polygon.length < 3) problems.push({ code: 'room_too_few_points', roomId: r.id });
    else if (!isSimplePolygon(r.polygon)) problems.push({ code: collinear(r.polygon) ? 'room_zero_area' : 'room_self_intersecting', roomId: r.id });
    else if (polygonArea(r.polygon) < 1e-6) problems.push({ code: 'room_zero_area', roomId: r.id });
    if (!r.polygon.every(inFloor)) problems.push({ code: 'room_outside_floor', roomId: r.id });
  }
  for (const d of plan.devices) {
    if (seen.has(d.id)) problems.push({ code: 'duplicate_id', id: d.id });
    seen.add(d.id);
    if (!inFloor(d.position)) problems.push({ code: 'device_outside_floor', deviceId: d.id });
    else if (!roomAt(d.position, plan.rooms)) problems.push({ code: 'device_outside_rooms', deviceId: d.id });
    if (d.kind === 'camera' && (d.heading === undefined || d.fov === undefined || !(d.fov > 0 && d.fov <= 360))) {
      problems.push({ code: 'camera_without_view', deviceId: d.id });
    }
    const privacy = privacyViolation(d, plan.rooms);
    if (privacy) problems.push(privacy);
  }
  return problems;
}

/** One problem in English, for logs and the backend's refusal; the console translates the code. */
export function describePlanProblem(p: PlanProblem): string {
  switch (p.code) {
    case 'camera_in_private_room':
      return `camera ${p.deviceId} is in ${p.roomKind === 'toilet' ? 'a toilet' : 'a changing room'} (${p.roomId}): no camera may be placed in toilets or changing rooms`;
    case 'room_too_few_points':
      return `room ${p.roomId} needs at least 3 corners`;
    case 'room_zero_area':
      return `room ${p.roomId} has no area`;
    case 'room_self_intersecting':
      return `room ${p.roomId} crosses itself`;
    case 'room_outside_floor':
      return `room ${p.roomId} reaches outside the floor`;
    case 'duplicate_id':
      return `id ${p.id} is used twice`;
    case 'device_outside_floor':
      return `device ${p.deviceId} is outside the floor`;
    case 'device_outside_rooms':
      return `device ${p.deviceId} is not in any room`;
    case 'camera_without_view':
      return `camera ${p.deviceId} needs a heading and a field of view between 1 and 360 degrees`;
  }
}
