// Event-to-painted latency for the alert benchmark (bench/alerts.ts). Off unless localStorage
// 'kuzet.paintProbe' is '1': then, for every batch the alert store applies, the time from each
// event's source timestamp to the end of the frame that painted it is pushed to
// globalThis.__kuzetPaintStages.total (milliseconds), and the console's own share split into stages in
// globalThis.__kuzetPaintStages: received -> applied (classifying, waiting for the frame), applied ->
// painted (store, React, layout, paint). The paint stamp is taken in a task queued from the next
// animation frame, i.e. just after that frame's paint. Apart from the view, received -> journaled
// is the durability latency (the journal.append round trip, and the queue before it): the view
// does not wait for it, the subscription cursor does (backend-client.ts).
export const probeEnabled = (() => {
  try {
    return typeof localStorage !== 'undefined' && localStorage.getItem('kuzet.paintProbe') === '1';
  } catch {
    return false;
  }
})();

export interface PaintStages {
  /** Source timestamp to painted, per event. */
  total: number[];
  /** Source timestamp to received by this window: the backend, the network, and the wait for this thread. */
  sourceToReceived: number[];
  receivedToPainted: number[];
  receivedToApplied: number[];
  appliedToPainted: number[];
  /** Not on the way to the screen: how long an event waits until the journal has it. */
  receivedToJournaled: number[];
}

function stages(): PaintStages {
  const g = globalThis as { __kuzetPaintStages?: PaintStages };
  return (g.__kuzetPaintStages ??= { total: [], sourceToReceived: [], receivedToPainted: [], receivedToApplied: [], appliedToPainted: [], receivedToJournaled: [] });
}

const push = (to: number[], ms: number) => {
  if (Number.isFinite(ms)) to.push(ms);
};

/** Epoch ms with sub-millisecond resolution; 0 when the probe is off (nothing is recorded then). */
export function probeNow(): number {
  return probeEnabled ? performance.timeOrigin + performance.now() : 0;
}

interface Pending {
  source: number;
  received: number;
  applied: number;
}

let pending: Pending[] = [];
let scheduled = false;

export interface AppliedBatch {
  /** The events' source timestamps (ISO). */
  sourceTimes: readonly string[];
  /** When this window received each event (probeNow), the same length. */
  receivedAt: readonly number[];
  /** When the batch was applied to the stores (probeNow). */
  applyAt: number;
}

/**
 * `inFrame`: called from an animation frame callback, whose own paint is the one to wait for.
 */
export function probeApplied(batch: AppliedBatch, inFrame = false): void {
  if (!probeEnabled || typeof requestAnimationFrame === 'undefined') return;
  batch.sourceTimes.forEach((ts, i) =>
    pending.push({ source: Date.parse(ts), received: batch.receivedAt[i] ?? Number.NaN, applied: batch.applyAt }),
  );
  if (scheduled) return;
  scheduled = true;
  const afterPaint = (stamp: () => void) => (inFrame ? stamp() : requestAnimationFrame(stamp));
  afterPaint(() => {
    setTimeout(() => {
      const now = performance.timeOrigin + performance.now();
      const out = stages();
      for (const p of pending) {
        push(out.total, now - p.source);
        push(out.sourceToReceived, p.received - p.source);
        push(out.receivedToPainted, now - p.received);
        push(out.receivedToApplied, p.applied - p.received);
        push(out.appliedToPainted, now - p.applied);
      }
      pending = [];
      scheduled = false;
    }, 0);
  });
}

/** Frames whose events the journal now has: `count` events each, received at `receivedStamp` (probeNow). */
export function probeJournaled(frames: ReadonlyArray<{ receivedStamp: number; count: number }>): void {
  if (!probeEnabled) return;
  const now = probeNow();
  const out = stages().receivedToJournaled;
  for (const f of frames) for (let i = 0; i < f.count; i++) push(out, now - f.receivedStamp);
}
