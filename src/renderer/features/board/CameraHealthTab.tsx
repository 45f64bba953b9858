// The Cameras tab of a school's health detail: every camera with its status, uptime, stale
// periods, last frame and current outage (sortable), and the school's outage history, newest
// first. Where each fact comes from: camera-health-model.ts.
import { memo, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CameraHealthRow, HealthPeriod } from '../../../shared/camera-health';
import { createLogger } from '../../../shared/log';
import { fetchCameraFrames } from '../../lib/backend-client';
import { useNow } from '../../lib/clock';
import { inlineText } from '../../lib/text';
import { useThrottledStore } from '../../lib/use-throttled';
import { describeErrorRef, errorRef, type ErrorRef } from '../../lib/errors';
import type { CatalogIndex } from '../catalog/store';
import { formatDuration } from '../dispatch/crews-model';
import { useDeviceStatusStore } from '../plan/device-status-store';
import { consoleApi } from '../session/controller';
import { useSessionStore } from '../session/store';
import { useCameraHealthStore } from '../wall/camera-health';
import '../wall/wall.css';
import { cameraRows, sortCameraRows, type CameraRow, type CameraSort } from './camera-health-model';
import './camera-health.css';

const log = createLogger('camera-health');

const PERIODS = { day: 24 * 3600_000, week: 7 * 24 * 3600_000 } as const;
type Period = keyof typeof PERIODS;
const COLUMNS: readonly CameraSort[] = ['state', 'name', 'uptime', 'stale', 'lastFrame', 'outage'];
const COLUMN_KEY: Record<CameraSort, string> = { state: 'state', name: 'camera', uptime: 'uptime', stale: 'stale', lastFrame: 'lastFrame', outage: 'outage' };
/** The journal is read again at most this often while device states change. */
const HISTORY_REFRESH_MS = 5_000;
/** The backend's last-frame times are asked for this often while the tab is open. */
const FRAMES_REFRESH_MS = 10_000;
const HISTORY_SHOWN = 200;

type History = { cameras: Map<string, CameraHealthRow>; periods: HealthPeriod[]; periodsTotal: number };

