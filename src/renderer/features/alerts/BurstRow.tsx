import { memo, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { priorityOf, type AlertType } from '../../../shared/domain';
import { inlineText } from '../../lib/text';
import { useCatalogStore } from '../catalog/store';
import type { QueueRow } from './correlate';

/** Device names listed on a group row at most; the rest are counted. */
const NAMES_SHOWN = 4;

/** A burst of one alert type at one school, collapsed into one row; opening it lists the alerts. */
export const BurstRow = memo(function BurstRow({ row, onToggle }: { row: Extract<QueueRow, { kind: 'burst' }>; onToggle(id: string): void }) {
  const { t } = useTranslation();
  const school = useCatalogStore((s) => s.index?.schools.get(row.schoolId)?.name ?? row.schoolId);
  const minutes = Math.max(1, Math.round(row.spanMs / 60_000));
  // A group is of one type, so of one priority: shown as on its members' rows. Its count changes
  // every frame under a flood; these labels do not.
  const priority = priorityOf(row.type);
  const labels = useMemo(() => ({ type: t(`alertType.${row.type as AlertType}`), priority: t(`priority.${priority}`), open: t('alerts.burstOpen') }), [t, row.type, priority]);
  // The devices (cameras offline...) by name; the catalog's name, else the id.
  const names = useCatalogStore((s) => row.devices.slice(0, NAMES_SHOWN).map((id) => s.index?.devices.get(id)?.name ?? id).join(', '));
  const more = row.devices.length - NAMES_SHOWN;
  return (
    <li className={`alert-row alert-burst prio-${priority}`} data-testid="alert-burst" data-count={row.count} data-type={row.type} data-school-id={row.schoolId} data-priority={priority}>
      <button type="button" className="alert-main" aria-expanded={false} onClick={() => onToggle(row.id)}>
        <span className="alert-line">
          <span className="alert-priority">{labels.priority}</span>
          <bdi className="alert-title">{t('alerts.burst', { count: row.count, type: labels.type, school: inlineText(school, 120), minutes })}</bdi>
        </span>
        <span className="alert-line">
          {row.devices.length > 0 && (
            // One line, as every row: the virtualized queue relies on a fixed row height.
            <span className="alert-burst-devices" data-testid="alert-burst-devices" data-devices={row.devices.length}>
              <bdi>{inlineText(names, 300)}</bdi>
              {more > 0 && ` ${t('camHealth.moreDevices', { count: more })}`}
              {' · '}
            </span>
          )}
          <span className="alert-age">{labels.open}</span>
        </span>
      </button>
    </li>
  );
});
