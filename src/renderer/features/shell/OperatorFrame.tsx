import { useTranslation } from 'react-i18next';
import { AlertQueue } from '../alerts/AlertQueue';
import { CommandNotices } from '../commands/CommandNotices';
import { PlanArea } from '../plan/PlanArea';
import { PlanEditorHost } from '../plan-editor/PlanEditor';
import { useSessionStore } from '../session/store';
import { useLiveReadiness } from '../session/use-live';
import { WallArea } from '../wall/WallArea';
import { Header } from './Header';

/** The operator's frame: header, wall, plan and the alert queue. */
export function OperatorFrame() {
  const { t } = useTranslation();
  const alertsLoaded = useSessionStore((s) => s.alertsLoaded);
  const live = useLiveReadiness();

  return (
    <div className="frame" aria-busy={!live}>
      <Header />
      <main className="frame-body">
        <section className="area wall-area" data-testid="wall-area" aria-label={t('wall.title')}>
          <WallArea />
        </section>
        <section className="area plan-area" data-testid="plan-area" aria-label={t('plan.title')}>
          <PlanArea />
        </section>
        <section className="area queue-area" data-testid="alert-queue" aria-label={t('alerts.title')} data-loaded={String(alertsLoaded)}>
          {alertsLoaded ? <AlertQueue /> : <p className="empty">{t('app.loading')}</p>}
        </section>
      </main>
      <CommandNotices />
      <PlanEditorHost />
    </div>
  );
}
