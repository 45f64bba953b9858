// The queue's rows, kept up to date frame by frame. correlate.ts states the grouping rules as one
// pass over the queue; that pass walks every active alert, so at 1,000 alerts a second into a queue
// of 70,000 it cost 5-8 ms a frame (a quarter of the renderer's main thread in bench:alerts' steady
// stream). Here the same rows are maintained from the store's order diffs (alerts in, alerts out):
// a frame costs about O(k log n) for k changed alerts, whatever the queue's length.
//
// Only the queue's own order (priority, then oldest first: compareAlerts) is followed this way; a
// filtered or re-sorted view is a new list every time and goes through correlate's pass. The pass
// also answers for an older result once a later frame has changed the model (see `view`).
//
// The rules, as they read in this structure (correlate.ts has them in full):
// - Device level: the alerts of one device key (type, device, drill) in queue order, which within one
//   type is time order, split into rows wherever two neighbours are more than FOLD_WINDOW_MS apart.
//   An alert without a device key is a row of its own.
// - School level: the rows of one school key (type, school, drill), a lane, in queue order of their
//   first alerts, split greedily into buckets: a bucket takes the rows within FOLD_WINDOW_MS of its
//   first row (any row, for SCHOOL_WIDE_TYPES). A bucket of at least BURST_MIN rows (SCHOOL_WIDE_MIN)
//   that the operator has not opened is one group row; otherwise its rows are shown one by one.
// - The display: every shown row and group, in queue order of its first alert (its anchor).
//
// The fast path is the common case: new alerts are the newest of their device and of their school,
// so they extend the last row or bucket or open one after it. Anything else (an alert resolved, an
// older alert arriving late) recomputes that device's rows, or that lane from the first changed
// bucket on: the cost of one device or one school, not of the queue.
import { compareAlerts, type AlertView } from '../../../shared/alerts';
import {
  BURST_MIN,
  burstId,
  correlate,
  deviceKeyOf,
  FOLD_WINDOW_MS,
  SCHOOL_WIDE_MIN,
  SCHOOL_WIDE_TYPES,
  schoolKeyOf,
  timeKeyOf,
  type Correlation,
  type Keys,
  type QueueRow,
} from './correlate';
import { orderDiff, useAlertsStore } from './store';

/**
 * An alert in the model, with its grouping keys in the same object. There is no map of them by id:
 * an alert is found from its keys, which never change (`find`). A map by alert id is one more
 * entry per alert, and it is rehashed whole each time the queue doubles, in the same frame as the
 * store's own map (20 ms at 65,536 alerts with three such maps).
 */
interface Node extends Keys {
  id: string;
  /** For the sort key only (priority, time, id), which never changes for an alert. */
  view: AlertView;
  row: Row | null;
}

const newNode = (view: AlertView): Node => ({
  id: view.id,
  view,
  row: null,
  t: timeKeyOf(view),
  device: deviceKeyOf(view),
  school: schoolKeyOf(view),
  type: view.type,
  schoolId: view.schoolId,
  deviceId: view.deviceId,
  wide: SCHOOL_WIDE_TYPES.has(view.type),
});

/**
 * Alerts of one device folded into one row. Most rows hold one alert, so the members after the first
 * are an array only when there are any: an array per row was two more objects per alert (the
 * array and its store) for the garbage collector to copy.
 */
interface Row {
  kind: 'row';
  /** The row's anchor and its id. */
  first: Node;
  /** The members after the first, in queue order, or null. */
  rest: Node[] | null;
  bucket: Bucket | null;
  /** An item of the display (not inside a group row). */
  shown: boolean;
  built: QueueRow | null;
}

interface Bucket {
  kind: 'bucket';
  lane: Lane;
  /** In queue order; the first row's first alert is the bucket's anchor. */
  rows: Row[];
  count: number;
  spanMs: number;
  /** Devices of its rows' first alerts, each once, in queue order. */
  devices: string[];
  /** Shown as one group row. */
  burst: boolean;
  shown: boolean;
  built: QueueRow | null;
  id: string | null;
}

