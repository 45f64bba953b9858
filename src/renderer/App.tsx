import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { describeErrorRef } from './lib/errors';
import { setReadiness } from './lib/readiness';
import { LoginScreen } from './features/session/LoginScreen';
import { useSessionStore } from './features/session/store';
import { ConsoleHostBanner } from './features/shell/ConsoleHostBanner';
import { isWallView, WallWindow } from './features/wall/WallWindow';
import { ErrorText } from './ui/ErrorText';

// The operator's frame (queue, plans, map, board, dispatch …) is its own script, loaded when an
// operator window signs in: a wall-only window (/?view=wall) never loads or keeps it (bench:wall).
const OperatorFrame = lazy(() => import('./features/shell/OperatorFrame').then((m) => ({ default: m.OperatorFrame })));

export function App() {
  const phase = useSessionStore((s) => s.phase);
  return (
    <>
      <ConsoleHostBanner />
      {phase === 'boot' && <BootScreen />}
      {phase === 'fatal' && <FatalScreen />}
      {phase === 'login' && <LoginScreen />}
      {phase === 'active' &&
        (isWallView() ? (
          <WallWindow />
        ) : (
          <Suspense fallback={null}>
            <OperatorFrame />
          </Suspense>
        ))}
    </>
  );
}

function BootScreen() {
  const { t } = useTranslation();
  useEffect(() => setReadiness('boot'), []);
  return (
    <div className="center-screen" role="status">
      <div className="brand-name">{t('app.name')}</div>
      <p>{t('app.starting')}</p>
    </div>
  );
}

function FatalScreen() {
  const { t } = useTranslation();
  const notice = useSessionStore((s) => s.notice);
  useEffect(() => setReadiness('error'), []);
  return (
    <div className="center-screen">
      <div className="brand-name">{t('app.name')}</div>
      <ErrorText error={{ message: t('app.bootFailed'), detail: notice ? describeErrorRef(t, notice).detail : null }} testId="fatal-error" />
      <button type="button" className="btn btn-primary" data-testid="reload" onClick={() => location.reload()}>
        {t('app.reload')}
      </button>
    </div>
  );
}
