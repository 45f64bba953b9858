// The dispatch report of a shift or period: every incident with its times (raised, verified,
// dispatched, on scene, cleared), the crews and the outcome, drills marked and left out of the
// summary; exported as CSV, or printed (the print dialog saves a PDF, in Electron and in browsers).
import { useEffect, useMemo, useState } from 'react';
import type { AlertView } from '../../../shared/alerts';
import { createLogger } from '../../../shared/log';
import { useTranslation } from 'react-i18next';
import { incidentReport, toCsv, type IncidentReport } from '../../../shared/incident-report';
import { downloadCsv } from '../../lib/download';
import { inlineText } from '../../lib/text';
import { selectAlertMap, useAlertsStore } from '../alerts/store';
import { useCatalogStore } from '../catalog/store';
import { consoleApi } from '../session/controller';
import { useSessionStore } from '../session/store';
import { formatDuration } from './crews-model';
import './report.css';

const HOUR = 3600_000;
const log = createLogger('renderer.report');
type Preset = 'shift' | 'day' | 'custom';

/** The current 12-hour shift: 08:00-20:00 or 20:00-08:00 local time. */
export function currentShift(now: Date): { from: number; to: number } {
  const start = new Date(now);
  start.setMinutes(0, 0, 0);
  const h = now.getHours();
  if (h >= 8 && h < 20) start.setHours(8);
  else {
    if (h < 8) start.setDate(start.getDate() - 1);
    start.setHours(20);
  }
  return { from: start.getTime(), to: start.getTime() + 12 * HOUR };
}

function toLocalInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

export function ReportButton() {
  const { t } = useTranslation();
  const role = useSessionStore((s) => s.session?.login.user.role ?? null);
  const [open, setOpen] = useState(false);
  if (role !== 'dispatcher' && role !== 'duty_officer') return null;
  return (
    <>
      <button type="button" className="btn btn-quiet" data-testid="report-open" aria-expanded={open} onClick={() => setOpen(!open)}>
        {t('report.open')}
      </button>
      {open && <ReportPanel onClose={() => setOpen(false)} />}
    </>
  );
}

