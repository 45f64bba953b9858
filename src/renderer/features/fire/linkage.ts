// Fire linkage in the console: a new fire alarm focuses the plan on its zone (by selecting the alert)
// and brings the cameras covering it onto the wall, as the operator's "show on wall" would. It takes
// the selection only from an idle operator, or from a school's guard (their own school is burning);
// a city operator busy with another alert keeps it and sees the fire at the top of the queue.
import type { AlertView } from '../../../shared/alerts';
import { useAlertsStore } from '../alerts/store';
import { useSessionStore } from '../session/store';
import { useWallStore } from '../wall/store';

/** An alarm older than this when it arrives (a replay after a restart) is history, not news. */
export const LINKAGE_FRESH_MS = 120_000;

const linked = new Set<string>();

export function fireLinkage(changed: readonly AlertView[], receivedAt: string): void {
  const now = Date.parse(receivedAt);
  for (const a of changed) {
    if (a.type !== 'fire' || !a.recognized || a.status !== 'new' || linked.has(a.id)) continue;
    linked.add(a.id);
    if (!(now - Date.parse(a.at) <= LINKAGE_FRESH_MS)) continue;
    const alerts = useAlertsStore.getState();
    const guard = useSessionStore.getState().session?.login.user.scope.kind === 'school';
    if (alerts.selectedId !== null && !guard) continue;
    alerts.select(a.id);
    if (a.cameraIds.length > 0) useWallStore.getState().drop(0, a.cameraIds);
  }
}

/** For tests: forget which alarms were linked. */
export function resetFireLinkage(): void {
  linked.clear();
}
