import { describe, expect, it } from 'vitest';
import type { Crew } from '../../../shared/protocol';
import { crewsNow, filterCrews, formatDuration } from './crews-model';

const catalog = new Map<string, Crew>([
  ['c1', { id: 'c1', callsign: 'Berkut-02', status: 'available', location: { lat: 42.3, lon: 69.5 } }],
  ['c2', { id: 'c2', callsign: 'Berkut-01', status: 'busy', location: { lat: 42.4, lon: 69.6 } }],
  ['c3', { id: 'c3', callsign: 'Sunkar-01', status: 'off_duty', location: { lat: 42.5, lon: 69.7 } }],
]);

describe('crews model', () => {
  it('puts each crew at its live position and status, the catalog where there is none', () => {
    const now = crewsNow(catalog, new Map([['c1', { status: 'en_route' as const, lat: 42.31, lon: 69.51, at: 5 }]]));
    expect(now.find((c) => c.id === 'c1')).toMatchObject({ status: 'en_route', location: { lat: 42.31 }, at: 5 });
    expect(now.find((c) => c.id === 'c2')).toMatchObject({ status: 'busy', at: null });
  });

  it('filters by status and call sign, sorted by call sign', () => {
    const now = crewsNow(catalog, new Map());
    expect(filterCrews(now, { status: 'all', text: '' }).map((c) => c.callsign)).toEqual(['Berkut-01', 'Berkut-02', 'Sunkar-01']);
    expect(filterCrews(now, { status: 'all', text: 'berk' }).map((c) => c.id)).toEqual(['c2', 'c1']);
    expect(filterCrews(now, { status: 'off_duty', text: '' }).map((c) => c.id)).toEqual(['c3']);
  });

  it('formats durations as a control room reads them', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65_400)).toBe('1:05');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
    expect(formatDuration(-5)).toBe('0:00');
  });
});
