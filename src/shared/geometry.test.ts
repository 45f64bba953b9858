import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  camerasSeeing,
  describePlanProblem,
  fieldOfViewPolygon,
  floorPlanProblems,
  headingTowards,
  inFieldOfView,
  isSimplePolygon,
  pointInPolygon,
  polygonArea,
  privacyViolation,
  roomAt,
  roomCoverage,
  type Pt,
} from './geometry';

const square = (x: number, y: number, s: number): Pt[] => [
  [x, y],
  [x + s, y],
  [x + s, y + s],
  [x, y + s],
];
// An L-shaped corridor: the notch (6..10, 4..10) is outside it.
const lShape: Pt[] = [
  [0, 0],
  [10, 0],
  [10, 4],
  [6, 4],
  [6, 10],
  [0, 10],
];

describe('point in room', () => {
  it('tells inside from outside, also in a concave room', () => {
    expect(pointInPolygon([2, 2], lShape)).toBe(true);
    expect(pointInPolygon([8, 2], lShape)).toBe(true);
    expect(pointInPolygon([8, 8], lShape)).toBe(false);
    expect(pointInPolygon([-1, 5], lShape)).toBe(false);
  });

  it('counts edges and corners as inside (a device on a wall belongs to the room)', () => {
    expect(pointInPolygon([0, 5], lShape)).toBe(true);
    expect(pointInPolygon([10, 0], lShape)).toBe(true);
    expect(pointInPolygon([6, 7], lShape)).toBe(true);
    expect(pointInPolygon([6.01, 7], lShape)).toBe(false);
  });

  it('puts nothing inside a degenerate polygon', () => {
    expect(pointInPolygon([0, 0], [])).toBe(false);
    expect(pointInPolygon([1, 0], [[0, 0], [2, 0]])).toBe(false);
  });

  it('finds the smallest room when rooms nest, and none outside every room', () => {
    const rooms = [
      { id: 'hall', polygon: square(0, 0, 20) },
      { id: 'office', polygon: square(2, 2, 4) },
    ];
    expect(roomAt([3, 3], rooms)?.id).toBe('office');
    expect(roomAt([15, 15], rooms)?.id).toBe('hall');
    expect(roomAt([25, 5], rooms)).toBeNull();
  });

  it('agrees with the square test for any point (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -5, max: 15, noNaN: true }), fc.double({ min: -5, max: 15, noNaN: true }), (x, y) => {
        const inSquare = x >= 0 && x <= 10 && y >= 0 && y <= 10;
        // Within EDGE_EPS of the outline a point counts as on the wall either way.
        fc.pre(inSquare || Math.hypot(Math.max(0, -x, x - 10), Math.max(0, -y, y - 10)) > 1e-5);
        expect(pointInPolygon([x, y], square(0, 0, 10))).toBe(inSquare);
      }),
    );
  });

  it('does not depend on where the outline starts or which way it runs (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }), fc.boolean(), fc.double({ min: -2, max: 12, noNaN: true }), fc.double({ min: -2, max: 12, noNaN: true }), (shift, reverse, x, y) => {
        let poly = [...lShape.slice(shift), ...lShape.slice(0, shift)];
        if (reverse) poly = poly.reverse();
        expect(pointInPolygon([x, y], poly)).toBe(pointInPolygon([x, y], lShape));
      }),
    );
  });
});

describe('polygons', () => {
  it('measures area whichever way the outline runs', () => {
    expect(polygonArea(lShape)).toBe(10 * 4 + 6 * 6);
    expect(polygonArea([...lShape].reverse())).toBe(76);
  });

  it('recognizes a bow-tie and a spike folding back as not simple', () => {
    expect(isSimplePolygon(lShape)).toBe(true);
    expect(isSimplePolygon([[0, 0], [4, 4], [4, 0], [0, 4]])).toBe(false);
    expect(isSimplePolygon([[0, 0], [4, 0], [2, 0], [2, 3]])).toBe(false);
    expect(isSimplePolygon([[0, 0], [4, 0], [4, 0], [0, 4]])).toBe(false);
  });
});

