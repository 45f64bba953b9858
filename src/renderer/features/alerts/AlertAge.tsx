import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNow } from '../../lib/clock';
import { ageParts } from '../../lib/time';

/** The only part of a row that ticks; the rest of the row does not re-render each second. */
export const AlertAge = memo(function AlertAge({ at }: { at: string }) {
  const { t, i18n } = useTranslation();
  const now = useNow();
  const from = Date.parse(at);
  if (Number.isNaN(from)) return <span className="alert-age">—</span>;
  const p = ageParts(from, now);
  const text =
    p.unit === 'seconds'
      ? t('age.seconds', { count: p.count })
      : p.unit === 'minutes'
        ? t('age.minutes', { count: p.count })
        : p.unit === 'hours'
          ? t('age.hours', { hours: p.hours, minutes: p.minutes })
          : t('age.days', { count: p.count });
  const time = new Date(from).toLocaleString(i18n.language);
  return (
    <time className="alert-age" data-testid="alert-age" dateTime={at} title={t('age.title', { time })}>
      {text}
    </time>
  );
});