interface Lane {
  key: number;
  wide: boolean;
  buckets: Bucket[];
}

type Item = Row | Bucket;

const anchorOf = (item: Item): Node => (item.kind === 'row' ? item.first : item.rows[0]!.first);
const anchorKey = (item: Item): AlertView => anchorOf(item).view;

/** The first index of `items` (in queue order of `keyOf` each) whose key sorts at or after `v`. */
function firstAtOrAfter<T>(items: readonly T[], v: AlertView, keyOf: (x: T) => AlertView): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareAlerts(keyOf(items[mid]!), v) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The item of `items` (in queue order of their anchors) that would hold `v`: the last whose anchor is not after it. */
function holderOf<T extends Item>(items: readonly T[], v: AlertView): T | undefined {
  const at = firstAtOrAfter(items, v, anchorKey);
  return at < items.length && compareAlerts(anchorKey(items[at]!), v) === 0 ? items[at] : items[at - 1];
}
const timeOf = (row: Row): number => row.first.t;
const sizeOf = (row: Row): number => 1 + (row.rest?.length ?? 0);
const lastOf = (row: Row): Node => row.rest?.at(-1) ?? row.first;
/** A row's alerts in queue order, as a new array (for the paths that recompute a device's rows). */
const membersOf = (row: Row): Node[] => (row.rest ? [row.first, ...row.rest] : [row.first]);
/** Rows a bucket needs to be shown as one group row. */
const minRows = (lane: Lane): number => (lane.wide ? SCHOOL_WIDE_MIN : BURST_MIN);

/** What changed in one lane during an update. */
interface LaneChange {
  removed: Set<Row>;
  added: Row[];
}

class LiveRows {
  version = 0;
  /** The store's order array this model follows, and the orderVersion it is at. */
  order: readonly string[] = [];
  orderVersion = -1;
  /** Set when an invariant did not hold: the next call rebuilds from scratch. */
  broken = false;
  private readonly deviceRows = new Map<number, Row[]>();
  private readonly lanes = new Map<number, Lane>();
  readonly display: Item[] = [];
  private changes = new Map<Lane, LaneChange>();
  /** While build() runs: the display is made in one walk at the end, not item by item. */
  private building = false;
  /** The nodes build() made, in queue order. */
  private built: Node[] = [];

  constructor(
    readonly byId: ReadonlyMap<string, AlertView>,
    public expanded: ReadonlySet<string>,
  ) {}

  /**
   * Groups opened or closed by the operator: only the buckets whose id is in one set and not the
   * other change how they are shown.
   */
  setExpanded(next: ReadonlySet<string>): void {
    const before = this.expanded;
    this.expanded = next;
    this.version++;
    const toggled = new Set<string>();
    for (const id of before) if (!next.has(id)) toggled.add(id);
    for (const id of next) if (!before.has(id)) toggled.add(id);
    if (toggled.size === 0) return;
    for (const lane of this.lanes.values()) {
      for (const b of lane.buckets) {
        if (b.rows.length < minRows(lane) || !toggled.has(idOf(b))) continue;
        const burst = this.isBurst(b);
        if (burst === b.burst) continue;
        b.burst = burst;
        if (burst) this.swap(b.rows, [b]);
        else this.swap([b], b.rows);
      }
    }
  }

  /**
   * Everything from an order (sorted: compareAlerts). O(n): the rows and buckets grow at their ends
   * only, and the display is one walk of the order (each shown item at its anchor), where placing
   * items one by one (a binary search each) cost 27-50 ms at 10,000 alerts and ~290 ms at 70,000.
   */
  build(views: readonly AlertView[]): void {
    this.building = true;
    try {
      this.update(views, NONE);
    } finally {
      this.building = false;
    }
    for (const n of this.built) {
      const row = n.row;
      if (!row || row.first !== n) continue;
      const b = row.bucket;
      const item: Item = b?.burst ? b : row;
      if (item === b && b.rows[0] !== row) continue;
      this.display.push(item);
      item.shown = true;
    }
    this.built = [];
  }

