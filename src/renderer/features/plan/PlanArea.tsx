import { memo, useCallback, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlertView } from '../../../shared/alerts';
import { canUnlockTurnstiles, type Device, type Floor, type School } from '../../../shared/protocol';
import { describeErrorRef } from '../../lib/errors';
import { inlineText } from '../../lib/text';
import { ErrorText } from '../../ui/ErrorText';
import { OVERVIEW_REFRESH_MS } from '../city/CityMap';
import { useThrottledStore } from '../../lib/use-throttled';
import { selectAlertMap, selectSelected, useAlertsStore } from '../alerts/store';
import { useCatalogStore, type CatalogIndex } from '../catalog/store';
import { useSessionStore } from '../session/store';
import { useWallStore, visibleCells } from '../wall/store';
import { BoardView } from '../board/BoardView';
import { CityMap } from '../city/CityMap';
import { EvacuationPanel } from '../fire/EvacuationPanel';
import { FireZoneLayer } from '../fire/FireZoneLayer';
import { selectInside, useEvacuationStore } from '../fire/evacuation-store';
import { useFireAlert, useUnlockActive } from '../fire/use-fire';
import { FloorPlan } from './FloorPlan';
import { EditPlanButton } from '../plan-editor/EditPlanButton';
import { usePlanStore } from './store';
import './plan.css';

/**
 * The plan area: the selected alert's school (or the guard's school) drawn floor by floor with live
 * device states, centred on the alert; with nothing selected, the scope's schools with counts.
 */
export function PlanArea() {
  const { t } = useTranslation();
  const selected = useAlertsStore(selectSelected);
  const select = useAlertsStore((s) => s.select);
  const status = useCatalogStore((s) => s.status);
  const error = useCatalogStore((s) => s.error);
  const index = useCatalogStore((s) => s.index);
  const drillSchoolId = usePlanStore((s) => s.schoolId);
  const backToCity = usePlanStore((s) => s.backToCity);
  const cityView = usePlanStore((s) => s.cityView);
  const setCityView = usePlanStore((s) => s.setCityView);
  const scopeSchoolId = useSessionStore((s) => {
    const scope = s.session?.login.user.scope;
    return scope?.kind === 'school' ? scope.schoolId : null;
  });

  let body: ReactNode;
  let shownSchool: string | null = null;
  if (status === 'error' && error) body = <ErrorText error={describeErrorRef(t, error)} testId="plan-error" role="status" />;
  else if (!index) body = <p className="empty">{t('plan.catalogLoading')}</p>;
  else if (selected) {
    if (!selected.schoolId) body = <p className="empty">{t('plan.noSchool')}</p>;
    else {
      const school = index.schools.get(selected.schoolId);
      shownSchool = selected.schoolId;
      body = school ? (
        <SchoolPlan key={`${school.id}/${selected.id}`} school={school} index={index} alert={selected} />
      ) : (
        <p className="empty">{t('plan.unknownSchool', { id: inlineText(selected.schoolId, 64) })}</p>
      );
    }
  } else if (scopeSchoolId ?? drillSchoolId) {
    const id = (scopeSchoolId ?? drillSchoolId)!;
    const school = index.schools.get(id);
    shownSchool = id;
    body = school ? <SchoolPlan key={id} school={school} index={index} alert={null} /> : <p className="empty">{t('plan.unknownSchool', { id: inlineText(id, 64) })}</p>;
  } else body = cityView === 'map' ? <CityMap index={index} /> : cityView === 'board' ? <BoardView index={index} /> : <SchoolList index={index} />;

  return (
    <div className="plan" data-school-id={shownSchool ?? ''}>
      <div className="area-header">
        <h2 className="area-title">{t('plan.title')}</h2>
        {!shownSchool && index && <span className="area-meta">{t('plan.scopeTitle')}</span>}
        {!shownSchool && index && (
          <span className="city-tabs" role="group" aria-label={t('plan.cityViews')}>
            {(['map', 'list', 'board'] as const).map((v) => (
              <button key={v} type="button" className={`btn btn-small btn-quiet${cityView === v ? ' is-current' : ''}`} aria-pressed={cityView === v} data-testid={`plan-view-${v}`} onClick={() => setCityView(v)}>
                {t(`plan.${v}`)}
              </button>
            ))}
          </span>
        )}
        {!selected && !scopeSchoolId && drillSchoolId && (
          <button type="button" className="btn btn-quiet btn-small area-action" data-testid="plan-back-to-city" onClick={backToCity}>
            {t('plan.backToCity')}
          </button>
        )}
        {selected && !scopeSchoolId && (
          <button type="button" className="btn btn-quiet btn-small area-action" data-testid="plan-clear-selection" onClick={() => select(null)}>
            {t('plan.clearSelection')}
          </button>
        )}
      </div>
      <div className="plan-body">{body}</div>
    </div>
  );
}

