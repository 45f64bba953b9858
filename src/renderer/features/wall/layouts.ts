// Wall layouts as pure data: the grid geometry of each kind, and the edits an operator makes
// (drop cameras on a tile, swap two tiles, change the kind, step a tour). No React, no store.
import { LAYOUT_KINDS, MAX_TOUR_SETS, type LayoutKind, type Tour, type WallLayout } from '../../../shared/wall';

export interface TileBox {
  col: number;
  row: number;
  colSpan: number;
  rowSpan: number;
}

export interface Geometry {
  cols: number;
  rows: number;
  tiles: readonly TileBox[];
}

function grid(n: number): Geometry {
  const tiles: TileBox[] = [];
  for (let row = 0; row < n; row++) for (let col = 0; col < n; col++) tiles.push({ col, row, colSpan: 1, rowSpan: 1 });
  return { cols: n, rows: n, tiles };
}

/** One large tile (tile 0) and small ones around it, in reading order. */
function bigPlus(size: number, big: TileBox): Geometry {
  const tiles: TileBox[] = [big];
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const inBig = col >= big.col && col < big.col + big.colSpan && row >= big.row && row < big.row + big.rowSpan;
      if (!inBig) tiles.push({ col, row, colSpan: 1, rowSpan: 1 });
    }
  }
  return { cols: size, rows: size, tiles };
}

const GEOMETRY: Record<LayoutKind, Geometry> = {
  '1': grid(1),
  '4': grid(2),
  '9': grid(3),
  '16': grid(4),
  '25': grid(5),
  '36': grid(6),
  '1+5': bigPlus(3, { col: 0, row: 0, colSpan: 2, rowSpan: 2 }),
  '1+7': bigPlus(4, { col: 0, row: 0, colSpan: 3, rowSpan: 3 }),
  '1+12': bigPlus(4, { col: 1, row: 1, colSpan: 2, rowSpan: 2 }),
};

export { LAYOUT_KINDS };

export function geometry(kind: LayoutKind): Geometry {
  return GEOMETRY[kind];
}

export function tileCount(kind: LayoutKind): number {
  return GEOMETRY[kind].tiles.length;
}

/** Share of the wall's area a tile covers (0..1). */
export function tileShare(kind: LayoutKind, index: number): number {
  const g = GEOMETRY[kind];
  const t = g.tiles[index];
  return t ? (t.colSpan * t.rowSpan) / (g.cols * g.rows) : 0;
}

/** Cells padded or cut to the kind's tile count. */
export function normalizeCells(kind: LayoutKind, cells: readonly (string | null)[]): (string | null)[] {
  const n = tileCount(kind);
  return Array.from({ length: n }, (_, i) => cells[i] ?? null);
}

export function emptyLayout(kind: LayoutKind = '4'): WallLayout {
  return { kind, cells: normalizeCells(kind, []), tour: null };
}

/** Changing the kind keeps the cameras of the tiles that still exist. */
export function withKind(layout: WallLayout, kind: LayoutKind): WallLayout {
  return { ...layout, kind, cells: normalizeCells(kind, layout.cells) };
}

/**
 * Cameras dropped on tile `at`: one camera goes to that tile; a set (a school, a floor) fills the
 * tiles from `at` onwards, as many as fit. Returns the new cells and how many cameras did not fit.
 */
export function dropCameras(
  layout: WallLayout,
  at: number,
  cameraIds: readonly string[],
): { layout: WallLayout; placed: number; left: number } {
  const cells = normalizeCells(layout.kind, layout.cells);
  if (at < 0 || at >= cells.length) return { layout, placed: 0, left: cameraIds.length };
  let placed = 0;
  for (let i = at; i < cells.length && placed < cameraIds.length; i++) cells[i] = cameraIds[placed++]!;
  return { layout: { ...layout, cells }, placed, left: cameraIds.length - placed };
}

export function swapTiles(layout: WallLayout, a: number, b: number): WallLayout {
  const cells = normalizeCells(layout.kind, layout.cells);
  if (a === b || a < 0 || b < 0 || a >= cells.length || b >= cells.length) return layout;
  [cells[a], cells[b]] = [cells[b]!, cells[a]!];
  return { ...layout, cells };
}

export function clearTile(layout: WallLayout, at: number): WallLayout {
  const cells = normalizeCells(layout.kind, layout.cells);
  if (at < 0 || at >= cells.length) return layout;
  cells[at] = null;
  return { ...layout, cells };
}

