// Per-class time limits for acknowledging an alert. An unacknowledged alert past its limit is
// escalated visibly in every console (overdue), and the queue shows how much time is left.
// Configurable through the setting 'alerts.timeLimits' ({ "1": seconds, ... }); the e2e tests and
// drills shorten them.
import { z } from 'zod';
import { create } from 'zustand';
import type { AlertView } from '../../../shared/alerts';
import type { Priority } from '../../../shared/domain';

export const TIME_LIMITS_SETTING = 'alerts.timeLimits';

/** Seconds to acknowledge, per priority class (0 = unrecognized, treated as life-critical). */
export const DEFAULT_TIME_LIMITS: Readonly<Record<Priority, number>> = { 0: 60, 1: 60, 2: 120, 3: 300, 4: 900, 5: 1800 };

const Limit = z.number().int().min(1).max(7 * 86400);
export const TimeLimitsSetting = z.strictObject({
  0: Limit.optional(),
  1: Limit.optional(),
  2: Limit.optional(),
  3: Limit.optional(),
  4: Limit.optional(),
  5: Limit.optional(),
});

interface TimeLimitsStore {
  limits: Readonly<Record<Priority, number>>;
  /** Applies a setting value; an invalid one keeps the defaults (and says so). */
  configure(value: unknown): boolean;
  reset(): void;
}

export const useTimeLimits = create<TimeLimitsStore>()((set) => ({
  limits: DEFAULT_TIME_LIMITS,
  configure: (value) => {
    if (value === null || value === undefined) {
      set({ limits: DEFAULT_TIME_LIMITS });
      return true;
    }
    const parsed = TimeLimitsSetting.safeParse(value);
    if (!parsed.success) return false;
    set({ limits: { ...DEFAULT_TIME_LIMITS, ...(parsed.data as Partial<Record<Priority, number>>) } });
    return true;
  },
  reset: () => set({ limits: DEFAULT_TIME_LIMITS }),
}));

/** When the alert must be acknowledged by (ms since epoch), or null when no limit runs. */
export function ackDeadline(alert: Pick<AlertView, 'status' | 'priority' | 'receivedAt' | 'at'>, limits: Readonly<Record<Priority, number>>): number | null {
  if (alert.status !== 'new') return null;
  // From when the console could have known: the later of the source time and the receive time is
  // not right either (a replayed old alert would get a fresh limit); the source time when plausible.
  const from = Date.parse(alert.at);
  if (Number.isNaN(from)) return null;
  return from + limits[alert.priority] * 1000;
}