function SchoolPlan({ school, index, alert }: { school: School; index: CatalogIndex; alert: AlertView | null }) {
  const { t } = useTranslation();
  const district = index.districts.get(school.districtId)?.name ?? school.districtId;

  const perFloor = useMemo(() => {
    const counts = new Map<string, { cameras: number; devices: number }>();
    for (const d of index.devicesBySchool.get(school.id) ?? []) {
      const c = counts.get(d.floorId) ?? { cameras: 0, devices: 0 };
      c.devices += 1;
      if (d.kind === 'camera') c.cameras += 1;
      counts.set(d.floorId, c);
    }
    return counts;
  }, [index, school.id]);

  // Where the alert is: its device, else its first camera.
  const locationDevice = alert ? (index.devices.get(alert.deviceId ?? '') ?? index.devices.get(alert.cameraIds[0] ?? '') ?? null) : null;
  const place = locationDevice ? describePlace(school, locationDevice.buildingId, locationDevice.floorId, locationDevice.roomId) : null;
  const focusIds = useMemo(() => new Set(alert ? [alert.deviceId, ...alert.cameraIds].filter((id): id is string => Boolean(id)) : []), [alert]);
  // The alert's floor, else the ground floor of the first building; the parent keys this component
  // by school and alert, so a new alert re-centres the plan.
  const [floorId, setFloorId] = useState<string | null>(() => locationDevice?.floorId ?? groundFloor(school)?.id ?? null);
  const floor = school.buildings.flatMap((b) => b.floors).find((f) => f.id === floorId) ?? groundFloor(school);
  const [deviceId, setDeviceId] = useState<string | null>(null);
  const fire = useFireAlert(school.id, alert);
  const unlocking = useUnlockActive(school.id);
  const mayUnlock = useSessionStore((s) => (s.session ? canUnlockTurnstiles(s.session.login.user, school.id) : false));
  const [wallNote, setWallNote] = useState<string | null>(null);
  // Any device lists its alerts; a camera also goes on the wall (or is maximized if already there).
  const activate = useCallback(
    (d: Device) => {
      setDeviceId(d.id);
      if (d.kind !== 'camera') return setWallNote(null);
      const placed = showOnWall(d.id);
      const name = inlineText(d.name, 100);
      setWallNote(placed.maximized ? t('planLive.maximized', { name }) : t('planLive.onWall', { name, tile: placed.tile + 1 }));
    },
    [t],
  );

  return (
    <div className="school-plan" data-testid="school-plan" data-school-id={school.id}>
      <div className="school-head">
        <bdi className="school-name" data-testid="plan-school-name">
          {inlineText(school.name, 300)}
        </bdi>
        <span className="school-meta">
          <span>
            {t('plan.district')}: <bdi>{inlineText(district, 100)}</bdi>
          </span>
          <span>
            {t('plan.address')}: <bdi>{inlineText(school.address, 300)}</bdi>
          </span>
        </span>
        {place && (
          <div className="school-alert-place" data-testid="plan-alert-place">
            <bdi>{t('plan.alertLocation', { place })}</bdi>
          </div>
        )}
      </div>
      {school.buildings.length === 0 || !floor ? (
        <p className="empty">{t('plan.noBuildings')}</p>
      ) : (
        <>
          <div className="floor-switcher" aria-label={t('plan.buildings')}>
            {school.buildings.map((b) => (
              <div key={b.id} className="building" data-testid="plan-building" data-building-id={b.id}>
                <bdi className="building-name">{inlineText(b.name, 200)}</bdi>
                <span className="floor-buttons" role="group" aria-label={inlineText(b.name, 200)}>
                  {[...b.floors]
                    .sort((x, y) => x.level - y.level)
                    .map((f) => {
                      const counts = perFloor.get(f.id);
                      const hit = locationDevice?.floorId === f.id;
                      return (
                        <button
                          key={f.id}
                          type="button"
                          className={`btn btn-small floor-button${f.id === floor.id ? ' is-current' : ''}${hit ? ' is-alert-floor' : ''}`}
                          data-testid="plan-floor"
                          data-floor-id={f.id}
                          data-alert={String(hit)}
                          aria-pressed={f.id === floor.id}
                          title={t('plan.floorTitle', { name: inlineText(f.name, 100), rooms: f.rooms.length, cameras: counts?.cameras ?? 0, devices: counts?.devices ?? 0 })}
                          onClick={() => setFloorId(f.id)}
                        >
                          {f.level}
                        </button>
                      );
                    })}
                </span>
              </div>
            ))}
            <EditPlanButton schoolId={school.id} floorId={floor.id} />
          </div>
          <FloorPlan
            schoolId={school.id}
            floor={floor}
            devices={index.devicesByFloor.get(floor.id) ?? []}
            focusIds={focusIds}
            onDeviceActivate={activate}
            overlay={(view) => <FireZoneLayer view={view} floor={floor} devices={index.devicesByFloor.get(floor.id) ?? []} fireRoomId={fire?.location.roomId ?? null} />}
          />
          {wallNote && (
            <p className="plan-wall-note" role="status" data-testid="plan-wall-note">
              {wallNote}
            </p>
          )}
          {fire || unlocking ? (
            <div className="plan-evacuation">
              <EvacuationPanel schoolId={school.id} {...(fire ? { alertId: fire.id } : {})} />
            </div>
          ) : (
            mayUnlock && (
              // Without a fire it stays folded: one line, the plan keeps its height.
              <details className="plan-evacuation" data-testid="plan-evacuation-folded">
                <summary>{t('fire.title')}</summary>
                <EvacuationPanel schoolId={school.id} />
              </details>
            )
          )}
          {deviceId && <DeviceAlerts deviceId={deviceId} index={index} onClose={() => setDeviceId(null)} />}
        </>
      )}
    </div>
  );
}

