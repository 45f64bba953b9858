import { memo, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNow } from '../../lib/clock';
import { ageParts } from '../../lib/time';

/** The only part of a row that ticks; the rest of the row does not re-render each second. */
export const AlertAge = memo(function AlertAge({ at }: { at: string }) {
  const { t, i18n } = useTranslation();
  const now = useNow();
  const from = Date.parse(at);
  // Formatting a date is costly (Intl): once per alert and language, not on every tick.
  const title = useMemo(() => (Number.isNaN(from) ? '' : t('age.title', { time: dateTimeFormat(i18n.language).format(from) })), [from, t, i18n.language]);
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
  return (
    <time className="alert-age" data-testid="alert-age" dateTime={at} title={title}>
      {text}
    </time>
  );
});

const formats = new Map<string, Intl.DateTimeFormat>();
function dateTimeFormat(language: string): Intl.DateTimeFormat {
  let f = formats.get(language);
  if (!f) {
    f = new Intl.DateTimeFormat(language, { dateStyle: 'short', timeStyle: 'medium' });
    formats.set(language, f);
  }
  return f;
}
