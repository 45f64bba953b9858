// The queue's filters and sort: what the operator narrows the queue to (priority class, type,
// district, school, status, owner, age, text) and how it is ordered. View state only: the alerts,
// the sound and the counts are never filtered. One pass over the queue, with each alert's search
// text lowered once, so 10,000 active alerts filter and sort within one frame (bench:alerts
// --filters measures it).
import { create } from 'zustand';
import type { AlertView } from '../../../shared/alerts';
import type { School } from '../../../shared/protocol';

export const SORTS = ['priority', 'newest', 'oldest', 'school'] as const;
export type QueueSort = (typeof SORTS)[number];
export const AGES = ['all', 'lt5m', 'lt1h', 'gt1h'] as const;
export type AgeFilter = (typeof AGES)[number];
export const OWNERS = ['all', 'mine', 'unclaimed', 'others'] as const;
export type OwnerFilter = (typeof OWNERS)[number];

export interface QueueFilter {
  /** Priority class ('0' = unrecognized), or 'all'. */
  priority: string;
  /** Alert type, 'unrecognized', or 'all'. */
  type: string;
  district: string;
  school: string;
  status: 'all' | 'new' | 'acknowledged';
  owner: OwnerFilter;
  age: AgeFilter;
  text: string;
  sort: QueueSort;
}

export const NO_FILTER: QueueFilter = { priority: 'all', type: 'all', district: 'all', school: 'all', status: 'all', owner: 'all', age: 'all', text: '', sort: 'priority' };

export function isFiltered(f: QueueFilter): boolean {
  return (Object.keys(NO_FILTER) as Array<keyof QueueFilter>).some((k) => k !== 'sort' && f[k].trim() !== NO_FILTER[k]);
}

interface FilterStore {
  filter: QueueFilter;
  set(patch: Partial<QueueFilter>): void;
  reset(): void;
}

export const useQueueFilter = create<FilterStore>()((set) => ({
  filter: NO_FILTER,
  set: (patch) => set((s) => ({ filter: { ...s.filter, ...patch } })),
  reset: () => set({ filter: NO_FILTER }),
}));

export interface FilterContext {
  me: string | null;
  schools: ReadonlyMap<string, Pick<School, 'name' | 'districtId'>> | null;
  now: number;
}

export interface FilteredQueue {
  ids: readonly string[];
  /** Unacknowledged life-critical alerts the filter hides: the operator is told. */
  hiddenCritical: number;
}

const AGE_MS = { lt5m: 5 * 60_000, lt1h: 3600_000, gt1h: 3600_000 } as const;

// Lowered search text per alert id (title, details, type, school name): fixed for an alert once
// the catalog is in; rebuilt when the catalog changes.
let textSchools: FilterContext['schools'] = null;
const texts = new Map<string, string>();
function textOf(a: AlertView, schools: FilterContext['schools']): string {
  if (schools !== textSchools) {
    texts.clear();
    textSchools = schools;
  }
  let t = texts.get(a.id);
  if (t === undefined) {
    const school = a.schoolId ? (schools?.get(a.schoolId)?.name ?? a.schoolId) : '';
    t = `${a.title}\n${a.details ?? ''}\n${a.type}\n${school}\n${a.id}`.toLowerCase();
    if (texts.size > 500_000) texts.clear();
    texts.set(a.id, t);
  }
  return t;
}

const timeCache = new Map<string, number>();
function timeOf(a: AlertView): number {
  let t = timeCache.get(a.id);
  if (t === undefined) {
    t = Date.parse(a.at);
    if (timeCache.size > 500_000) timeCache.clear();
    timeCache.set(a.id, t);
  }
  return t;
}

/** The queue as the operator asked to see it. Returns `order` itself when nothing narrows or re-sorts it. */
export function filterQueue(order: readonly string[], byId: ReadonlyMap<string, AlertView>, f: QueueFilter, ctx: FilterContext): FilteredQueue {
  const filtered = isFiltered(f);
  if (!filtered && f.sort === 'priority') return { ids: order, hiddenCritical: 0 };
  const text = f.text.trim().toLowerCase();
  const priority = f.priority === 'all' ? null : Number(f.priority);
  const ageLimit = f.age === 'all' ? null : AGE_MS[f.age];
  const ids: string[] = [];
  let hiddenCritical = 0;
  for (const id of order) {
    const a = byId.get(id);
    if (!a) continue;
    if (filtered && !matches(a, f, ctx, text, priority, ageLimit)) {
      if (a.priority === 1 && a.status === 'new') hiddenCritical++;
      continue;
    }
    ids.push(id);
  }
  if (f.sort !== 'priority') sortIds(ids, byId, f.sort, ctx);
  return { ids, hiddenCritical };
}

function matches(a: AlertView, f: QueueFilter, ctx: FilterContext, text: string, priority: number | null, ageLimit: number | null): boolean {
  if (priority !== null && a.priority !== priority) return false;
  if (f.type !== 'all' && (f.type === 'unrecognized' ? a.recognized : !a.recognized || a.type !== f.type)) return false;
  if (f.school !== 'all' && a.schoolId !== f.school) return false;
  if (f.district !== 'all' && (a.schoolId === null || ctx.schools?.get(a.schoolId)?.districtId !== f.district)) return false;
  if (f.status !== 'all' && a.status !== f.status) return false;
  if (f.owner !== 'all') {
    const owner = a.claimedBy?.id ?? null;
    if (f.owner === 'mine' ? owner === null || owner !== ctx.me : f.owner === 'unclaimed' ? owner !== null : owner === null || owner === ctx.me) return false;
  }
  if (ageLimit !== null) {
    const age = ctx.now - timeOf(a);
    if (f.age === 'gt1h' ? age <= ageLimit : age > ageLimit) return false;
  }
  return text === '' || textOf(a, ctx.schools).includes(text);
}

function sortIds(ids: string[], byId: ReadonlyMap<string, AlertView>, sort: QueueSort, ctx: FilterContext): void {
  // Keys computed once per alert, then an index sort (ties keep queue order: the sort is stable).
  const n = ids.length;
  const idx = Array.from({ length: n }, (_, i) => i);
  if (sort === 'school') {
    const names = ids.map((id) => {
      const s = byId.get(id)!.schoolId;
      return s ? (ctx.schools?.get(s)?.name ?? s) : '\uffff';
    });
    idx.sort((x, y) => (names[x]! < names[y]! ? -1 : names[x]! > names[y]! ? 1 : x - y));
  } else {
    const t = new Float64Array(n);
    for (let i = 0; i < n; i++) t[i] = timeOf(byId.get(ids[i]!)!);
    const dir = sort === 'newest' ? -1 : 1;
    idx.sort((x, y) => dir * (t[x]! - t[y]!) || x - y);
  }
  const copy = ids.slice();
  for (let i = 0; i < n; i++) ids[i] = copy[idx[i]!]!;
}
