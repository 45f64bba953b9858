// The police crews on the city map, each at its latest telemetry position, coloured by status; a
// crew en route or on scene is drawn above the others. Positions change once a second: each mark is
// memoized on its own position and status, so only the crews that moved re-render.
import { memo, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CREW_STATUSES, type CrewStatus } from '../../../shared/protocol-dispatch';
import type { View } from '../../lib/pan-zoom';
import { inlineText } from '../../lib/text';
import type { CatalogIndex } from '../catalog/store';
import type { Projection } from '../city/city-model';
import { useTelemetryStore } from '../telemetry/store';
import { crewsNow, filterCrews, type CrewFilter } from './crews-model';
import './dispatch.css';

const BUSY_FIRST: Record<CrewStatus, number> = { off_duty: 0, busy: 1, available: 2, dispatched: 3, en_route: 4, on_scene: 5 };

export const CrewLayer = memo(function CrewLayer({ index, projection, view }: { index: CatalogIndex; projection: Projection; view: View }) {
  const live = useTelemetryStore((s) => s.crews);
  const crews = useMemo(() => crewsNow(index.crews, live).sort((a, b) => BUSY_FIRST[a.status] - BUSY_FIRST[b.status]), [index.crews, live]);
  return (
    <g className="crew-layer" data-testid="crew-layer">
      {crews.map((c) => {
        const [px, py] = projection.toXY(c.location.lon, c.location.lat);
        return <CrewMark key={c.id} id={c.id} callsign={c.callsign} status={c.status} x={view.tx + px * view.scale} y={view.ty + py * view.scale} />;
      })}
    </g>
  );
});

const CrewMark = memo(function CrewMark({ id, callsign, status, x, y }: { id: string; callsign: string; status: CrewStatus; x: number; y: number }) {
  const { t } = useTranslation();
  return (
    <g className={`crew-mark crew-${status}`} transform={`translate(${x.toFixed(1)} ${y.toFixed(1)})`} data-testid="crew-mark" data-crew-id={id} data-crew-status={status}>
      <rect x={-4} y={-4} width={8} height={8} rx={1.5} />
      <title>{`${inlineText(callsign, 40)} · ${t(`crews.status.${status}`)}`}</title>
    </g>
  );
});

/** A button in the map's toolbar that opens the crew list with its filters. */
export function CrewListToggle({ index }: { index: CatalogIndex }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  if (index.crews.size === 0) return null;
  return (
    <>
      <button type="button" className={`btn btn-quiet btn-small${open ? ' active' : ''}`} data-testid="crews-toggle" aria-pressed={open} onClick={() => setOpen((o) => !o)}>
        {t('crews.show')}
      </button>
      {open && <CrewList index={index} />}
    </>
  );
}

function CrewList({ index }: { index: CatalogIndex }) {
  const { t } = useTranslation();
  const live = useTelemetryStore((s) => s.crews);
  const [filter, setFilter] = useState<CrewFilter>({ status: 'all', text: '' });
  const all = useMemo(() => crewsNow(index.crews, live), [index.crews, live]);
  const shown = useMemo(() => filterCrews(all, filter), [all, filter]);
  return (
    <div className="crew-list" data-testid="crew-list" role="region" aria-label={t('crews.title')}>
      <div className="crew-list-filters">
        <select className="input" data-testid="crews-status" aria-label={t('crews.filterStatus')} value={filter.status} onChange={(e) => setFilter((f) => ({ ...f, status: e.target.value as CrewFilter['status'] }))}>
          <option value="all">{t('crews.all')}</option>
          {CREW_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`crews.status.${s}`)}
            </option>
          ))}
        </select>
        <input className="input" data-testid="crews-search" placeholder={t('crews.search')} aria-label={t('crews.search')} value={filter.text} maxLength={40} onChange={(e) => setFilter((f) => ({ ...f, text: e.target.value }))} />
      </div>
      <p className="crew-list-count" data-testid="crews-count">
        {t('crews.count', { shown: shown.length, total: all.length })}
      </p>
      <ul>
        {shown.slice(0, 400).map((c) => (
          <li key={c.id} data-testid="crew-row" data-crew-id={c.id} data-crew-status={c.status}>
            <span className={`crew-dot crew-${c.status}`} aria-hidden /> <bdi>{inlineText(c.callsign, 40)}</bdi> <span className="crew-status">{t(`crews.status.${c.status}`)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
