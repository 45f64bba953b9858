// The video wall's shapes shared by the UI and the local store: layouts (what a wall shows) and the
// file a layout is shared as. No platform imports.
import { z } from 'zod';
import { Id } from './domain';

/** Grids n x n, and asymmetric ones: one large tile plus 5, 7 or 12 small ones. */
export const LAYOUT_KINDS = ['1', '4', '9', '16', '25', '36', '1+5', '1+7', '1+12'] as const;
export const LayoutKind = z.enum(LAYOUT_KINDS);
export type LayoutKind = z.infer<typeof LayoutKind>;

export const MAX_TILES = 36;

/** One step of a tour: what the tiles show, in tile order (null is an empty tile). */
export const TourSet = z.array(Id.nullable()).min(1).max(MAX_TILES);
export const MAX_TOUR_SETS = 200;

/**
 * A tour cycles the wall through camera sets, one per dwell time. Either the operator's own sets
 * (made and edited in the tour editor), or a camera list paged by the layout's tile count (the
 * quick tour of a school the T key starts when the layout has none).
 */
export const Tour = z
  .strictObject({
    sets: z.array(TourSet).min(1).max(MAX_TOUR_SETS).optional(),
    cameraIds: z.array(Id).min(1).max(2000).optional(),
    dwellSeconds: z.number().int().min(3).max(3600),
  })
  .refine((t) => (t.sets === undefined) !== (t.cameraIds === undefined), 'a tour has either camera sets or a camera list');
export type Tour = z.infer<typeof Tour>;

export const WallLayout = z.strictObject({
  kind: LayoutKind,
  /** One entry per tile, in tile order; null is an empty tile. */
  cells: z.array(Id.nullable()).max(MAX_TILES),
  tour: Tour.nullable(),
});
export type WallLayout = z.infer<typeof WallLayout>;

export const LayoutName = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .regex(/^[^\p{Cc}]+$/u, 'no control characters');

export const LAYOUT_FILE_FORMAT = 'kuzet.wall-layout';
/** A layout as a file, shareable between consoles. Imported files are validated against this. */
export const LayoutFile = z.strictObject({
  format: z.literal(LAYOUT_FILE_FORMAT),
  version: z.literal(1),
  name: LayoutName,
  layout: WallLayout,
});
export type LayoutFile = z.infer<typeof LayoutFile>;
/** Layout files are tiny; anything bigger is not one. */
export const MAX_LAYOUT_FILE_BYTES = 256 * 1024;

/** Snapshots: PNG only, bounded (a 1080p PNG is ~3 MB; base64 adds a third). */
export const MAX_SNAPSHOT_BYTES = 6 * 1024 * 1024;
export const SnapshotInput = z.strictObject({
  cameraId: Id,
  capturedAt: z.iso.datetime(),
  operator: z.string().min(1).max(200),
  pngBase64: z
    .string()
    .min(8)
    .max(Math.ceil((MAX_SNAPSHOT_BYTES * 4) / 3) + 4)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'not base64'),
});
export type SnapshotInput = z.infer<typeof SnapshotInput>;