export function CameraHealthTab({ schoolId, index }: { schoolId: string; index: CatalogIndex }) {
  const { t } = useTranslation();
  const [period, setPeriod] = useState<Period>('day');
  const [sort, setSort] = useState<{ by: CameraSort; asc: boolean }>({ by: 'state', asc: true });
  const cameras = useMemo(() => (index.devicesBySchool.get(schoolId) ?? []).filter((d) => d.kind === 'camera'), [index, schoolId]);
  const history = useJournalHistory(schoolId, cameras, period);
  const frames = useCameraFrames(schoolId);
  const deviceVersion = useThrottledStore(useDeviceStatusStore, (s) => s.version, 1000);
  const wall = useCameraHealthStore((s) => s.byId);
  const now = useNow();

  const rows = useMemo(
    () =>
      cameraRows({
        cameras,
        history: history.data?.cameras ?? null,
        live: (id) => useDeviceStatusStore.getState().byId.get(id),
        wall,
        frames: frames.data?.byId ?? null,
      }),
    // deviceVersion says when live states changed (the store's map is updated in place).
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [cameras, history.data, wall, frames.data, deviceVersion],
  );
  const shown = useMemo(() => sortCameraRows(rows, sort.by, sort.asc), [rows, sort]);
  const offlineNow = rows.filter((r) => r.dot === 'offline').length;
  // The backend's clock judges the age of its own last-frame times; ours moves it on between answers.
  const backendNow = frames.data ? frames.data.at + (now - frames.data.fetchedAt) : null;
  const names = useMemo(() => new Map(cameras.map((c) => [c.id, c.name])), [cameras]);

  if (cameras.length === 0) return <p className="empty">{t('camHealth.noCameras')}</p>;
  const outages = history.data ? [...history.data.cameras.values()].reduce((n, c) => n + c.outages, 0) : null;
  return (
    <div className="cam-health" data-testid="cam-health" data-loaded={history.data !== null}>
      <div className="cam-health-tools">
        <label>
          {t('camHealth.period')}{' '}
          <select className="input" data-testid="cam-health-period" value={period} onChange={(e) => setPeriod(e.target.value as Period)}>
            {(Object.keys(PERIODS) as Period[]).map((p) => (
              <option key={p} value={p}>
                {t(`camHealth.periods.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <span className="cam-health-summary" data-testid="cam-health-summary">
          {t('camHealth.summary', { cameras: cameras.length, offline: offlineNow, outages: outages ?? '…' })}
        </span>
      </div>
      {history.failed && (
        <p className="error-text" role="alert">
          {t('camHealth.readFailed')}
        </p>
      )}
      {frames.error && (
        <p className="cam-health-note" data-testid="cam-health-frames-error" title={frames.error.detail}>
          {t('camHealth.framesUnknown', { reason: describeErrorRef(t, frames.error).message })}
        </p>
      )}
      <div className="cam-health-scroll">
        <table className="cam-table cam-health-table" aria-label={t('camHealth.title')}>
          <thead>
            <tr>
              {COLUMNS.map((c) => {
                const label = t(`camHealth.col.${COLUMN_KEY[c] as 'state'}`);
                const active = sort.by === c;
                return (
                  <th key={c} aria-sort={active ? (sort.asc ? 'ascending' : 'descending') : 'none'}>
                    <button
                      type="button"
                      className="link-button"
                      data-testid={`cam-health-sort-${c}`}
                      title={t('camHealth.sortBy', { column: label })}
                      onClick={() => setSort((s) => ({ by: c, asc: s.by === c ? !s.asc : true }))}
                    >
                      {label}
                      {active ? (sort.asc ? ' ▲' : ' ▼') : ''}
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <CameraLine key={r.id} row={r} now={now} backendNow={backendNow} />
            ))}
          </tbody>
        </table>
      </div>
      <h3 className="cam-health-heading">{t('camHealth.history')}</h3>
      <OutageHistory periods={history.data?.periods ?? null} total={history.data?.periodsTotal ?? 0} names={names} now={now} />
    </div>
  );
}

const CameraLine = memo(function CameraLine({ row, now, backendNow }: { row: CameraRow; now: number; backendNow: number | null }) {
  const { t, i18n } = useTranslation();
  const duration = useDuration();
  const stateLabel = t(`camHealth.state.${row.dot}`);
  return (
    <tr data-testid="cam-health-row" data-camera-id={row.id} data-state={row.dot} data-ongoing={row.outageSince !== null}>
      <td>
        <span className={`status-dot dot-${row.dot}`} role="img" aria-label={stateLabel} title={stateLabel} /> {stateLabel}
        {row.onWall && <span className="cam-health-wall"> · {t('camHealth.onWall')}</span>}
      </td>
      <td>
        <bdi>{inlineText(row.name, 120)}</bdi>
      </td>
      <td data-testid="cam-health-uptime">{row.uptimePct === null ? '…' : `${row.uptimePct.toFixed(row.uptimePct === 100 ? 0 : 2)} %`}</td>
      <td>{row.stalePeriods === null ? '…' : row.stalePeriods === 0 ? t('camHealth.none') : t('camHealth.staleCount', { count: row.stalePeriods, duration: duration(row.staleMs ?? 0) })}</td>
      <td title={row.lastFrameAt !== null ? new Date(row.lastFrameAt).toLocaleString(i18n.language) : undefined}>
        {row.lastFrameAt !== null && backendNow !== null ? t('camHealth.ago', { duration: duration(backendNow - row.lastFrameAt) }) : t('camHealth.none')}
      </td>
      <td data-testid="cam-health-outage" title={row.outageSince !== null ? new Date(row.outageSince).toLocaleString(i18n.language) : undefined}>
        {row.outageSince !== null ? t('camHealth.ongoingFor', { duration: duration(now - row.outageSince) }) : t('camHealth.none')}
      </td>
    </tr>
  );
});

function OutageHistory({ periods, total, names, now }: { periods: HealthPeriod[] | null; total: number; names: ReadonlyMap<string, string>; now: number }) {
  const { t, i18n } = useTranslation();
  const duration = useDuration();
  if (periods === null) return <p className="empty">{t('camHealth.loading')}</p>;
  if (periods.length === 0) return <p className="empty" data-testid="cam-health-history-empty">{t('camHealth.historyEmpty')}</p>;
  const shown = periods.slice(0, HISTORY_SHOWN);
  return (
    <>
      {total > shown.length && <p className="cam-health-note">{t('camHealth.historyMore', { shown: shown.length, total })}</p>}
      <table className="cam-table cam-health-history" data-testid="cam-health-history">
        <thead>
          <tr>
            <th>{t('camHealth.hcol.camera')}</th>
            <th>{t('camHealth.hcol.kind')}</th>
            <th>{t('camHealth.hcol.from')}</th>
            <th>{t('camHealth.hcol.to')}</th>
            <th>{t('camHealth.hcol.duration')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((p) => (
            <tr key={`${p.cameraId}|${p.from}|${p.kind}`} data-testid="cam-health-outage-row" data-camera-id={p.cameraId} data-kind={p.kind} data-ongoing={p.to === null}>
              <td>
                <bdi>{inlineText(names.get(p.cameraId) ?? p.cameraId, 120)}</bdi>
              </td>
              <td className={`cam-health-kind ${p.kind}`}>{t(`camHealth.kind.${p.kind}`)}</td>
              <td>{new Date(p.from).toLocaleString(i18n.language)}</td>
              <td className={p.to === null ? 'cam-health-ongoing' : undefined}>{p.to === null ? t('camHealth.ongoing') : new Date(p.to).toLocaleString(i18n.language)}</td>
              <td>{duration((p.to === null ? now : Date.parse(p.to)) - Date.parse(p.from))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** h:mm:ss, with whole days in front past one day (a week's outage stays readable). */
function useDuration(): (ms: number) => string {
  const { t } = useTranslation();
  return (ms) => {
    const days = Math.floor(Math.max(0, ms) / 86_400_000);
    return days > 0 ? t('camHealth.days', { days, rest: formatDuration(ms - days * 86_400_000) }) : formatDuration(ms);
  };
}

/** The journal's fold for the school's cameras over the period; read again as device states change. */
function useJournalHistory(schoolId: string, cameras: readonly { id: string }[], period: Period): { data: History | null; failed: boolean } {
  const stream = useSessionStore((s) => s.session?.login.stream ?? null);
  const changes = useThrottledStore(useDeviceStatusStore, (s) => s.version, HISTORY_REFRESH_MS);
  const [tick, setTick] = useState(0);
  const [state, setState] = useState<{ key: string; data: History | null; failed: boolean }>({ key: '', data: null, failed: false });
  const key = `${schoolId}|${period}`;
  // Ongoing outages lengthen and uptimes fall without any event: read again now and then.
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), 30_000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    const api = consoleApi();
    if (!api || !stream || cameras.length === 0) return;
    let cancelled = false;
    const to = Date.now();
    api['health.cameras']({ stream, cameraIds: cameras.map((c) => c.id), from: new Date(to - PERIODS[period]).toISOString(), to: new Date(to).toISOString() }).then(
      (r) => {
        if (!cancelled) setState({ key, data: { cameras: new Map(r.cameras.map((c) => [c.cameraId, c])), periods: r.periods, periodsTotal: r.periodsTotal }, failed: false });
      },
      (e: unknown) => {
        log.error('could not read camera health from the journal', { error: e, schoolId });
        if (!cancelled) setState((s) => ({ ...s, failed: true }));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [stream, cameras, period, changes, tick, key, schoolId]);
  return state.key === key ? { data: state.data, failed: state.failed } : { data: null, failed: false };
}

/** The backend's last-frame times for the school, asked for every FRAMES_REFRESH_MS. */
function useCameraFrames(schoolId: string): { data: { at: number; fetchedAt: number; byId: Map<string, number | null> } | null; error: ErrorRef | null } {
  const session = useSessionStore((s) => s.session);
  const [state, setState] = useState<{ schoolId: string; data: { at: number; fetchedAt: number; byId: Map<string, number | null> } | null; error: ErrorRef | null }>({
    schoolId,
    data: null,
    error: null,
  });
  useEffect(() => {
    if (!session) return;
    let cancelled = false;
    const load = () => {
      fetchCameraFrames(session.backendUrl, session.login.token, schoolId).then(
        (f) => {
          if (cancelled) return;
          const byId = new Map(f.cameras.map((c) => [c.cameraId, c.lastFrameAt === null ? null : Date.parse(c.lastFrameAt)]));
          setState({ schoolId, data: { at: Date.parse(f.at), fetchedAt: Date.now(), byId }, error: null });
        },
        (e: unknown) => {
          log.warn('no last-frame times from the backend', { error: e, schoolId });
          if (!cancelled) setState((s) => ({ schoolId, data: s.schoolId === schoolId ? s.data : null, error: errorRef(e) }));
        },
      );
    };
    load();
    const timer = setInterval(load, FRAMES_REFRESH_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [session, schoolId]);
  return state.schoolId === schoolId ? { data: state.data, error: state.error } : { data: null, error: null };
}
