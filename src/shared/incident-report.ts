/**
 * The dispatch report of a shift or period (issue 7): every incident raised in the period with its
 * times (raised, verified, dispatched, on scene, cleared), the crews sent and the outcome; and a
 * summary of the real incidents. Drills are listed, marked, and left out of every statistic.
 *
 *   const report = incidentReport(alerts, { from, to }, crewName);
 *   toCsv(report)      // RFC 4180, formula-safe (a cell never starts a spreadsheet formula)
 */
import type { AlertView } from './alerts';
import { foldDispatch, isPoliceMatter } from './dispatch';

export interface ReportRow {
  alertId: string;
  type: string;
  priority: number;
  schoolId: string;
  title: string;
  drill: boolean;
  raisedAt: string;
  verifiedAt: string | null;
  verdict: 'confirmed' | 'false_alarm' | null;
  dispatchedAt: string | null;
  onSceneAt: string | null;
  clearedAt: string | null;
  crews: string[];
  /** Raised -> first dispatch, and first dispatch -> first on scene, seconds. */
  timeToDispatchS: number | null;
  timeToSceneS: number | null;
  outcome: string;
  resolvedAt: string | null;
}

export interface ReportSummary {
  /** Real incidents (drills excluded). */
  incidents: number;
  drills: number;
  dispatched: number;
  falseAlarms: number;
  medianTimeToDispatchS: number | null;
  medianTimeToSceneS: number | null;
  maxTimeToSceneS: number | null;
}

export interface IncidentReport {
  from: string;
  to: string;
  rows: ReportRow[];
  summary: ReportSummary;
}

/** Alerts that are incidents: recognized police matters at a school. */
function isIncident(a: AlertView): a is AlertView & { schoolId: string } {
  return a.recognized && a.schoolId !== null && isPoliceMatter(a.type);
}

export function incidentReport(alerts: Iterable<AlertView>, period: { from: number; to: number }, crewName: (id: string) => string = (id) => id): IncidentReport {
  const rows: ReportRow[] = [];
  for (const a of alerts) {
    if (!isIncident(a)) continue;
    const raised = Date.parse(a.at);
    if (!(raised >= period.from && raised < period.to)) continue;
    const t = foldDispatch(
      raised,
      a.dispatchSteps.map((s) => ({ ...s, at: Date.parse(s.at) })),
    );
    const first = (pick: (x: (typeof t.attempts)[number]) => number | undefined) => {
      const times = t.attempts.map(pick).filter((x): x is number => x !== undefined);
      return times.length ? new Date(Math.min(...times)).toISOString() : null;
    };
    rows.push({
      alertId: a.id,
      type: a.type,
      priority: a.priority,
      schoolId: a.schoolId,
      title: a.title,
      drill: a.drill,
      raisedAt: new Date(raised).toISOString(),
      verifiedAt: a.feedbackBy?.at ?? null,
      verdict: a.feedback,
      dispatchedAt: first((x) => x.times.dispatched),
      onSceneAt: first((x) => x.times.on_scene),
      clearedAt: first((x) => x.times.cleared),
      crews: [...new Set(t.attempts.map((x) => crewName(x.crewId)))],
      timeToDispatchS: t.timeToDispatchMs === undefined ? null : Math.round(t.timeToDispatchMs / 1000),
      timeToSceneS: t.timeToSceneMs === undefined ? null : Math.round(t.timeToSceneMs / 1000),
      outcome: a.resolution?.outcome ?? (a.status === 'resolved' ? 'resolved' : 'open'),
      resolvedAt: a.resolution?.at ?? null,
    });
  }
  rows.sort((x, y) => x.raisedAt.localeCompare(y.raisedAt) || x.alertId.localeCompare(y.alertId));
  const real = rows.filter((r) => !r.drill);
  const dispatchTimes = real.map((r) => r.timeToDispatchS).filter((x): x is number => x !== null);
  const sceneTimes = real.map((r) => r.timeToSceneS).filter((x): x is number => x !== null);
  return {
    from: new Date(period.from).toISOString(),
    to: new Date(period.to).toISOString(),
    rows,
    summary: {
      incidents: real.length,
      drills: rows.length - real.length,
      dispatched: real.filter((r) => r.dispatchedAt !== null).length,
      falseAlarms: real.filter((r) => r.verdict === 'false_alarm' || r.outcome === 'false_alarm').length,
      medianTimeToDispatchS: median(dispatchTimes),
      medianTimeToSceneS: median(sceneTimes),
      maxTimeToSceneS: sceneTimes.length ? Math.max(...sceneTimes) : null,
    },
  };
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2);
}

export const REPORT_COLUMNS = [
  'alertId',
  'type',
  'priority',
  'schoolId',
  'title',
  'drill',
  'raisedAt',
  'verifiedAt',
  'verdict',
  'dispatchedAt',
  'onSceneAt',
  'clearedAt',
  'crews',
  'timeToDispatchS',
  'timeToSceneS',
  'outcome',
  'resolvedAt',
] as const satisfies readonly (keyof ReportRow)[];

/**
 * RFC 4180 CSV with a header row. Text from the backend can be hostile: a cell that a spreadsheet
 * would read as a formula (= + - @, tab, CR) is prefixed with an apostrophe.
 */
export function toCsv(report: IncidentReport, header: readonly string[] = REPORT_COLUMNS): string {
  return csvTable(header, report.rows.map((r) => REPORT_COLUMNS.map((c) => cellValue(r[c]))));
}

/** Any table as RFC 4180 CSV (CRLF, quoted where needed, formula-safe cells); the caller adds a BOM for spreadsheets. */
export function csvTable(header: readonly string[], rows: Iterable<readonly string[]>): string {
  const lines = [header.map(csvCell).join(',')];
  for (const r of rows) lines.push(r.map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function cellValue(v: ReportRow[keyof ReportRow]): string {
  if (v === null) return '';
  if (Array.isArray(v)) return v.join('; ');
  return String(v);
}

export function csvCell(value: string): string {
  let v = value;
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
