import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { inlineText } from '../../lib/text';
import { useCatalogStore } from '../catalog/store';
import { useCommandsStore } from '../commands/store';
import { acknowledge } from '../session/controller';
import { useSessionStore } from '../session/store';
import { AlertAge } from './AlertAge';
import { unreadableKind } from '../../../shared/alerts';
import { alertTypeName } from './labels';
import { isBackendAlert, useAlertsStore } from './store';

export const ROW_HEIGHT = 58;

interface Props {
  id: string;
  selected: boolean;
  /** The row that takes Tab focus in the list (roving tabindex). */
  tabStop: boolean;
  onSelect(id: string): void;
}

/**
 * One queue row. Memoized and subscribed to its own alert only: an event re-renders the rows it
 * changed, not the queue.
 */
export const AlertRow = memo(function AlertRow({ id, selected, tabStop, onSelect }: Props) {
  const { t, i18n } = useTranslation();
  const alert = useAlertsStore((s) => s.byId.get(id));
  const schoolName = useCatalogStore((s) => (alert?.schoolId ? (s.index?.schools.get(alert.schoolId)?.name ?? null) : null));
  const command = useCommandsStore((s) => s.byAlert.get(id));
  // A guard's queue is all one school: naming it on every row is noise.
  const ownSchool = useSessionStore((s) => {
    const scope = s.session?.login.user.scope;
    return scope?.kind === 'school' ? scope.schoolId : null;
  });
  if (!alert) return null;

  const typeName = alertTypeName(t, alert);
  const priorityName = t(`priority.${alert.priority}`);
  const title = inlineText(alert.title, 300);
  const details = alert.details ? inlineText(alert.details, 500) : null;
  const school = schoolName ? inlineText(schoolName, 200) : alert.schoolId ? inlineText(alert.schoolId, 64) : t('alerts.noSchool');
  const ackName = alert.ackBy ? inlineText(alert.ackBy.name, 100) : null;
  const canAck = alert.status === 'new' && isBackendAlert(alert);
  const pending = command === 'pending';
  const accepted = typeof command === 'object' && command.status === 'accepted';

  return (
    <li
      className={`alert-row prio-${alert.priority}${selected ? ' is-selected' : ''}${alert.status !== 'new' ? ' is-handled' : ''}`}
      data-testid="alert-row"
      data-alert-id={alert.id}
      data-status={alert.status}
      data-priority={alert.priority}
      data-recognized={String(alert.recognized)}
      data-unreadable={unreadableKind(alert) ?? undefined}
      data-selected={String(selected)}
    >
      <button
        type="button"
        className="alert-main"
        data-testid="alert-select"
        data-alert-id={alert.id}
        aria-pressed={selected}
        tabIndex={tabStop ? 0 : -1}
        title={details ? `${title}\n${details}` : title}
        onClick={() => onSelect(alert.id)}
      >
        <span className="alert-line">
          <span className="alert-priority" data-testid="alert-priority">
            {priorityName}
          </span>
          <span className="alert-type" data-testid="alert-type">
            {typeName}
          </span>
          <bdi className="alert-school" data-testid="alert-school">
            {alert.schoolId !== null && alert.schoolId === ownSchool ? '' : school}
          </bdi>
          <AlertAge at={alert.at} />
        </span>
        <span className="alert-line">
          <bdi className="alert-title" data-testid="alert-title">
            {title}
          </bdi>
          {alert.drill && <span className="alert-flag alert-drill">{t('alerts.drill')}</span>}
          {alert.badTimestamp && (
            <span className="alert-flag alert-bad-ts" data-testid="alert-bad-ts" title={t('alerts.badTsTitle', { ts: inlineText(alert.sourceTs, 64) })}>
              {t('alerts.badTs')}
            </span>
          )}
          <span className={`alert-status status-${alert.status}`} data-testid="alert-status">
            {t(`status.${alert.status}`)}
          </span>
          {ackName && (
            <bdi
              className="alert-acked-by"
              data-testid="alert-acked-by"
              title={t('alerts.ackedByTitle', { name: ackName, time: alert.ackAt ? new Date(alert.ackAt).toLocaleTimeString(i18n.language) : '—' })}
            >
              {t('alerts.ackedBy', { name: ackName })}
            </bdi>
          )}
        </span>
      </button>
      {canAck && (
        <button
          type="button"
          className="btn btn-ack"
          data-testid="alert-ack"
          data-alert-id={alert.id}
          disabled={pending || accepted}
          aria-busy={pending}
          aria-label={t('alerts.ackAria', { title: `${typeName} — ${title}` })}
          onClick={() => void acknowledge(alert.id)}
        >
          {pending ? t('alerts.acking') : accepted ? t('alerts.accepted') : t('alerts.ack')}
        </button>
      )}
    </li>
  );
});
