import { describe, expect, it } from 'vitest';
import { applyEvent, classifyEvent, type AlertView } from './alerts';
import { csvCell, incidentReport, median, toCsv } from './incident-report';

const T0 = Date.UTC(2026, 10, 22, 8, 0, 0);
const iso = (sec: number) => new Date(T0 + sec * 1000).toISOString();
let seq = 0;

function feed(map: Map<string, AlertView>, type: string, payload: Record<string, unknown>, sec: number) {
  const c = classifyEvent({ id: `e${++seq}`, stream: 'b/city', seq, ts: iso(sec), type, v: 1, schoolId: 'S1', payload });
  if (c.kind !== 'ok') throw new Error(`${type}: ${c.kind === 'malformed' ? c.reason : c.reason}`);
  applyEvent(map, 'ok', c.event, iso(sec));
}

const by = { id: 'u-d', name: 'Aidos' };
function incident(map: Map<string, AlertView>, id: string, sec: number, opts: { drill?: boolean; type?: string; title?: string; dispatch?: boolean } = {}) {
  feed(map, 'alert.raised', { alertId: id, alertType: opts.type ?? 'intrusion', schoolId: 'S1', title: opts.title ?? `Intruder ${id}`, drill: opts.drill ?? false }, sec);
  if (opts.dispatch === false) return;
  feed(map, 'alert.feedback', { alertId: id, by, commandId: `f-${id}`, verdict: 'confirmed' }, sec + 20);
  const step = (stage: string, at: number, crewId = 'crew-1') => feed(map, 'dispatch.step', { incidentId: id, dispatchId: `d-${id}`, crewId, stage }, at);
  step('dispatched', sec + 30);
  step('accepted', sec + 35);
  step('on_scene', sec + 330);
  step('cleared', sec + 900);
  feed(map, 'alert.resolved', { alertId: id, by, commandId: `r-${id}`, outcome: 'real', note: 'detained' }, sec + 950);
}

describe('incident report', () => {
  it('lists each incident of the period with its times and crews; the summary leaves drills out', () => {
    const map = new Map<string, AlertView>();
    incident(map, 'a1', 0);
    incident(map, 'a2', 600, { drill: true });
    incident(map, 'a3', 1200, { dispatch: false });
    incident(map, 'before', -100);
    feed(map, 'alert.raised', { alertId: 'cam', alertType: 'camera_offline', schoolId: 'S1', title: 'Camera offline' }, 100);
    const r = incidentReport(map.values(), { from: T0, to: T0 + 3600_000 }, (id) => id.toUpperCase());
    expect(r.rows.map((x) => x.alertId)).toEqual(['a1', 'a2', 'a3']);
    expect(r.rows[0]).toMatchObject({
      raisedAt: iso(0),
      verifiedAt: iso(20),
      verdict: 'confirmed',
      dispatchedAt: iso(30),
      onSceneAt: iso(330),
      clearedAt: iso(900),
      crews: ['CREW-1'],
      timeToDispatchS: 30,
      timeToSceneS: 300,
      outcome: 'real',
    });
    expect(r.rows[1]!.drill).toBe(true);
    expect(r.rows[2]).toMatchObject({ dispatchedAt: null, outcome: 'open' });
    expect(r.summary).toEqual({ incidents: 2, drills: 1, dispatched: 1, falseAlarms: 0, medianTimeToDispatchS: 30, medianTimeToSceneS: 300, maxTimeToSceneS: 300 });
  });

  it('exports CSV with a header row, quoting and no formula a spreadsheet would run', () => {
    const map = new Map<string, AlertView>();
    incident(map, 'a1', 0, { title: '=HYPERLINK("http://evil","click"), "quoted"' });
    const csv = toCsv(incidentReport(map.values(), { from: T0, to: T0 + 3600_000 }));
    const lines = csv.split('\r\n');
    expect(lines[0]).toMatch(/^alertId,type,priority,schoolId,title,drill,raisedAt/);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil"",""click""), ""quoted"""`);
    expect(lines).toHaveLength(3);
  });

  it('csv cells: plain, quoted, and defused', () => {
    expect(csvCell('GYM1')).toBe('GYM1');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
  });

  it('median', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([1, 2, 3, 10])).toBe(3);
  });
});
