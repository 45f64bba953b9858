import { describe, expect, it } from 'vitest';
import type { AlertView } from '../../../shared/alerts';
import type { Device, School } from '../../../shared/protocol';
import { LinkMonitor } from '../../../shared/school-health';
import { isNewIn, tallyBySchool } from '../alerts/school-tally';
import { testAlert, T0 } from '../alerts/test-alert';
import { boardAlertsOf, boardRows, sortAndFilter, type BoardInputs } from './board-model';

const school = (id: string, name: string, districtId = 'd1'): School => ({ id, name, districtId, address: '', location: { lat: 42.3, lon: 69.6 }, buildings: [] });
const device = (id: string, schoolId: string, kind: Device['kind']): Device => ({ id, kind, schoolId, buildingId: 'b', floorId: 'f', roomId: 'r', name: id, position: [0, 0] });

/** The board's view of these alerts, through the alert store's tally (as the board reads it). */
function counted(alerts: AlertView[]): BoardInputs['alertsAt'] {
  const byId = new Map(alerts.map((a) => [a.id, a]));
  const bySchool = tallyBySchool(byId);
  const isNew = isNewIn(byId);
  return (id) => boardAlertsOf(bySchool.get(id), isNew);
}

function inputs(over: Partial<BoardInputs> = {}): BoardInputs {
  const devices = [device('c1', 'S1', 'camera'), device('c2', 'S1', 'camera'), device('c3', 'S1', 'camera'), device('c4', 'S1', 'camera'), device('t1', 'S1', 'turnstile'), device('f1', 'S1', 'fire_sensor'), device('c5', 'S2', 'camera')];
  const by = new Map<string, Device[]>();
  for (const d of devices) by.set(d.schoolId, [...(by.get(d.schoolId) ?? []), d]);
  return {
    schools: [school('S1', 'School No. 1'), school('S2', 'School No. 2', 'd2'), school('S3', 'Gymnasium', 'd2')],
    devicesBySchool: by,
    alertsAt: counted([]),
    deviceState: () => 'normal',
    links: new Map(),
    now: T0 + 10 * 60_000,
    ...over,
  };
}

describe('health board', () => {
  it('scores every school from its open alerts, devices and link, with the oldest unhandled alert', () => {
    const alerts: AlertView[] = [
      testAlert('a1', { schoolId: 'S1', priority: 1, type: 'fire' }),
      testAlert('a2', { schoolId: 'S1', priority: 4, type: 'camera_offline', status: 'acknowledged' }),
      testAlert('a3', { schoolId: 'S2', priority: 2, type: 'fight', status: 'resolved' }),
      testAlert('d1', { schoolId: 'S3', priority: 1, type: 'fire', drill: true }),
    ];
    const states: Record<string, 'offline' | 'fault'> = { c1: 'offline', c2: 'fault', t1: 'fault', f1: 'offline' };
    const rows = boardRows(inputs({ alertsAt: counted(alerts), deviceState: (id) => states[id] ?? 'normal' }));
    const s1 = rows.find((r) => r.schoolId === 'S1')!;
    expect(s1.parts).toMatchObject({ openByPriority: { 1: 1, 4: 1 }, oldestUnhandledMs: 10 * 60_000, cameras: { online: 2, stale: 1, offline: 1 }, sensorsInFault: 1, turnstilesInFault: 1, link: 'unknown' });
    expect(s1.score.reasons[0]!.reason).toBe('priority1_open');
    // A resolved alert and a drill cost nothing.
    expect(rows.find((r) => r.schoolId === 'S2')!.score.score).toBe(100);
    expect(rows.find((r) => r.schoolId === 'S3')!.score.score).toBe(100);
  });

  it('a link below budget (from telemetry or an open alert) shows with its capacity', () => {
    const monitor = new LinkMonitor();
    let state = monitor.add({ at: T0, linkMbps: 20, channels: { alarm: 5, video: 10, education: 5 } });
    state = monitor.add({ at: T0 + 20_000, linkMbps: 20, channels: { alarm: 5, video: 10, education: 5 } });
    const rows = boardRows(
      inputs({
        links: new Map([['S2', { state, history: [{ linkMbps: 20 }] }]]),
        alertsAt: counted([testAlert('n1', { schoolId: 'S3', priority: 4, type: 'network_below_budget' })]),
      }),
    );
    expect(rows.find((r) => r.schoolId === 'S2')).toMatchObject({ linkMbps: 20, parts: { link: 'below_budget' } });
    expect(rows.find((r) => r.schoolId === 'S3')!.parts.link).toBe('below_budget');
  });

  it('sorts worst first by default and filters by district, text and problems', () => {
    const rows = boardRows(inputs({ alertsAt: counted([testAlert('a1', { schoolId: 'S2', priority: 2, type: 'fight' })]) }));
    expect(sortAndFilter(rows, 'score', { districtId: 'all', text: '', problemsOnly: false }).map((r) => r.schoolId)).toEqual(['S2', 'S3', 'S1']);
    expect(sortAndFilter(rows, 'name', { districtId: 'd2', text: '', problemsOnly: false }).map((r) => r.schoolId)).toEqual(['S3', 'S2']);
    expect(sortAndFilter(rows, 'score', { districtId: 'all', text: 'no. 1', problemsOnly: false }).map((r) => r.schoolId)).toEqual(['S1']);
    expect(sortAndFilter(rows, 'score', { districtId: 'all', text: '', problemsOnly: true }).map((r) => r.schoolId)).toEqual(['S2']);
  });
});
