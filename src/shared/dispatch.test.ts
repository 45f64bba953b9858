import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEED_MODEL, distanceKm, etaSeconds, foldDispatch, rankCrews, type CrewLike, type DispatchStep } from './dispatch';

// Shymkent: the city centre and a school ~5 km north-east of it.
const CENTRE = { lat: 42.3417, lon: 69.5901 };
const SCHOOL = { lat: 42.38, lon: 69.63 };

function crew(id: string, status: string, lat: number, lon: number): CrewLike {
  return { id, callsign: id.toUpperCase(), status, location: { lat, lon } };
}

describe('distance and ETA', () => {
  it('measures a known distance (one degree of latitude is ~111 km)', () => {
    expect(distanceKm({ lat: 42, lon: 69 }, { lat: 43, lon: 69 })).toBeCloseTo(111.2, 0);
    expect(distanceKm(CENTRE, CENTRE)).toBe(0);
  });

  it('ETA grows with distance and includes the time to get rolling', () => {
    expect(etaSeconds(CENTRE, CENTRE)).toBe(DEFAULT_SPEED_MODEL.startupS);
    const near = etaSeconds({ lat: 42.37, lon: 69.62 }, SCHOOL);
    const far = etaSeconds(CENTRE, SCHOOL);
    expect(near).toBeLessThan(far);
    // 5.4 km straight, x1.3 road, at 45 km/h = ~9.4 min, plus 45 s.
    expect(far / 60).toBeGreaterThan(9);
    expect(far / 60).toBeLessThan(11);
  });

  it('a faster speed model from the backend shortens every ETA', () => {
    const fast = { ...DEFAULT_SPEED_MODEL, kmh: 90 };
    expect(etaSeconds(CENTRE, SCHOOL, fast)).toBeLessThan(etaSeconds(CENTRE, SCHOOL));
  });
});

describe('rankCrews', () => {
  const crews = [
    crew('far', 'available', 42.3, 69.5),
    crew('near', 'available', 42.379, 69.629),
    crew('busy-nearest', 'busy', 42.38, 69.63),
    crew('mid', 'available', 42.36, 69.61),
    crew('off', 'off_duty', 42.38, 69.63),
    crew('lost', 'available', Number.NaN, 69.6),
  ];

  it('offers only available crews with a real position, nearest ETA first', () => {
    expect(rankCrews(crews, SCHOOL).map((r) => r.crew.id)).toEqual(['near', 'mid', 'far']);
  });

  it('limits the list and reports distance and ETA for each', () => {
    const [first, ...rest] = rankCrews(crews, SCHOOL, DEFAULT_SPEED_MODEL, 2);
    expect(rest).toHaveLength(1);
    expect(first!.distanceKm).toBeLessThan(0.2);
    expect(first!.etaS).toBeCloseTo(etaSeconds(first!.crew.location, SCHOOL), 6);
  });

  it('breaks ETA ties by callsign so the order never flickers', () => {
    const tied = [crew('b', 'available', 42.37, 69.62), crew('a', 'available', 42.37, 69.62)];
    expect(rankCrews(tied, SCHOOL).map((r) => r.crew.id)).toEqual(['a', 'b']);
  });

  it('property: the ranking is sorted by ETA and only ever contains available crews', () => {
    const arbCrew = fc.record({
      id: fc.string({ minLength: 1, maxLength: 6 }),
      callsign: fc.string({ maxLength: 6 }),
      status: fc.constantFrom('available', 'busy', 'en_route', 'off_duty'),
      location: fc.record({ lat: fc.double({ min: 42, max: 43, noNaN: true }), lon: fc.double({ min: 69, max: 70, noNaN: true }) }),
    });
    fc.assert(
      fc.property(fc.array(arbCrew, { maxLength: 40 }), (list) => {
        const ranked = rankCrews(list, SCHOOL);
        expect(ranked.length).toBe(list.filter((c) => c.status === 'available').length);
        for (let i = 1; i < ranked.length; i++) expect(ranked[i]!.etaS).toBeGreaterThanOrEqual(ranked[i - 1]!.etaS);
      }),
    );
  });
});

describe('foldDispatch', () => {
  const T0 = Date.UTC(2026, 10, 22, 9, 0, 0);
  const s = (dispatchId: string, crewId: string, stage: DispatchStep['stage'], sec: number): DispatchStep => ({ dispatchId, crewId, stage, at: T0 + sec * 1000 });

  it('records each stage with its time and the incident durations', () => {
    const t = foldDispatch(T0, [s('d1', 'c1', 'dispatched', 40), s('d1', 'c1', 'accepted', 50), s('d1', 'c1', 'en_route', 60), s('d1', 'c1', 'on_scene', 400), s('d1', 'c1', 'cleared', 1600)]);
    expect(t.current?.crewId).toBe('c1');
    expect(t.current?.outcome).toBe('cleared');
    expect(t.timeToDispatchMs).toBe(40_000);
    expect(t.timeToSceneMs).toBe(360_000);
    expect(t.totalMs).toBe(1_600_000);
    expect(t.anomalies).toEqual([]);
  });

  it('a rejection ends that attempt; the next crew becomes current and the wait counts from the first order', () => {
    const t = foldDispatch(T0, [s('d1', 'c1', 'dispatched', 30), s('d1', 'c1', 'rejected', 45), s('d2', 'c2', 'dispatched', 70), s('d2', 'c2', 'accepted', 75), s('d2', 'c2', 'on_scene', 330)]);
    expect(t.attempts.map((a) => [a.crewId, a.outcome])).toEqual([
      ['c1', 'rejected'],
      ['c2', 'active'],
    ]);
    expect(t.current?.crewId).toBe('c2');
    expect(t.timeToDispatchMs).toBe(30_000);
    expect(t.timeToSceneMs).toBe(300_000);
    expect(t.totalMs).toBeUndefined();
  });

  it('replayed and reordered steps give the same timeline; the first report of a stage counts', () => {
    const steps = [s('d1', 'c1', 'dispatched', 10), s('d1', 'c1', 'accepted', 12), s('d1', 'c1', 'on_scene', 200), s('d1', 'c1', 'accepted', 15)];
    const once = foldDispatch(T0, steps);
    const shuffled = foldDispatch(T0, [...steps].reverse().concat(steps));
    expect(shuffled.attempts).toEqual(once.attempts);
    expect(once.attempts[0]!.times.accepted).toBe(T0 + 12_000);
  });

  it('a step after the attempt ended, or from another crew under the same dispatch, is kept as an anomaly', () => {
    const t = foldDispatch(T0, [s('d1', 'c1', 'dispatched', 10), s('d1', 'c1', 'rejected', 20), s('d1', 'c1', 'on_scene', 30), s('d1', 'c9', 'accepted', 31)]);
    expect(t.anomalies.map((a) => a.stage)).toEqual(['on_scene', 'accepted']);
    expect(t.attempts[0]!.times.on_scene).toBeUndefined();
    expect(t.current).toBeUndefined();
  });

  it('no dispatch yet: no durations', () => {
    const t = foldDispatch(T0, []);
    expect(t).toMatchObject({ attempts: [], current: undefined, timeToDispatchMs: undefined, timeToSceneMs: undefined });
  });
});
