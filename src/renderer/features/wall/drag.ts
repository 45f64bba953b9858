// Drag payloads between the camera tree and the tiles. Our own MIME types only; anything else
// dropped on the wall (files, text from other apps) is ignored.
import { z } from 'zod';
import { Id } from '../../../shared/domain';
import { MAX_TILES } from '../../../shared/wall';

export const CAMERAS_MIME = 'application/x-kuzet-cameras';
export const TILE_MIME = 'application/x-kuzet-tile';

const Cameras = z.array(Id).min(1).max(2000);
const TileIndex = z.number().int().min(0).max(MAX_TILES - 1);

export type Drag = { kind: 'cameras'; cameraIds: string[] } | { kind: 'tile'; index: number };

export function writeCamerasDrag(dt: DataTransfer, cameraIds: readonly string[]): void {
  dt.setData(CAMERAS_MIME, JSON.stringify(cameraIds));
  dt.effectAllowed = 'copy';
}

export function writeTileDrag(dt: DataTransfer, index: number): void {
  dt.setData(TILE_MIME, String(index));
  dt.effectAllowed = 'move';
}

export function readDrag(dt: Pick<DataTransfer, 'getData'>): Drag | null {
  const tile = dt.getData(TILE_MIME);
  if (tile) {
    const parsed = TileIndex.safeParse(Number(tile));
    return parsed.success ? { kind: 'tile', index: parsed.data } : null;
  }
  const cams = dt.getData(CAMERAS_MIME);
  if (cams) {
    try {
      const parsed = Cameras.safeParse(JSON.parse(cams));
      return parsed.success ? { kind: 'cameras', cameraIds: parsed.data } : null;
    } catch {
      return null;
    }
  }
  return null;
}
