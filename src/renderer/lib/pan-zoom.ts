// Pan/zoom and plan geometry in content units: floor metres on plans, kilometres on the city map
// (x right, y down; headings clockwise from plan-up). Pure, so the maths is tested without a DOM.
export type Pt = readonly [number, number];

export interface View {
  /** Screen pixels per metre. */
  scale: number;
  /** Screen position of the floor's origin. */
  tx: number;
  ty: number;
}

export const MIN_SCALE = 0.5;
export const MAX_SCALE = 200;

/** The view that shows the whole floor centred in the viewport with a margin. */
export function fitView(floorW: number, floorH: number, viewW: number, viewH: number, margin = 16): View {
  const w = Math.max(1, viewW - 2 * margin);
  const h = Math.max(1, viewH - 2 * margin);
  const scale = clamp(Math.min(w / floorW, h / floorH), MIN_SCALE, MAX_SCALE);
  return { scale, tx: (viewW - floorW * scale) / 2, ty: (viewH - floorH * scale) / 2 };
}

/** Zooms by `factor` keeping the floor point under the screen point (px, py) where it is. */
export function zoomAt(view: View, factor: number, px: number, py: number): View {
  const scale = clamp(view.scale * factor, MIN_SCALE, MAX_SCALE);
  const k = scale / view.scale;
  return { scale, tx: px - (px - view.tx) * k, ty: py - (py - view.ty) * k };
}

/** The view centred on a floor point at a given scale (alarm focus). */
export function centreOn(view: View, p: Pt, viewW: number, viewH: number, scale = view.scale): View {
  const s = clamp(scale, MIN_SCALE, MAX_SCALE);
  return { scale: s, tx: viewW / 2 - p[0] * s, ty: viewH / 2 - p[1] * s };
}

export function toFloor(view: View, sx: number, sy: number): Pt {
  return [(sx - view.tx) / view.scale, (sy - view.ty) / view.scale];
}

/** Unit direction of a heading (degrees clockwise from plan-up). */
export function direction(headingDeg: number): Pt {
  const r = (headingDeg * Math.PI) / 180;
  return [Math.sin(r), -Math.cos(r)];
}

/** SVG path of a camera's field of view: a circular sector of `range` metres. */
export function fovPath(at: Pt, headingDeg: number, fovDeg: number, range: number): string {
  const fov = clamp(fovDeg, 1, 359);
  const [ax, ay] = direction(headingDeg - fov / 2);
  const [bx, by] = direction(headingDeg + fov / 2);
  const large = fov > 180 ? 1 : 0;
  const f = (n: number) => Number(n.toFixed(3));
  return `M${f(at[0])} ${f(at[1])} L${f(at[0] + ax * range)} ${f(at[1] + ay * range)} A${f(range)} ${f(range)} 0 ${large} 1 ${f(at[0] + bx * range)} ${f(at[1] + by * range)} Z`;
}

/** Whether a floor point lies inside a camera's field of view (within range). */
export function inFov(at: Pt, headingDeg: number, fovDeg: number, range: number, p: Pt): boolean {
  const dx = p[0] - at[0];
  const dy = p[1] - at[1];
  const d = Math.hypot(dx, dy);
  if (d === 0) return true;
  if (d > range) return false;
  const [hx, hy] = direction(headingDeg);
  const cos = (dx * hx + dy * hy) / d;
  return cos >= Math.cos(((clamp(fovDeg, 1, 359) / 2) * Math.PI) / 180) - 1e-9;
}

export function centroid(polygon: readonly Pt[]): Pt {
  // Area-weighted centroid; falls back to the vertex mean for degenerate polygons.
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < polygon.length; i++) {
    const [x0, y0] = polygon[i]!;
    const [x1, y1] = polygon[(i + 1) % polygon.length]!;
    const cross = x0 * y1 - x1 * y0;
    a += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  if (Math.abs(a) < 1e-9) {
    const n = polygon.length || 1;
    return [polygon.reduce((s, p) => s + p[0], 0) / n, polygon.reduce((s, p) => s + p[1], 0) / n];
  }
  return [cx / (3 * a), cy / (3 * a)];
}

export function pointInPolygon(p: Pt, polygon: readonly Pt[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
