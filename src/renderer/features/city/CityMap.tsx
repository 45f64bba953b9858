import { memo, useEffect, useMemo, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Priority } from '../../../shared/domain';
import { inlineText } from '../../lib/text';
import type { View } from '../../lib/pan-zoom';
import { usePanZoom } from '../../lib/use-pan-zoom';
import { useThrottledTick } from '../../lib/use-throttled';
import { useAlertsStore } from '../alerts/store';
import type { CatalogIndex } from '../catalog/store';
import { CrewLayer, CrewListToggle } from '../dispatch/CrewLayer';
import { useDeviceStatusStore } from '../plan/device-status-store';
import { usePlanStore } from '../plan/store';
import { useEvacuationStore } from '../fire/evacuation-store';
import { tileUrl } from '../../../shared/tile-server';
import { describeErrorRef } from '../../lib/errors';
import { ErrorText } from '../../ui/ErrorText';
import { useTelemetryStore } from '../telemetry/store';
import { cluster, keepingRollUp, projectCity, rollUpGroup, sameGroup, visibleTiles, type GroupStatus, type NetworkState, type Projection, type SchoolStatus } from './city-model';
import { useTileSettings } from './tile-settings';
import './city.css';

/** How often the overviews (map, school list) recompute their roll-ups. */
export const OVERVIEW_REFRESH_MS = 1000;
/** Marks closer than this on screen are drawn as one cluster. */
const CLUSTER_PX = 26;
/** What the roll-up reads. */
const ROLL_UP_SOURCES = [useAlertsStore, useDeviceStatusStore, useEvacuationStore, useTelemetryStore];

/**
 * All schools in scope on the city map: district outlines from the backend (the city network has no
 * tile server), each school's status rolled up, clusters at low zoom; a click drills down.
 */