  /** `added` in queue order; `left` ids that left the queue. */
  update(added: readonly AlertView[], left: ReadonlySet<string>): void {
    this.version++;
    const perDevice = new Map<number, { add: Node[]; drop: Set<Node> }>();
    const forDevice = (d: number) => {
      let c = perDevice.get(d);
      if (!c) perDevice.set(d, (c = { add: [], drop: new Set() }));
      return c;
    };
    for (const id of left) {
      const v = this.byId.get(id);
      const n = v ? this.find(v) : null;
      if (!n) continue;
      if (n.device >= 0) forDevice(n.device).drop.add(n);
      else this.rowOut(n.row!);
    }
    for (const view of added) {
      const n = newNode(view);
      if (this.building) this.built.push(n);
      if (n.device >= 0) forDevice(n.device).add.push(n);
      else this.rowIn(newRow(n));
    }
    for (const [d, c] of perDevice) this.redevice(d, c.add, c.drop);
    const changes = this.changes;
    this.changes = new Map();
    for (const [lane, c] of changes) this.relane(lane, c);
  }

  // ---- Device level

  private redevice(d: number, add: Node[], drop: ReadonlySet<Node>): void {
    const rows = this.deviceRows.get(d) ?? [];
    const tail = rows.at(-1);
    const last = tail && lastOf(tail);
    if (drop.size === 0 && (!last || compareAlerts(add[0]!.view, last.view) > 0)) {
      // The newest of this device: they extend its last row or open rows after it.
      const old = rows.at(-1);
      let grew = 0;
      const fresh: Row[] = [];
      for (const n of add) {
        const r = rows.at(-1);
        if (r && Math.abs(n.t - lastOf(r).t) <= FOLD_WINDOW_MS) {
          (r.rest ??= []).push(n);
          n.row = r;
          if (r === old) grew++;
        } else {
          const row = newRow(n);
          rows.push(row);
          fresh.push(row);
        }
      }
      this.deviceRows.set(d, rows);
      if (grew > 0) this.rowGrew(old!, grew);
      for (const row of fresh) this.rowIn(row);
      return;
    }
    // Anything else: this device's rows again, from its alerts (the cost of one device).
    const kept = merge(
      rows.flatMap((r) => membersOf(r).filter((n) => !drop.has(n))),
      add,
      nodeKey,
    );
    const next: Row[] = [];
    const reused = new Set<Row>();
    for (let i = 0; i < kept.length; ) {
      let j = i + 1;
      while (j < kept.length && Math.abs(kept[j]!.t - kept[j - 1]!.t) <= FOLD_WINDOW_MS) j++;
      const old = kept[i]!.row;
      if (old && sizeOf(old) === j - i && old.first === kept[i] && (old.rest ?? NO_NODES).every((n, x) => n === kept[i + 1 + x])) {
        next.push(old);
        reused.add(old);
      } else next.push(newRow(kept[i]!, j - i > 1 ? kept.slice(i + 1, j) : null));
      i = j;
    }
    // Out first: an old row and its successor may share their first alert (the display's anchor).
    for (const r of rows) if (!reused.has(r)) this.rowOut(r);
    for (const r of next) if (!reused.has(r)) this.rowIn(r);
    if (next.length > 0) this.deviceRows.set(d, next);
    else this.deviceRows.delete(d);
  }

  private laneOf(n: Node): Lane | null {
    if (n.school < 0) return null;
    let lane = this.lanes.get(n.school);
    if (!lane) this.lanes.set(n.school, (lane = { key: n.school, wide: n.wide, buckets: [] }));
    return lane;
  }

  private change(lane: Lane): LaneChange {
    let c = this.changes.get(lane);
    if (!c) this.changes.set(lane, (c = { removed: new Set(), added: [] }));
    return c;
  }

  private rowIn(row: Row): void {
    const lane = this.laneOf(row.first);
    if (lane) this.change(lane).added.push(row);
    else this.show(row);
  }

  private rowOut(row: Row): void {
    if (row.bucket) this.change(row.bucket.lane).removed.add(row);
    else this.hide(row);
  }

