import { describe, expect, it } from 'vitest';
import type { Compliance } from '../../../shared/coverage-compliance';
import { healthScore, type HealthParts } from '../../../shared/school-health';
import type { BoardRow } from '../board/board-model';
import { districtReportRows, districtsCsv, schoolReportRows, schoolsCsv, scoreHistogram, SCHOOL_COLUMNS } from './report-model';

function boardRow(schoolId: string, name: string, districtId: string, parts: Partial<HealthParts> = {}): BoardRow {
  const p: HealthParts = { openByPriority: {}, cameras: { online: 10, stale: 0, offline: 0 }, sensorsInFault: 0, turnstilesInFault: 0, link: 'ok', ...parts };
  return { schoolId, name, districtId, score: healthScore(p), parts: p, linkMbps: 150, link: null };
}

function comp(schoolId: string, score: number, extra: Partial<Compliance> = {}): Compliance {
  return { schoolId, score, reasons: [], rooms: [], covered: 8, required: 10, camerasOnline: 10, cameras: 10, missingKinds: [], privacy: [], ...extra };
}

const DISTRICTS: Record<string, string> = { ab: 'Abay', tu: 'Turan' };
const board = [
  boardRow('S2', 'School No. 2', 'tu', { cameras: { online: 8, stale: 1, offline: 1 }, link: 'below_budget' }),
  boardRow('S1', '=HYPERLINK("x")', 'ab'),
  boardRow('S3', 'Gymnasium, "Pushkin"', 'ab', { openByPriority: { 1: 1, 3: 2 } }),
  boardRow('S4', 'School No. 4', 'tu'),
];
const compliance = new Map<string, Compliance>([
  ['S1', comp('S1', 90)],
  ['S2', comp('S2', 40, { covered: 5, reasons: [{ reason: 'shadow_uncovered', points: 45, count: 3 }], privacy: [{ cameraId: 'c', cameraName: 'c', roomId: 'r', roomName: 'WC', roomKind: 'toilet', floorName: '1' }] })],
  ['S3', comp('S3', 70, { missingKinds: ['gym', 'yard'] })],
]);

describe('the duty officer report', () => {
  const rows = schoolReportRows(board, compliance, (id) => DISTRICTS[id] ?? id);

  it('has one row per school with its health and compliance, by district then name; a school not computed yet has no compliance', () => {
    expect(rows.map((r) => r.schoolId)).toEqual(['S1', 'S3', 'S2', 'S4']);
    const s2 = rows.find((r) => r.schoolId === 'S2')!;
    expect(s2).toMatchObject({ district: 'Turan', compliance: 40, coveredRooms: 5, requiredRooms: 10, privacyFlags: 1, camerasOffline: 1, link: 'below_budget', complianceReasons: ['shadow_uncovered -45'] });
    expect(s2.health).toBe(board[0]!.score.score);
    expect(s2.health).toBeLessThan(100);
    expect(rows.find((r) => r.schoolId === 'S3')!.openAlerts).toBe(3);
    expect(rows.find((r) => r.schoolId === 'S4')!.compliance).toBeNull();
  });

  it('sums districts: means and lows over computed schools, rooms, cameras, privacy flags and links below budget', () => {
    const d = districtReportRows(rows);
    expect(d.map((x) => x.district)).toEqual(['Abay', 'Turan']);
    expect(d[0]).toMatchObject({ schools: 2, complianceMean: 80, complianceMin: 70, nonCompliant: 0, requiredRooms: 20, coveredRooms: 16 });
    expect(d[1]).toMatchObject({ schools: 2, complianceMean: 40, complianceMin: 40, nonCompliant: 1, privacyFlags: 1, linksBelowBudget: 1, camerasOnline: 18, cameras: 20 });
    expect(d[0]!.healthMin).toBe(Math.min(rows[0]!.health, rows[1]!.health));
  });

  it('exports RFC 4180 CSV: header of column keys, CRLF, quoted cells, no cell a spreadsheet would run as a formula', () => {
    const csv = schoolsCsv(rows);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(SCHOOL_COLUMNS.join(','));
    expect(lines).toHaveLength(rows.length + 2); // header, rows, and the empty string after the last CRLF
    expect(lines[1]!.startsWith(`S1,"'=HYPERLINK(""x"")",Abay,`)).toBe(true);
    expect(lines[2]).toContain('"Gymnasium, ""Pushkin"""');
    expect(lines[2]).toContain('gym; yard');
    // A school without compliance yet has an empty cell, not "null".
    expect(lines[4]).toMatch(/^S4,School No\. 4,Turan,100,,/);
    expect(districtsCsv(districtReportRows(rows)).split('\r\n')[2]).toMatch(/^Turan,2,/);
  });

  it('counts scores per tenth for the health chart, 100 with the nineties', () => {
    expect(scoreHistogram([0, 9, 10, 55, 99, 100, 100])).toEqual([2, 1, 0, 0, 0, 1, 0, 0, 0, 3]);
  });
});
