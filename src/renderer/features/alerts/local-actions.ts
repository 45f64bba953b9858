// Operator actions that stay in this console's audit log (no backend command): muting an alert's
// sound, ticking SOP steps. Each is one row in the actions table with its own key, and the log is
// read back at sign-in (alerts.localState), so a reload keeps mutes and ticked steps.
import { create } from 'zustand';
import { createLogger } from '../../../shared/log';
import { newUuid } from '../../lib/uuid';
import { consoleApi } from '../session/controller';
import { useSessionStore } from '../session/store';

const log = createLogger('alerts.local-actions');

interface LocalState {
  muted: ReadonlySet<string>;
  /** alertId -> SOP step keys done. */
  steps: ReadonlyMap<string, ReadonlySet<string>>;
  mute(alertId: string): void;
  toggleStep(alertId: string, step: string): boolean;
  /** Adds what the audit log recorded before this window started (what was done since is kept). */
  restore(muted: readonly string[], steps: readonly { alertId: string; step: string }[]): void;
  reset(): void;
}

export const useLocalAlertState = create<LocalState>()((set, get) => ({
  muted: new Set(),
  steps: new Map(),
  mute: (alertId) => set((s) => ({ muted: new Set(s.muted).add(alertId) })),
  toggleStep: (alertId, step) => {
    const done = new Set(get().steps.get(alertId) ?? []);
    const on = !done.has(step);
    if (on) done.add(step);
    else done.delete(step);
    set((s) => ({ steps: new Map(s.steps).set(alertId, done) }));
    return on;
  },
  restore: (muted, steps) =>
    set((s) => {
      const m = new Set(s.muted);
      for (const id of muted) m.add(id);
      const byAlert = new Map<string, Set<string>>();
      for (const { alertId, step } of steps) {
        if (s.steps.has(alertId)) continue;
        const done = byAlert.get(alertId) ?? new Set<string>();
        done.add(step);
        byAlert.set(alertId, done);
      }
      return { muted: m, steps: new Map([...s.steps, ...byAlert]) };
    }),
  reset: () => set({ muted: new Set(), steps: new Map() }),
}));

/** Reads this console's recorded mutes and SOP steps back into the view (at sign-in). */
export async function restoreLocalAlertState(): Promise<void> {
  const api = consoleApi();
  if (!api) return;
  try {
    const { muted, steps } = await api['alerts.localState']({});
    useLocalAlertState.getState().restore(muted, steps);
  } catch (e) {
    log.warn('could not read back muted alerts and SOP steps', { error: e });
  }
}

function audit(kind: string, alertId: string, reason?: string): void {
  const api = consoleApi();
  const user = useSessionStore.getState().session?.login.user;
  if (!api || !user) return;
  void api['actions.record']({ idempotencyKey: newUuid(), kind, alertId, operator: `${user.name} (${user.id})`.slice(0, 200), status: 'accepted', ...(reason ? { reason: reason.slice(0, 500) } : {}) }).catch(
    (e: unknown) => log.error('could not record a local action', { error: e, kind }),
  );
}

/** Silences one alert's sound in this console; audited. */
export function muteAlert(alertId: string): void {
  useLocalAlertState.getState().mute(alertId);
  audit('alert.mute', alertId);
}

/** Records an SOP step done (or undone); audited. */
export function toggleSopStep(alertId: string, step: string): void {
  const on = useLocalAlertState.getState().toggleStep(alertId, step);
  audit(on ? 'sop.step.done' : 'sop.step.undone', alertId, step);
}