  /** A row got `by` newer members: its count changes, its place does not. */
  private rowGrew(row: Row, by: number): void {
    row.built = null;
    const b = row.bucket;
    if (!b) return;
    b.count += by;
    b.built = null;
  }

  // ---- School level

  private relane(lane: Lane, c: LaneChange): void {
    const buckets = lane.buckets;
    c.added.sort((a, b) => compareAlerts(rowKey(a), rowKey(b)));
    const lastRow = buckets.at(-1)?.rows.at(-1);
    if (c.removed.size === 0 && (!lastRow || compareAlerts(c.added[0]!.first.view, lastRow.first.view) > 0)) {
      // After every row of this lane: into the last bucket or new ones after it.
      for (const r of c.added) {
        const b = buckets.at(-1);
        if (b && (lane.wide || Math.abs(timeOf(r) - timeOf(b.rows[0]!)) <= FOLD_WINDOW_MS)) {
          b.rows.push(r);
          r.bucket = b;
          b.count += sizeOf(r);
          b.spanMs = Math.max(b.spanMs, Math.abs(timeOf(r) - timeOf(b.rows[0]!)));
          const device = r.first.deviceId;
          if (device !== null && !b.devices.includes(device)) b.devices.push(device);
          b.built = null;
          if (b.burst) continue;
          if (this.isBurst(b)) {
            for (const x of b.rows) if (x !== r) this.hide(x);
            b.burst = true;
            this.show(b);
          } else this.show(r);
        } else {
          const nb = newBucket(lane, [r]);
          buckets.push(nb);
          this.showBucket(nb);
        }
      }
      return;
    }
    // Anything else: from the first bucket the change touches to the lane's end (buckets before it
    // start from the same rows, so the greedy split gives them again).
    let from = buckets.length;
    if (c.removed.size > 0) {
      const touched = new Set<Bucket>();
      for (const r of c.removed) touched.add(r.bucket!);
      from = buckets.findIndex((b) => touched.has(b));
      if (from < 0) {
        this.broken = true;
        repairs++;
        from = 0;
      }
    }
    if (c.added.length > 0) {
      // The bucket the earliest new row falls in: the last one starting before it.
      from = Math.min(from, Math.max(0, firstAtOrAfter(buckets, rowKey(c.added[0]!), anchorKey) - 1));
    }
    const tail = buckets.splice(from);
    const out: Item[] = [];
    for (const b of tail) {
      if (b.shown) out.push(b);
      for (const r of b.rows) {
        if (r.shown) out.push(r);
        r.bucket = null;
      }
    }
    const rows = merge(
      tail.flatMap((b) => b.rows.filter((r) => !c.removed.has(r))),
      c.added,
      rowKey,
    );
    const into: Item[] = [];
    for (let i = 0; i < rows.length; ) {
      const start = timeOf(rows[i]!);
      let j = i + 1;
      while (j < rows.length && (lane.wide || Math.abs(timeOf(rows[j]!) - start) <= FOLD_WINDOW_MS)) j++;
      const b = newBucket(lane, rows.slice(i, j));
      buckets.push(b);
      if (this.isBurst(b)) {
        b.burst = true;
        into.push(b);
      } else into.push(...b.rows);
      i = j;
    }
    this.swap(out, into);
    if (buckets.length === 0) this.lanes.delete(lane.key);
  }

  private isBurst(b: Bucket): boolean {
    if (b.rows.length < minRows(b.lane)) return false;
    return this.expanded.size === 0 || !this.expanded.has(idOf(b));
  }

  private showBucket(b: Bucket): void {
    if (this.isBurst(b)) {
      b.burst = true;
      this.show(b);
    } else for (const r of b.rows) this.show(r);
  }

  // ---- The display: items in queue order of their anchors

  /** The first display index whose item's anchor sorts at or after `n`. */
  private position(v: AlertView): number {
    return firstAtOrAfter(this.display, v, anchorKey);
  }

