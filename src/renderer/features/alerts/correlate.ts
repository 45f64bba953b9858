// Correlation for the queue's display: repeats of one type from one device within a window fold
// into one row with a count and a timeline; a burst of one type at one school collapses into one
// group row ("12 intrusion alerts, School 87, 5 min"). Grouping is only ever within one alert type,
// hence one priority class, and a group sits where its oldest member would: it never hides or
// outranks a higher priority (a type has one priority). Health alerts of devices (SCHOOL_WIDE_TYPES:
// a camera offline) fold per school from the second one and whatever the span, since a school
// losing cameras one by one over an hour is still one problem for the duty officer; their group
// names the devices. The alerts themselves (store, journal, backend) are not merged: every
// member stays its own alert, acknowledged or resolved on its own.
//
// Cost: this runs whenever alerts enter or leave the queue (or a filter changes), over up to tens
// of thousands of alerts, inside one animation frame. So each alert's grouping keys are interned to
// integers once (they never change for an alert id) and laid out in columns aligned with the
// order; a list that shares runs with the previous one copies the columns over instead of looking
// every id up again (a map lookup per alert per frame was most of the cost at 30,000 alerts); the
// passes work on typed arrays, and the row objects are only built for the rows the virtualized
// list actually shows (Correlation.row). The queue's own order is grouped frame by frame in
// queue-rows.ts; this pass groups filtered and re-sorted views, and states the rules.
import type { AlertView } from '../../../shared/alerts';

export const FOLD_WINDOW_MS = 5 * 60_000;
/** A school burst needs at least this many rows of one type within the window. */
export const BURST_MIN = 5;
/** Alert types that fold per school from SCHOOL_WIDE_MIN alerts, whatever their span. */
export const SCHOOL_WIDE_TYPES: ReadonlySet<string> = new Set(['camera_offline']);
export const SCHOOL_WIDE_MIN = 2;

export type QueueRow =
  | { kind: 'alert'; id: string; /** The alert and its folded repeats. */ count: number }
  | {
      kind: 'burst';
      id: string;
      type: string;
      schoolId: string;
      count: number;
      spanMs: number;
      /** The devices the members are about (cameras offline...), each once, in queue order. */
      devices: string[];
    };

/** The queue's rows, built lazily: only the rows on screen become objects. */
export interface Correlation {
  readonly length: number;
  row(index: number): QueueRow;
  /** The row's id without building the row (alert id, or the burst's group id). */
  idAt(index: number): string;
  /** The row index of a row id, or -1. */
  indexOf(rowId: string): number;
  /** The alert ids a row stands for, in queue order. */
  members(index: number): string[];
  /** Every row, built (tests and small queues). */
  toArray(): QueueRow[];
}

/** What grouping needs of an alert; fixed for an alert id (applyEvent never changes these). */
export interface Keys {
  /** The alert's time (`at`) as grouping compares it: timeKeyOf. Only differences are used. */
  t: number;
  /** Interned `${type}|${deviceId}|drill|real`, or -1 (no device, or not recognized). */
  device: number;
  /** Interned `${type}|${schoolId}|drill|real`, or -1. */
  school: number;
  type: string;
  schoolId: string | null;
  /** The device, where `device` >= 0. */
  deviceId: string | null;
  /** SCHOOL_WIDE_TYPES: folds per school without a time window. */
  wide: boolean;
}

const keyIds = new Map<string, number>();
const keyNames: string[] = [];
function intern(key: string): number {
  let k = keyIds.get(key);
  if (k === undefined) {
    k = keyNames.length;
    keyIds.set(key, k);
    keyNames.push(key);
  }
  return k;
}

/**
 * Times are kept from when the console started, not from 1970: within ±12 days of it that is a
 * small integer, which V8 keeps inside the object. A time since 1970 is a double, and a double field
 * is a separate heap number: one more object per alert for the garbage collector to copy, 70,000
 * at bench:alerts' end. Further out the value is still right, only boxed again.
 */
const TIME_BASE = Date.now();
const SMALL = 2 ** 30;
export function timeKeyOf(a: AlertView): number {
  const t = Date.parse(a.at) - TIME_BASE;
  // `| 0` makes it an integer value to V8: a difference of two doubles stays a double, even when whole.
  return t > -SMALL && t < SMALL ? t | 0 : t;
}

/** A group row's id: its type and school, and its first alert (so a later group is another row). */
export const burstId = (first: Keys, firstId: string): string => `burst:${first.type}|${first.schoolId}|${firstId}`;

/** An alert's device key (see Keys.device). */
export const deviceKeyOf = (a: AlertView): number =>
  // A drill never folds with a real alert: they are different incidents however alike.
  a.recognized && a.deviceId !== null ? intern(`${a.type}|${a.deviceId}|${a.drill ? 'drill' : 'real'}`) : -1;
