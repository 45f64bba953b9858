// The simulator's notion of time. Domain timers (scenario steps, background incidents, device
// recovery) and every timestamp go through a SimClock, so tests can drive time by hand with
// ManualClock instead of sleeping. Infrastructure timers (log fsync) use real time on purpose.

export interface TimerHandle {
  readonly id: number;
}

export interface SimClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Real timers; `now` may be overridden (e.g. to shift the simulated time of day). */
export function realClock(now: () => number = Date.now): SimClock {
  const live = new Map<number, ReturnType<typeof setTimeout>>();
  let nextId = 1;
  return {
    now,
    setTimeout(fn, ms) {
      const id = nextId++;
      live.set(
        id,
        setTimeout(() => {
          live.delete(id);
          fn();
        }, Math.max(0, ms)),
      );
      return { id };
    },
    clearTimeout(handle) {
      const t = live.get(handle.id);
      if (t !== undefined) clearTimeout(t);
      live.delete(handle.id);
    },
  };
}

/** A clock that only moves when told to; timers fire in time order during advance(). */
export class ManualClock implements SimClock {
  private current: number;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  constructor(start = Date.UTC(2025, 8, 1, 8, 0, 0)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { at: this.current + Math.max(0, ms), fn });
    return { id };
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle.id);
  }

  /** Moves time forward, firing every timer that falls due (including ones scheduled meanwhile). */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      let dueId = -1;
      let dueAt = Infinity;
      for (const [id, t] of this.timers) {
        if (t.at <= target && (t.at < dueAt || (t.at === dueAt && id < dueId))) {
          dueAt = t.at;
          dueId = id;
        }
      }
      if (dueId < 0) break;
      const timer = this.timers.get(dueId)!;
      this.timers.delete(dueId);
      this.current = Math.max(this.current, timer.at);
      timer.fn();
    }
    this.current = target;
  }

  set(time: number): void {
    if (time < this.current) throw new Error('ManualClock cannot go backwards');
    this.advance(time - this.current);
  }

  get pendingTimers(): number {
    return this.timers.size;
  }
}

/** Tracks the timers one owner scheduled, so close() can cancel all of them. */
export class TimerGroup {
  private readonly handles = new Set<TimerHandle>();

  constructor(private readonly clock: SimClock) {}

  after(ms: number, fn: () => void): TimerHandle {
    const handle = this.clock.setTimeout(() => {
      this.handles.delete(handle);
      fn();
    }, ms);
    this.handles.add(handle);
    return handle;
  }

  cancel(handle: TimerHandle): void {
    this.clock.clearTimeout(handle);
    this.handles.delete(handle);
  }

  cancelAll(): void {
    for (const h of this.handles) this.clock.clearTimeout(h);
    this.handles.clear();
  }

  get size(): number {
    return this.handles.size;
  }
}
