// A store's value for views that aggregate everything in it (the city map, the school list, the
// board): they re-render at most once per interval under a flood, not once per event.
import { useEffect, useMemo, useRef, useState } from 'react';

/** What the hook needs of a zustand store (useXStore itself is one). */
export interface Subscribable<S> {
  getState(): S;
  subscribe(listener: () => void): () => void;
}

/**
 * A number that changes at most once per `intervalMs` while any of `stores` changes (trailing edge;
 * at once after a quiet interval): the moment for a view that reads them all to read them again.
 * One timer for all of them: the city map throttled its four stores one by one, and re-rendered
 * (and rolled up every school) up to four times a second, each store at its own phase.
 * The stores are watched outside React: a change costs a timer check, not a render. (Throttling
 * the value of `useStore(select)` still re-rendered the component, and its whole subtree, on every
 * change: the city map 60 times a second under a flood of alerts.)
 * `stores` must be the same array on every render (a module constant).
 */
export function useThrottledTick(stores: readonly Subscribable<unknown>[], intervalMs: number): number {
  const [tick, setTick] = useState(0);
  // The states the first render read: a change before the subscriptions below is caught by them.
  const first = useRef(stores.map((s) => s.getState()));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last = 0;
    const changed = () => {
      if (timer !== null) return;
      timer = setTimeout(
        () => {
          timer = null;
          last = Date.now();
          setTick((n) => n + 1);
        },
        Math.max(0, last + intervalMs - Date.now()),
      );
    };
    const unsubscribes = stores.map((s) => s.subscribe(changed));
    // A change between the first render and the subscriptions.
    if (stores.some((s, i) => s.getState() !== first.current[i])) changed();
    return () => {
      for (const u of unsubscribes) u();
      if (timer !== null) clearTimeout(timer);
    };
  }, [stores, intervalMs]);
  return tick;
}

/**
 * `select(store's state)`, read again at most once per `intervalMs` while the store changes
 * (useThrottledTick). Renders for other reasons read the store afresh.
 */
export function useThrottledStore<S, T>(store: Subscribable<S>, select: (state: S) => T, intervalMs: number): T {
  const stores = useMemo(() => [store], [store]);
  const tick = useThrottledTick(stores, intervalMs);
  // tick: the moment to read again. select may be an inline function: then every render reads.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useMemo(() => select(store.getState()), [store, select, tick]);
}
