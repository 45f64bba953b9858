import { describe, expect, it } from 'vitest';
import { COVERED_THRESHOLD, CoverageCache, compliance, coverageGeometry, rankByCompliance, type Compliance } from './coverage-compliance';
import type { Device, Room, School } from './protocol';

const rect = (id: string, kind: Room['kind'], x0: number, y0: number, x1: number, y1: number): Room => ({
  id,
  name: `${kind} ${id}`,
  kind,
  polygon: [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
  ],
});

function school(rooms: Room[], id = 'S1'): School {
  return {
    id,
    name: `School ${id}`,
    districtId: 'D1',
    address: '',
    location: { lat: 0, lon: 0 },
    buildings: [{ id: `${id}.B1`, name: 'Main', floors: [{ id: `${id}.F1`, level: 1, name: 'Floor 1', width: 40, height: 30, rooms }] }],
  };
}

function camera(id: string, position: [number, number], heading: number, fov: number, schoolId = 'S1'): Device {
  return { id, kind: 'camera', schoolId, buildingId: `${schoolId}.B1`, floorId: `${schoolId}.F1`, roomId: 'x', name: `Camera ${id}`, position, heading, fov };
}

// One floor: a stairwell one camera sees whole, a 20 m corridor one camera sees the start of, a yard
// no camera sees, an entrance two cameras see whole, and a camera hung in a toilet.
const ROOMS = [
  rect('STAIR', 'stairwell', 0, 0, 4, 4),
  rect('CORR', 'corridor', 4, 0, 24, 3),
  rect('YARD', 'yard', 0, 18, 8, 28),
  rect('ENT', 'entrance', 12, 10, 16, 14),
  rect('WC', 'toilet', 20, 10, 24, 14),
  rect('CLASS', 'classroom', 26, 0, 34, 8),
];
const CAMERAS = [
  camera('C-STAIR', [0.1, 0.1], 135, 90),
  camera('C-CORR', [4.2, 1.5], 90, 60),
  camera('C-ENT1', [12.1, 10.1], 135, 90),
  camera('C-ENT2', [15.9, 13.9], 315, 90),
  camera('C-WC', [22, 12], 0, 90),
];
const all = () => true;
const except =
  (...ids: string[]) =>
  (id: string) =>
    !ids.includes(id);
const room = (c: Compliance, id: string) => c.rooms.find((r) => r.room.roomId === id)!;

