// The plan editor's rules on a floor draft, pure so they are tested without a DOM: who may edit,
// placing and moving devices under the privacy rule, rooms whose kind would put a camera in a
// toilet, and the problems that keep a draft from being saved (src/shared/geometry.ts).
import { floorPlanProblems, isPrivateRoomKind, privacyViolation, roomAt, type PlanProblem, type PrivacyViolation, type Pt } from '../../../shared/geometry';
import type { PlanDevice, Room, User } from '../../../shared/protocol';

export type RoomKind = Room['kind'];
export type DeviceKind = PlanDevice['kind'];

/** Duty officers edit any school's plans; a guard only their own school's. Dispatchers do not edit. */
export function canEditPlan(user: Pick<User, 'role' | 'scope'> | null, schoolId: string): boolean {
  if (!user) return false;
  if (user.role === 'duty_officer') return user.scope.kind === 'city' || user.scope.schoolId === schoolId;
  if (user.role === 'guard') return user.scope.kind === 'school' && user.scope.schoolId === schoolId;
  return false;
}

export interface Refusal {
  kind: 'privacy';
  violation: PrivacyViolation;
  roomName: string;
}

export type Edit<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };

function refusalOf(violation: PrivacyViolation, rooms: readonly Room[]): Refusal {
  return { kind: 'privacy', violation, roomName: rooms.find((r) => r.id === violation.roomId)?.name ?? violation.roomId };
}

/** A device placed at `position`, or the reason it may not be there. */
export function placeDevice(rooms: readonly Room[], devices: readonly PlanDevice[], device: PlanDevice): Edit<PlanDevice[]> {
  const violation = privacyViolation(device, rooms);
  if (violation) return { ok: false, refusal: refusalOf(violation, rooms) };
  return { ok: true, value: [...devices, device] };
}

/** A device moved; a camera dropped in a toilet stays where it was and the reason is given. */
export function moveDevice(rooms: readonly Room[], devices: readonly PlanDevice[], id: string, position: Pt): Edit<PlanDevice[]> {
  const device = devices.find((d) => d.id === id);
  if (!device) return { ok: true, value: [...devices] };
  const moved = { ...device, position: [position[0], position[1]] as [number, number] };
  const violation = privacyViolation(moved, rooms);
  if (violation) return { ok: false, refusal: refusalOf(violation, rooms) };
  return { ok: true, value: devices.map((d) => (d.id === id ? moved : d)) };
}

/** A room's kind changed; making a room with a camera in it a toilet or changing room is refused. */
export function setRoomKind(rooms: readonly Room[], devices: readonly PlanDevice[], id: string, kind: RoomKind): Edit<Room[]> {
  const next = rooms.map((r) => (r.id === id ? { ...r, kind } : r));
  if (isPrivateRoomKind(kind)) {
    for (const d of devices) {
      const violation = privacyViolation(d, next);
      if (violation && violation.roomId === id) return { ok: false, refusal: refusalOf(violation, next) };
    }
  }
  return { ok: true, value: next };
}

/** A room's outline changed (a corner dragged); refused when it would take in a camera as a private room. */
export function setRoomPolygon(rooms: readonly Room[], devices: readonly PlanDevice[], id: string, polygon: [number, number][]): Edit<Room[]> {
  const next = rooms.map((r) => (r.id === id ? { ...r, polygon } : r));
  for (const d of devices) {
    const violation = privacyViolation(d, next);
    if (violation && violation.roomId === id) return { ok: false, refusal: refusalOf(violation, next) };
  }
  return { ok: true, value: next };
}

export function addRoom(rooms: readonly Room[], devices: readonly PlanDevice[], room: Room): Edit<Room[]> {
  return setRoomPolygon([...rooms, room], devices, room.id, room.polygon);
}

/** The room each device is in (for labels), by id. */
export function deviceRooms(rooms: readonly Room[], devices: readonly PlanDevice[]): Map<string, Room | null> {
  return new Map(devices.map((d) => [d.id, roomAt(d.position, rooms)]));
}

export function problemsOf(width: number, height: number, rooms: readonly Room[], devices: readonly PlanDevice[]): PlanProblem[] {
  return floorPlanProblems({ width, height, rooms, devices });
}

/** Rounds to centimetres: what an operator can place by hand, and short in JSON. */
export function snap(p: Pt): [number, number] {
  return [Math.round(p[0] * 100) / 100, Math.round(p[1] * 100) / 100];
}

/** What a save sends. Edits replace these arrays and objects, never change them in place, so identity says "unchanged". */
export interface DraftContent {
  rooms: readonly Room[];
  devices: readonly PlanDevice[];
  background: object | null;
  placement: object | null;
}

/**
 * Whether a draft whose save could not reach the backend is sent by itself now the backend is
 * back: only while the editor still shows exactly that draft (an edit since waits for Save).
 */
export function resendOnReturn(unsent: DraftContent | null, now: DraftContent & { status: string }): boolean {
  if (!unsent || now.status !== 'ready') return false;
  return unsent.rooms === now.rooms && unsent.devices === now.devices && unsent.background === now.background && unsent.placement === now.placement;
}
