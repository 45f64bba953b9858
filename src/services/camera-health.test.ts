// 'health.cameras' through the real router and a real SQLite file: device.status events journaled
// the way the renderer journals them, folded per camera over a period, kept across a restart.
import { describe, expect, it } from 'vitest';
import type { Output } from '../shared/api';
import type { Result } from '../shared/result';
import { createRouter, type CallContext } from './router';
import { captureLogs, entries, rawEvent, STREAM, tempFolder } from './testing';

const CTX: CallContext = { transport: 'test', peer: 'camera-health.test' };
const APP = { version: '0.1.0', host: 'web', backendUrl: 'http://127.0.0.1:7400', embedded: true } as const;
const T0 = Date.parse('2026-03-02T00:00:00.000Z');
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

const status = (seq: number, deviceId: string, s: string, atMin: number) =>
  rawEvent(seq, { type: 'device.status', ts: iso(T0 + atMin * MIN), payload: { deviceId, status: s } });

function open(file?: string) {
  captureLogs();
  const folder = tempFolder();
  const store = folder.open(file ?? folder.file);
  const router = createRouter({ store, app: APP, validateOutputs: true });
  const call = (method: string, input: unknown) => router.call(method, input, CTX);
  /** Journals events as received at `atMin` minutes after T0 (one batch per arrival). */
  const receive = async (atMin: number, raws: unknown[]) => {
    const r = await call('journal.append', { stream: STREAM, receivedAt: iso(T0 + atMin * MIN), entries: entries(raws) });
    expect(r.ok).toBe(true);
  };
  return { folder, store, router, call, receive };
}

const value = (r: Result<unknown>) => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as Output<'health.cameras'>;
};

describe('health.cameras', () => {
  it('folds the journal into uptime, outages and stale periods per camera, newest period first', async () => {
    const { call, receive } = open();
    await receive(-120, [status(1, 'cam-a', 'offline', -120)]); // before the period: still offline at its start
    await receive(30, [status(2, 'cam-a', 'normal', 30), status(3, 'cam-b', 'fault', 30)]);
    await receive(45, [status(4, 'cam-b', 'normal', 45), rawEvent(5)]); // an alert in between changes nothing
    await receive(90, [status(6, 'cam-b', 'offline', 90)]); // ongoing at the end of the period
    // Delivered late and twice: journaled once, in its place in the sequence.
    await receive(100, [status(7, 'cam-c', 'offline', 50)]);
    await receive(101, [status(7, 'cam-c', 'offline', 50), status(8, 'cam-c', 'normal', 60)]);
    await receive(102, [status(9, 'other-school-cam', 'offline', 10)]);

    const out = value(await call('health.cameras', { stream: STREAM, cameraIds: ['cam-a', 'cam-b', 'cam-c', 'cam-d'], from: iso(T0), to: iso(T0 + 120 * MIN) }));

    expect(out.to).toBe(iso(T0 + 120 * MIN));
    expect(out.cameras).toEqual([
      { cameraId: 'cam-a', state: 'normal', since: iso(T0 + 30 * MIN), uptimePct: 75, offlineMs: 30 * MIN, staleMs: 0, outages: 1, stalePeriods: 0 },
      { cameraId: 'cam-b', state: 'offline', since: iso(T0 + 90 * MIN), uptimePct: 75, offlineMs: 30 * MIN, staleMs: 15 * MIN, outages: 1, stalePeriods: 1 },
      { cameraId: 'cam-c', state: 'normal', since: iso(T0 + 60 * MIN), uptimePct: 91.66, offlineMs: 10 * MIN, staleMs: 0, outages: 1, stalePeriods: 0 },
      { cameraId: 'cam-d', state: 'normal', since: null, uptimePct: 100, offlineMs: 0, staleMs: 0, outages: 0, stalePeriods: 0 },
    ]);
    expect(out.periods.map((p) => [p.cameraId, p.kind, p.from, p.to])).toEqual([
      ['cam-b', 'offline', iso(T0 + 90 * MIN), null],
      ['cam-c', 'offline', iso(T0 + 50 * MIN), iso(T0 + 60 * MIN)],
      ['cam-b', 'stale', iso(T0 + 30 * MIN), iso(T0 + 45 * MIN)],
      ['cam-a', 'offline', iso(T0 - 120 * MIN), iso(T0 + 30 * MIN)],
    ]);
    expect(out.periodsTotal).toBe(4);
  });

  it('keeps the history across a restart of the console', async () => {
    const first = open();
    await first.receive(10, [status(1, 'cam-a', 'offline', 10)]);
    first.router.close();
    first.store.close();

    const again = open(first.folder.file);
    const out = value(await again.call('health.cameras', { stream: STREAM, cameraIds: ['cam-a'], from: iso(T0), to: iso(T0 + 20 * MIN) }));
    expect(out.cameras[0]).toMatchObject({ state: 'offline', offlineMs: 10 * MIN, uptimePct: 50 });
    expect(out.periods).toEqual([{ cameraId: 'cam-a', kind: 'offline', from: iso(T0 + 10 * MIN), to: null, inPeriodMs: 10 * MIN }]);
  });

  it('folds a period reaching into the future up to now only', async () => {
    const { call, receive } = open();
    await receive(0, [status(1, 'cam-a', 'offline', 0)]);
    const before = Date.now();
    const out = value(await call('health.cameras', { stream: STREAM, cameraIds: ['cam-a'], from: iso(T0), to: iso(Date.now() + 7 * 24 * 60 * MIN) }));
    expect(Date.parse(out.to)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(out.to)).toBeLessThanOrEqual(Date.now());
    expect(out.cameras[0]!.uptimePct).toBe(0);
  });

  it('refuses a bad request with a readable reason', async () => {
    const { call } = open();
    const cases: [unknown, RegExp][] = [
      [{ stream: STREAM, cameraIds: ['cam-a'], from: iso(T0 + MIN), to: iso(T0) }, /must end after it starts/],
      [{ stream: STREAM, cameraIds: ['cam-a'], from: iso(T0 - 500 * 24 * 60 * MIN), to: iso(T0) }, /400 days/],
      [{ stream: STREAM, cameraIds: [], from: iso(T0), to: iso(T0 + MIN) }, /cameraIds/],
      [{ stream: STREAM, cameraIds: ["cam'); DROP TABLE events;--"], from: iso(T0), to: iso(T0 + MIN) }, /cameraIds/],
      [{ stream: STREAM, cameraIds: ['cam-a'], from: 'yesterday', to: iso(T0) }, /from/],
      [{ stream: STREAM, cameraIds: ['cam-a'], from: iso(T0), to: iso(T0 + MIN), extra: 1 }, /extra/],
    ];
    for (const [input, reason] of cases) {
      const r = await call('health.cameras', input);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('bad_request');
        expect(r.error.message).toMatch(reason);
      }
    }
  });
});