/** An alert's school key (see Keys.school). */
export const schoolKeyOf = (a: AlertView): number => (a.recognized && a.schoolId !== null ? intern(`${a.type}|${a.schoolId}|${a.drill ? 'drill' : 'real'}`) : -1);

const keysById = new Map<string, Keys>();
/**
 * An alert's keys, cached by id for the passes over filtered views. (The queue's own rows keep
 * their alerts' keys themselves: queue-rows.ts.)
 */
export function keysOf(id: string, byId: ReadonlyMap<string, AlertView>): Keys | null {
  const hit = keysById.get(id);
  if (hit) return hit;
  const a = byId.get(id);
  if (!a) return null;
  // Bounded: a console that ran for weeks must not keep every alert it ever saw.
  if (keysById.size > 500_000) keysById.clear();
  const keys: Keys = { t: timeKeyOf(a), device: deviceKeyOf(a), school: schoolKeyOf(a), type: a.type, schoolId: a.schoolId, deviceId: a.deviceId, wide: SCHOOL_WIDE_TYPES.has(a.type) };
  keysById.set(id, keys);
  return keys;
}

/**
 * The grouping keys of an order, in columns: `device` -2 marks an id without an alert. Two sets,
 * used in turn: one holds the previous order's columns while the other is filled from them.
 */
interface Columns {
  ids: readonly string[] | null;
  t: Float64Array;
  device: Int32Array;
  school: Int32Array;
  wide: Uint8Array;
}
const emptyColumns = (): Columns => ({ ids: null, t: new Float64Array(0), device: new Int32Array(0), school: new Int32Array(0), wide: new Uint8Array(0) });
let columns = emptyColumns();
let spare = emptyColumns();

function columnsOf(order: readonly string[], byId: ReadonlyMap<string, AlertView>): Columns {
  if (columns.ids === order) return columns;
  const n = order.length;
  const out = spare;
  if (out.t.length < n) {
    const size = Math.max(n, out.t.length * 2, 1024);
    out.t = new Float64Array(size);
    out.device = new Int32Array(size);
    out.school = new Int32Array(size);
    out.wide = new Uint8Array(size);
  }
  // Walk the previous list alongside: an id that is next there is copied (its keys never change).
  // It pays off as long as nothing left, and costs a comparison per id when something did.
  const prev = columns.ids ?? [];
  let p = 0;
  for (let k = 0; k < n; k++) {
    const id = order[k]!;
    // Copied only for the same id, so a wrong guess costs lookups, never wrong keys; an id that had
    // no alert is looked up again.
    if (p < prev.length && prev[p] === id) {
      const q = p++;
      if (columns.device[q] !== -2) {
        out.t[k] = columns.t[q]!;
        out.device[k] = columns.device[q]!;
        out.school[k] = columns.school[q]!;
        out.wide[k] = columns.wide[q]!;
        continue;
      }
    }
    const a = keysOf(id, byId);
    if (!a) {
      out.device[k] = -2;
      continue;
    }
    out.t[k] = a.t;
    out.device[k] = a.device;
    out.school[k] = a.school;
    out.wide[k] = a.wide ? 1 : 0;
  }
  out.ids = order;
  spare = columns;
  columns = out;
  return out;
}

// Scratch space, grown as needed and reused across passes (a pass allocates almost nothing).
let cap = 0;
let rowTail = new Int32Array(0); // row -> order index of its last folded alert
let rowAt = new Float64Array(0); // row -> time of its first alert
let rowLast = new Float64Array(0); // row -> time of its latest alert
let rowBucket = new Int32Array(0); // row -> school bucket, or -1
let bucketStart = new Float64Array(0);
let bucketLast = new Float64Array(0);
let bucketRows = new Int32Array(0);
let bucketTailRow = new Int32Array(0);
function ensure(n: number): void {
  if (n <= cap) return;
  cap = Math.max(n, cap * 2, 1024);
  rowTail = new Int32Array(cap);
  rowAt = new Float64Array(cap);
  rowLast = new Float64Array(cap);
  rowBucket = new Int32Array(cap);
  bucketStart = new Float64Array(cap);
  bucketLast = new Float64Array(cap);
  bucketRows = new Int32Array(cap);
  bucketTailRow = new Int32Array(cap);
}

/**
 * What a correlation reads after its pass (rows, folded chains, buckets, output order). Two sets,
 * used in turn: a result stays valid while the next one is built, with no copy per pass (copying
 * these O(N) arrays every frame was ~1 MB a frame at 60,000 alerts, and its garbage cost GC pauses
 * of 20-40 ms). A pass takes the set of the pass before last; a result whose set was taken since
 * (`owner`) rebuilds itself on its next read, so an old result is slow, never wrong.
 */
