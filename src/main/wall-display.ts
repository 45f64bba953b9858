// Where the detached wall window goes (Electron): the display it was last on, with the bounds it
// had, while that display is still attached; otherwise full screen on the first display that is
// not the operator's primary one; with a single display, a window on it. Pure, so it is tested
// without Electron (wall-window.ts applies it).
import { z } from 'zod';

export const WALL_WINDOW_SETTING = 'wall.window';

const Rect = z.strictObject({ x: z.number().int(), y: z.number().int(), width: z.number().int().min(200).max(20_000), height: z.number().int().min(150).max(20_000) });
export type Rect = z.infer<typeof Rect>;

/** What is remembered in the setting 'wall.window' when the wall window closes. */
export const WallWindowPlacement = z.strictObject({ displayId: z.number().int(), bounds: Rect, fullscreen: z.boolean() });
export type WallWindowPlacement = z.infer<typeof WallWindowPlacement>;

export interface DisplayInfo {
  id: number;
  label: string;
  bounds: Rect;
  workArea: Rect;
  primary: boolean;
}

function inside(r: Rect, area: Rect): boolean {
  return r.x >= area.x && r.y >= area.y && r.x + r.width <= area.x + area.width && r.y + r.height <= area.y + area.height;
}

export function placeWallWindow(displays: readonly DisplayInfo[], remembered: unknown): WallWindowPlacement & { label: string } {
  const saved = WallWindowPlacement.safeParse(remembered);
  if (saved.success) {
    const d = displays.find((x) => x.id === saved.data.displayId);
    if (d && inside(saved.data.bounds, d.bounds)) return { ...saved.data, label: d.label };
  }
  const other = displays.find((d) => !d.primary);
  if (other) return { displayId: other.id, bounds: other.bounds, fullscreen: true, label: other.label };
  const primary = displays.find((d) => d.primary) ?? displays[0];
  if (!primary) return { displayId: 0, bounds: { x: 0, y: 0, width: 1280, height: 720 }, fullscreen: false, label: '' };
  const w = primary.workArea;
  const bounds = { x: w.x + Math.round(w.width * 0.1), y: w.y + Math.round(w.height * 0.1), width: Math.round(w.width * 0.8), height: Math.round(w.height * 0.8) };
  return { displayId: primary.id, bounds, fullscreen: false, label: primary.label };
}
