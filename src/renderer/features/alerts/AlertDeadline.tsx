import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Priority } from '../../../shared/domain';
import { useNow } from '../../lib/clock';
import { ackDeadline, useTimeLimits } from './time-limits';

/** Time left to acknowledge, or "overdue" once the class's limit has passed. Ticks on the shared clock. */
export const AlertDeadline = memo(function AlertDeadline({ status, priority, at, receivedAt }: { status: 'new' | 'acknowledged' | 'resolved'; priority: Priority; at: string; receivedAt: string }) {
  const { t } = useTranslation();
  const limits = useTimeLimits((s) => s.limits);
  const now = useNow();
  const deadline = ackDeadline({ status, priority, at, receivedAt }, limits);
  if (deadline === null) return null;
  // Clamped to the limit: a source clock slightly ahead of this one must not show more time than allowed.
  const left = Math.min(limits[priority], Math.ceil((deadline - now) / 1000));
  if (left <= 0) {
    return (
      <span className="alert-flag alert-overdue" data-testid="alert-overdue" title={t('alerts.overdueTitle', { seconds: limits[priority] })}>
        {t('alerts.overdue')}
      </span>
    );
  }
  const text = left >= 60 ? t('alerts.leftMin', { m: Math.floor(left / 60), s: String(left % 60).padStart(2, '0') }) : t('alerts.leftSec', { count: left });
  return (
    <span className={`alert-left${left <= 15 ? ' alert-left-soon' : ''}`} data-testid="alert-time-left" data-seconds={left}>
      {text}
    </span>
  );
});
