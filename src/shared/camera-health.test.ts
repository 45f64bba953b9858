import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CameraFramesV1, foldCameraHealth, foldSchoolHealth, sampleTime, type DeviceState, type StatusSample } from './camera-health';

const T0 = Date.parse('2026-03-02T00:00:00.000Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const iso = (ms: number) => new Date(ms).toISOString();
/** A sample at T0 + `at`, received at that time unless told. */
const s = (seq: number, at: number, status: DeviceState, o: { ts?: string; receivedAt?: number } = {}): StatusSample => ({
  seq,
  ts: o.ts ?? iso(T0 + at),
  receivedAt: iso(T0 + (o.receivedAt ?? at)),
  status,
});

describe('foldCameraHealth', () => {
  it('counts an outage inside the period once, with its length and the uptime around it', () => {
    const { row, periods } = foldCameraHealth('cam-1', [s(1, 2 * HOUR, 'offline'), s(2, 3 * HOUR, 'normal')], T0, T0 + 10 * HOUR);
    expect(row).toEqual({ cameraId: 'cam-1', state: 'normal', since: iso(T0 + 3 * HOUR), uptimePct: 90, offlineMs: HOUR, staleMs: 0, outages: 1, stalePeriods: 0 });
    expect(periods).toEqual([{ cameraId: 'cam-1', kind: 'offline', from: iso(T0 + 2 * HOUR), to: iso(T0 + 3 * HOUR), inPeriodMs: HOUR }]);
  });

  it('never shows 100 % uptime for a camera that was offline at all', () => {
    expect(foldCameraHealth('cam-1', [s(1, HOUR, 'offline')], T0, T0 + HOUR + 1000).row.uptimePct).toBeLessThan(100);
  });

  it('keeps the true start of an outage that began before the period but counts only its part inside', () => {
    const { row, periods } = foldCameraHealth('cam-1', [s(1, -5 * HOUR, 'offline'), s(2, 1 * HOUR, 'normal')], T0, T0 + 4 * HOUR);
    expect(row.offlineMs).toBe(HOUR);
    expect(row.uptimePct).toBe(75);
    expect(periods[0]).toMatchObject({ from: iso(T0 - 5 * HOUR), to: iso(T0 + HOUR), inPeriodMs: HOUR });
  });

  it('shows an outage still going on as ongoing, counted up to the end of the period', () => {
    const { row, periods } = foldCameraHealth('cam-1', [s(1, 3 * HOUR, 'offline')], T0, T0 + 4 * HOUR);
    expect(row).toMatchObject({ state: 'offline', since: iso(T0 + 3 * HOUR), offlineMs: HOUR, uptimePct: 75, outages: 1 });
    expect(periods).toEqual([{ cameraId: 'cam-1', kind: 'offline', from: iso(T0 + 3 * HOUR), to: null, inPeriodMs: HOUR }]);
    // Went offline the instant the period ends: listed as ongoing though nothing of it is inside yet.
    expect(foldCameraHealth('cam-1', [s(1, 4 * HOUR, 'offline')], T0, T0 + 4 * HOUR).periods).toHaveLength(1);
  });

  it('leaves out outages wholly before or after the period, and a camera never reported is up', () => {
    const { row, periods } = foldCameraHealth('cam-1', [s(1, -3 * HOUR, 'offline'), s(2, -2 * HOUR, 'normal'), s(3, 9 * HOUR, 'offline')], T0, T0 + 4 * HOUR);
    expect(periods).toEqual([]);
    expect(row).toMatchObject({ uptimePct: 100, outages: 0 });
    expect(foldCameraHealth('cam-2', [], T0, T0 + HOUR).row).toEqual({ cameraId: 'cam-2', state: 'normal', since: null, uptimePct: 100, offlineMs: 0, staleMs: 0, outages: 0, stalePeriods: 0 });
  });

  it('takes events in sequence order whatever order they arrive in, and absorbs duplicates and repeated states', () => {
    const events = [s(4, 4 * HOUR, 'normal'), s(2, 2 * HOUR, 'offline'), s(3, 3 * HOUR, 'offline'), s(2, 2 * HOUR, 'offline'), s(1, HOUR, 'normal')];
    const { row, periods } = foldCameraHealth('cam-1', events, T0, T0 + 8 * HOUR);
    expect(periods).toEqual([{ cameraId: 'cam-1', kind: 'offline', from: iso(T0 + 2 * HOUR), to: iso(T0 + 4 * HOUR), inPeriodMs: 2 * HOUR }]);
    expect(row).toMatchObject({ outages: 1, offlineMs: 2 * HOUR, uptimePct: 75 });
  });

  it('counts fault as a stale period apart from outages; alarm is up', () => {
    const events = [s(1, HOUR, 'fault'), s(2, 2 * HOUR, 'offline'), s(3, 3 * HOUR, 'alarm'), s(4, 5 * HOUR, 'fault')];
    const { row, periods } = foldCameraHealth('cam-1', events, T0, T0 + 6 * HOUR);
    expect(row).toMatchObject({ state: 'fault', staleMs: 2 * HOUR, stalePeriods: 2, offlineMs: HOUR, outages: 1 });
    expect(periods.map((p) => [p.kind, p.to === null])).toEqual([
      ['stale', false],
      ['offline', false],
      ['stale', true],
    ]);
  });

  it('never lets clock skew make a period negative or push it past its arrival', () => {
    // A device clock an hour ahead: the event cannot have happened after it arrived.
    expect(sampleTime({ ts: iso(T0 + HOUR), receivedAt: iso(T0) })).toBe(T0);
    // Unreadable or days off: the receive time.
    expect(sampleTime({ ts: 'yesterday', receivedAt: iso(T0) })).toBe(T0);
    expect(sampleTime({ ts: iso(T0 - 72 * HOUR), receivedAt: iso(T0) })).toBe(T0);
    // A late delivery within the tolerance keeps its source time.
    expect(sampleTime({ ts: iso(T0 - HOUR), receivedAt: iso(T0) })).toBe(T0 - HOUR);
    // Back in time along the sequence: held at the previous event's time, so the outage lasts 0.
    const { row, periods } = foldCameraHealth('cam-1', [s(1, 2 * HOUR, 'offline'), s(2, HOUR, 'normal', { receivedAt: 2 * HOUR + 1000 })], T0, T0 + 4 * HOUR);
    expect(row).toMatchObject({ state: 'normal', offlineMs: 0, uptimePct: 100 });
    expect(periods).toEqual([]);
  });
});

describe('foldCameraHealth properties (fuzz)', () => {
  const sample = fc.record({
    seq: fc.integer({ min: 1, max: 40 }),
    at: fc.integer({ min: -10 * HOUR, max: 20 * HOUR }),
    skew: fc.integer({ min: -3 * HOUR, max: 3 * HOUR }),
    status: fc.constantFrom<DeviceState>('normal', 'alarm', 'fault', 'offline'),
  }).map((x) => s(x.seq, x.at + x.skew, x.status, { receivedAt: x.at }));
  const period = fc.tuple(fc.integer({ min: -5 * HOUR, max: 15 * HOUR }), fc.integer({ min: 0, max: 10 * HOUR })).map(([a, len]) => [T0 + a, T0 + a + len] as const);

  it('stays within the period, adds up, and does not depend on arrival order or duplicates', () => {
    fc.assert(
      fc.property(fc.array(sample, { maxLength: 30 }), period, (events, [from, to]) => {
        // One event per sequence number, as the backend sends them.
        const unique = [...new Map(events.map((e) => [e.seq, e])).values()];
        const { row, periods } = foldCameraHealth('cam-1', unique, from, to);
        expect(row.uptimePct).toBeGreaterThanOrEqual(0);
        expect(row.uptimePct).toBeLessThanOrEqual(100);
        expect(row.offlineMs + row.staleMs).toBeLessThanOrEqual(to - from);
        expect(periods.filter((p) => p.kind === 'offline').reduce((n, p) => n + p.inPeriodMs, 0)).toBe(row.offlineMs);
        expect(periods.filter((p) => p.to === null).length).toBeLessThanOrEqual(1);
        for (const p of periods) if (p.to !== null) expect(Date.parse(p.to)).toBeGreaterThanOrEqual(Date.parse(p.from));
        const shuffled = [...unique].reverse().concat(unique.slice(0, 3));
        expect(foldCameraHealth('cam-1', shuffled, from, to)).toEqual({ row, periods });
      }),
      { numRuns: 400 },
    );
  });
});

describe('foldSchoolHealth', () => {
  it('folds every camera asked for and lists their periods newest first, capped', () => {
    const samples = new Map<string, StatusSample[]>([
      ['cam-a', [s(1, HOUR, 'offline'), s(3, 2 * HOUR, 'normal')]],
      ['cam-b', [s(2, 90 * MIN, 'offline')]],
    ]);
    const out = foldSchoolHealth(['cam-a', 'cam-b', 'cam-c', 'cam-a'], samples, T0, T0 + 4 * HOUR);
    expect(out.cameras.map((c) => [c.cameraId, c.state])).toEqual([
      ['cam-a', 'normal'],
      ['cam-b', 'offline'],
      ['cam-c', 'normal'],
    ]);
    expect(out.periods.map((p) => [p.cameraId, p.to])).toEqual([
      ['cam-b', null],
      ['cam-a', iso(T0 + 2 * HOUR)],
    ]);
    expect(out.periodsTotal).toBe(2);

    const flapping = Array.from({ length: 2400 }, (_, i) => s(i + 1, i * MIN, i % 2 ? 'normal' : 'offline'));
    const many = foldSchoolHealth(['cam-f'], new Map([['cam-f', flapping]]), T0, T0 + 48 * HOUR);
    expect(many.periodsTotal).toBe(1200);
    expect(many.periods).toHaveLength(1000);
    expect(many.periods[0]!.from > many.periods[999]!.from).toBe(true);
  });
});

describe('CameraFramesV1', () => {
  const good = { v: 1, schoolId: 'S-1', at: iso(T0), cameras: [{ cameraId: 'cam-1', lastFrameAt: iso(T0 - 1000) }, { cameraId: 'cam-2', lastFrameAt: null }] };

  it('accepts the backend answer and refuses other versions, bad ids and times', () => {
    expect(CameraFramesV1.safeParse(good).success).toBe(true);
    expect(CameraFramesV1.safeParse({ ...good, v: 2 }).success).toBe(false);
    expect(CameraFramesV1.safeParse({ ...good, cameras: [{ cameraId: 'cam 1', lastFrameAt: null }] }).success).toBe(false);
    expect(CameraFramesV1.safeParse({ ...good, cameras: [{ cameraId: 'cam-1', lastFrameAt: 'now' }] }).success).toBe(false);
    expect(CameraFramesV1.safeParse({ ...good, extra: 1 }).success).toBe(false);
  });

  it('never throws, accepts what is valid and refuses a mutated answer (fuzz)', () => {
    const id = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,40}$/);
    const time = fc.integer({ min: T0 - 1e10, max: T0 + 1e10 }).map(iso);
    const valid = fc.record({ v: fc.constant(1), schoolId: id, at: time, cameras: fc.array(fc.record({ cameraId: id, lastFrameAt: fc.option(time, { nil: null }) }), { maxLength: 20 }) });
    fc.assert(fc.property(fc.anything(), (x) => void CameraFramesV1.safeParse(x)), { numRuns: 500 });
    fc.assert(fc.property(valid, (x) => CameraFramesV1.safeParse(x).success), { numRuns: 300 });
    const mutations = fc.constantFrom<(x: Record<string, unknown>) => unknown>(
      (x) => ({ ...x, extra: true }),
      (x) => ({ ...x, v: 2 }),
      (x) => ({ ...x, at: 'soon' }),
      (x) => ({ ...x, schoolId: '' }),
      (x) => ({ ...x, cameras: 'all' }),
      (x) => ({ ...x, cameras: [{ cameraId: 'cam-1', lastFrameAt: 5 }] }),
      ({ cameras: _c, ...rest }) => rest,
    );
    fc.assert(fc.property(valid, mutations, (x, mutate) => !CameraFramesV1.safeParse(mutate(x)).success), { numRuns: 300 });
  });
});
