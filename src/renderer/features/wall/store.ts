// The wall's state in this window: the live layout, the selected and maximized tile, the tour,
// and the named layouts of the local store. Layout edits go through the pure functions of
// layouts.ts; persistence and sync with other windows live in sync.ts.
import { create } from 'zustand';
import type { LayoutKind, Tour, WallLayout } from '../../../shared/wall';
import { clearTile, dropCameras, editTour, emptyLayout, normalizeCells, swapTiles, tileCount, tourPage, tourPages, withKind, type TourEdit } from './layouts';

export interface SavedLayout {
  name: string;
  layout: WallLayout;
  updatedAt: string;
}

export interface WallStore {
  layout: WallLayout;
  /** The layout was restored from the local store (or found absent): edits may be saved. */
  restored: boolean;
  /** Bumped by every operator edit; sync.ts saves on change. */
  revision: number;
  selected: number;
  maximized: number | null;
  touring: boolean;
  tourStep: number;
  saved: SavedLayout[];
  /** From the store or another window: replaces the layout without counting as an edit. */
  restore(layout: WallLayout | null, fallback: () => WallLayout): void;
  apply(layout: WallLayout): void;
  setKind(kind: LayoutKind): void;
  drop(at: number, cameraIds: readonly string[]): number;
  swap(a: number, b: number): void;
  clear(at: number): void;
  setCamera(at: number, cameraId: string | null): void;
  select(index: number): void;
  toggleMaximize(index?: number): void;
  restoreSize(): void;
  setTour(tour: Tour | null): void;
  /** One edit of the tour editor; a tour left without steps is deleted (and stops). */
  editTour(edit: TourEdit): void;
  startTour(): void;
  stopTour(): void;
  stepTour(dir?: 1 | -1): void;
  setSaved(list: SavedLayout[]): void;
  reset(): void;
}

const initial = {
  layout: emptyLayout('4'),
  restored: false,
  revision: 0,
  selected: 0,
  maximized: null as number | null,
  touring: false,
  tourStep: 0,
  saved: [] as SavedLayout[],
};

export const useWallStore = create<WallStore>()((set, get) => {
  const edit = (layout: WallLayout) =>
    set((s) => ({
      layout,
      revision: s.revision + 1,
      selected: Math.min(s.selected, tileCount(layout.kind) - 1),
      maximized: s.maximized !== null && s.maximized < tileCount(layout.kind) ? s.maximized : null,
    }));
  return {
    ...initial,
    restore: (layout, fallback) => {
      const next = layout ?? fallback();
      set((s) => ({
        layout: { ...next, cells: normalizeCells(next.kind, next.cells) },
        restored: true,
        selected: Math.min(s.selected, tileCount(next.kind) - 1),
        maximized: s.maximized !== null && s.maximized < tileCount(next.kind) ? s.maximized : null,
        touring: next.tour ? s.touring : false,
      }));
    },
    apply: (layout) => {
      set({ touring: false, tourStep: 0, maximized: null });
      edit({ ...layout, cells: normalizeCells(layout.kind, layout.cells) });
    },
    setKind: (kind) => edit(withKind(get().layout, kind)),
    drop: (at, cameraIds) => {
      const { layout, placed } = dropCameras(get().layout, at, cameraIds);
      if (placed > 0) edit(layout);
      return placed;
    },
    swap: (a, b) => edit(swapTiles(get().layout, a, b)),
    clear: (at) => edit(clearTile(get().layout, at)),
    setCamera: (at, cameraId) => {
      if (cameraId === null) return edit(clearTile(get().layout, at));
      edit(dropCameras(get().layout, at, [cameraId]).layout);
    },
    select: (index) => {
      const n = tileCount(get().layout.kind);
      if (index >= 0 && index < n) set({ selected: index });
    },
    toggleMaximize: (index) => {
      const i = index ?? get().selected;
      set((s) => ({ maximized: s.maximized === null ? i : null, selected: i }));
    },
    restoreSize: () => set({ maximized: null }),
    setTour: (tour) => {
      set({ touring: false, tourStep: 0 });
      edit({ ...get().layout, tour });
    },
    editTour: (e) => {
      const { layout, touring, tourStep } = get();
      const tour = editTour(layout.tour, tileCount(layout.kind), e);
      if (tour === layout.tour) return;
      // Running tours keep going (on a valid step); a deleted one stops.
      const steps = tour ? tourPages(tour, tileCount(layout.kind)) : 1;
      set({ touring: touring && tour !== null, tourStep: tourStep % steps });
      edit({ ...layout, tour });
    },
    startTour: () => {
      if (get().layout.tour) set({ touring: true, tourStep: 0 });
    },
    stopTour: () => set({ touring: false, tourStep: 0 }),
    stepTour: (dir = 1) => set((s) => ({ tourStep: s.tourStep + dir })),
    setSaved: (saved) => set({ saved }),
    reset: () => set(initial),
  };
});

/** What the tiles show now: the layout's cameras, or the tour's current page. */
export function visibleCells(s: Pick<WallStore, 'layout' | 'touring' | 'tourStep'>): (string | null)[] {
  const n = tileCount(s.layout.kind);
  if (s.touring && s.layout.tour) return tourPage(s.layout.tour, s.tourStep, n);
  return normalizeCells(s.layout.kind, s.layout.cells);
}