describe('field of view', () => {
  const cam = { position: [0, 0] as Pt, heading: 90, fov: 60, range: 10 }; // looking right (+x)

  it('sees points in its sector up to its range, nothing behind or beside it', () => {
    expect(inFieldOfView(cam, [5, 0])).toBe(true);
    expect(inFieldOfView(cam, [10, 0])).toBe(true);
    expect(inFieldOfView(cam, [10.5, 0])).toBe(false);
    expect(inFieldOfView(cam, [-5, 0])).toBe(false);
    expect(inFieldOfView(cam, [0, 5])).toBe(false);
    // 30 degrees off axis is the sector's edge; 31 is outside.
    const at = (deg: number): Pt => [5 * Math.cos((deg * Math.PI) / 180), 5 * Math.sin((deg * Math.PI) / 180)];
    expect(inFieldOfView(cam, at(29.9))).toBe(true);
    expect(inFieldOfView(cam, at(-29.9))).toBe(true);
    expect(inFieldOfView(cam, at(31))).toBe(false);
    expect(inFieldOfView(cam, [0, 0])).toBe(true);
  });

  it('treats headings modulo 360 and a 360-degree camera as seeing all around', () => {
    expect(inFieldOfView({ ...cam, heading: 450 }, [5, 0])).toBe(true);
    expect(inFieldOfView({ ...cam, heading: -270 }, [5, 0])).toBe(true);
    expect(inFieldOfView({ ...cam, fov: 360 }, [-5, 0])).toBe(true);
    expect(inFieldOfView({ ...cam, fov: 360 }, [-11, 0])).toBe(false);
  });

  it('points a camera at a target with headingTowards (property: the target is then in view)', () => {
    expect(headingTowards([0, 0], [0, -1])).toBe(0);
    expect(headingTowards([0, 0], [1, 0])).toBeCloseTo(90);
    expect(headingTowards([0, 0], [0, 1])).toBeCloseTo(180);
    expect(headingTowards([0, 0], [-1, 0])).toBeCloseTo(270);
    fc.assert(
      fc.property(fc.double({ min: -8, max: 8, noNaN: true }), fc.double({ min: -8, max: 8, noNaN: true }), fc.double({ min: 1, max: 360, noNaN: true }), (x, y, fov) => {
        const heading = headingTowards([0, 0], [x, y]);
        expect(inFieldOfView({ position: [0, 0], heading, fov, range: 12 }, [x, y])).toBe(true);
      }),
    );
  });

  it('draws its sector as a polygon that contains what it sees', () => {
    const poly = fieldOfViewPolygon(cam);
    expect(poly[0]).toEqual([0, 0]);
    expect(pointInPolygon([5, 0], poly)).toBe(true);
    expect(pointInPolygon([-5, 0], poly)).toBe(false);
  });

  it('lists which cameras see a point', () => {
    const left = { id: 'l', position: [20, 0] as Pt, heading: 270, fov: 90, range: 10 };
    const right = { ...cam, id: 'r' };
    expect(camerasSeeing([left, right], [15, 0]).map((c) => c.id)).toEqual(['l']);
    expect(camerasSeeing([left, right], [10, 0]).map((c) => c.id)).toEqual(['l', 'r']);
  });
});

