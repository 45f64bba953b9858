import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { inlineText } from '../../lib/text';
import { useCatalogStore } from '../catalog/store';
import { isPending, useCommandsStore } from '../commands/store';
import { acknowledge, sendCommand } from '../session/controller';
import { useSessionStore } from '../session/store';
import { AlertAge } from './AlertAge';
import { AlertDeadline } from './AlertDeadline';
import { unreadableKind } from '../../../shared/alerts';
import { alertTypeName } from './labels';
import { isBackendAlert, useAlertsStore } from './store';

export const ROW_HEIGHT = 58;

interface Props {
  id: string;
  /** How many alerts the row stands for: the alert and the repeats folded into it (correlate.ts). */
  count?: number;
  selected: boolean;
  /** The row that takes Tab focus in the list (roving tabindex). */
  tabStop: boolean;
  onSelect(id: string): void;
}

/**
 * One queue row. Memoized and subscribed to its own alert only: an event re-renders the rows it
 * changed, not the queue.
 */
export const AlertRow = memo(function AlertRow({ id, count = 1, selected, tabStop, onSelect }: Props) {
  const { t, i18n } = useTranslation();
  const alert = useAlertsStore((s) => s.byId.get(id));
  const schoolName = useCatalogStore((s) => (alert?.schoolId ? (s.index?.schools.get(alert.schoolId)?.name ?? null) : null));
  const command = useCommandsStore((s) => s.byAlert.get(id));
  // A guard's queue is all one school: naming it on every row is noise.
  const ownSchool = useSessionStore((s) => {
    const scope = s.session?.login.user.scope;
    return scope?.kind === 'school' ? scope.schoolId : null;
  });
  const me = useSessionStore((s) => s.session?.login.user.id ?? null);
  if (!alert) return null;

  const typeName = alertTypeName(t, alert);
  const priorityName = t(`priority.${alert.priority}`);
  const title = inlineText(alert.title, 300);
  const details = alert.details ? inlineText(alert.details, 500) : null;
  const school = schoolName ? inlineText(schoolName, 200) : alert.schoolId ? inlineText(alert.schoolId, 64) : t('alerts.noSchool');
  const ackName = alert.ackBy ? inlineText(alert.ackBy.name, 100) : null;
  const heldByOther = alert.claimedBy !== null && alert.claimedBy.id !== me;
  const mine = alert.claimedBy !== null && alert.claimedBy.id === me;
  const canAck = alert.status === 'new' && isBackendAlert(alert) && !heldByOther;
  const canClaim = alert.status !== 'resolved' && isBackendAlert(alert) && alert.claimedBy === null;
  const pending = isPending(command, 'alert.acknowledge');
  // A claim waiting in the outbox is on its way: a second click would only be rejected later.
  const claiming = isPending(command, 'alert.claim') || (command?.kind === 'alert.claim' && typeof command.state === 'object' && command.state.status === 'queued');
  const accepted = command?.kind === 'alert.acknowledge' && typeof command.state === 'object' && command.state.status === 'accepted';
  const queued = typeof command?.state === 'object' && command.state.status === 'queued';
  const ownerName = alert.claimedBy ? inlineText(alert.claimedBy.name, 100) : null;

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
      data-claimed-by={alert.claimedBy?.id}
      data-escalation={alert.escalationLevel || undefined}
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
          <AlertDeadline status={alert.status} priority={alert.priority} at={alert.at} receivedAt={alert.receivedAt} />
          <AlertAge at={alert.at} />
        </span>
        <span className="alert-line">
          <bdi className="alert-title" data-testid="alert-title">
            {title}
          </bdi>
          {count > 1 && (
            <span className="alert-flag alert-repeats" data-testid="alert-repeats" data-count={count} title={t('alerts.repeatsTitle', { count })}>
              ×{count}
            </span>
          )}
          {alert.drill && <span className="alert-flag alert-drill">{t('alerts.drill')}</span>}
          {alert.badTimestamp && (
            <span className="alert-flag alert-bad-ts" data-testid="alert-bad-ts" title={t('alerts.badTsTitle', { ts: inlineText(alert.sourceTs, 64) })}>
              {t('alerts.badTs')}
            </span>
          )}
          <span className={`alert-status status-${alert.status}`} data-testid="alert-status">
            {t(`status.${alert.status}`)}
          </span>
          {alert.escalationLevel > 0 && (
            <span className="alert-flag alert-escalated" data-testid="alert-escalated">
              {t('alerts.escalated', { level: alert.escalationLevel })}
            </span>
          )}
          {ownerName && (
            <bdi className={`alert-owner${mine ? ' alert-owner-me' : ''}`} data-testid="alert-owner" title={t('alerts.claimedByTitle', { name: ownerName })}>
              {mine ? t('alerts.claimedByYou') : t('alerts.claimedBy', { name: ownerName })}
            </bdi>
          )}
          {queued && (
            <span className="alert-flag alert-queued" data-testid="alert-queued" title={t('alerts.queuedTitle')}>
              {t('alerts.queued')}
            </span>
          )}
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
      <span className="alert-actions">
      {canClaim && (
        <button
          type="button"
          className="btn btn-claim"
          data-testid="alert-claim"
          data-alert-id={alert.id}
          disabled={claiming}
          aria-busy={claiming}
          aria-label={t('alerts.claimAria', { title: `${typeName} — ${title}` })}
          onClick={() => void sendCommand({ kind: 'alert.claim', alertId: alert.id })}
        >
          {claiming ? t('alerts.acking') : t('alerts.claim')}
        </button>
      )}
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
      </span>
    </li>
  );
});
