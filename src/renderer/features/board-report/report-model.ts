// The duty officer's report (issue 8): health and coverage compliance per school and per district,
// as tables, CSV and chart data. Pure: the figures come from the board (boardRows) and the coverage
// engine (Compliance per school), so the report says what the board says.
import type { Compliance } from '../../../shared/coverage-compliance';
import { csvTable } from '../../../shared/incident-report';
import type { BoardRow } from '../board/board-model';

export interface SchoolReportRow {
  schoolId: string;
  school: string;
  districtId: string;
  district: string;
  health: number;
  /** Why health points were lost, "reason -points", largest first. */
  healthReasons: string[];
  openAlerts: number;
  camerasOnline: number;
  camerasStale: number;
  camerasOffline: number;
  link: BoardRow['parts']['link'];
  linkMbps: number | null;
  /** Null while the school's compliance is not computed yet. */
  compliance: number | null;
  requiredRooms: number;
  coveredRooms: number;
  privacyFlags: number;
  missingKinds: string[];
  complianceReasons: string[];
}

export interface DistrictReportRow {
  districtId: string;
  district: string;
  schools: number;
  healthMean: number | null;
  healthMin: number | null;
  complianceMean: number | null;
  complianceMin: number | null;
  /** Schools scoring below NON_COMPLIANT on compliance. */
  nonCompliant: number;
  requiredRooms: number;
  coveredRooms: number;
  camerasOnline: number;
  cameras: number;
  privacyFlags: number;
  linksBelowBudget: number;
}

/** A compliance score below this counts the school as non-compliant in the district's summary. */
export const NON_COMPLIANT = 60;

const reasonText = (r: { reason: string; points: number }) => `${r.reason} -${r.points}`;

export function schoolReportRows(board: readonly BoardRow[], compliance: ReadonlyMap<string, Compliance>, districtName: (id: string) => string): SchoolReportRow[] {
  const rows = board.map((b): SchoolReportRow => {
    const c = compliance.get(b.schoolId);
    const cams = b.parts.cameras;
    return {
      schoolId: b.schoolId,
      school: b.name,
      districtId: b.districtId,
      district: districtName(b.districtId),
      health: b.score.score,
      healthReasons: b.score.reasons.map(reasonText),
      openAlerts: Object.values(b.parts.openByPriority).reduce((s, n) => s + (n ?? 0), 0),
      camerasOnline: cams.online,
      camerasStale: cams.stale,
      camerasOffline: cams.offline,
      link: b.parts.link,
      linkMbps: b.linkMbps === null ? null : Math.round(b.linkMbps * 10) / 10,
      compliance: c ? c.score : null,
      requiredRooms: c?.required ?? 0,
      coveredRooms: c?.covered ?? 0,
      privacyFlags: c?.privacy.length ?? 0,
      missingKinds: c?.missingKinds ?? [],
      complianceReasons: c?.reasons.map(reasonText) ?? [],
    };
  });
  return rows.sort((a, b) => a.district.localeCompare(b.district) || a.school.localeCompare(b.school) || (a.schoolId < b.schoolId ? -1 : 1));
}

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : Math.round((values.reduce((s, v) => s + v, 0) / values.length) * 10) / 10;
}

function min(values: readonly number[]): number | null {
  return values.length === 0 ? null : Math.min(...values);
}

export function districtReportRows(rows: readonly SchoolReportRow[]): DistrictReportRow[] {
  const by = new Map<string, SchoolReportRow[]>();
  for (const r of rows) {
    const list = by.get(r.districtId);
    if (list) list.push(r);
    else by.set(r.districtId, [r]);
  }
  return [...by.values()]
    .map((list): DistrictReportRow => {
      const health = list.map((r) => r.health);
      const compliance = list.flatMap((r) => (r.compliance === null ? [] : [r.compliance]));
      const sum = (f: (r: SchoolReportRow) => number) => list.reduce((s, r) => s + f(r), 0);
      return {
        districtId: list[0]!.districtId,
        district: list[0]!.district,
        schools: list.length,
        healthMean: mean(health),
        healthMin: min(health),
        complianceMean: mean(compliance),
        complianceMin: min(compliance),
        nonCompliant: compliance.filter((c) => c < NON_COMPLIANT).length,
        requiredRooms: sum((r) => r.requiredRooms),
        coveredRooms: sum((r) => r.coveredRooms),
        camerasOnline: sum((r) => r.camerasOnline),
        cameras: sum((r) => r.camerasOnline + r.camerasStale + r.camerasOffline),
        privacyFlags: sum((r) => r.privacyFlags),
        linksBelowBudget: list.filter((r) => r.link === 'below_budget').length,
      };
    })
    .sort((a, b) => a.district.localeCompare(b.district));
}

export const SCHOOL_COLUMNS = [
  'schoolId',
  'school',
  'district',
  'health',
  'compliance',
  'coveredRooms',
  'requiredRooms',
  'camerasOnline',
  'camerasStale',
  'camerasOffline',
  'openAlerts',
  'link',
  'linkMbps',
  'privacyFlags',
  'missingKinds',
  'healthReasons',
  'complianceReasons',
] as const satisfies readonly (keyof SchoolReportRow)[];

export const DISTRICT_COLUMNS = [
  'district',
  'schools',
  'healthMean',
  'healthMin',
  'complianceMean',
  'complianceMin',
  'nonCompliant',
  'coveredRooms',
  'requiredRooms',
  'camerasOnline',
  'cameras',
  'privacyFlags',
  'linksBelowBudget',
] as const satisfies readonly (keyof DistrictReportRow)[];

function cell(v: string | number | null | readonly string[]): string {
  if (v === null) return '';
  if (Array.isArray(v)) return v.join('; ');
  return String(v);
}

/** RFC 4180 with the column keys as header (stable for spreadsheets and scripts, whatever the UI language). */
export function schoolsCsv(rows: readonly SchoolReportRow[]): string {
  return csvTable(
    SCHOOL_COLUMNS,
    rows.map((r) => SCHOOL_COLUMNS.map((c) => cell(r[c]))),
  );
}

export function districtsCsv(rows: readonly DistrictReportRow[]): string {
  return csvTable(
    DISTRICT_COLUMNS,
    rows.map((r) => DISTRICT_COLUMNS.map((c) => cell(r[c]))),
  );
}

/** How many scores fall in each tenth: [0-9], [10-19], ... [90-100]. */
export function scoreHistogram(scores: Iterable<number>): number[] {
  const buckets = new Array<number>(10).fill(0);
  for (const s of scores) buckets[Math.min(9, Math.max(0, Math.floor(s / 10)))]!++;
  return buckets;
}