export function CityMap({ index }: { index: CatalogIndex }) {
  const { t } = useTranslation();
  // Every school's alerts, devices, headcount and link feed the roll-up: recompute at most once a
  // second, not per event, whichever of them changes. The alerts come counted by school (the store's
  // tally, updated in place).
  const tick = useThrottledTick(ROLL_UP_SOURCES, OVERVIEW_REFRESH_MS);
  // A school whose status did not change keeps its object, and its mark is not drawn again.
  const [roll] = useState(keepingRollUp);
  const tiles = useTileSettings((s) => s.effective);
  useEffect(() => void useTileSettings.getState().load(), []);
  const openSchool = usePlanStore((s) => s.openSchool);
  const schools = index.schoolList;
  const districts = useMemo(() => [...index.districts.values()], [index]);
  const projection = useMemo(() => projectCity(districts, schools), [districts, schools]);
  const status = useMemo(() => {
    const { bySchool } = useAlertsStore.getState();
    const devices = useDeviceStatusStore.getState().byId;
    const { headcounts } = useEvacuationStore.getState();
    const { links } = useTelemetryStore.getState();
    return roll(
      schools,
      (id) => bySchool.get(id),
      index.camerasBySchool,
      (id) => devices.get(id)?.status ?? 'normal',
      (id) => headcounts.get(id)?.inside ?? null,
      (id): NetworkState => links.get(id)?.state.state ?? 'unknown',
    );
    // The stores are read when the tick says they changed (throttled).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [schools, index.camerasBySchool, tick]);
  const marks = useMemo(
    () =>
      schools.map((s) => {
        const [x, y] = projection.toXY(s.location.lon, s.location.lat);
        return { id: s.id, x, y };
      }),
    [schools, projection],
  );
  const { boxRef, size, view, setView, fit, zoomBy, handlers } = usePanZoom({
    contentKey: 'city',
    width: projection.width,
    height: projection.height,
    focus: null,
    noPanSelector: '[data-school-id],[data-cluster]',
  });
  const groups = useMemo(() => (view ? cluster(marks, view, CLUSTER_PX) : []), [marks, view]);

  return (
    <div className="city-map" data-testid="city-map">
      <div className="floor-plan-tools" role="toolbar" aria-label={t('plan.tools')}>
        <button type="button" className="btn btn-quiet btn-small" onClick={() => zoomBy(1.25)} aria-label={t('plan.zoomIn')} title={t('plan.zoomIn')}>
          +
        </button>
        <button type="button" className="btn btn-quiet btn-small" onClick={() => zoomBy(0.8)} aria-label={t('plan.zoomOut')} title={t('plan.zoomOut')}>
          −
        </button>
        <button type="button" className="btn btn-quiet btn-small" data-testid="city-fit" onClick={fit} title={t('plan.fitHint')}>
          {t('plan.fit')}
        </button>
        <CityLegend />
        <CrewListToggle index={index} />
        <TileSettings />
      </div>
      <div ref={boxRef} className="floor-plan-canvas city-canvas" tabIndex={0} role="application" aria-label={t('city.canvasLabel')} {...handlers}>
        {view && size && (
          <svg width={size.w} height={size.h} className="floor-plan-svg" data-tiles={tiles ? 'on' : 'off'}>
            <g transform={`translate(${view.tx} ${view.ty}) scale(${view.scale})`}>
              {tiles && <TileLayer template={tiles.template} projection={projection} view={view} size={size} />}
              {districts.map((d) =>
                d.outline ? (
                  <polygon key={d.id} className="district" data-district-id={d.id} points={d.outline.map(([lon, lat]) => projection.toXY(lon, lat).join(',')).join(' ')}>
                    <title>{inlineText(d.name, 100)}</title>
                  </polygon>
                ) : null,
              )}
            </g>
            {districts.map((d) => {
              if (!d.outline) return null;
              const pts = d.outline.map(([lon, lat]) => projection.toXY(lon, lat));
              const top = pts.reduce((a, b) => (b[1] < a[1] ? b : a));
              return (
                <text key={`l-${d.id}`} className="district-label" x={view.tx + top[0] * view.scale} y={view.ty + top[1] * view.scale - 6}>
                  {inlineText(d.name, 60)}
                </text>
              );
            })}
            {groups.map((g) =>
              g.ids.length === 1 ? (
                <SchoolMark key={g.ids[0]} id={g.ids[0]!} x={g.x} y={g.y} name={index.schools.get(g.ids[0]!)?.name ?? g.ids[0]!} status={status.get(g.ids[0]!)} onOpen={openSchool} />
              ) : (
                <ClusterMark
                  key={`c-${g.ids[0]}`}
                  x={g.x}
                  y={g.y}
                  group={rollUpGroup(g.ids, status)}
                  onZoom={() => setView((v) => ({ scale: v.scale * 2.5, tx: g.x - (g.x - v.tx) * 2.5, ty: g.y - (g.y - v.ty) * 2.5 }))}
                />
              ),
            )}
            {index.crews.size > 0 && <CrewLayer index={index} projection={projection} view={view} />}
          </svg>
        )}
      </div>
    </div>
  );
}

function priorityClass(p: Priority | null): string {
  return p === null ? 'calm' : `p${p}`;
}

const SchoolMark = memo(function SchoolMark({ id, x, y, name, status, onOpen }: { id: string; x: number; y: number; name: string; status: SchoolStatus | undefined; onOpen(id: string): void }) {
  const { t } = useTranslation();
  const label = inlineText(name, 200);
  const summary = [
    label,
    status?.open ? t('city.openAlerts', { count: status.open }) : t('city.noAlerts'),
    status?.open ? byPriorityText(t, status) : null,
    status?.camerasOffline ? t('city.camerasOffline', { count: status.camerasOffline, total: status.cameras }) : null,
    status?.inside != null ? t('fire.cityInside', { count: status.inside }) : null,
    t(`cityRollup.network.${status?.network ?? 'unknown'}`),
  ]
    .filter(Boolean)
    .join(' — ');
  return (
    <g
      className={`school-mark ${priorityClass(status?.worst ?? null)}${status?.camerasOffline ? ' has-offline' : ''}${status?.network === 'below_budget' ? ' net-low' : ''}`}
      transform={`translate(${x} ${y})`}
      data-testid="city-school"
      data-school-id={id}
      data-open={status?.open ?? 0}
      data-worst={status?.worst ?? ''}
      data-inside={status?.inside ?? ''}
      data-offline={status?.camerasOffline ?? 0}
      data-network={status?.network ?? 'unknown'}
      role="button"
      tabIndex={0}
      aria-label={summary}
      onClick={() => onOpen(id)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onOpen(id);
        }
      }}
    >
      <title>{summary}</title>
      <circle r={status?.open ? 7 : 5} />
      {status?.network === 'below_budget' && <rect className="net-badge" x={5} y={-10} width={6} height={6} />}
      {status?.open ? (
        <text className="mark-count" dy="0.35em">
          {status.open > 99 ? '99+' : status.open}
        </text>
      ) : null}
    </g>
  );
});

function byPriorityText(t: TFunction, status: Pick<SchoolStatus, 'byPriority'>): string {
  return Object.entries(status.byPriority)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([p, n]) => t('cityRollup.priorityCount', { priority: p, count: n }))
    .join(', ');
}

/** Tiles of the configured internal tile server, under the vector outlines. */
const TileLayer = memo(function TileLayer({ template, projection, view, size }: { template: string; projection: Projection; view: View; size: { w: number; h: number } }) {
  const tiles = useMemo(() => visibleTiles(projection, view, size), [projection, view, size]);
  return (
    <g className="tile-layer" aria-hidden="true">
      {tiles.map((tile) => (
        <image
          key={`${tile.z}/${tile.x}/${tile.y}`}
          href={tileUrl(template, tile.z, tile.x, tile.y)}
          x={tile.box.x}
          y={tile.box.y}
          width={tile.box.w}
          height={tile.box.h}
          preserveAspectRatio="none"
          data-testid="city-tile"
          onError={(e) => e.currentTarget.classList.add('is-missing')}
        />
      ))}
    </g>
  );
});

