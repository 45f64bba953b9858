import { describe, expect, it } from 'vitest';
import { distanceKm } from '../shared/dispatch';
import type { Crew } from '../shared/protocol';
import { ManualClock } from './clock';
import { CrewFleet, type FleetEvent } from './crews';
import { createRng } from './rng';

const SCHOOL = { lat: 42.38, lon: 69.63 };
const CREWS: Crew[] = [
  { id: 'crew-a', callsign: 'Berkut-01', status: 'available', location: { lat: 42.34, lon: 69.59 } },
  { id: 'crew-b', callsign: 'Berkut-02', status: 'busy', location: { lat: 42.37, lon: 69.62 } },
];

function setup(opts: { timeScale?: number; rejectChance?: number } = {}) {
  const clock = new ManualClock();
  const events: FleetEvent[] = [];
  const fleet = new CrewFleet({ crews: CREWS, clock, rng: createRng(7), publish: (e) => events.push(...e), ...opts });
  const stages = () => events.filter((e) => e.type === 'dispatch.step').map((e) => e.stage);
  const statuses = () => events.filter((e) => e.type === 'crew.status').map((e) => e.status);
  return { clock, fleet, events, stages, statuses };
}

const REQ = { crewId: 'crew-a', incidentId: 'al-1', dispatchId: 'dsp-1', schoolId: 'S1', target: SCHOOL };

describe('CrewFleet', () => {
  it('a dispatched crew accepts, drives to the school, reports on scene and clears', () => {
    const { clock, fleet, stages, statuses, events } = setup();
    expect(fleet.dispatch(REQ)).toBeNull();
    expect(fleet.status('crew-a')).toBe('dispatched');
    clock.advance(5_000);
    expect(stages()).toEqual(['dispatched', 'accepted']);
    clock.advance(60_000);
    expect(fleet.status('crew-a')).toBe('en_route');
    const enRoute = events.find((e) => e.type === 'dispatch.step' && e.stage === 'en_route');
    expect(enRoute && 'etaAt' in enRoute && enRoute.etaAt).toBeGreaterThan(clock.now());
    clock.advance(10 * 60_000); // ~5.5 km x 1.3 at 45 km/h = 9.5 min
    expect(fleet.status('crew-a')).toBe('on_scene');
    expect(distanceKm(fleet.positions().find((p) => p.crewId === 'crew-a')!.location, SCHOOL)).toBe(0);
    clock.advance(15 * 60_000);
    expect(stages()).toEqual(['dispatched', 'accepted', 'en_route', 'on_scene', 'cleared']);
    expect(statuses()).toEqual(['dispatched', 'en_route', 'on_scene', 'available']);
  });

  it('moves an en-route crew closer to the school as time passes', () => {
    const { clock, fleet } = setup();
    fleet.dispatch(REQ);
    clock.advance(60_000);
    const d = () => distanceKm(fleet.positions().find((p) => p.crewId === 'crew-a')!.location, SCHOOL);
    const first = d();
    clock.advance(120_000);
    const later = d();
    expect(later).toBeLessThan(first);
    expect(later).toBeGreaterThan(0);
  });

  it('time scale makes the trip shorter, not the radio answer nor the work on scene', () => {
    const fast = setup({ timeScale: 20 });
    fast.fleet.dispatch(REQ);
    fast.clock.advance(1_000);
    expect(fast.stages()).toEqual(['dispatched']);
    fast.clock.advance(39_000); // answer <= 4 s + start 2.3 s + drive 28.6 s

    expect(fast.fleet.status('crew-a')).toBe('on_scene');
    fast.clock.advance(170_000);
    expect(fast.fleet.status('crew-a')).toBe('on_scene');
  });

  it('a crew told to reject answers "rejected" with a reason and is available again', () => {
    const { clock, fleet, events } = setup();
    expect(fleet.rejectNext('crew-a')).toBe(true);
    fleet.dispatch(REQ);
    clock.advance(5_000);
    const rejected = events.find((e) => e.type === 'dispatch.step' && e.stage === 'rejected');
    expect(rejected && 'reason' in rejected && rejected.reason).toMatch(/accident/);
    expect(fleet.status('crew-a')).toBe('available');
    // Only the next dispatch: the one after is accepted.
    fleet.dispatch({ ...REQ, dispatchId: 'dsp-2' });
    clock.advance(5_000);
    expect(events.filter((e) => e.type === 'dispatch.step' && e.dispatchId === 'dsp-2').map((e) => e.type === 'dispatch.step' && e.stage)).toEqual(['dispatched', 'accepted']);
  });

  it('refuses a crew that is not available or unknown, with the reason', () => {
    const { fleet, events } = setup();
    expect(fleet.dispatch({ ...REQ, crewId: 'crew-b' })).toMatchObject({ code: 'not_available', reason: expect.stringMatching(/Berkut-02 is busy/) });
    expect(fleet.dispatch({ ...REQ, crewId: 'crew-x' })?.code).toBe('not_found');
    expect(events).toEqual([]);
  });

  it('a cancelled dispatch frees the crew where it is and stops its trip', () => {
    const { clock, fleet, stages } = setup();
    fleet.dispatch(REQ);
    clock.advance(120_000);
    const where = fleet.positions().find((p) => p.crewId === 'crew-a')!.location;
    expect(fleet.cancel('dsp-1', 'false alarm')).toBe(true);
    clock.advance(60 * 60_000);
    expect(fleet.status('crew-a')).toBe('available');
    expect(fleet.positions().find((p) => p.crewId === 'crew-a')!.location).toEqual(where);
    expect(stages()).toEqual(['dispatched', 'accepted', 'en_route', 'cancelled']);
  });
});