/** The cameras a tour shows at `step`: its sets (or pages of its list) in turn, wrapping around. */
export function tourPage(tour: Tour, step: number, tiles: number): (string | null)[] {
  const pages = tourPages(tour, tiles);
  const page = ((step % pages) + pages) % pages;
  if (tour.sets) return Array.from({ length: tiles }, (_, i) => tour.sets![page]![i] ?? null);
  const ids = tour.cameraIds ?? [];
  return Array.from({ length: tiles }, (_, i) => ids[page * tiles + i] ?? null);
}

export function tourPages(tour: Tour, tiles: number): number {
  if (tour.sets) return tour.sets.length;
  return Math.max(1, Math.ceil((tour.cameraIds?.length ?? 0) / tiles));
}

/** The tour's steps as explicit sets (a paged list becomes its pages), at most MAX_TOUR_SETS. */
export function tourSets(tour: Tour, tiles: number): (string | null)[][] {
  if (tour.sets) return tour.sets.map((s) => [...s]);
  return Array.from({ length: Math.min(MAX_TOUR_SETS, tourPages(tour, tiles)) }, (_, i) => tourPage(tour, i, tiles));
}

/** A set as stored: trailing empty tiles dropped; null when no tile has a camera. */
function asSet(cells: readonly (string | null)[]): (string | null)[] | null {
  const last = cells.reduce((at, c, i) => (c !== null ? i : at), -1);
  return last < 0 ? null : cells.slice(0, last + 1);
}

export type TourEdit =
  | { kind: 'add'; cells: readonly (string | null)[] }
  | { kind: 'replace'; step: number; cells: readonly (string | null)[] }
  | { kind: 'remove'; step: number }
  | { kind: 'move'; step: number; dir: 1 | -1 }
  | { kind: 'dwell'; seconds: number };

export const DEFAULT_DWELL_SECONDS = 10;

/**
 * A tour after one edit of the operator; null when no step is left (the tour is gone). Adding or
 * replacing with a wall that shows no camera changes nothing.
 */
export function editTour(tour: Tour | null, tiles: number, edit: TourEdit): Tour | null {
  const sets = tour ? tourSets(tour, tiles) : [];
  const dwellSeconds = tour?.dwellSeconds ?? DEFAULT_DWELL_SECONDS;
  switch (edit.kind) {
    case 'add': {
      const set = asSet(edit.cells);
      if (!set || sets.length >= MAX_TOUR_SETS) return tour;
      sets.push(set);
      break;
    }
    case 'replace': {
      const set = asSet(edit.cells);
      if (!set || !sets[edit.step]) return tour;
      sets[edit.step] = set;
      break;
    }
    case 'remove':
      if (!sets[edit.step]) return tour;
      sets.splice(edit.step, 1);
      break;
    case 'move': {
      const to = edit.step + edit.dir;
      if (!sets[edit.step] || !sets[to]) return tour;
      [sets[edit.step], sets[to]] = [sets[to]!, sets[edit.step]!];
      break;
    }
    case 'dwell':
      return tour ? { ...tour, dwellSeconds: edit.seconds } : null;
  }
  return sets.length === 0 ? null : { sets, dwellSeconds };
}

/** The camera after (dir 1) or before (dir -1) `current` in `order`, wrapping; the first if absent. */
export function stepCamera(order: readonly string[], current: string | null, dir: 1 | -1): string | null {
  if (order.length === 0) return null;
  const i = current === null ? -1 : order.indexOf(current);
  if (i < 0) return dir === 1 ? order[0]! : order[order.length - 1]!;
  return order[(i + dir + order.length) % order.length]!;
}

/** The tile reached from `from` by an arrow key: the nearest tile whose centre lies that way. */
export function moveFocus(kind: LayoutKind, from: number, dir: 'left' | 'right' | 'up' | 'down'): number {
  const tiles = GEOMETRY[kind].tiles;
  const t = tiles[from];
  if (!t) return 0;
  const cx = (b: TileBox) => b.col + b.colSpan / 2;
  const cy = (b: TileBox) => b.row + b.rowSpan / 2;
  let best = from;
  let bestScore = Infinity;
  tiles.forEach((b, i) => {
    if (i === from) return;
    const dx = cx(b) - cx(t);
    const dy = cy(b) - cy(t);
    const along = dir === 'left' ? -dx : dir === 'right' ? dx : dir === 'up' ? -dy : dy;
    const across = dir === 'left' || dir === 'right' ? Math.abs(dy) : Math.abs(dx);
    if (along <= 0) return;
    const score = along + across * 2;
    if (score < bestScore) {
      bestScore = score;
      best = i;
    }
  });
  return best;
}