  /**
   * Takes `out` off the display and puts `into` (in queue order) on it. Item by item when few; else
   * in one pass that merges them in (opening a group of 60,000 alerts must not splice 60,000 times).
   */
  private swap(out: readonly Item[], into: readonly Item[]): void {
    if (this.building) return;
    if (out.length + into.length <= 64) {
      for (const item of out) this.hide(item);
      for (const item of into) this.show(item);
      return;
    }
    const gone = new Set(out);
    for (const item of out) item.shown = false;
    const kept = this.display.filter((item) => !gone.has(item));
    const merged = merge(kept, into, anchorKey);
    for (const item of into) item.shown = true;
    this.display.length = 0;
    for (let i = 0; i < merged.length; i += 10_000) this.display.push(...merged.slice(i, i + 10_000));
  }

  private show(item: Item): void {
    if (this.building) return;
    this.display.splice(this.position(anchorKey(item)), 0, item);
    item.shown = true;
  }

  private hide(item: Item): void {
    if (this.building) return;
    let at = this.position(anchorKey(item));
    if (this.display[at] !== item) {
      // Never expected: the item's anchor changed while it was shown. Found the slow way, and the
      // model is rebuilt on the next frame rather than trusted.
      this.broken = true;
      repairs++;
      at = this.display.indexOf(item);
      if (at < 0) return;
    }
    this.display.splice(at, 1);
    item.shown = false;
  }

  /**
   * The model's node of an alert (its current view, or any view of it: the keys and the sort key
   * never change), or null. By binary search in its device's rows, or else in its school's lane, or
   * else on the display, whose items are all in queue order.
   */
  private find(v: AlertView): Node | null {
    const device = deviceKeyOf(v);
    let row: Row | undefined;
    if (device >= 0) {
      row = holderOf(this.deviceRows.get(device) ?? NO_ROWS, v);
    } else {
      const lane = this.lanes.get(schoolKeyOf(v));
      if (lane) row = holderOf(holderOf(lane.buckets, v)?.rows ?? NO_ROWS, v);
      else {
        const item = this.display[this.position(v)];
        row = item?.kind === 'row' ? item : undefined;
      }
    }
    if (!row) return null;
    if (row.first.id === v.id) return row.first;
    const rest = row.rest ?? NO_NODES;
    const n = rest[firstAtOrAfter(rest, v, nodeKey)];
    return n?.id === v.id ? n : null;
  }

  /** The display index of an alert's row (its first alert), or -1 (folded into a row or group). */
  indexOfAlert(id: string): number {
    const v = this.byId.get(id);
    const n = v ? this.find(v) : null;
    const row = n?.row;
    if (!n || !row || row.first !== n || !row.shown) return -1;
    const at = this.position(n.view);
    return this.display[at] === row ? at : -1;
  }
}

function newRow(first: Node, rest: Node[] | null = null): Row {
  const row: Row = { kind: 'row', first, rest, bucket: null, shown: false, built: null };
  first.row = row;
  if (rest) for (const n of rest) n.row = row;
  return row;
}

function newBucket(lane: Lane, rows: Row[]): Bucket {
  const start = timeOf(rows[0]!);
  let spanMs = 0;
  const devices: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    spanMs = Math.max(spanMs, Math.abs(timeOf(r) - start));
    const d = r.first.deviceId;
    if (d !== null && !seen.has(d)) {
      seen.add(d);
      devices.push(d);
    }
  }
  const bucket: Bucket = { kind: 'bucket', lane, rows, count: sumCounts(rows), spanMs, devices, burst: false, shown: false, built: null, id: null };
  for (const r of rows) r.bucket = bucket;
  return bucket;
}

function sumCounts(rows: readonly Row[]): number {
  let count = 0;
  for (const r of rows) count += sizeOf(r);
  return count;
}

const idOf = (b: Bucket): string => (b.id ??= burstId(b.rows[0]!.first, b.rows[0]!.first.id));

function built(item: Item): QueueRow {
  if (item.built) return item.built;
  if (item.kind === 'row') return (item.built = { kind: 'alert', id: item.first.id, count: sizeOf(item) });
  const k = item.rows[0]!.first;
  return (item.built = { kind: 'burst', id: idOf(item), type: k.type, schoolId: k.schoolId!, count: item.count, spanMs: item.spanMs, devices: item.devices.slice() });
}

