// Which fire a school plan shows: the selected alert when it is a fire, else the school's newest open
// fire alarm, so a guard's plan shows the zone without selecting anything.
import type { AlertView } from '../../../shared/alerts';
import { useAlertsStore } from '../alerts/store';
import { useEvacuationStore } from './evacuation-store';

const FIRE_TYPES = new Set(['fire', 'evacuation_blocked']);

export function useFireAlert(schoolId: string, selected: AlertView | null): AlertView | null {
  const open = useAlertsStore((s) => {
    for (const id of s.order) {
      const a = s.byId.get(id);
      if (a?.type === 'fire' && a.schoolId === schoolId && a.status !== 'resolved') return a;
    }
    return null;
  });
  if (selected && selected.schoolId === schoolId && selected.type === 'fire') return selected;
  return open;
}

/** The alert is about an evacuation: its detail shows the school's turnstiles and people inside. */
export function isEvacuationAlert(a: Pick<AlertView, 'type' | 'recognized'>): boolean {
  return a.recognized && FIRE_TYPES.has(a.type);
}

/** Some turnstile of the school has been commanded to unlock (this session). */
export function useUnlockActive(schoolId: string): boolean {
  return useEvacuationStore((s) => {
    for (const u of s.unlocks.values()) if (u.schoolId === schoolId) return true;
    return false;
  });
}