/** The tile server setting: a URL template, validated; it applies when the window reloads (CSP). */
function TileSettings() {
  const { t } = useTranslation();
  const { effective, saved, error, loaded } = useTileSettings();
  const [draft, setDraft] = useState<string | null>(null);
  const value = draft ?? saved?.template ?? '';
  const pending = loaded && (effective?.template ?? null) !== (saved?.template ?? null);
  const save = async (template: string | null) => {
    if (await useTileSettings.getState().save(template)) setDraft(null);
  };
  return (
    <details className="tile-settings" data-testid="city-tiles">
      <summary>{t('cityRollup.tiles.title')}</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save(value);
        }}
      >
        <label>
          {t('cityRollup.tiles.label')}
          <input type="text" value={value} maxLength={500} spellCheck={false} placeholder="https://tiles.example.local/{z}/{x}/{y}.png" onChange={(e) => setDraft(e.target.value)} data-testid="city-tiles-template" />
        </label>
        <p className="hint">{t('cityRollup.tiles.hint')}</p>
        <span className="tile-settings-actions">
          <button type="submit" className="btn btn-small" data-testid="city-tiles-save">
            {t('cityRollup.tiles.save')}
          </button>
          <button type="button" className="btn btn-small btn-quiet" data-testid="city-tiles-clear" onClick={() => void save(null)}>
            {t('cityRollup.tiles.clear')}
          </button>
        </span>
        {error && <ErrorText error={describeErrorRef(t, error)} testId="city-tiles-error" />}
        {pending && (
          <p className="tile-settings-pending" role="status" data-testid="city-tiles-pending">
            {t('cityRollup.tiles.reloadNeeded')}{' '}
            <button type="button" className="btn btn-small" data-testid="city-tiles-reload" onClick={() => window.location.reload()}>
              {t('cityRollup.tiles.reload')}
            </button>
          </p>
        )}
        <p className="hint" data-testid="city-tiles-state">
          {effective ? t('cityRollup.tiles.using', { origin: effective.origin }) : t('cityRollup.tiles.none')}
        </p>
      </form>
    </details>
  );
}

// Renders again only when what it says changes: the city map re-renders every second (crews,
// telemetry) and a cluster's label is several translated sentences. `onZoom` is not compared: it
// depends only on x and y.
const ClusterMark = memo(
  function ClusterMark({ x, y, group, onZoom }: { x: number; y: number; group: GroupStatus; onZoom(): void }) {
  const { t } = useTranslation();
  const count = group.schools;
  const label = [
    t('city.cluster', { count, open: group.open }),
    group.open ? byPriorityText(t, group) : null,
    group.camerasOffline ? t('city.camerasOffline', { count: group.camerasOffline, total: group.cameras }) : null,
    group.inside !== null ? t('cityCluster.inside', { count: group.inside, counted: group.insideCounted, schools: count }) : null,
    t('cityCluster.network', { low: group.network.below_budget, ok: group.network.ok, unknown: group.network.unknown }),
  ]
    .filter(Boolean)
    .join(' — ');
  const netLow = group.network.below_budget > 0;
  return (
    <g
      className={`cluster-mark ${priorityClass(group.worst)}${group.camerasOffline ? ' has-offline' : ''}${netLow ? ' net-low' : ''}`}
      transform={`translate(${x} ${y})`}
      data-testid="city-cluster"
      data-cluster={count}
      data-open={group.open}
      data-worst={group.worst ?? ''}
      data-offline={group.camerasOffline}
      data-inside={group.inside ?? ''}
      data-net-low={group.network.below_budget}
      role="button"
      tabIndex={0}
      aria-label={label}
      onClick={onZoom}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onZoom();
        }
      }}
    >
      <title>{label}</title>
      <circle r={11 + Math.min(8, Math.log2(count) * 2)} />
      {netLow && <rect className="net-badge" x={9} y={-16} width={7} height={7} />}
      <text className="mark-count" dy="0.35em">
        {count}
      </text>
    </g>
  );
  },
  (a, b) => a.x === b.x && a.y === b.y && sameGroup(a.group, b.group),
);

function CityLegend() {
  const { t } = useTranslation();
  return (
    <span className="city-legend" aria-label={t('plan.legend')}>
      {(['p1', 'p2', 'p3', 'p4', 'calm'] as const).map((c) => (
        <span key={c} className="legend-item">
          <span className={`legend-dot city-dot ${c}`} />
          {t(`city.legend.${c}`)}
        </span>
      ))}
    </span>
  );
}
