// The duty officer's report: health and coverage compliance of every school in scope and per
// district, as of the moment it is opened; CSV per school and per district, "Print / PDF" (the
// print dialog saves a PDF, in Electron and in browsers), and two charts (compliance per district,
// the spread of health scores) shown, printed and saved as SVG or PNG.
import { useMemo, useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { createLogger } from '../../../shared/log';
import { downloadBlob, downloadCsv } from '../../lib/download';
import { inlineText } from '../../lib/text';
import type { BoardRow } from '../board/board-model';
import type { CatalogIndex } from '../catalog/store';
import { useCoverageStore } from '../compliance/store';
import { ScoreBars, ScoreHistogram, svgText, svgToPng } from './charts';
import { districtReportRows, districtsCsv, schoolReportRows, schoolsCsv, scoreHistogram } from './report-model';
import '../dispatch/report.css';
import './board-report.css';

const log = createLogger('renderer.board-report');

export function BoardReport({ rows, index, onClose }: { rows: readonly BoardRow[]; index: CatalogIndex; onClose(): void }) {
  const { t, i18n } = useTranslation();
  // A report is of one moment: the board's rows as they were when it opened, compliance as computed then.
  const [frozen] = useState(() => ({ rows, at: new Date() }));
  const coverage = useCoverageStore((s) => s.bySchool);
  const pending = useCoverageStore((s) => s.pending);
  const schools = useMemo(() => schoolReportRows(frozen.rows, coverage, (id) => index.districts.get(id)?.name ?? id), [frozen, coverage, index]);
  const districts = useMemo(() => districtReportRows(schools), [schools]);
  const bars = useRef<SVGSVGElement>(null);
  const histogram = useRef<SVGSVGElement>(null);
  const stamp = frozen.at.toISOString().slice(0, 16).replace(/[:T]/g, '-');

  const saveSvg = (ref: RefObject<SVGSVGElement | null>, name: string) => {
    if (ref.current) downloadBlob(`${name}-${stamp}.svg`, new Blob([svgText(ref.current)], { type: 'image/svg+xml' }));
  };
  const savePng = (ref: RefObject<SVGSVGElement | null>, name: string) => {
    if (!ref.current) return;
    svgToPng(ref.current).then(
      (png) => downloadBlob(`${name}-${stamp}.png`, png),
      (e: unknown) => log.error('chart PNG failed', { error: e }),
    );
  };
  const chartActions = (ref: RefObject<SVGSVGElement | null>, name: string) => (
    <div className="board-report-chart-actions">
      <button type="button" className="btn btn-small" data-testid={`${name}-svg`} onClick={() => saveSvg(ref, name)}>
        {t('boardReport.saveSvg')}
      </button>
      <button type="button" className="btn btn-small" data-testid={`${name}-png`} onClick={() => savePng(ref, name)}>
        {t('boardReport.savePng')}
      </button>
    </div>
  );
  const num = (v: number | null) => (v === null ? '—' : String(v));

  return (
    <div className="report-panel board-report" role="dialog" aria-modal="false" aria-labelledby="board-report-title" data-testid="board-report">
      <div className="report-head">
        <h2 id="board-report-title">{t('boardReport.title')}</h2>
        <div className="report-actions">
          <button type="button" className="btn" data-testid="board-report-csv-schools" onClick={() => downloadCsv(`kuzet-schools-${stamp}.csv`, schoolsCsv(schools))}>
            {t('boardReport.csvSchools')}
          </button>
          <button type="button" className="btn" data-testid="board-report-csv-districts" onClick={() => downloadCsv(`kuzet-districts-${stamp}.csv`, districtsCsv(districts))}>
            {t('boardReport.csvDistricts')}
          </button>
          <button type="button" className="btn" data-testid="board-report-print" onClick={() => window.print()}>
            {t('boardReport.print')}
          </button>
          <button type="button" className="btn btn-quiet" data-testid="board-report-close" onClick={onClose}>
            {t('boardReport.close')}
          </button>
        </div>
      </div>
      <p className="board-report-range">
        {t('boardReport.asOf', { time: frozen.at.toLocaleString(i18n.language), schools: schools.length })}
        {pending > 0 && <span data-testid="board-report-pending"> {t('boardReport.pending', { count: pending })}</span>}
      </p>
      <div className="board-report-charts">
        <figure>
          <ScoreBars ref={bars} testId="chart-compliance" title={t('boardReport.chartCompliance')} bars={districts.map((d) => ({ label: d.district, value: d.complianceMean }))} />
          {chartActions(bars, 'compliance-by-district')}
        </figure>
        <figure>
          <ScoreHistogram ref={histogram} testId="chart-health" title={t('boardReport.chartHealth')} counts={scoreHistogram(schools.map((s) => s.health))} />
          {chartActions(histogram, 'health-scores')}
        </figure>
      </div>
      <h3>{t('boardReport.districts')}</h3>
      <table className="report-table" data-testid="board-report-districts">
        <thead>
          <tr>
            {(['district', 'schools', 'healthMean', 'healthMin', 'complianceMean', 'complianceMin', 'nonCompliant', 'rooms', 'cameras', 'privacy', 'links'] as const).map((c) => (
              <th key={c}>{t(`boardReport.col.${c}`)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {districts.map((d) => (
            <tr key={d.districtId} data-testid="board-report-district" data-district-id={d.districtId}>
              <td>
                <bdi>{inlineText(d.district, 60)}</bdi>
              </td>
              <td>{d.schools}</td>
              <td>{num(d.healthMean)}</td>
              <td>{num(d.healthMin)}</td>
              <td>{num(d.complianceMean)}</td>
              <td>{num(d.complianceMin)}</td>
              <td>{d.nonCompliant}</td>
              <td>{t('boardReport.ofCount', { n: d.coveredRooms, of: d.requiredRooms })}</td>
              <td>{t('boardReport.ofCount', { n: d.camerasOnline, of: d.cameras })}</td>
              <td>{d.privacyFlags}</td>
              <td>{d.linksBelowBudget}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('boardReport.schools')}</h3>
      <table className="report-table" data-testid="board-report-schools">
        <thead>
          <tr>
            {(['school', 'district', 'health', 'compliance', 'rooms', 'cameras', 'alerts', 'network', 'privacy'] as const).map((c) => (
              <th key={c}>{t(`boardReport.col.${c}`)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {schools.map((s) => (
            <tr key={s.schoolId} data-testid="board-report-school" data-school-id={s.schoolId}>
              <td>
                <bdi>{inlineText(s.school, 80)}</bdi>
              </td>
              <td>
                <bdi>{inlineText(s.district, 40)}</bdi>
              </td>
              <td>{s.health}</td>
              <td>{num(s.compliance)}</td>
              <td>{t('boardReport.ofCount', { n: s.coveredRooms, of: s.requiredRooms })}</td>
              <td>{t('boardReport.ofCount', { n: s.camerasOnline, of: s.camerasOnline + s.camerasStale + s.camerasOffline })}</td>
              <td>{s.openAlerts}</td>
              <td>{s.link === 'below_budget' ? t('boardReport.below', { mbps: num(s.linkMbps) }) : s.linkMbps === null ? '—' : t('board.mbps', { mbps: s.linkMbps })}</td>
              <td>{s.privacyFlags || ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
