import { describe, expect, it } from 'vitest';
import type { AlertView } from '../../../shared/alerts';
import type { Device, District, School } from '../../../shared/protocol';
import { cluster, projectCity, rollUp, worstOf } from './city-model';

const school = (id: string, lon: number, lat: number): School => ({ id, name: id, districtId: 'd1', address: '', location: { lat, lon }, buildings: [] });
const district: District = {
  id: 'd1',
  name: 'Abay',
  outline: [
    [69.5, 42.3],
    [69.6, 42.3],
    [69.6, 42.4],
    [69.5, 42.4],
  ],
};
const alert = (id: string, schoolId: string, priority: AlertView['priority'], status: AlertView['status'] = 'new') => ({ id, schoolId, priority, status }) as AlertView;

describe('city projection', () => {
  it('maps the city to kilometres with north up', () => {
    const p = projectCity([district], [school('A', 69.55, 42.35)]);
    expect(p.width).toBeCloseTo(0.1 * 111.13 * Math.cos((42.35 * Math.PI) / 180), 3);
    expect(p.height).toBeCloseTo(11.113, 3);
    const [x, y] = p.toXY(69.55, 42.35);
    expect(x).toBeCloseTo(p.width / 2, 3);
    expect(y).toBeCloseTo(p.height / 2, 3);
    expect(p.toXY(69.5, 42.4)).toEqual([0, 0]);
  });
});

describe('school status roll-up', () => {
  it('counts open alerts by priority, the worst first, and offline cameras', () => {
    const cams = new Map<string, Device[]>([['A', [{ id: 'c1' }, { id: 'c2' }, { id: 'c3' }] as Device[]]]);
    const states = new Map([['c2', 'offline']]);
    const st = rollUp([school('A', 0, 0), school('B', 0, 0)], [alert('1', 'A', 3), alert('2', 'A', 1), alert('3', 'A', 2, 'resolved'), alert('4', 'A', 0)], cams, (id) => states.get(id) ?? 'normal');
    expect(st.get('A')).toEqual({ open: 3, worst: 1, byPriority: { 3: 1, 1: 1, 0: 1 }, camerasOffline: 1, cameras: 3, inside: null });
    expect(st.get('B')).toEqual({ open: 0, worst: null, byPriority: {}, camerasOffline: 0, cameras: 0, inside: null });
  });
  it('carries the people inside each school, and null where nothing was counted', () => {
    const inside = new Map([['A', 412]]);
    const st = rollUp([school('A', 0, 0), school('B', 0, 0)], [], new Map(), () => 'normal', (id) => inside.get(id) ?? null);
    expect(st.get('A')!.inside).toBe(412);
    expect(st.get('B')!.inside).toBeNull();
  });
});

describe('clustering', () => {
  const view = { scale: 10, tx: 0, ty: 0 };
  it('groups marks that share a screen cell and keeps lone ones alone', () => {
    const c = cluster(
      [
        { id: 'a', x: 0.1, y: 0.1 },
        { id: 'b', x: 0.2, y: 0.2 },
        { id: 'c', x: 9, y: 9 },
      ],
      view,
      40,
    );
    expect(c.map((g) => g.ids)).toEqual([['a', 'b'], ['c']]);
    expect(c[0]).toMatchObject({ x: 1.5, y: 1.5 });
  });
  it('splits clusters as the operator zooms in', () => {
    const marks = [
      { id: 'a', x: 0.1, y: 0.1 },
      { id: 'b', x: 0.5, y: 0.5 },
    ];
    expect(cluster(marks, view, 40)).toHaveLength(1);
    expect(cluster(marks, { scale: 200, tx: 0, ty: 0 }, 40)).toHaveLength(2);
  });
  it('colours a group by its worst member', () => {
    const st = new Map([
      ['a', { open: 1, worst: 3 as const, byPriority: {}, camerasOffline: 0, cameras: 0, inside: null }],
      ['b', { open: 1, worst: 1 as const, byPriority: {}, camerasOffline: 0, cameras: 0, inside: null }],
    ]);
    expect(worstOf(['a', 'b', 'x'], st)).toBe(1);
    expect(worstOf(['x'], st)).toBeNull();
  });
});