function members(item: Item): string[] {
  const rows = item.kind === 'row' ? [item] : item.rows;
  const ids: string[] = [];
  for (const r of rows) {
    ids.push(r.first.id);
    for (const n of r.rest ?? NO_NODES) ids.push(n.id);
  }
  return ids;
}

/** Two lists in queue order (of `keyOf` each item), merged. */
function merge<T>(a: readonly T[], b: readonly T[], keyOf: (x: T) => AlertView): readonly T[] {
  if (b.length === 0) return a;
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(compareAlerts(keyOf(a[i]!), keyOf(b[j]!)) <= 0 ? a[i++]! : b[j++]!);
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}
const nodeKey = (n: Node): AlertView => n.view;
const rowKey = (r: Row): AlertView => r.first.view;

/** The model's rows as a Correlation, for the version it has now. */
function view(model: LiveRows): Correlation {
  const version = model.version;
  const display = model.display;
  // The store's order has moved on in place since this result was made (a callback of an older
  // render): it answers for the queue as it is now, like the order it was read from.
  const stale = (): Correlation | null => (model === live && model.version === version ? null : queueRows(live!.order, live!.byId, live!.expanded));
  const c: Correlation = {
    get length() {
      return stale()?.length ?? display.length;
    },
    row: (j) => stale()?.row(j) ?? built(display[j]!),
    idAt: (j) => {
      const s = stale();
      if (s) return s.idAt(j);
      const item = display[j]!;
      return item.kind === 'row' ? item.first.id : idOf(item);
    },
    indexOf: (rowId) => {
      const s = stale();
      if (s) return s.indexOf(rowId);
      if (!rowId.startsWith('burst:')) return model.indexOfAlert(rowId);
      return display.findIndex((item) => item.kind === 'bucket' && idOf(item) === rowId);
    },
    members: (j) => stale()?.members(j) ?? members(display[j]!),
    toArray: () => Array.from({ length: c.length }, (_, j) => c.row(j)),
  };
  return c;
}

let repairs = 0;
/** How often the model found itself inconsistent and was rebuilt (never, unless there is a bug). */
export const queueRowsRepairs = (): number => repairs;

let live: LiveRows | null = null;
let current: Correlation | null = null;

/**
 * The queue's rows for `order`. The store's order (one array, changed in place: see its
 * `orderVersion`) is followed from its steps; any other list (a filtered or re-sorted view) is
 * grouped by correlate's pass. Same rows either way (tested: queue-rows.test.ts).
 */
export function queueRows(order: readonly string[], byId: ReadonlyMap<string, AlertView>, expanded: ReadonlySet<string> = NONE): Correlation {
  const state = useAlertsStore.getState();
  if (order !== state.order) return correlate(order, byId, expanded);
  // Another alert map with the store's order (never in the console): one pass over a copy.
  if (byId !== state.byId) return correlate(order.slice(), byId, expanded);
  const model = live;
  if (model && !model.broken && model.byId === byId && model.order === order) {
    if (model.expanded !== expanded) {
      model.setExpanded(expanded);
      current = null;
    }
    if (model.orderVersion !== state.orderVersion) {
      const diff = orderDiff();
      if (diff && diff.from === model.orderVersion && diff.to === state.orderVersion) {
        model.update(diff.added, diff.left);
        model.orderVersion = state.orderVersion;
        current = null;
      }
    }
    if (model.orderVersion === state.orderVersion) return (current ??= view(model));
  }
  // A new store order (load, replace, reset), a missed step, or the first call: from the whole order.
  const fresh = new LiveRows(byId, expanded);
  const views: AlertView[] = [];
  for (const id of order) {
    const a = byId.get(id);
    if (a) views.push(a);
  }
  fresh.build(views);
  fresh.order = order;
  fresh.orderVersion = state.orderVersion;
  live = fresh;
  return (current = view(fresh));
}

const NONE: ReadonlySet<string> = new Set();
const NO_ROWS: readonly Row[] = [];
const NO_NODES: readonly Node[] = [];
