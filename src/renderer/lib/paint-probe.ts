// Event-to-painted latency for the alert benchmark (bench/alerts.ts). Off unless localStorage
// 'kuzet.paintProbe' is '1': then, for every batch the alert store applies, the time from each
// event's source timestamp to the end of the frame that painted it is pushed to
// globalThis.__kuzetPaintStages.total (milliseconds), and the console's own share split into stages in
// globalThis.__kuzetPaintStages: received -> journaled (the journal.append round trip), journaled
// -> applied (waiting for the frame), applied -> painted (store, React, layout, paint). The paint
// stamp is taken in a task queued from the next animation frame, i.e. just after that frame's paint.
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
  receivedToPainted: number[];
  receivedToJournaled: number[];
  journaledToApplied: number[];
  appliedToPainted: number[];
}

/** Epoch ms with sub-millisecond resolution; 0 when the probe is off (nothing is recorded then). */
export function probeNow(): number {
  return probeEnabled ? performance.timeOrigin + performance.now() : 0;
}

interface Pending {
  source: number;
  received: number;
  journaled: number;
  applied: number;
}

let pending: Pending[] = [];
let scheduled = false;

export interface AppliedBatch {
  /** The events' source timestamps (ISO). */
  sourceTimes: readonly string[];
  /** When this window received each event (ISO), the same length. */
  receivedAt: readonly string[];
  /** When each event's journal.append resolved (probeNow), the same length. */
  journaledAt: readonly number[];
  /** When the batch was applied to the stores (probeNow). */
  applyAt: number;
}

/**
 * `inFrame`: called from an animation frame callback, whose own paint is the one to wait for.
 */
export function probeApplied(batch: AppliedBatch, inFrame = false): void {
  if (!probeEnabled || typeof requestAnimationFrame === 'undefined') return;
  batch.sourceTimes.forEach((ts, i) =>
    pending.push({ source: Date.parse(ts), received: Date.parse(batch.receivedAt[i] ?? ''), journaled: batch.journaledAt[i] ?? Number.NaN, applied: batch.applyAt }),
  );
  if (scheduled) return;
  scheduled = true;
  const afterPaint = (stamp: () => void) => (inFrame ? stamp() : requestAnimationFrame(stamp));
  afterPaint(() => {
    setTimeout(() => {
      const now = performance.timeOrigin + performance.now();
      const g = globalThis as { __kuzetPaintStages?: PaintStages };
      const out = (g.__kuzetPaintStages ??= { total: [], receivedToPainted: [], receivedToJournaled: [], journaledToApplied: [], appliedToPainted: [] });
      const push = (to: number[], ms: number) => {
        if (Number.isFinite(ms)) to.push(ms);
      };
      for (const p of pending) {
        push(out.total, now - p.source);
        push(out.receivedToPainted, now - p.received);
        push(out.receivedToJournaled, p.journaled - p.received);
        push(out.journaledToApplied, p.applied - p.journaled);
        push(out.appliedToPainted, now - p.applied);
      }
      pending = [];
      scheduled = false;
    }, 0);
  });
}
