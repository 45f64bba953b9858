import { describe, expect, it } from 'vitest';
import type { PlanDevice, Room } from '../../../shared/protocol';
import { canEditPlan, moveDevice, placeDevice, problemsOf, resendOnReturn, setRoomKind, setRoomPolygon } from './model';

const rooms: Room[] = [
  { id: 'corr', name: 'Corridor 1', kind: 'corridor', polygon: [[0, 0], [10, 0], [10, 3], [0, 3]] },
  { id: 'wc', name: 'Toilet 1 (boys)', kind: 'toilet', polygon: [[0, 3], [3, 3], [3, 9], [0, 9]] },
  { id: 'office', name: 'Office', kind: 'office', polygon: [[3, 3], [10, 3], [10, 9], [3, 9]] },
];
const cam: PlanDevice = { id: 'cam', kind: 'camera', name: 'Camera', position: [5, 1], heading: 90, fov: 70 };

describe('plan editor rules', () => {
  it('lets a duty officer edit any school and a guard only their own; never a dispatcher', () => {
    expect(canEditPlan({ role: 'duty_officer', scope: { kind: 'city' } }, 'S1')).toBe(true);
    expect(canEditPlan({ role: 'guard', scope: { kind: 'school', schoolId: 'S1' } }, 'S1')).toBe(true);
    expect(canEditPlan({ role: 'guard', scope: { kind: 'school', schoolId: 'S1' } }, 'S2')).toBe(false);
    expect(canEditPlan({ role: 'dispatcher', scope: { kind: 'city' } }, 'S1')).toBe(false);
    expect(canEditPlan(null, 'S1')).toBe(false);
  });

  it('refuses to place a camera in a toilet, naming the room; a smoke sensor may go there', () => {
    const refused = placeDevice(rooms, [], { ...cam, position: [1, 5] });
    expect(refused).toEqual({ ok: false, refusal: { kind: 'privacy', roomName: 'Toilet 1 (boys)', violation: { code: 'camera_in_private_room', deviceId: 'cam', roomId: 'wc', roomKind: 'toilet' } } });
    expect(placeDevice(rooms, [], { id: 's', kind: 'smoke_sensor', name: 'S', position: [1, 5] }).ok).toBe(true);
    expect(placeDevice(rooms, [], cam)).toEqual({ ok: true, value: [cam] });
  });

  it('keeps a camera where it was when it is dragged into a toilet', () => {
    const r = moveDevice(rooms, [cam], 'cam', [2, 6]);
    expect(r.ok).toBe(false);
    const ok = moveDevice(rooms, [cam], 'cam', [6, 6]);
    expect(ok).toEqual({ ok: true, value: [{ ...cam, position: [6, 6] }] });
  });

  it('refuses to make a room with a camera in it a toilet, or to stretch a toilet over a camera', () => {
    const officeCam = { ...cam, position: [6, 6] as [number, number] };
    expect(setRoomKind(rooms, [officeCam], 'office', 'changing_room')).toMatchObject({ ok: false, refusal: { roomName: 'Office', violation: { roomKind: 'changing_room' } } });
    expect(setRoomKind(rooms, [officeCam], 'office', 'classroom').ok).toBe(true);
    expect(setRoomPolygon(rooms, [officeCam], 'wc', [[0, 3], [7, 3], [7, 9], [0, 9]]).ok).toBe(false);
  });

  it('lists what keeps the draft from being saved', () => {
    expect(problemsOf(10, 9, rooms, [cam])).toEqual([]);
    expect(problemsOf(10, 9, rooms, [{ ...cam, position: [20, 1] }]).map((p) => p.code)).toEqual(['device_outside_floor']);
  });
});

describe('a save the backend missed', () => {
  const draft = { rooms, devices: [cam], background: { id: 'b' }, placement: { x: 0 } };
  it('is sent again when the backend is back while the editor shows the same draft', () => {
    expect(resendOnReturn(draft, { ...draft, status: 'ready' })).toBe(true);
  });
  it('waits for Save after any edit since, while saving, and when nothing was missed', () => {
    expect(resendOnReturn(draft, { ...draft, devices: [cam], status: 'ready' })).toBe(false);
    expect(resendOnReturn(draft, { ...draft, placement: { x: 0 }, status: 'ready' })).toBe(false);
    expect(resendOnReturn(draft, { ...draft, background: null, status: 'ready' })).toBe(false);
    expect(resendOnReturn(draft, { ...draft, status: 'saving' })).toBe(false);
    expect(resendOnReturn(null, { ...draft, status: 'ready' })).toBe(false);
  });
});
