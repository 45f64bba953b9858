import { memo, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { COMMAND_TIMEOUT_MS } from '../../lib/backend-client';
import { inlineText } from '../../lib/text';
import { alertTypeName } from '../alerts/labels';
import { useAlertsStore } from '../alerts/store';
import { useCatalogStore } from '../catalog/store';
import { useCommandsStore, type CommandNotice } from './store';

const ACCEPTED_VISIBLE_MS = 8000;

/** The backend's answers to the operator's commands. Rejections stay until dismissed. */
export function CommandNotices() {
  const { t } = useTranslation();
  const notices = useCommandsStore((s) => s.notices);
  return (
    <div className="command-notices" role="region" aria-label={t('commands.regionLabel')} aria-live="polite">
      {notices.map((n) => (
        <Notice key={n.id} notice={n} />
      ))}
    </div>
  );
}

const Notice = memo(function Notice({ notice }: { notice: CommandNotice }) {
  const { t } = useTranslation();
  const dismiss = useCommandsStore((s) => s.dismiss);
  const alert = useAlertsStore((s) => s.byId.get(notice.alertId));
  // A school command's subject is `school:<id>` (commandSubject).
  const schoolId = notice.alertId.startsWith('school:') ? notice.alertId.slice('school:'.length) : (alert?.schoolId ?? null);
  const school = useCatalogStore((s) => (schoolId ? (s.index?.schools.get(schoolId)?.name ?? null) : null));
  const { outcome } = notice;

  useEffect(() => {
    if (outcome.status !== 'accepted') return;
    const timer = setTimeout(() => dismiss(notice.id), ACCEPTED_VISIBLE_MS);
    return () => clearTimeout(timer);
  }, [outcome.status, notice.id, dismiss]);

  const schoolCommand = notice.kind === 'school.unlock_turnstiles';
  const kindLabel = schoolCommand ? t('fire.commandKind') : t(`commands.kind.${notice.kind.slice('alert.'.length) as 'acknowledge'}`);
  const message =
    outcome.status === 'queued'
      ? outcome.why === 'timeout'
        ? t('commands.queuedTimeout')
        : t('commands.queued')
      : outcome.status === 'accepted'
      ? outcome.duplicate
        ? t('commands.acceptedDuplicate')
        : t('commands.accepted')
      : outcome.status === 'rejected'
        ? t('commands.rejected', { reason: inlineText(outcome.reason, 300) })
        : outcome.why === 'timeout'
          ? t('commands.timeout', { seconds: COMMAND_TIMEOUT_MS / 1000 })
          : t(`commands.${outcome.why}`);
  const subject = alert
    ? [alertTypeName(t, alert), school ? inlineText(school, 120) : null, inlineText(alert.title, 120)].filter(Boolean).join(' — ')
    : school
      ? inlineText(school, 200)
      : notice.alertId;

  return (
    <div
      className={`command-result result-${outcome.status}`}
      data-testid="command-result"
      data-status={outcome.status}
      data-alert-id={notice.alertId}
      data-kind={notice.kind}
      role={outcome.status === 'accepted' || outcome.status === 'queued' ? 'status' : 'alert'}
    >
      <div className="command-text">
        <div className="command-message">
          <bdi>
            {kindLabel}: {message}
          </bdi>
        </div>
        <div className="command-subject">
          <bdi>{subject}</bdi>
        </div>
      </div>
      <button type="button" className="btn btn-quiet command-dismiss" data-testid="command-result-dismiss" onClick={() => dismiss(notice.id)}>
        {t('commands.dismiss')}
      </button>
    </div>
  );
});