interface Kept {
  owner: object | null;
  cap: number;
  head: Int32Array; // row -> order index of its first alert
  count: Int32Array; // row -> alerts folded into it
  next: Int32Array; // order index -> next folded alert of the same row, or -1
  bFirst: Int32Array; // bucket -> its first row
  bNextRow: Int32Array; // row -> next row of the same bucket, or -1
  bCount: Int32Array; // bucket -> alerts in it
  bDevices: Uint8Array; // bucket -> 1 if any of its rows is about a device
  out: Int32Array; // output row -> source row (>= 0) or burst -(b + 1)
}
const emptyKept = (): Kept => ({
  owner: null,
  cap: 0,
  head: new Int32Array(0),
  count: new Int32Array(0),
  next: new Int32Array(0),
  bFirst: new Int32Array(0),
  bNextRow: new Int32Array(0),
  bCount: new Int32Array(0),
  bDevices: new Uint8Array(0),
  out: new Int32Array(0),
});
const kept: [Kept, Kept] = [emptyKept(), emptyKept()];
let keptTurn = 0;
/** The set for a pass over n alerts, grown as needed and owned by `owner` from now on. */
function takeKept(n: number, owner: object): Kept {
  const k = kept[keptTurn]!;
  keptTurn ^= 1;
  k.owner = owner;
  if (n > k.cap) {
    k.cap = Math.max(n, k.cap * 2, 1024);
    k.head = new Int32Array(k.cap);
    k.count = new Int32Array(k.cap);
    k.next = new Int32Array(k.cap);
    k.bFirst = new Int32Array(k.cap);
    k.bNextRow = new Int32Array(k.cap);
    k.bCount = new Int32Array(k.cap);
    k.bDevices = new Uint8Array(k.cap);
    k.out = new Int32Array(k.cap);
  }
  return k;
}
// Per interned key: the row (or bucket) open for it in the current pass; `gen` marks which pass.
let keyGen = new Int32Array(0);
let keyOpen = new Int32Array(0);
let gen = 0;
function openFor(key: number): number {
  if (key >= keyGen.length) {
    const size = Math.max(keyNames.length, keyGen.length * 2, 1024);
    const g = new Int32Array(size);
    g.set(keyGen);
    const o = new Int32Array(size);
    o.set(keyOpen);
    keyGen = g;
    keyOpen = o;
  }
  return keyGen[key] === gen ? keyOpen[key]! : -1;
}
function setOpen(key: number, value: number): void {
  keyGen[key] = gen;
  keyOpen[key] = value;
}

/**
 * Builds the queue's rows from an ordered list of alert ids (queue order, or a filtered/sorted
 * view of it). `expanded` holds group row ids the operator opened: their members are listed one by
 * one. Times are compared by distance, so the rows also group under a newest-first sort.
 * The result reads `order` lazily, and the next pass compares lists by identity: `order` must not
 * change afterwards (the store's order changes in place: pass a copy of it).
 */
