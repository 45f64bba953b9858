// Pan (drag, arrow keys) and zoom (wheel, +/-, 0 to fit) of a content area drawn in its own units,
// for the floor plans and the city map. The framing follows the content, the viewport and the
// focus point; the operator's pan and zoom override it until one of those changes.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { centreOn, fitView, zoomAt, type Pt, type View } from './pan-zoom';

interface Options {
  /** Identifies the content (a floor id, 'city'): new content re-frames. */
  contentKey: string;
  width: number;
  height: number;
  /** A point to centre on (an alarm), zoomed by focusZoom relative to the fitted scale. */
  focus: Pt | null;
  focusZoom?: number;
  /** Pointer-downs on elements matching this do not start a pan (they are clickable marks). */
  noPanSelector?: string;
}

export function usePanZoom({ contentKey, width, height, focus, focusZoom = 2, noPanSelector = '[data-no-pan]' }: Options) {
  const boxRef = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<{ w: number; h: number } | null>(null);
  const [userView, setUserView] = useState<{ frame: string; view: View } | null>(null);
  const drag = useRef<{ x: number; y: number; view: View } | null>(null);

  useLayoutEffect(() => {
    const el = boxRef.current;
    if (!el) return;
    const measure = () => setSize({ w: el.clientWidth, h: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const frame = size ? `${contentKey}|${size.w}x${size.h}|${focus?.join(',') ?? ''}` : '';
  const framed = useMemo<View | null>(() => {
    if (!size) return null;
    const fitted = fitView(width, height, size.w, size.h);
    return focus ? centreOn(fitted, focus, size.w, size.h, fitted.scale * focusZoom) : fitted;
  }, [width, height, size, focus, focusZoom]);
  const view = userView?.frame === frame ? userView.view : framed;

  const setView = useCallback(
    (update: (v: View) => View) =>
      setUserView((prev) => {
        const current = prev?.frame === frame ? prev.view : framed;
        return current ? { frame, view: update(current) } : prev;
      }),
    [frame, framed],
  );
  const fit = useCallback(() => {
    if (size) setView(() => fitView(width, height, size.w, size.h));
  }, [width, height, size, setView]);
  const zoomBy = useCallback((factor: number) => setView((v) => (size ? zoomAt(v, factor, size.w / 2, size.h / 2) : v)), [size, setView]);

  useEffect(() => {
    const el = boxRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = el.getBoundingClientRect();
      setView((v) => zoomAt(v, Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [setView]);

  const handlers = {
    onPointerDown: (e: PointerEvent<HTMLDivElement>) => {
      if (!view || e.button !== 0 || (e.target as Element).closest(noPanSelector)) return;
      drag.current = { x: e.clientX, y: e.clientY, view };
      e.currentTarget.setPointerCapture(e.pointerId);
    },
    onPointerMove: (e: PointerEvent<HTMLDivElement>) => {
      const d = drag.current;
      if (d) setView(() => ({ ...d.view, tx: d.view.tx + e.clientX - d.x, ty: d.view.ty + e.clientY - d.y }));
    },
    onPointerUp: () => {
      drag.current = null;
    },
    onPointerCancel: () => {
      drag.current = null;
    },
    onKeyDown: (e: KeyboardEvent<HTMLDivElement>) => {
      const step = 40;
      const pan = (dx: number, dy: number) => setView((v) => ({ ...v, tx: v.tx + dx, ty: v.ty + dy }));
      const actions: Record<string, () => void> = {
        '+': () => zoomBy(1.25),
        '=': () => zoomBy(1.25),
        '-': () => zoomBy(0.8),
        '0': fit,
        ArrowLeft: () => pan(step, 0),
        ArrowRight: () => pan(-step, 0),
        ArrowUp: () => pan(0, step),
        ArrowDown: () => pan(0, -step),
      };
      const action = actions[e.key];
      if (action) {
        e.preventDefault();
        action();
      }
    },
  };

  return { boxRef, size, view, setView, fit, zoomBy, handlers };
}
