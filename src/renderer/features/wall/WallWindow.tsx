import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { setReadiness } from '../../lib/readiness';
import { useCatalogStore } from '../catalog/store';
import { useLinkStore } from '../link/store';
import { useSessionStore } from '../session/store';
import { WallArea } from './WallArea';

/** True when this window was opened as a wall on its own (a second display): /?view=wall. */
export function isWallView(): boolean {
  return typeof location !== 'undefined' && new URLSearchParams(location.search).get('view') === 'wall';
}

/** The wall alone, full window, following the operator's layout. */
export function WallWindow() {
  const { t } = useTranslation();
  const alertsLoaded = useSessionStore((s) => s.alertsLoaded);
  const hello = useLinkStore((s) => s.helloReceived);
  const catalogSettled = useCatalogStore((s) => s.status === 'ready' || s.status === 'error');
  const live = alertsLoaded && hello && catalogSettled;
  useEffect(() => {
    setReadiness(live ? 'live' : 'loading');
  }, [live]);
  useEffect(() => {
    document.title = `${t('wall.title')} — ${t('app.name')}`;
  }, [t]);
  return (
    <main className="wall-window" data-testid="wall-window" aria-label={t('wall.title')}>
      <WallArea standalone />
    </main>
  );
}
