// Windowing for long lists of fixed-height rows (the alert queue, the health board): only the rows
// in view, plus a few either side, are rendered; spacers keep the scroll height.
//
//   const [viewport, measure] = useScrollViewport(scrollRef);
//   const { first, last } = windowRange(viewport, { rowHeight: 28, count: rows.length, overscan: 6 });
import { useCallback, useEffect, useState, type RefObject } from 'react';

export interface Viewport {
  /** scrollTop of the scrolling element. */
  top: number;
  /** Its client height. */
  height: number;
}

/** Follows the element's scroll position and height, at most once per frame. `measure()` re-reads now. */
export function useScrollViewport(ref: RefObject<HTMLElement | null>, initialHeight = 600): [Viewport, () => void] {
  const [viewport, setViewport] = useState<Viewport>({ top: 0, height: initialHeight });
  const measure = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    setViewport((v) => (v.top === el.scrollTop && v.height === el.clientHeight ? v : { top: el.scrollTop, height: el.clientHeight }));
  }, [ref]);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let frame = 0;
    const schedule = () => {
      if (!frame)
        frame = requestAnimationFrame(() => {
          frame = 0;
          measure();
        });
    };
    measure();
    el.addEventListener('scroll', schedule, { passive: true });
    const ro = new ResizeObserver(schedule);
    ro.observe(el);
    return () => {
      el.removeEventListener('scroll', schedule);
      ro.disconnect();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [ref, measure]);
  return [viewport, measure];
}

export interface WindowOptions {
  rowHeight: number;
  count: number;
  overscan: number;
  /** Where the first row starts inside the scrolling element (headers above the rows), px. */
  offset?: number;
}

/** The rows [first, last) to render for a viewport. */
export function windowRange(viewport: Viewport, o: WindowOptions): { first: number; last: number } {
  const top = viewport.top - (o.offset ?? 0);
  const first = Math.max(0, Math.min(o.count, Math.floor(top / o.rowHeight) - o.overscan));
  const last = Math.max(first, Math.min(o.count, Math.ceil((top + viewport.height) / o.rowHeight) + o.overscan));
  return { first, last };
}
