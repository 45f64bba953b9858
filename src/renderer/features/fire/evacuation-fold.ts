// Pure folds of the fire-linkage events: each turnstile's unlock (commanded -> confirmed / failed,
// and overdue by the console's own clock), and each school's people inside (the backend's count plus
// the passages after it) with a short history for the trend. Unit-tested; the store applies them.
import type { EventEnvelope, SchoolOccupancyV1, TurnstilePassageV1, TurnstileUnlockV1 } from '../../../shared/protocol';

export interface TurnstileUnlock {
  deviceId: string;
  schoolId: string;
  state: TurnstileUnlockV1['state'];
  cause: TurnstileUnlockV1['cause'];
  alertId: string | null;
  commandId: string | null;
  by: { id: string; name: string } | null;
  limitMs: number;
  /** When the unlock was commanded (ms), by the source's time when plausible, else the receive time. */
  commandedAt: number;
  /** When it was confirmed or failed (ms). */
  answeredAt: number | null;
  reason: string | null;
  seq: number;
}

/** What the operator sees for a turnstile: the backend's state, or overdue once its limit passed unanswered. */
export type UnlockDisplay = TurnstileUnlockV1['state'] | 'overdue';

const DAY_MS = 24 * 3600_000;

/** The source's time when it is plausible (not after the receive time, not a day before it), else the receive time. */
export function eventTime(ts: string, receivedAt: string): number {
  const r = Date.parse(receivedAt);
  const t = Date.parse(ts);
  if (!Number.isFinite(t) || t > r || r - t > DAY_MS) return r;
  return t;
}

/** Applies turnstile.unlock events; returns the new map, or null when nothing changed. Older sequence numbers never overwrite newer ones. */
export function foldUnlocks(prev: ReadonlyMap<string, TurnstileUnlock>, events: readonly EventEnvelope[], receivedAt: string): Map<string, TurnstileUnlock> | null {
  let next: Map<string, TurnstileUnlock> | null = null;
  for (const e of events) {
    if (e.type !== 'turnstile.unlock' || e.v !== 1) continue;
    const p = e.payload as TurnstileUnlockV1;
    const cur = (next ?? prev).get(p.deviceId);
    if (cur && cur.seq >= e.seq) continue;
    const at = eventTime(e.ts, receivedAt);
    // An answer belongs to the round its command started; a new command starts a new round.
    const sameRound = cur !== undefined && cur.commandId === (p.commandId ?? null) && cur.alertId === (p.alertId ?? null);
    next ??= new Map(prev);
    next.set(p.deviceId, {
      deviceId: p.deviceId,
      schoolId: p.schoolId,
      state: p.state,
      cause: p.cause,
      alertId: p.alertId ?? null,
      commandId: p.commandId ?? null,
      by: p.by ?? null,
      limitMs: p.limitMs,
      commandedAt: p.state === 'commanded' || !sameRound ? at : cur.commandedAt,
      answeredAt: p.state === 'commanded' ? null : at,
      reason: p.reason ?? null,
      seq: e.seq,
    });
  }
  return next;
}

export function unlockDisplay(u: Pick<TurnstileUnlock, 'state' | 'commandedAt' | 'limitMs'>, nowMs: number): UnlockDisplay {
  return u.state === 'commanded' && nowMs >= u.commandedAt + u.limitMs ? 'overdue' : u.state;
}

/** When a commanded turnstile turns overdue (ms), or null when it never will. */
export function overdueAt(u: Pick<TurnstileUnlock, 'state' | 'commandedAt' | 'limitMs'>): number | null {
  return u.state === 'commanded' ? u.commandedAt + u.limitMs : null;
}

// ---- people inside -----------------------------------------------------------------------------

export interface Headcount {
  schoolId: string;
  /** The backend's latest count and its sequence number (null until one arrives). */
  base: number | null;
  baseSeq: number;
  /** Net passages (in - out) after the count, by sequence number. */
  since: readonly { seq: number; net: number }[];
  /** People inside now, or null while the backend has sent no count. */
  inside: number | null;
  /** Samples of `inside` over the last HISTORY_MS, oldest first. */
  history: readonly { t: number; inside: number }[];
}

export const HISTORY_MS = 15 * 60_000;
const HISTORY_MAX = 400;
const SINCE_MAX = 5000;

/**
 * Applies school.occupancy and turnstile.passage events; returns the new map, or null when nothing
 * changed. A count includes every passage of a lower sequence number, so those are dropped; a passage
 * older than the count is ignored.
 */
export function foldHeadcounts(prev: ReadonlyMap<string, Headcount>, events: readonly EventEnvelope[], receivedAt: string): Map<string, Headcount> | null {
  const changed = new Map<string, { h: Headcount; t: number }>();
  for (const e of events) {
    if (e.v !== 1 || (e.type !== 'school.occupancy' && e.type !== 'turnstile.passage')) continue;
    const p = e.payload as SchoolOccupancyV1 | TurnstilePassageV1;
    const cur = changed.get(p.schoolId)?.h ?? prev.get(p.schoolId) ?? { schoolId: p.schoolId, base: null, baseSeq: 0, since: [], inside: null, history: [] };
    if (e.seq <= cur.baseSeq) continue;
    let h: Headcount;
    if (e.type === 'school.occupancy') {
      h = { ...cur, base: (p as SchoolOccupancyV1).inside, baseSeq: e.seq, since: cur.since.filter((x) => x.seq > e.seq) };
    } else {
      const q = p as TurnstilePassageV1;
      const since = [...cur.since, { seq: e.seq, net: q.in - q.out }];
      h = { ...cur, since: since.length > SINCE_MAX ? since.slice(-SINCE_MAX) : since };
    }
    h.inside = h.base === null ? null : Math.max(0, h.base + h.since.reduce((n, x) => n + x.net, 0));
    changed.set(p.schoolId, { h, t: eventTime(e.ts, receivedAt) });
  }
  if (changed.size === 0) return null;
  const next = new Map(prev);
  for (const [id, { h, t }] of changed) {
    // One sample per school per batch: the trend does not need every event.
    if (h.inside !== null) {
      // Replayed (older) events must not rewind the history: samples stay in time order.
      const at = Math.max(t, h.history.at(-1)?.t ?? t);
      const kept = h.history.filter((s) => s.t > at - HISTORY_MS);
      kept.push({ t: at, inside: h.inside });
      h.history = kept.length > HISTORY_MAX ? kept.slice(-HISTORY_MAX) : kept;
    }
    next.set(id, h);
  }
  return next;
}

/** The change of people inside over the last `windowMs` (e.g. −37 in 2 min), or null without two samples. */
export function trend(history: Headcount['history'], nowMs: number, windowMs = 120_000): number | null {
  if (history.length < 2) return null;
  const last = history[history.length - 1]!;
  const from = nowMs - windowMs;
  // The last sample at or before the window's start, else the first one inside it.
  let base = history[0]!;
  for (const s of history) {
    if (s.t <= from) base = s;
    else break;
  }
  if (base === last) return null;
  return last.inside - base.inside;
}
