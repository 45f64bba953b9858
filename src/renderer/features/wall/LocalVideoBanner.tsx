import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { consoleClient } from '../../lib/console-api';
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

  if (downSince === null || localCount === 0) return null;
  return (
    <div className="wall-local-banner" role="status" data-testid="wall-local-banner">
      {t('localVideo.banner', { time: clockTime(downSince), count: localCount })}
    </div>
  );
}
