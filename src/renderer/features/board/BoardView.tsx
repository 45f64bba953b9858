// The duty officer's health board: every school in scope with its score and the parts of it,
// worst first, filterable by district; each row drills down to the school's plan. Recomputed at most
// once a second however many events and telemetry samples arrive.
import { memo, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { rankByCompliance, type Compliance } from '../../../shared/coverage-compliance';
import { DEFAULT_BUDGET, budgetTotal } from '../../../shared/school-health';
import { clockStore } from '../../lib/clock';
import { inlineText } from '../../lib/text';
import { useRenderProbe } from '../../lib/use-render-probe';
import { useScrollViewport, windowRange } from '../../lib/use-scroll-window';
import { useThrottledTick } from '../../lib/use-throttled';
import { isNewIn } from '../alerts/school-tally';
import { useAlertsStore } from '../alerts/store';
import type { CatalogIndex } from '../catalog/store';
import { BoardReport } from '../board-report/BoardReport';
import { OVERVIEW_REFRESH_MS } from '../city/CityMap';
import { useCoverageEngine, useCoverageStore } from '../compliance/store';
import { formatDuration } from '../dispatch/crews-model';
import { useDeviceStatusStore } from '../plan/device-status-store';
import { usePlanStore } from '../plan/store';
import { useTelemetryStore, type LinkPoint } from '../telemetry/store';
import { boardAlertsOf, boardRows, sortAndFilter, type BoardFilter, type BoardRow, type BoardSort } from './board-model';
import { ComplianceCell } from './ComplianceCell';
import { SchoolHealthDetail } from './SchoolHealthDetail';
import './board.css';

/** Compliance ranks by the coverage engine's figures, which the board model does not hold. */
type ViewSort = BoardSort | 'compliance';
const SORTS: readonly ViewSort[] = ['score', 'compliance', 'name', 'district', 'cameras', 'network'];
const COLUMNS = 9;
/** Every row has this height (board.css), so the rows in view are known from the scroll position. */
export const BOARD_ROW_HEIGHT = 40;
const OVERSCAN = 8;
/** What the board's rows read. */
const BOARD_SOURCES = [useAlertsStore, useDeviceStatusStore, useTelemetryStore, clockStore];

export function BoardView({ index }: { index: CatalogIndex }) {
  useRenderProbe('board');
  const { t } = useTranslation();
  // Any alert change (an acknowledgement too: the oldest unhandled), device state, link sample or
  // second (the ages) feeds the board: read again at most once a second, whichever changed.
  const tick = useThrottledTick(BOARD_SOURCES, OVERVIEW_REFRESH_MS);
  const openSchool = usePlanStore((s) => s.openSchool);
  useCoverageEngine();
  const coverage = useCoverageStore((s) => s.bySchool);
  const [detail, setDetail] = useState<string | null>(null);
  const [report, setReport] = useState(false);
  const [sort, setSort] = useState<ViewSort>('score');
  const [filter, setFilter] = useState<BoardFilter>({ districtId: 'all', text: '', problemsOnly: false });
  // eslint-disable-next-line react-hooks/exhaustive-deps -- read when the tick says it changed
  const links = useMemo(() => useTelemetryStore.getState().links, [tick]);
  const rows = useMemo(() => {
    // The store's tally of each school's alerts (school-tally.ts), not each alert.
    const { bySchool, byId } = useAlertsStore.getState();
    const devices = useDeviceStatusStore.getState().byId;
    const isNew = isNewIn(byId);
    return boardRows({
      schools: index.schoolList,
      devicesBySchool: index.devicesBySchool,
      alertsAt: (id) => boardAlertsOf(bySchool.get(id), isNew),
      deviceState: (id) => devices.get(id)?.status ?? 'normal',
      links,
      now: clockStore.getState(),
    });
    // The tally and the device states are updated in place: the tick says when they changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [index, links, tick]);
  const shown = useMemo(() => {
    if (sort !== 'compliance') return sortAndFilter(rows, sort, filter);
    // Worst compliance first; schools not computed yet go last.
    const byName = sortAndFilter(rows, 'name', filter);
    const known = rankByCompliance(byName.flatMap((r) => (coverage.has(r.schoolId) ? [{ schoolId: r.schoolId, row: r, compliance: coverage.get(r.schoolId)! }] : [])));
    return [...known.map((x) => x.row), ...byName.filter((r) => !coverage.has(r.schoolId))];
  }, [rows, sort, filter, coverage]);
  const districts = useMemo(() => [...index.districts.values()], [index]);
  // Every school keeps its row (sortable, findable, its score and link state on it), but only the
  // rows in view render their cells: the city's 268 rows re-rendered every second were long tasks.
  const scrollRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const [viewport] = useScrollViewport(scrollRef);
  const [bodyTop, setBodyTop] = useState(0);
  // The toolbar above the rows can wrap: where the rows start is read again when the view changes.
  useLayoutEffect(() => {
    const top = bodyRef.current?.offsetTop ?? 0;
    setBodyTop((v) => (v === top ? v : top));
  }, [viewport]);
  const { first, last } = windowRange(viewport, { rowHeight: BOARD_ROW_HEIGHT, count: shown.length, overscan: OVERSCAN, offset: bodyTop });

  return (
    <div className="health-board" data-testid="health-board" ref={scrollRef}>
      <div className="board-tools" role="toolbar" aria-label={t('board.tools')}>
        <select className="input" data-testid="board-district" aria-label={t('board.district')} value={filter.districtId} onChange={(e) => setFilter((f) => ({ ...f, districtId: e.target.value }))}>
          <option value="all">{t('board.allDistricts')}</option>
          {districts.map((d) => (
            <option key={d.id} value={d.id}>
              {inlineText(d.name, 60)}
            </option>
          ))}
        </select>
        <input className="input" data-testid="board-search" placeholder={t('board.search')} aria-label={t('board.search')} value={filter.text} maxLength={80} onChange={(e) => setFilter((f) => ({ ...f, text: e.target.value }))} />
        <label>
          <input type="checkbox" data-testid="board-problems" checked={filter.problemsOnly} onChange={(e) => setFilter((f) => ({ ...f, problemsOnly: e.target.checked }))} /> {t('board.problemsOnly')}
        </label>
        <label>
          {t('board.sort')}{' '}
          <select className="input" data-testid="board-sort" value={sort} onChange={(e) => setSort(e.target.value as ViewSort)}>
            {SORTS.map((s) => (
              <option key={s} value={s}>
                {s === 'compliance' ? t('coverage.sortBy') : t(`board.sortBy.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="btn btn-small" data-testid="board-report-open" aria-expanded={report} onClick={() => setReport(!report)}>
          {t('boardReport.open')}
        </button>
        <span className="board-count" data-testid="board-count">
          {t('board.count', { shown: shown.length, total: rows.length })}
        </span>
      </div>
      <table className="board-table">
        <thead>
          <tr>
            <th>{t('board.col.school')}</th>
            <th>{t('board.col.score')}</th>
            <th>{t('coverage.col.compliance')}</th>
            <th>{t('board.col.alerts')}</th>
            <th>{t('board.col.oldest')}</th>
            <th>{t('board.col.cameras')}</th>
            <th>{t('board.col.sensors')}</th>
            <th>{t('board.col.network')}</th>
            <th aria-label={t('schoolDetail.open')} />
          </tr>
        </thead>
        <tbody ref={bodyRef}>
          {shown.map((r, i) =>
            i >= first && i < last ? (
              <Row key={r.schoolId} row={r} district={index.districts.get(r.districtId)?.name ?? r.districtId} history={links.get(r.schoolId)?.history} compliance={coverage.get(r.schoolId)} onOpen={openSchool} onDetails={setDetail} />
            ) : (
              <RowOutOfView key={r.schoolId} schoolId={r.schoolId} score={r.score.score} link={r.parts.link} offline={r.parts.cameras.offline} compliance={coverage.get(r.schoolId)?.score} />
            ),
          )}
        </tbody>
      </table>
      {detail && <SchoolHealthDetail schoolId={detail} index={index} onClose={() => setDetail(null)} />}
      {report && <BoardReport rows={rows} index={index} onClose={() => setReport(false)} />}
    </div>
  );
}

function scoreClass(score: number): string {
  return score >= 90 ? 'good' : score >= 60 ? 'fair' : 'bad';
}

/** A row scrolled out of view: its place, and what tests and screen readers look up, nothing else. */
const RowOutOfView = memo(function RowOutOfView({ schoolId, score, link, offline, compliance }: { schoolId: string; score: number; link: string; offline: number; compliance: number | undefined }) {
  return (
    <tr data-testid="board-row" data-school-id={schoolId} data-score={score} data-link={link} data-offline={offline} data-compliance={compliance} className="board-row-out">
      <td colSpan={COLUMNS} />
    </tr>
  );
});

const Row = memo(function Row({
  row,
  district,
  history,
  compliance,
  onOpen,
  onDetails,
}: {
  row: BoardRow;
  district: string;
  history: readonly LinkPoint[] | undefined;
  compliance: Compliance | undefined;
  onOpen(id: string): void;
  onDetails(id: string): void;
}) {
  const { t } = useTranslation();
  const p = row.parts;
  const cams = p.cameras;
  return (
    <tr data-testid="board-row" data-school-id={row.schoolId} data-score={row.score.score} data-link={p.link} data-offline={cams.offline} data-compliance={compliance?.score}>
      <td>
        <button type="button" className="link-button" data-testid="board-open" onClick={() => onOpen(row.schoolId)}>
          <bdi>{inlineText(row.name, 120)}</bdi>
        </button>
        <span className="board-district">{inlineText(district, 60)}</span>
      </td>
      <td>
        <span className={`board-score ${scoreClass(row.score.score)}`} title={row.score.reasons.map((r) => `${t(`board.reason.${r.reason}`)} −${r.points}`).join('\n')} data-testid="board-score">
          {row.score.score}
        </span>
      </td>
      <ComplianceCell compliance={compliance} />
      <td className="board-prio">
        {([1, 2, 3, 4] as const).map((k) =>
          p.openByPriority[k] ? (
            <span key={k} className={`prio-chip p${k}`} title={t('board.openP', { priority: k })}>
              P{k}·{p.openByPriority[k]}
            </span>
          ) : null,
        )}
      </td>
      <td>{p.oldestUnhandledMs !== undefined ? formatDuration(p.oldestUnhandledMs) : '—'}</td>
      {/* Compact: only the counts that are not zero; the whole sentence on hover. */}
      <td data-testid="board-cameras" data-offline={cams.offline} title={t('board.cams', { online: cams.online, stale: cams.stale, offline: cams.offline })}>
        {t('board.camsOnline', { count: cams.online })}
        {cams.stale > 0 && <span className="board-warn"> · {t('board.camsStale', { count: cams.stale })}</span>}
        {cams.offline > 0 && <span className="board-bad"> · {t('board.camsOffline', { count: cams.offline })}</span>}
      </td>
      <td title={p.sensorsInFault + p.turnstilesInFault > 0 ? t('board.faults', { sensors: p.sensorsInFault, turnstiles: p.turnstilesInFault }) : undefined}>
        {p.sensorsInFault + p.turnstilesInFault === 0 ? '—' : [p.sensorsInFault > 0 ? t('board.faultSensors', { count: p.sensorsInFault }) : null, p.turnstilesInFault > 0 ? t('board.faultTurnstiles', { count: p.turnstilesInFault }) : null].filter(Boolean).join(' · ')}
      </td>
      <td className={`board-net ${p.link}`} data-testid="board-network">
        <Sparkline history={history} />
        {row.linkMbps !== null ? t('board.mbps', { mbps: Math.round(row.linkMbps) }) : '—'}
        {p.link === 'below_budget' && row.link?.forMs !== undefined && <span className="board-below"> {t('board.belowFor', { duration: formatDuration(row.link.forMs) })}</span>}
      </td>
      <td>
        <button type="button" className="btn btn-small btn-quiet" data-testid="board-details" onClick={() => onDetails(row.schoolId)}>
          {t('schoolDetail.open')}
        </button>
      </td>
    </tr>
  );
});

/** The link's capacity over the kept history against the budget line. */
function Sparkline({ history }: { history: readonly LinkPoint[] | undefined }) {
  if (!history || history.length < 2) return null;
  const w = 56;
  const h = 18;
  // At most one point per pixel: the lowest capacity of the samples it covers (a dip stays visible).
  const per = Math.ceil(history.length / w);
  const values: number[] = [];
  for (let i = 0; i < history.length; i += per) {
    let low = Infinity;
    for (let j = i; j < Math.min(history.length, i + per); j++) low = Math.min(low, history[j]!.linkMbps);
    values.push(low);
  }
  let max = budgetTotal(DEFAULT_BUDGET) * 1.4;
  for (const v of values) max = Math.max(max, v);
  const step = values.length > 1 ? w / (values.length - 1) : w;
  const y = (v: number) => h - (v / max) * h;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  return (
    <svg className="sparkline" width={w} height={h} aria-hidden>
      <line x1={0} x2={w} y1={y(budgetTotal(DEFAULT_BUDGET))} y2={y(budgetTotal(DEFAULT_BUDGET))} className="budget" />
      <polyline points={points} />
    </svg>
  );
}
