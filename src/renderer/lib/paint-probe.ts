// Event-to-painted latency for the alert benchmark (bench/alerts.ts). Off unless localStorage
// 'kuzet.paintProbe' is '1': then, for every batch the alert store applies, the time from each
// event's source timestamp to the end of the frame that painted it is pushed to
// globalThis.__kuzetPaint (milliseconds). The stamp is taken in a task queued from the next
// animation frame, i.e. just after that frame's paint.
const enabled = (() => {
  try {
    return typeof localStorage !== 'undefined' && localStorage.getItem('kuzet.paintProbe') === '1';
  } catch {
    return false;
  }
})();

let pending: number[] = [];
let scheduled = false;

export function probeApplied(sourceTimes: readonly string[]): void {
  if (!enabled || typeof requestAnimationFrame === 'undefined') return;
  for (const ts of sourceTimes) pending.push(Date.parse(ts));
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => {
    setTimeout(() => {
      const now = performance.timeOrigin + performance.now();
      const g = globalThis as { __kuzetPaint?: number[] };
      const out = (g.__kuzetPaint ??= []);
      for (const t of pending) if (!Number.isNaN(t)) out.push(now - t);
      pending = [];
      scheduled = false;
    }, 0);
  });
}
