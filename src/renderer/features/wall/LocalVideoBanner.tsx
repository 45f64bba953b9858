import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { consoleClient } from '../../lib/console-api';
import { inlineText } from '../../lib/text';
import { useLinkStore } from '../link/store';
import { clockTime } from './health';
import { LINK_DOWN_GRACE_MS, useLocalCamerasStore } from './local-cameras';
import './local-video.css';

/** Before the first hello, "connecting" is normal for a while: wait longer before going local. */
const FIRST_CONNECT_GRACE_MS = 10_000;

/**
 * The wall's switch to local video: keeps the list of cameras with a local device fresh, turns
 * local mode on when the city link has been down for a few seconds and off the moment it returns,
 * and says so above the tiles. Mounted once per wall.
 */
export function LocalVideoBanner() {
  const { t } = useTranslation();
  const refresh = useLocalCamerasStore((s) => s.refresh);
  const setLocalMode = useLocalCamerasStore((s) => s.setLocalMode);
  const localCount = useLocalCamerasStore((s) => [...s.cameras.values()].filter((c) => c.localVideo).length);
  const up = useLinkStore((s) => s.state === 'live');
  const helloReceived = useLinkStore((s) => s.helloReceived);
  const downSince = useLocalCamerasStore((s) => s.downSince);

  useEffect(() => {
    void refresh();
    return consoleClient().on('devices.changed', () => void refresh());
  }, [refresh]);

  useEffect(() => {
    if (up) {
      setLocalMode(null);
      return;
    }
    const since = Date.now();
    const timer = setTimeout(() => setLocalMode(since), helloReceived ? LINK_DOWN_GRACE_MS : FIRST_CONNECT_GRACE_MS);
    return () => clearTimeout(timer);
  }, [up, helloReceived, setLocalMode]);

  useEffect(() => () => setLocalMode(null), [setLocalMode]);

  // While local, what the gateway says about streams that cannot run (ffmpeg missing, camera refusing).
  const [problem, setProblem] = useState<string | null>(null);
  const local = downSince !== null;
  useEffect(() => {
    if (!local) return;
    let live = true;
    const look = () =>
      consoleClient()['media.list']({})
        .then(({ streams }) => {
          const failing = streams.find((s) => s.state === 'failed' || (s.state === 'restarting' && s.restarts >= 2));
          if (live) setProblem(failing?.lastError ?? null);
        })
        .catch(() => undefined);
    void look();
    const timer = setInterval(() => void look(), 5_000);
    return () => {
      live = false;
      clearInterval(timer);
      setProblem(null);
    };
  }, [local]);

  if (downSince === null || localCount === 0) return null;
  return (
    <div className="wall-local-banner" role="status" data-testid="wall-local-banner">
      {t('localVideo.banner', { time: clockTime(downSince), count: localCount })}
      {problem && (
        <span className="wall-local-problem" data-testid="wall-local-problem">
          {' '}
          {t('localVideo.problem', { detail: inlineText(problem, 200) })}
        </span>
      )}
    </div>
  );
}