/** A device's alerts: what it raised and the alerts whose cameras include it. */
function DeviceAlerts({ deviceId, index, onClose }: { deviceId: string; index: CatalogIndex; onClose(): void }) {
  const { t } = useTranslation();
  const byId = useAlertsStore(selectAlertMap);
  const order = useAlertsStore((s) => s.order);
  const select = useAlertsStore((s) => s.select);
  const device = index.devices.get(deviceId);
  const list = useMemo(
    () => order.map((id) => byId.get(id)!).filter((a) => a && (a.deviceId === deviceId || a.cameraIds.includes(deviceId))),
    [order, byId, deviceId],
  );
  if (!device) return null;
  return (
    <section className="device-alerts" data-testid="plan-device-alerts" data-device-id={deviceId} aria-label={t('plan.deviceAlerts', { name: inlineText(device.name, 100) })}>
      <header>
        <bdi className="device-alerts-name">{inlineText(device.name, 120)}</bdi>
        <span className="device-alerts-kind">{t(`deviceKind.${device.kind}`)}</span>
        <button type="button" className="btn btn-quiet btn-small" onClick={onClose} aria-label={t('plan.closeDevice')}>
          ×
        </button>
      </header>
      {list.length === 0 ? (
        <p className="empty">{t('plan.deviceNoAlerts')}</p>
      ) : (
        <ul>
          {list.slice(0, 50).map((a) => (
            <li key={a.id}>
              <button type="button" className="link-button" data-testid="plan-device-alert" data-alert-id={a.id} onClick={() => select(a.id)}>
                <span className={`prio-dot prio-${a.priority}`} /> <bdi>{inlineText(a.title, 160)}</bdi> — {t(`status.${a.status}`)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Puts a camera on the wall's selected tile, or maximizes its tile when the wall already shows it. */
export function showOnWall(cameraId: string): { tile: number; maximized: boolean } {
  const wall = useWallStore.getState();
  const shownAt = visibleCells(wall).indexOf(cameraId);
  if (shownAt >= 0) {
    if (wall.maximized !== shownAt) {
      if (wall.maximized !== null) wall.restoreSize();
      useWallStore.getState().toggleMaximize(shownAt);
    }
    return { tile: shownAt, maximized: true };
  }
  const at = wall.selected;
  wall.setCamera(at, cameraId);
  return { tile: at, maximized: false };
}

function groundFloor(school: School): Floor | null {
  const floors = school.buildings[0]?.floors ?? [];
  return [...floors].sort((a, b) => a.level - b.level)[0] ?? null;
}

function describePlace(school: School, buildingId: string, floorId: string, roomId: string): string | null {
  const building = school.buildings.find((b) => b.id === buildingId);
  const floor = building?.floors.find((f) => f.id === floorId);
  const room = floor?.rooms.find((r) => r.id === roomId);
  const parts = [building?.name, floor?.name, room?.name].filter((p): p is string => Boolean(p)).map((p) => inlineText(p, 100));
  return parts.length ? parts.join(' · ') : null;
}

function SchoolList({ index }: { index: CatalogIndex }) {
  const { t } = useTranslation();
  // The store's tally of active alerts by school, updated in place with its order (throttled).
  const alertsVersion = useThrottledStore(useAlertsStore, (s) => s.orderVersion, OVERVIEW_REFRESH_MS);
  const openBySchool = useMemo(() => {
    const bySchool = useAlertsStore.getState().bySchool;
    return new Map(index.schoolList.map((s) => [s.id, bySchool.get(s.id)?.open ?? 0]));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [index, alertsVersion]);
  const rows = useMemo(
    () =>
      [...index.schoolList].sort((a, b) => (openBySchool.get(b.id) ?? 0) - (openBySchool.get(a.id) ?? 0)),
    [index, openBySchool],
  );
  return (
    <table className="school-list" data-testid="plan-school-list">
      <thead>
        <tr>
          <th scope="col">{t('plan.school')}</th>
          <th scope="col">{t('plan.district')}</th>
          <th scope="col" className="num">
            {t('plan.cameras')}
          </th>
          <th scope="col" className="num">
            {t('plan.openAlerts')}
          </th>
          <th scope="col" className="num">
            {t('fire.insideColumn')}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((s) => (
          <SchoolRow
            key={s.id}
            id={s.id}
            name={s.name}
            district={index.districts.get(s.districtId)?.name ?? s.districtId}
            cameras={index.camerasBySchool.get(s.id)?.length ?? 0}
            open={openBySchool.get(s.id) ?? 0}
          />
        ))}
      </tbody>
    </table>
  );
}

const SchoolRow = memo(function SchoolRow({ id, name, district, cameras, open }: { id: string; name: string; district: string; cameras: number; open: number }) {
  const openSchool = usePlanStore((s) => s.openSchool);
  return (
    <tr data-testid="plan-school-row" data-school-id={id} data-open={open} className={open > 0 ? 'has-open' : undefined}>
      <td>
        <button type="button" className="link-button" onClick={() => openSchool(id)}>
          <bdi>{inlineText(name, 200)}</bdi>
        </button>
      </td>
      <td>
        <bdi>{inlineText(district, 100)}</bdi>
      </td>
      <td className="num">{cameras}</td>
      <td className="num">{open}</td>
      <td className="num">
        <Inside schoolId={id} />
      </td>
    </tr>
  );
});

/** People inside one school (the backend's count and the passages since), or a dash before the first count. */
function Inside({ schoolId }: { schoolId: string }) {
  const inside = useEvacuationStore(selectInside(schoolId));
  return <span data-testid="plan-school-inside">{inside ?? '—'}</span>;
}
