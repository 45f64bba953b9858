import { describe, expect, it } from 'vitest';
import type { AlertView } from '../../../shared/alerts';
import type { Device, District, School } from '../../../shared/protocol';
import { tallyBySchool } from '../alerts/school-tally';
import { cluster, keepingRollUp, projectCity, rollUp, rollUpGroup, sameGroup, visibleTiles, worstOf, type SchoolStatus } from './city-model';

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
const alert = (id: string, schoolId: string, priority: AlertView['priority'], status: AlertView['status'] = 'new', type = 'intrusion') => ({ id, schoolId, priority, status, type }) as AlertView;
/** The alert store's tally of these alerts, as rollUp reads it. */
const open = (alerts: AlertView[]) => {
  const bySchool = tallyBySchool(new Map(alerts.map((a) => [a.id, a])));
  return (schoolId: string) => bySchool.get(schoolId);
};

describe('city projection', () => {
  it('maps the city to kilometres with north up', () => {
    const p = projectCity([district], [school('A', 69.55, 42.35)]);
    expect(p.width).toBeCloseTo(0.1 * 111.13 * Math.cos((42.35 * Math.PI) / 180), 3);
    expect(p.height).toBeCloseTo(11.113, 3);
    const [x, y] = p.toXY(69.55, 42.35);
    expect(x).toBeCloseTo(p.width / 2, 3);
    expect(y).toBeCloseTo(p.height / 2, 3);
    expect(p.toXY(69.5, 42.4)).toEqual([0, 0]);
    const [lon, lat] = p.toLonLat(x, y);
    expect(lon).toBeCloseTo(69.55, 9);
    expect(lat).toBeCloseTo(42.35, 9);
  });
});

describe('school status roll-up', () => {
  it('counts open alerts by priority, the worst first, and offline cameras', () => {
    const cams = new Map<string, Device[]>([['A', [{ id: 'c1' }, { id: 'c2' }, { id: 'c3' }] as Device[]]]);
    const states = new Map([['c2', 'offline']]);
    const st = rollUp([school('A', 0, 0), school('B', 0, 0)], open([alert('1', 'A', 3), alert('2', 'A', 1), alert('3', 'A', 2, 'resolved'), alert('4', 'A', 0)]), cams, (id) => states.get(id) ?? 'normal');
    expect(st.get('A')).toEqual({ open: 3, worst: 1, byPriority: { 3: 1, 1: 1, 0: 1 }, camerasOffline: 1, cameras: 3, inside: null, network: 'unknown' });
    expect(st.get('B')).toEqual({ open: 0, worst: null, byPriority: {}, camerasOffline: 0, cameras: 0, inside: null, network: 'unknown' });
  });
  it('carries the people inside each school, and null where nothing was counted', () => {
    const inside = new Map([['A', 412]]);
    const st = rollUp([school('A', 0, 0), school('B', 0, 0)], open([]), new Map(), () => 'normal', (id) => inside.get(id) ?? null);
    expect(st.get('A')!.inside).toBe(412);
    expect(st.get('B')!.inside).toBeNull();
  });

  it('rolls up the network: an open below-budget alert wins over the link monitor, a resolved one does not', () => {
    const links = new Map([
      ['A', 'ok'],
      ['B', 'ok'],
      ['C', 'below_budget'],
    ] as const);
    const st = rollUp(
      [school('A', 0, 0), school('B', 0, 0), school('C', 0, 0), school('D', 0, 0)],
      open([alert('1', 'A', 4, 'new', 'network_below_budget'), alert('2', 'B', 4, 'resolved', 'network_below_budget')]),
      new Map(),
      () => 'normal',
      () => null,
      (id) => links.get(id as 'A') ?? 'unknown',
    );
    expect([...st.values()].map((s) => s.network)).toEqual(['below_budget', 'ok', 'below_budget', 'unknown']);
  });

  it('keeps the status object of every school whose status did not change, and only theirs', () => {
    const schools = [school('A', 0, 0), school('B', 0, 0), school('C', 0, 0), school('D', 0, 0)];
    const cams = new Map<string, Device[]>([['C', [{ id: 'c1' }] as Device[]]]);
    const states = new Map<string, string>();
    const alerts = [alert('1', 'A', 3), alert('2', 'B', 1)];
    const roll = (previous?: ReadonlyMap<string, SchoolStatus>) => rollUp(schools, open(alerts), cams, (id) => states.get(id) ?? 'normal', () => null, () => 'unknown', previous);
    const first = roll();
    const same = roll(first);
    for (const id of ['A', 'B', 'C', 'D']) expect(same.get(id)).toBe(first.get(id));
    // What the map uses: the last roll-up kept between calls.
    const keeping = keepingRollUp();
    const once = keeping(schools, open(alerts), cams, () => 'normal');
    expect(keeping(schools, open(alerts), cams, () => 'normal').get('A')).toBe(once.get('A'));
    // A: one more alert of the same priority; C: its camera goes offline; B and D as they were.
    alerts.push(alert('3', 'A', 3));
    states.set('c1', 'offline');
    const next = roll(same);
    expect(next.get('A')).not.toBe(same.get('A'));
    expect(next.get('A')).toMatchObject({ open: 2, worst: 3, byPriority: { 3: 2 } });
    expect(next.get('C')).not.toBe(same.get('C'));
    expect(next.get('C')!.camerasOffline).toBe(1);
    expect(next.get('B')).toBe(same.get('B'));
    expect(next.get('D')).toBe(same.get('D'));
    // The same counts, but a priority moved: a new object with the new counts.
    alerts.splice(0, alerts.length, alert('1', 'A', 1), alert('3', 'A', 3), alert('2', 'B', 1));
    const moved = roll(next);
    expect(moved.get('A')).not.toBe(next.get('A'));
    expect(moved.get('A')).toMatchObject({ open: 2, worst: 1, byPriority: { 1: 1, 3: 1 } });
    // A new run over the same alerts after all resolved: back to nothing open.
    alerts.splice(0, alerts.length);
    expect(roll(moved).get('A')).toMatchObject({ open: 0, worst: null, byPriority: {} });
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
      ['a', { open: 1, worst: 3 as const, byPriority: {}, camerasOffline: 0, cameras: 0, inside: null, network: 'unknown' as const }],
      ['b', { open: 1, worst: 1 as const, byPriority: {}, camerasOffline: 0, cameras: 0, inside: null, network: 'unknown' as const }],
    ]);
    expect(worstOf(['a', 'b', 'x'], st)).toBe(1);
    expect(worstOf(['x'], st)).toBeNull();
  });
});

