// A store's value for views that aggregate everything in it (the city map, the school list, the
// board): they re-render at most once per interval under a flood, not once per event.
import { useEffect, useMemo, useRef, useState } from 'react';

/** What the hook needs of a zustand store (useXStore itself is one). */
export interface Subscribable<S> {
  getState(): S;
  subscribe(listener: () => void): () => void;
}

/**
 * `select(store's state)`, read again at most once per `intervalMs` while the store changes
 * (trailing edge; at once after a quiet interval). The store is watched outside React: a change
 * costs a timer check, not a render. (Throttling the value of `useStore(select)` still re-rendered
 * the component, and its whole subtree, on every change: the city map 60 times a second under a
 * flood of alerts.) Renders for other reasons read the store afresh.
 */
export function useThrottledStore<S, T>(store: Subscribable<S>, select: (state: S) => T, intervalMs: number): T {
  const [tick, setTick] = useState(0);
  // The state the first render read: a change before the subscription below is caught by it.
  const first = useRef(store.getState());
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
    const unsubscribe = store.subscribe(changed);
    // A change between the first render and the subscription.
    if (store.getState() !== first.current) changed();
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, [store, intervalMs]);
  // tick: the moment to read again. select may be an inline function: then every render reads.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useMemo(() => select(store.getState()), [store, select, tick]);
}
