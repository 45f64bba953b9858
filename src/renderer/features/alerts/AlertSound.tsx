// The alert sound: the highest-priority unacknowledged, unmuted alert's tone, repeating until it is
// acknowledged (or muted, audited). One <audio> element for the whole console; its state is on
// data attributes so tests (and support) can see what should be sounding.
import { useEffect, useRef } from 'react';

import { createLogger } from '../../../shared/log';
import { useLocalAlertState } from './local-actions';
import { useAlertsStore } from './store';

const log = createLogger('alerts.sound');

const SOUNDS: Record<1 | 2 | 3 | 4, string> = {
  1: new URL('../../../../resources/sounds/p1.wav', import.meta.url).href,
  2: new URL('../../../../resources/sounds/p2.wav', import.meta.url).href,
  3: new URL('../../../../resources/sounds/p3.wav', import.meta.url).href,
  4: new URL('../../../../resources/sounds/p4.wav', import.meta.url).href,
};

/** Information (5) is silent; unrecognized (0) sounds like life-critical. */
function soundFor(priority: number): 1 | 2 | 3 | 4 | null {
  if (priority === 0) return 1;
  return priority >= 1 && priority <= 4 ? (priority as 1 | 2 | 3 | 4) : null;
}

/** "<class>:<alertId>" of what should be sounding, or null (a string, so unchanged results do not re-render). */
function useSounding(): string | null {
  return useAlertsStore((s) => {
    const muted = useLocalAlertState.getState().muted;
    // order is priority-first: the first unacknowledged, unmuted, audible alert wins.
    for (const id of s.order) {
      const a = s.byId.get(id);
      if (!a || a.status !== 'new' || muted.has(id) || a.drill) continue;
      const cls = soundFor(a.priority);
      if (cls) return `${cls}:${id}`;
    }
    return null;
  });
}

export function AlertSound() {
  // Re-evaluate when mutes change too.
  useLocalAlertState((s) => s.muted);
  const sounding = useSounding();
  const ref = useRef<HTMLAudioElement>(null);
  const cls = sounding ? (Number(sounding.slice(0, 1)) as 1 | 2 | 3 | 4) : null;
  const alertId = sounding ? sounding.slice(2) : undefined;

  useEffect(() => {
    const audio = ref.current;
    if (!audio) return;
    if (cls === null) {
      audio.pause();
      audio.removeAttribute('src');
      return;
    }
    audio.src = SOUNDS[cls];
    audio.loop = true;
    audio.play().catch((e: unknown) => {
      // Autoplay may wait for the operator's first click; the attribute still says it should sound.
      log.debug('alert sound could not start yet', { error: e });
    });
  }, [cls]);

  return (
    <audio
      ref={ref}
      className="alert-sound"
      data-testid="alert-sound"
      data-playing={String(cls !== null)}
      data-priority={cls ?? undefined}
      data-alert-id={alertId}
      preload="auto"
    />
  );
}