describe('cluster roll-up', () => {
  it('adds up its schools: open alerts by priority, offline cameras, people inside where counted, and network states', () => {
    const cams = new Map<string, Device[]>([
      ['A', [{ id: 'a1' }, { id: 'a2' }] as Device[]],
      ['B', [{ id: 'b1' }] as Device[]],
    ]);
    const offline = new Set(['a2', 'b1']);
    const inside = new Map([
      ['A', 412],
      ['C', 0],
    ]);
    const links = new Map([
      ['A', 'ok'],
      ['B', 'below_budget'],
    ] as const);
    const st = rollUp(
      [school('A', 0, 0), school('B', 0, 0), school('C', 0, 0)],
      open([alert('1', 'A', 1), alert('2', 'B', 1), alert('3', 'B', 3), alert('4', 'C', 0, 'resolved')]),
      cams,
      (id) => (offline.has(id) ? 'offline' : 'normal'),
      (id) => inside.get(id) ?? null,
      (id) => links.get(id as 'A') ?? 'unknown',
    );
    expect(rollUpGroup(['A', 'B', 'C'], st)).toEqual({
      schools: 3,
      open: 3,
      worst: 1,
      byPriority: { 1: 2, 3: 1 },
      camerasOffline: 2,
      cameras: 3,
      inside: 412,
      insideCounted: 2,
      network: { ok: 1, below_budget: 1, unknown: 1 },
    });
    // No school counted: no number of people, rather than a false zero.
    expect(rollUpGroup(['B'], st)).toMatchObject({ inside: null, insideCounted: 0, network: { ok: 0, below_budget: 1, unknown: 0 } });
    // A school not in the roll-up (not yet in the catalog) counts as no data.
    expect(rollUpGroup(['A', 'Z'], st)).toMatchObject({ schools: 2, open: 1, inside: 412, network: { ok: 1, below_budget: 0, unknown: 1 } });

    // A cluster's mark renders again only when its roll-up says something else.
    const g = rollUpGroup(['A', 'B', 'C'], st);
    expect(sameGroup(g, rollUpGroup(['A', 'B', 'C'], st))).toBe(true);
    expect(sameGroup(g, { ...g, byPriority: { 1: 2, 3: 2 } })).toBe(false);
    expect(sameGroup(g, { ...g, inside: 413 })).toBe(false);
    expect(sameGroup(g, { ...g, network: { ...g.network, below_budget: 2 } })).toBe(false);
    expect(sameGroup(g, { ...g, camerasOffline: 1 })).toBe(false);
  });
});

describe('tiles of a configured tile server', () => {
  const p = projectCity([district], []);
  it('covers the view with tiles near 256 px, placed where their corners project', () => {
    const screen = { w: 800, h: 600 };
    // The district fitted: ~8.2 km wide on 800 px.
    const view = { scale: 800 / p.width, tx: 0, ty: 0 };
    const tiles = visibleTiles(p, view, screen);
    expect(tiles.length).toBeGreaterThan(0);
    expect(tiles.length).toBeLessThanOrEqual(64);
    const z = tiles[0]!.z;
    expect(tiles.every((t) => t.z === z)).toBe(true);
    for (const t of tiles) {
      expect(t.box.w * view.scale).toBeGreaterThan(128);
      expect(t.box.w * view.scale).toBeLessThan(512);
    }
    // The tile holding the district's north-west corner contains (0, 0).
    const n = 2 ** z;
    const x = Math.floor(((69.5 + 180) / 360) * n);
    const hit = tiles.find((t) => t.x === x && t.box.x <= 0 && t.box.x + t.box.w >= 0 && t.box.y <= 0 && t.box.y + t.box.h >= 0);
    expect(hit).toBeDefined();
  });
  it('never asks for more than 64 tiles, zooming out instead', () => {
    const tiles = visibleTiles(p, { scale: 0.001, tx: 0, ty: 0 }, { w: 4000, h: 4000 });
    expect(tiles.length).toBeLessThanOrEqual(64);
  });
});
