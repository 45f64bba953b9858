// Event-to-painted latency for the alert benchmark (bench/alerts.ts). Off unless localStorage
// 'kuzet.paintProbe' is '1': then, for every batch the alert store applies, the time from each
// event's source timestamp to the end of the frame that painted it is pushed to
// globalThis.__kuzetPaint (milliseconds), and the time from when this window received it to
// globalThis.__kuzetPaintFromReceipt. The stamp is taken in a task queued from the next
// animation frame, i.e. just after that frame's paint.
const enabled = (() => {
  try {
    return typeof localStorage !== 'undefined' && localStorage.getItem('kuzet.paintProbe') === '1';
  } catch {
    return false;
  }
})();

let pending: number[] = [];
let pendingReceived: number[] = [];
let scheduled = false;

/**
 * `sourceTimes` are the events' timestamps, `receivedAt` when this window received each (the same
 * length): the split tells the backend's and the network's share from the console's own.
 * `inFrame`: called from an animation frame callback, whose own paint is the one to wait for.
 */
export function probeApplied(sourceTimes: readonly string[], receivedAt: readonly string[], inFrame = false): void {
  if (!enabled || typeof requestAnimationFrame === 'undefined') return;
  for (const ts of sourceTimes) pending.push(Date.parse(ts));
  for (const ts of receivedAt) pendingReceived.push(Date.parse(ts));
  if (scheduled) return;
  scheduled = true;
  const afterPaint = (stamp: () => void) => (inFrame ? stamp() : requestAnimationFrame(stamp));
  afterPaint(() => {
    setTimeout(() => {
      const now = performance.timeOrigin + performance.now();
      const g = globalThis as { __kuzetPaint?: number[]; __kuzetPaintFromReceipt?: number[] };
      const out = (g.__kuzetPaint ??= []);
      const fromReceipt = (g.__kuzetPaintFromReceipt ??= []);
      for (const t of pending) if (!Number.isNaN(t)) out.push(now - t);
      for (const t of pendingReceived) if (!Number.isNaN(t)) fromReceipt.push(now - t);
      pending = [];
      pendingReceived = [];
      scheduled = false;
    }, 0);
  });
}
