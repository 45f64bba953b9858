import { describe, expect, it } from 'vitest';
import { centreOn, centroid, fitView, fovPath, inFov, pointInPolygon, toFloor, zoomAt } from './pan-zoom';

describe('plan view', () => {
  it('fits the whole floor centred with a margin', () => {
    const v = fitView(92, 36, 800, 400, 16);
    // The width limits: 768 px for 92 m.
    expect(v.scale).toBeCloseTo(768 / 92);
    const [x0, y0] = [v.tx, v.ty];
    const [x1, y1] = [v.tx + 92 * v.scale, v.ty + 36 * v.scale];
    expect(x0).toBeCloseTo(16);
    expect(x1).toBeCloseTo(784);
    expect((y0 + y1) / 2).toBeCloseTo(200);
  });

  it('zooms around the pointer: the floor point under it stays under it', () => {
    const v = fitView(92, 36, 800, 400);
    const before = toFloor(v, 300, 150);
    const z = zoomAt(v, 2.5, 300, 150);
    const after = toFloor(z, 300, 150);
    expect(z.scale).toBeCloseTo(v.scale * 2.5);
    expect(after[0]).toBeCloseTo(before[0]);
    expect(after[1]).toBeCloseTo(before[1]);
  });

  it('never zooms past its limits', () => {
    let v = fitView(92, 36, 800, 400);
    for (let i = 0; i < 100; i++) v = zoomAt(v, 2, 0, 0);
    expect(v.scale).toBe(200);
    for (let i = 0; i < 100; i++) v = zoomAt(v, 0.5, 0, 0);
    expect(v.scale).toBe(0.5);
  });

  it('centres an alarm point in the viewport', () => {
    const v = centreOn(fitView(92, 36, 800, 400), [80, 30], 800, 400, 20);
    expect(v.tx + 80 * v.scale).toBeCloseTo(400);
    expect(v.ty + 30 * v.scale).toBeCloseTo(200);
  });
});

describe('camera field of view', () => {
  it('a camera facing right (90°) sees what is to its right within range and angle', () => {
    expect(inFov([0, 0], 90, 70, 10, [5, 0])).toBe(true);
    expect(inFov([0, 0], 90, 70, 10, [5, 3])).toBe(true);
    expect(inFov([0, 0], 90, 70, 10, [5, 4])).toBe(false);
    expect(inFov([0, 0], 90, 70, 10, [-5, 0])).toBe(false);
    expect(inFov([0, 0], 90, 70, 10, [11, 0])).toBe(false);
  });

  it('a camera facing plan-up (0°) looks towards smaller y', () => {
    expect(inFov([10, 10], 0, 60, 8, [10, 4])).toBe(true);
    expect(inFov([10, 10], 0, 60, 8, [10, 16])).toBe(false);
  });

  it('draws the cone from the camera to the arc ends', () => {
    expect(fovPath([0, 0], 90, 90, 10)).toBe('M0 0 L7.071 -7.071 A10 10 0 0 1 7.071 7.071 Z');
  });
});

describe('rooms', () => {
  const corridor = [
    [0, 9],
    [92, 9],
    [92, 12],
    [0, 12],
  ] as const;
  it('labels a room at its centroid', () => {
    expect(centroid(corridor)).toEqual([46, 10.5]);
  });
  it('knows which room a point is in', () => {
    expect(pointInPolygon([50, 10], corridor)).toBe(true);
    expect(pointInPolygon([50, 13], corridor)).toBe(false);
  });
});