describe('room coverage', () => {
  const room = square(0, 0, 10);

  it('is full for a 360-degree camera in the middle with enough range, and zero with no camera', () => {
    expect(roomCoverage([{ position: [5, 5], heading: 0, fov: 360, range: 8 }], room).covered).toBe(1);
    expect(roomCoverage([], room).covered).toBe(0);
  });

  it('is about a quarter for a corner camera looking diagonally with a 90-degree view', () => {
    // From (0,0) looking at (10,10), range 10: a quarter disc of radius 10 = 78.5 of 100 m².
    const c = roomCoverage([{ position: [0, 0], heading: 135, fov: 90, range: 10 }], room, 2500);
    expect(c.covered).toBeGreaterThan(0.75);
    expect(c.covered).toBeLessThan(0.82);
    expect(c.samples).toBeGreaterThan(2000);
  });

  it('never falls when a camera is added (property)', () => {
    const camera = fc.record({
      position: fc.tuple(fc.double({ min: 0, max: 10, noNaN: true }), fc.double({ min: 0, max: 10, noNaN: true })),
      heading: fc.double({ min: 0, max: 360, noNaN: true }),
      fov: fc.double({ min: 1, max: 360, noNaN: true }),
      range: fc.double({ min: 1, max: 15, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(camera, { maxLength: 3 }), camera, (cams, extra) => {
        const before = roomCoverage(cams, room, 200).covered;
        const after = roomCoverage([...cams, extra], room, 200).covered;
        expect(after).toBeGreaterThanOrEqual(before);
        expect(after).toBeLessThanOrEqual(1);
      }),
      { numRuns: 50 },
    );
  });

  it('is zero for a room without area', () => {
    expect(roomCoverage([{ position: [0, 0], heading: 0, fov: 360 }], [[0, 0], [1, 1], [2, 2]])).toEqual({ covered: 0, samples: 0 });
  });
});

describe('privacy rule', () => {
  const rooms = [
    { id: 'corridor', kind: 'corridor' as const, polygon: square(0, 0, 10) },
    { id: 'wc', kind: 'toilet' as const, polygon: square(10, 0, 4) },
    { id: 'changing', kind: 'changing_room' as const, polygon: square(0, 10, 4) },
  ];
  const camera = (position: Pt) => ({ id: 'cam-1', kind: 'camera' as const, position, heading: 0, fov: 60 });

  it('refuses a camera in a toilet or a changing room, naming the room', () => {
    expect(privacyViolation(camera([12, 2]), rooms)).toEqual({ code: 'camera_in_private_room', deviceId: 'cam-1', roomId: 'wc', roomKind: 'toilet' });
    expect(privacyViolation(camera([2, 12]), rooms)?.roomKind).toBe('changing_room');
  });

  it('refuses a camera on the wall a corridor shares with a toilet', () => {
    expect(privacyViolation(camera([10, 2]), rooms)?.roomId).toBe('wc');
  });

  it('allows a camera in the corridor and any other device in a toilet', () => {
    expect(privacyViolation(camera([5, 5]), rooms)).toBeNull();
    expect(privacyViolation({ id: 'smoke-1', kind: 'smoke_sensor', position: [12, 2] }, rooms)).toBeNull();
  });

  it('is part of the plan check, with a reason in words', () => {
    const problems = floorPlanProblems({ width: 20, height: 20, rooms, devices: [camera([12, 2])] });
    expect(problems).toEqual([{ code: 'camera_in_private_room', deviceId: 'cam-1', roomId: 'wc', roomKind: 'toilet' }]);
    expect(describePlanProblem(problems[0]!)).toMatch(/camera cam-1 is in a toilet .*no camera may be placed in toilets or changing rooms/);
  });
});

describe('floor plan check', () => {
  it('lists every problem: bad rooms, stray devices, duplicate ids, cameras without a view', () => {
    const problems = floorPlanProblems({
      width: 20,
      height: 10,
      rooms: [
        { id: 'a', kind: 'classroom', polygon: square(0, 0, 5) },
        { id: 'bow', kind: 'classroom', polygon: [[6, 0], [9, 3], [9, 0], [6, 3]] },
        { id: 'flat', kind: 'corridor', polygon: [[0, 6], [5, 6], [10, 6]] },
        { id: 'big', kind: 'gym', polygon: square(15, 5, 10) },
      ],
      devices: [
        { id: 'a', kind: 'door', position: [1, 1] },
        { id: 'cam', kind: 'camera', position: [2, 2] },
        { id: 'far', kind: 'fire_sensor', position: [30, 3] },
        { id: 'void', kind: 'turnstile', position: [12, 2] },
      ],
    });
    expect(problems).toEqual([
      { code: 'room_self_intersecting', roomId: 'bow' },
      { code: 'room_zero_area', roomId: 'flat' },
      { code: 'room_outside_floor', roomId: 'big' },
      { code: 'duplicate_id', id: 'a' },
      { code: 'camera_without_view', deviceId: 'cam' },
      { code: 'device_outside_floor', deviceId: 'far' },
      { code: 'device_outside_rooms', deviceId: 'void' },
    ]);
    for (const p of problems) expect(describePlanProblem(p).length).toBeGreaterThan(10);
  });

  it('finds nothing wrong with a good plan', () => {
    expect(
      floorPlanProblems({
        width: 20,
        height: 10,
        rooms: [{ id: 'a', kind: 'classroom', polygon: square(0, 0, 5) }],
        devices: [{ id: 'cam', kind: 'camera', position: [2, 2], heading: 90, fov: 70 }],
      }),
    ).toEqual([]);
  });
});