function ReportPanel({ onClose }: { onClose(): void }) {
  const { t, i18n } = useTranslation();
  const live = useAlertsStore(selectAlertMap);
  const stream = useSessionStore((s) => s.session?.login.stream ?? null);
  const index = useCatalogStore((s) => s.index);
  const [preset, setPreset] = useState<Preset>('shift');
  const [custom, setCustom] = useState(() => {
    const s = currentShift(new Date());
    return { from: toLocalInput(s.from), to: toLocalInput(s.to) };
  });
  // The report is of the moment it was opened; reopen it for a fresh one.
  const [now] = useState(() => Date.now());
  const period = useMemo(() => {
    if (preset === 'shift') return currentShift(new Date(now));
    if (preset === 'day') return { from: now - 24 * HOUR, to: now + 1 };
    const from = Date.parse(custom.from);
    const to = Date.parse(custom.to);
    return Number.isFinite(from) && Number.isFinite(to) && to > from ? { from, to } : null;
  }, [preset, custom, now]);
  // The period's alerts from the local journal (resolved ones too: the queue only keeps active ones),
  // each replaced by the live view when that is newer.
  const [stored, setStored] = useState<{ key: string; alerts: AlertView[] } | { key: string; error: true } | null>(null);
  const periodKey = period ? `${period.from}-${period.to}` : '';
  useEffect(() => {
    const api = consoleApi();
    if (!period || !api || !stream) return;
    let cancelled = false;
    api['alerts.list']({ stream, period: { from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString() } }).then(
      (r) => !cancelled && setStored({ key: periodKey, alerts: r.alerts }),
      (e: unknown) => {
        log.error('could not read the period from the journal', { error: e });
        if (!cancelled) setStored({ key: periodKey, error: true });
      },
    );
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- periodKey stands for period
  }, [periodKey, stream]);
  const ready = stored !== null && stored.key === periodKey;
  const failed = ready && 'error' in stored;
  const report = useMemo<IncidentReport | null>(() => {
    if (!period || !ready) return null;
    const merged = new Map<string, AlertView>();
    if (!('error' in stored)) for (const a of stored.alerts) merged.set(a.id, a);
    for (const a of live.values()) {
      const old = merged.get(a.id);
      if (!old || old.lastSeq < a.lastSeq) merged.set(a.id, a);
    }
    return incidentReport(merged.values(), period, (id) => index?.crews.get(id)?.callsign ?? id);
  }, [live, period, index, ready, stored]);
  const time = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language) : '—');
  const seconds = (s: number | null) => (s === null ? '—' : formatDuration(s * 1000));
  const school = (id: string) => inlineText(index?.schools.get(id)?.name ?? id, 80);

  const exportCsv = () => {
    if (!report) return;
    downloadCsv(`kuzet-incidents-${report.from.slice(0, 16).replace(/[:T]/g, '-')}.csv`, toCsv(report));
  };

  return (
    <div className="report-panel" role="dialog" aria-modal="false" aria-labelledby="report-title" data-testid="report-panel">
      <div className="report-head">
        <h2 id="report-title">{t('report.title')}</h2>
        <div className="report-actions">
          <button type="button" className="btn" data-testid="report-csv" disabled={!report} onClick={exportCsv}>
            {t('report.csv')}
          </button>
          <button type="button" className="btn" data-testid="report-print" disabled={!report} onClick={() => window.print()}>
            {t('report.print')}
          </button>
          <button type="button" className="btn btn-quiet" data-testid="report-close" onClick={onClose}>
            {t('report.close')}
          </button>
        </div>
      </div>
      <div className="report-period" role="group" aria-label={t('report.period')}>
        {(['shift', 'day', 'custom'] as const).map((p) => (
          <label key={p}>
            <input type="radio" name="report-period" data-testid={`report-period-${p}`} checked={preset === p} onChange={() => setPreset(p)} /> {t(`report.preset.${p}`)}
          </label>
        ))}
        {preset === 'custom' && (
          <>
            <input className="input" type="datetime-local" data-testid="report-from" aria-label={t('report.from')} value={custom.from} onChange={(e) => setCustom((c) => ({ ...c, from: e.target.value }))} />
            <input className="input" type="datetime-local" data-testid="report-to" aria-label={t('report.to')} value={custom.to} onChange={(e) => setCustom((c) => ({ ...c, to: e.target.value }))} />
          </>
        )}
      </div>
      {failed && (
        <p className="devices-error" role="alert" data-testid="report-journal-error">
          {t('report.journalError')}
        </p>
      )}
      {!period ? (
        <p className="devices-error" role="alert" data-testid="report-bad-period">
          {t('report.badPeriod')}
        </p>
      ) : !report ? (
        <p className="empty">{t('app.loading')}</p>
      ) : (
        <>
          <p className="report-range" data-testid="report-range">
            {t('report.range', { from: time(report.from), to: time(report.to) })}
          </p>
          <dl className="report-summary" data-testid="report-summary">
            <dt>{t('report.incidents')}</dt>
            <dd data-testid="report-incidents">{report.summary.incidents}</dd>
            <dt>{t('report.dispatched')}</dt>
            <dd>{report.summary.dispatched}</dd>
            <dt>{t('report.falseAlarms')}</dt>
            <dd>{report.summary.falseAlarms}</dd>
            <dt>{t('report.drills')}</dt>
            <dd data-testid="report-drills">{report.summary.drills}</dd>
            <dt>{t('report.medianDispatch')}</dt>
            <dd>{seconds(report.summary.medianTimeToDispatchS)}</dd>
            <dt>{t('report.medianScene')}</dt>
            <dd>{seconds(report.summary.medianTimeToSceneS)}</dd>
          </dl>
          <table className="report-table" data-testid="report-table">
            <thead>
              <tr>
                {(['school', 'type', 'raised', 'verified', 'dispatched', 'onScene', 'cleared', 'crews', 'toDispatch', 'toScene', 'outcome'] as const).map((c) => (
                  <th key={c}>{t(`report.col.${c}`)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {report.rows.map((r) => (
                <tr key={r.alertId} data-testid="report-row" data-alert-id={r.alertId} data-drill={String(r.drill)}>
                  <td>
                    <bdi>{school(r.schoolId)}</bdi>
                  </td>
                  <td>
                    {t(`alertType.${r.type}`, { defaultValue: r.type })}
                    {r.drill && <span className="report-drill"> {t('report.drillMark')}</span>}
                  </td>
                  <td>{time(r.raisedAt)}</td>
                  <td>{time(r.verifiedAt)}</td>
                  <td data-testid="report-dispatched">{time(r.dispatchedAt)}</td>
                  <td data-testid="report-on-scene">{time(r.onSceneAt)}</td>
                  <td>{time(r.clearedAt)}</td>
                  <td>{r.crews.map((c) => inlineText(c, 40)).join(', ') || '—'}</td>
                  <td>{seconds(r.timeToDispatchS)}</td>
                  <td>{seconds(r.timeToSceneS)}</td>
                  <td>{r.outcome === 'open' || r.outcome === 'resolved' ? t(`report.state.${r.outcome}`) : t(`detail.outcome.${r.outcome as 'real' | 'false_alarm' | 'drill'}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.rows.length === 0 && <p className="empty">{t('report.empty')}</p>}
        </>
      )}
    </div>
  );
}
