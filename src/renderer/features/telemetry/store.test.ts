import { beforeEach, describe, expect, it } from 'vitest';
import { LINK_HISTORY, useTelemetryStore } from './store';

const T0 = Date.UTC(2026, 10, 22, 7, 0, 0);
const iso = (sec: number) => new Date(T0 + sec * 1000).toISOString();
const link = (schoolId: string, linkMbps: number) => ({ schoolId, linkMbps, channels: { alarm: 3, video: 20, education: 60 } });
const crew = (crewId: string, lat: number, status = 'available') => ({ crewId, status, lat, lon: 69.6 });

describe('telemetry store', () => {
  beforeEach(() => useTelemetryStore.getState().reset());
  const apply = (raw: unknown) => useTelemetryStore.getState().apply(raw);

  it('keeps each crew at its latest reported position and status', () => {
    apply({ at: iso(0), crews: [crew('c1', 42.3), crew('c2', 42.4)] });
    apply({ at: iso(1), crews: [crew('c1', 42.31, 'en_route')] });
    const { crews } = useTelemetryStore.getState();
    expect(crews.get('c1')).toMatchObject({ lat: 42.31, status: 'en_route' });
    expect(crews.get('c2')).toMatchObject({ lat: 42.4 });
  });

  it('a late batch never moves crews back in time', () => {
    apply({ at: iso(5), crews: [crew('c1', 42.35)] });
    apply({ at: iso(4), crews: [crew('c1', 42.3)] });
    expect(useTelemetryStore.getState().crews.get('c1')!.lat).toBe(42.35);
  });

  it('drops and counts bad entries but uses the good ones of the same batch', () => {
    const rejected = apply({
      at: iso(0),
      crews: [crew('c1', 42.3), { crewId: 'c2', status: 'flying', lat: 42, lon: 69 }, { crewId: 'c3', status: 'available', lat: 420, lon: 69 }],
      links: [link('S1', 150), { schoolId: 'S2', linkMbps: -5, channels: {} }, '<script>'],
    });
    expect(rejected).toBe(4);
    const s = useTelemetryStore.getState();
    expect([...s.crews.keys()]).toEqual(['c1']);
    expect([...s.links.keys()]).toEqual(['S1']);
    expect(s.rejected).toBe(4);
  });

  it('rejects a batch that is not one, or has no readable time, without touching the state', () => {
    apply({ at: iso(0), crews: [crew('c1', 42.3)] });
    expect(apply('garbage')).toBe(1);
    expect(apply({ at: 'yesterday', crews: [crew('c1', 1)] })).toBe(1);
    expect(apply({ at: iso(1), crews: [], extra: true })).toBe(1);
    expect(useTelemetryStore.getState().crews.get('c1')!.lat).toBe(42.3);
  });

  it('follows a school link: 20 Mbps for long enough is below budget, with its history kept bounded', () => {
    for (let s = 0; s < LINK_HISTORY + 50; s++) apply({ at: iso(s), links: [link('S1', s < 100 ? 150 : 20)] });
    const l = useTelemetryStore.getState().links.get('S1')!;
    expect(l.history).toHaveLength(LINK_HISTORY);
    expect(l.history.at(-1)!.linkMbps).toBe(20);
    expect(l.state).toMatchObject({ state: 'below_budget', since: T0 + 100_000, deficitMbps: 130 });
  });
});
