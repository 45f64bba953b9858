import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useLiveReadiness } from '../session/use-live';
import { WallArea } from './WallArea';

/** True when this window was opened as a wall on its own (a second display): /?view=wall. */
export function isWallView(): boolean {
  return typeof location !== 'undefined' && new URLSearchParams(location.search).get('view') === 'wall';
}

/** The wall alone, full window, following the operator's layout. */
export function WallWindow() {
  const { t } = useTranslation();
  useLiveReadiness();
  useEffect(() => {
    document.title = `${t('wall.title')} — ${t('app.name')}`;
  }, [t]);
  return (
    <main className="wall-window" data-testid="wall-window" aria-label={t('wall.title')}>
      <WallArea standalone />
    </main>
  );
}
