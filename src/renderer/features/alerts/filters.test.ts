import { describe, expect, it } from 'vitest';
import type { AlertView } from '../../../shared/alerts';
import { filterQueue, NO_FILTER, type FilterContext, type QueueFilter } from './filters';
import { byIdOf, T0, testAlert } from './test-alert';

const alert = (id: string, over: Partial<AlertView> = {}) => testAlert(id, { title: `Alert ${id}`, ...over });

const ME = { id: 'u-me', name: 'Me' };
const OTHER = { id: 'u-other', name: 'Other' };
const alerts = [
  alert('w1', { type: 'weapon', priority: 1, schoolId: 'S2', title: 'Knife at the gate', at: new Date(T0 - 2 * 3600_000).toISOString() }),
  alert('i1', { claimedBy: ME, at: new Date(T0 - 60_000).toISOString() }),
  alert('i2', { claimedBy: OTHER, status: 'acknowledged', at: new Date(T0 - 30 * 60_000).toISOString() }),
  alert('u1', { type: 'mystery', recognized: false, priority: 0, schoolId: null }),
  alert('c1', { type: 'camera_offline', priority: 4, schoolId: 'S3', at: new Date(T0 - 10_000).toISOString() }),
];
const order = ['w1', 'u1', 'i2', 'i1', 'c1'];
const byId = byIdOf(alerts);
const ctx: FilterContext = {
  me: ME.id,
  now: T0,
  schools: new Map([
    ['S1', { name: 'School 87', districtId: 'D-Abay' }],
    ['S2', { name: 'Gymnasium No. 1', districtId: 'D-Turan' }],
    ['S3', { name: 'Lyceum 5', districtId: 'D-Abay' }],
  ]),
};
const view = (f: Partial<QueueFilter>) => filterQueue(order, byId, { ...NO_FILTER, ...f }, ctx).ids;

describe('queue filters', () => {
  it('shows the queue itself when nothing narrows or re-sorts it', () => {
    expect(filterQueue(order, byId, NO_FILTER, ctx).ids).toBe(order);
  });

  it('narrows by priority class, type, district, school, status, owner and age', () => {
    expect(view({ priority: '1' })).toEqual(['w1']);
    expect(view({ priority: '0' })).toEqual(['u1']);
    expect(view({ type: 'intrusion' })).toEqual(['i2', 'i1']);
    expect(view({ type: 'unrecognized' })).toEqual(['u1']);
    expect(view({ district: 'D-Abay' })).toEqual(['i2', 'i1', 'c1']);
    expect(view({ school: 'S3' })).toEqual(['c1']);
    expect(view({ status: 'acknowledged' })).toEqual(['i2']);
    expect(view({ owner: 'mine' })).toEqual(['i1']);
    expect(view({ owner: 'others' })).toEqual(['i2']);
    expect(view({ owner: 'unclaimed' })).toEqual(['w1', 'u1', 'c1']);
    expect(view({ age: 'lt5m' })).toEqual(['u1', 'i1', 'c1']);
    expect(view({ age: 'gt1h' })).toEqual(['w1']);
    expect(view({ district: 'D-Abay', owner: 'mine' })).toEqual(['i1']);
  });

  it('searches title, type and school name, case-insensitively', () => {
    expect(view({ text: 'KNIFE' })).toEqual(['w1']);
    expect(view({ text: 'gymnasium' })).toEqual(['w1']);
    expect(view({ text: 'camera_offline' })).toEqual(['c1']);
    expect(view({ text: 'nothing like this' })).toEqual([]);
  });

  it('sorts newest first, oldest first, or by school name', () => {
    expect(view({ sort: 'newest' })).toEqual(['u1', 'c1', 'i1', 'i2', 'w1']);
    expect(view({ sort: 'oldest' })).toEqual(['w1', 'i2', 'i1', 'c1', 'u1']);
    // Schools by name; ties keep queue order; no school last.
    expect(view({ sort: 'school' })).toEqual(['w1', 'c1', 'i2', 'i1', 'u1']);
  });

  it('counts the unacknowledged critical alerts a filter hides', () => {
    expect(filterQueue(order, byId, { ...NO_FILTER, type: 'intrusion' }, ctx).hiddenCritical).toBe(1);
    expect(filterQueue(order, byId, { ...NO_FILTER, priority: '1' }, ctx).hiddenCritical).toBe(0);
  });
});
