// The queue's filter bar: priority class, type, district, school, status, owner, age, text search
// and sort. Filters narrow what the list shows; the count, the sound and escalation still follow
// the whole queue, and a life-critical alert a filter hides is announced above the list.
import { memo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ALERT_TYPE_NAMES } from '../../../shared/domain';
import { useCatalogStore } from '../catalog/store';
import { AGES, isFiltered, OWNERS, SORTS, useQueueFilter, type QueueFilter } from './filters';

const PRIORITIES = ['1', '0', '2', '3', '4', '5'] as const;

/**
 * The filter bar. The counts change with every batch of alerts; the controls (a few hundred
 * translated options) render again only when the filter, the language or the catalog changes.
 */
export const QueueFilters = memo(function QueueFilters({ shown, total, hiddenCritical }: { shown: number; total: number; hiddenCritical: number }) {
  const { t } = useTranslation();
  const active = useQueueFilter((s) => isFiltered(s.filter));
  const reset = useQueueFilter((s) => s.reset);
  return (
    <div className="queue-filters" data-testid="queue-filters" data-active={String(active)}>
      <FilterControls />
      {active && (
        <>
          <span className="area-meta" data-testid="filter-shown" data-shown={shown} data-total={total}>
            {t('filters.shown', { shown, total })}
          </span>
          <button type="button" className="btn btn-quiet" data-testid="filter-clear" onClick={reset}>
            {t('filters.clear')}
          </button>
        </>
      )}
      {hiddenCritical > 0 && (
        <span className="area-meta filter-hidden-critical" data-testid="filter-hidden-critical" data-count={hiddenCritical}>
          {t('filters.hiddenCritical', { count: hiddenCritical })}
        </span>
      )}
    </div>
  );
});

const FilterControls = memo(function FilterControls() {
  const { t } = useTranslation();
  const filter = useQueueFilter((s) => s.filter);
  const set = useQueueFilter((s) => s.set);
  const districts = useCatalogStore((s) => s.index?.districts ?? null);
  const schools = useCatalogStore((s) => s.index?.schoolList ?? null);

  const select = (key: Exclude<keyof QueueFilter, 'text'>, options: ReactNode) => (
    <select className="input" data-testid={`filter-${key}`} aria-label={t(`filters.${key}`)} title={t(`filters.${key}`)} value={filter[key]} onChange={(e) => set({ [key]: e.target.value } as Partial<QueueFilter>)}>
      {options}
    </select>
  );
  const all = (key: 'priority' | 'type' | 'district' | 'school' | 'status') => <option value="all">{t(`filters.allOf.${key}`)}</option>;

  return (
    <>
      <input
        className="input queue-search"
        type="search"
        data-testid="filter-text"
        value={filter.text}
        maxLength={200}
        placeholder={t('filters.search')}
        aria-label={t('filters.search')}
        onChange={(e) => set({ text: e.target.value })}
      />
      {select(
        'priority',
        <>
          {all('priority')}
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {t(`priority.${p}`)}
            </option>
          ))}
        </>,
      )}
      {select(
        'type',
        <>
          {all('type')}
          {ALERT_TYPE_NAMES.map((type) => (
            <option key={type} value={type}>
              {t(`alertType.${type}`)}
            </option>
          ))}
          <option value="unrecognized">{t('filters.unrecognized')}</option>
        </>,
      )}
      {districts && districts.size > 1 &&
        select(
          'district',
          <>
            {all('district')}
            {[...districts.values()].map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </>,
        )}
      {schools && schools.length > 1 &&
        select(
          'school',
          <>
            {all('school')}
            {schools.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </>,
        )}
      {select(
        'status',
        <>
          {all('status')}
          <option value="new">{t('status.new')}</option>
          <option value="acknowledged">{t('status.acknowledged')}</option>
        </>,
      )}
      {select(
        'owner',
        OWNERS.map((o) => (
          <option key={o} value={o}>
            {t(`filters.owners.${o}`)}
          </option>
        )),
      )}
      {select(
        'age',
        AGES.map((a) => (
          <option key={a} value={a}>
            {t(`filters.ages.${a}`)}
          </option>
        )),
      )}
      {select(
        'sort',
        SORTS.map((s) => (
          <option key={s} value={s}>
            {t(`filters.sorts.${s}`)}
          </option>
        )),
      )}
    </>
  );
});