export function correlate(order: readonly string[], byId: ReadonlyMap<string, AlertView>, expanded: ReadonlySet<string> = NONE): Correlation {
  const n = order.length;
  ensure(n + 1);
  const token = {};
  const set = takeKept(n + 1, token);
  // Filled by the passes below and read after them, while this correlation owns the set (Kept).
  const { head, count, next, bFirst, bNextRow, bCount, bDevices, out } = set;
  const { t, device, school, wide } = columnsOf(order, byId);
  // The few alerts whose keys a built row needs (group heads): looked up when asked.
  const keysAt = (k: number) => keysOf(order[k]!, byId)!;

  // 1. Repeats from one device.
  gen++;
  let m = 0;
  for (let k = 0; k < n; k++) {
    const d = device[k]!;
    if (d === -2) continue;
    const at = t[k]!;
    next[k] = -1;
    if (d >= 0) {
      const i = openFor(d);
      if (i >= 0 && Math.abs(at - rowLast[i]!) <= FOLD_WINDOW_MS) {
        next[rowTail[i]!] = k;
        rowTail[i] = k;
        count[i]!++;
        rowLast[i] = at;
        continue;
      }
      setOpen(d, m);
    }
    head[m] = k;
    rowTail[m] = k;
    count[m] = 1;
    rowAt[m] = at;
    rowLast[m] = at;
    m++;
  }

  // 2. Bursts at one school.
  gen++;
  let buckets = 0;
  for (let i = 0; i < m; i++) {
    const k = head[i]!;
    const sk = school[k]!;
    rowBucket[i] = -1;
    if (sk < 0) continue;
    let b = openFor(sk);
    if (b < 0 || (!wide[k] && Math.abs(rowAt[i]! - bucketStart[b]!) > FOLD_WINDOW_MS)) {
      b = buckets++;
      bucketStart[b] = rowAt[i]!;
      bucketLast[b] = rowAt[i]!;
      bucketRows[b] = 0;
      bCount[b] = 0;
      bFirst[b] = i;
      bucketTailRow[b] = i;
      bDevices[b] = 0;
      setOpen(sk, b);
    } else bNextRow[bucketTailRow[b]!] = i;
    bNextRow[i] = -1;
    bucketTailRow[b] = i;
    bucketRows[b]!++;
    bCount[b]! += count[i]!;
    if (device[k]! >= 0) bDevices[b] = 1;
    if (Math.abs(rowAt[i]! - bucketStart[b]!) > Math.abs(bucketLast[b]! - bucketStart[b]!)) bucketLast[b] = rowAt[i]!;
    rowBucket[i] = b;
  }

  const bSpan = new Float64Array(buckets);
  for (let b = 0; b < buckets; b++) bSpan[b] = Math.abs(bucketLast[b]! - bucketStart[b]!);
  const bIds = new Array<string | undefined>(buckets);
  const firstKeys = (b: number) => keysAt(head[bFirst[b]!]!);
  const groupId = (b: number) => (bIds[b] ??= burstId(firstKeys(b), order[head[bFirst[b]!]!]!));

  // 3. The output: out[j] >= 0 is row j's source row; < 0 is burst -(out+1).
  let len = 0;
  const bucketDone = new Uint8Array(buckets);
  for (let i = 0; i < m; i++) {
    const b = rowBucket[i]!;
    if (b >= 0 && bucketRows[b]! >= (wide[head[bFirst[b]!]!] ? SCHOOL_WIDE_MIN : BURST_MIN) && !(expanded.size > 0 && expanded.has(groupId(b)))) {
      if (bucketDone[b]) continue;
      bucketDone[b] = 1;
      out[len++] = -(b + 1);
      continue;
    }
    out[len++] = i;
  }

  const built = new Map<number, QueueRow>();
  const rowMembers = (i: number, into: string[]) => {
    for (let k = head[i]!; k >= 0; k = next[k]!) into.push(order[k]!);
  };

  // Once a later pass has taken this result's set (see Kept), every read goes to a rebuilt copy.
  let rebuilt: Correlation | null = null;
  const stale = (): Correlation | null => (set.owner === token ? null : (rebuilt ??= correlate(order, byId, expanded)));

  const c: Correlation = {
    length: len,
    idAt: (j) => {
      const r = stale();
      if (r) return r.idAt(j);
      const s = out[j]!;
      return s >= 0 ? order[head[s]!]! : groupId(-s - 1);
    },
    row: (j) => {
      let r = built.get(j);
      if (r) return r;
      const again = stale();
      if (again) return again.row(j);
      const s = out[j]!;
      if (s >= 0) r = { kind: 'alert', id: order[head[s]!]!, count: count[s]! };
      else {
        const b = -s - 1;
        const a = firstKeys(b);
        // In queue order of first appearance: a row's head is its device's first alert in the row,
        // and rows are in queue order of their heads. No walk at all for a group without devices
        // (a flood of thousands from one school), since this runs every frame for each group shown.
        const devices = new Set<string>();
        if (bDevices[b]) {
          for (let i = bFirst[b]!; i >= 0; i = bNextRow[i]!) {
            const d = keysAt(head[i]!).deviceId;
            if (d !== null) devices.add(d);
          }
        }
        r = { kind: 'burst', id: groupId(b), type: a.type, schoolId: a.schoolId!, count: bCount[b]!, spanMs: bSpan[b]!, devices: [...devices] };
      }
      built.set(j, r);
      return r;
    },
    indexOf: (rowId) => {
      const r = stale();
      if (r) return r.indexOf(rowId);
      if (rowId.startsWith('burst:')) {
        for (let j = 0; j < len; j++) if (out[j]! < 0 && groupId(-out[j]! - 1) === rowId) return j;
        return -1;
      }
      // Pointer-equal strings mostly: a linear scan of ids is far cheaper than a map of them.
      const k = order.indexOf(rowId);
      if (k < 0) return -1;
      for (let j = 0; j < len; j++) if (out[j]! >= 0 && head[out[j]!] === k) return j;
      return -1;
    },
    members: (j) => {
      const r = stale();
      if (r) return r.members(j);
      const s = out[j]!;
      const ids: string[] = [];
      if (s >= 0) rowMembers(s, ids);
      else for (let i = bFirst[-s - 1]!; i >= 0; i = bNextRow[i]!) rowMembers(i, ids);
      return ids;
    },
    toArray: () => Array.from({ length: len }, (_, j) => c.row(j)),
  };
  return c;
}

const NONE: ReadonlySet<string> = new Set();