describe('coverage compliance', () => {
  const geo = coverageGeometry(school(ROOMS), CAMERAS);

  it('finds each required room with its coverage and the cameras that see it; other rooms are not required', () => {
    const c = compliance(geo, all);
    expect(c.rooms.map((r) => r.room.roomId).sort()).toEqual(['CORR', 'ENT', 'STAIR', 'YARD']);
    expect(room(c, 'STAIR').state).toBe('covered');
    expect(room(c, 'STAIR').room.all).toBe(1);
    expect(room(c, 'STAIR').room.cameras.map((k) => k.id)).toEqual(['C-STAIR']);
    // 9 m of a 20 m corridor at most: partly covered.
    expect(room(c, 'CORR').state).toBe('partly');
    expect(room(c, 'CORR').room.all).toBeGreaterThan(0.2);
    expect(room(c, 'CORR').room.all).toBeLessThan(0.5);
    expect(room(c, 'YARD').state).toBe('uncovered');
    expect(room(c, 'YARD').room.cameras).toEqual([]);
    expect(room(c, 'ENT').room.cameras.map((k) => k.id).sort()).toEqual(['C-ENT1', 'C-ENT2']);
    expect(room(c, 'ENT').state).toBe('covered');
    expect(c.covered).toBe(2);
    expect(c.required).toBe(4);
  });

  it('flags the camera in the toilet, and lists the required kinds the plan lacks', () => {
    const c = compliance(geo, all);
    expect(c.privacy).toEqual([expect.objectContaining({ cameraId: 'C-WC', roomId: 'WC', roomKind: 'toilet' })]);
    expect(c.reasons.find((r) => r.reason === 'privacy_violation')).toEqual({ reason: 'privacy_violation', points: 40, count: 1 });
    // Canteen and gym are not in this plan; every plan has entrances, corridors and stairs, so no points for them.
    expect(c.missingKinds).toEqual(['canteen', 'gym']);
    expect(c.reasons.some((r) => r.reason === 'kind_missing')).toBe(false);
  });

  it('scores the uncovered yard and the partly covered corridor by how far short they are', () => {
    const c = compliance(geo, all);
    expect(c.reasons.find((r) => r.reason === 'room_uncovered')).toEqual({ reason: 'room_uncovered', points: 10, count: 1 });
    const corr = c.reasons.find((r) => r.reason === 'shadow_partly')!;
    expect(corr.points).toBeCloseTo((15 * (COVERED_THRESHOLD - room(c, 'CORR').online)) / COVERED_THRESHOLD, 1);
    expect(c.score).toBe(Math.round(100 - 40 - 10 - corr.points));
  });

  it('a camera offline takes its room out of coverage now, but not out of the plan; the online share drops', () => {
    const before = compliance(geo, all);
    const c = compliance(geo, except('C-STAIR'));
    expect(room(c, 'STAIR').room.all).toBe(1);
    expect(room(c, 'STAIR').online).toBe(0);
    expect(room(c, 'STAIR').state).toBe('uncovered');
    expect(room(c, 'STAIR').lostToOutage).toBe(true);
    expect(c.camerasOnline).toBe(4);
    expect(c.cameras).toBe(5);
    expect(c.reasons.find((r) => r.reason === 'shadow_uncovered')?.points).toBe(15);
    expect(c.reasons.find((r) => r.reason === 'cameras_offline')?.points).toBe(4);
    // The stairwell camera also saw the corridor's first metres: that is lost too.
    expect(room(c, 'CORR').online).toBeLessThan(room(c, 'CORR').room.all);
    expect(c.score).toBeLessThanOrEqual(before.score - 15 - 4);
  });

  it('a room two cameras see stays covered when one of them goes offline', () => {
    const c = compliance(geo, except('C-ENT1'));
    expect(room(c, 'ENT').online).toBeGreaterThanOrEqual(COVERED_THRESHOLD);
    expect(room(c, 'ENT').state).toBe('covered');
    expect(room(c, 'ENT').lostToOutage).toBe(false);
  });

  it('a school without a plan scores 0; a plan without stairs loses points for the missing kind', () => {
    const none = compliance(coverageGeometry({ ...school([]), buildings: [] }, []), all);
    expect(none.score).toBe(0);
    expect(none.reasons.map((r) => r.reason)).toEqual(['no_plan']);
    const empty = compliance(coverageGeometry(school([]), []), all);
    expect(empty.score).toBe(0);
    const noStairs = compliance(coverageGeometry(school([rect('E', 'entrance', 0, 0, 4, 4), rect('C', 'corridor', 4, 0, 8, 4)]), [camera('A', [0.1, 0.1], 135, 90), camera('B', [4.1, 0.1], 135, 90)]), all);
    expect(noStairs.missingKinds).toContain('stairwell');
    expect(noStairs.reasons).toEqual([{ reason: 'kind_missing', points: 10, count: 1 }]);
    expect(noStairs.score).toBe(90);
  });

  it('caps what uncovered rooms cost at 60 points', () => {
    const rooms = Array.from({ length: 8 }, (_, i) => rect(`ST${i}`, 'stairwell', i * 5, 0, i * 5 + 4, 4));
    const c = compliance(coverageGeometry(school(rooms), []), all);
    expect(c.reasons).toEqual([
      { reason: 'shadow_uncovered', points: 60, count: 8 },
      { reason: 'kind_missing', points: 20, count: 2 },
    ]);
    expect(c.score).toBe(20);
  });
});

describe('CoverageCache', () => {
  it('keeps a school geometry while its plan objects are the same and recomputes after a plan change', () => {
    const cache = new CoverageCache();
    const s = school(ROOMS);
    const g1 = cache.get(s, CAMERAS);
    expect(cache.get(s, [...CAMERAS])).toBe(g1);
    // A plan.updated reload brings new objects: a moved camera is seen.
    const moved = [...CAMERAS.slice(1), camera('C-STAIR', [3.9, 3.9], 315, 90)];
    const g2 = cache.get(s, moved);
    expect(g2).not.toBe(g1);
    expect(cache.peek({ ...s }, moved)).toBeUndefined();
    cache.retain(new Set());
    expect(cache.peek(s, moved)).toBeUndefined();
  });
});

describe('rankByCompliance', () => {
  it('lists the worst first, ties by fewer covered rooms, then by id', () => {
    const e = (schoolId: string, score: number, covered: number, required: number) => ({ schoolId, compliance: { score, covered, required } });
    expect(rankByCompliance([e('A', 90, 4, 4), e('B', 50, 1, 4), e('C', 90, 2, 4), e('D', 90, 2, 4)]).map((x) => x.schoolId)).toEqual(['B', 'C', 'D', 'A']);
  });
});
