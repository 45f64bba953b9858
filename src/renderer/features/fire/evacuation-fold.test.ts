import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../../shared/protocol';
import { eventTime, foldHeadcounts, foldUnlocks, overdueAt, trend, unlockDisplay, type Headcount, type TurnstileUnlock } from './evacuation-fold';

const T0 = Date.parse('2026-11-22T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const ev = (seq: number, type: string, payload: unknown, at = T0): EventEnvelope => ({ id: `e${seq}`, stream: 's', seq, ts: iso(at), type, v: 1, payload });
const unlock = (seq: number, deviceId: string, state: string, extra: Record<string, unknown> = {}, at = T0) =>
  ev(seq, 'turnstile.unlock', { deviceId, schoolId: 'GYM1', state, cause: 'fire', alertId: 'AL-1', limitMs: 10_000, ...extra }, at);
const count = (seq: number, inside: number, at = T0) => ev(seq, 'school.occupancy', { schoolId: 'GYM1', inside }, at);
const pass = (seq: number, i: number, o: number, at = T0) => ev(seq, 'turnstile.passage', { deviceId: 'TS1', schoolId: 'GYM1', in: i, out: o }, at);

const fold = (events: EventEnvelope[], prev: ReadonlyMap<string, TurnstileUnlock> = new Map(), at = T0 + 500) => foldUnlocks(prev, events, iso(at)) ?? prev;
const heads = (events: EventEnvelope[], prev: ReadonlyMap<string, Headcount> = new Map(), at = T0 + 500) => foldHeadcounts(prev, events, iso(at)) ?? prev;

describe('turnstile unlock fold', () => {
  it('goes commanded -> confirmed, and a late older event never rewinds it', () => {
    let m = fold([unlock(1, 'TS1', 'commanded'), unlock(2, 'TS2', 'commanded')]);
    expect([...m.values()].map((u) => u.state)).toEqual(['commanded', 'commanded']);
    m = fold([unlock(5, 'TS1', 'confirmed', {}, T0 + 2000)], m, T0 + 2100);
    expect(m.get('TS1')).toMatchObject({ state: 'confirmed', commandedAt: T0, answeredAt: T0 + 2000 });
    m = fold([unlock(3, 'TS1', 'commanded')], m);
    expect(m.get('TS1')!.state).toBe('confirmed');
    expect(foldUnlocks(m, [ev(9, 'device.status', { deviceId: 'TS1', status: 'fault' })], iso(T0))).toBeNull();
  });

  it('is overdue when its limit passes without an answer, by the console clock alone', () => {
    const m = fold([unlock(1, 'TS1', 'commanded')]);
    const u = m.get('TS1')!;
    expect(unlockDisplay(u, T0 + 9_999)).toBe('commanded');
    expect(unlockDisplay(u, T0 + 10_000)).toBe('overdue');
    expect(overdueAt(u)).toBe(T0 + 10_000);
    const failed = fold([unlock(2, 'TS1', 'failed', { reason: 'jammed' })], m).get('TS1')!;
    expect(unlockDisplay(failed, T0 + 60_000)).toBe('failed');
    expect(failed.reason).toBe('jammed');
    expect(overdueAt(failed)).toBeNull();
  });

  it('a new command starts a new round with its own time and who gave it', () => {
    let m = fold([unlock(1, 'TS1', 'commanded'), unlock(2, 'TS1', 'failed', {}, T0 + 10_000)]);
    m = fold([unlock(3, 'TS1', 'commanded', { cause: 'operator', commandId: 'cmd-1', by: { id: 'u-g', name: 'Guard' } }, T0 + 30_000)], m, T0 + 30_100);
    expect(m.get('TS1')).toMatchObject({ state: 'commanded', cause: 'operator', commandedAt: T0 + 30_000, answeredAt: null, by: { id: 'u-g', name: 'Guard' } });
  });

  it('uses the source time only when it is plausible', () => {
    expect(eventTime(iso(T0), iso(T0 + 1000))).toBe(T0);
    // From the future, or unreadable: the receive time.
    expect(eventTime(iso(T0 + 60_000), iso(T0))).toBe(T0);
    expect(eventTime('yesterday-ish', iso(T0))).toBe(T0);
    expect(eventTime(iso(T0 - 3 * 24 * 3600_000), iso(T0))).toBe(T0);
  });
});

describe('people inside fold', () => {
  it('is the backend count plus the passages after it', () => {
    let m = heads([pass(1, 3, 0)]);
    expect(m.get('GYM1')!.inside).toBeNull();
    m = heads([count(2, 700), pass(3, 2, 10), pass(4, 0, 5)], m);
    expect(m.get('GYM1')!.inside).toBe(687);
  });

  it('a count absorbs the passages before it, also when they arrive late', () => {
    let m = heads([count(10, 500), pass(12, 0, 20)]);
    expect(m.get('GYM1')!.inside).toBe(480);
    // A late passage from before the count is already in it.
    m = heads([pass(8, 0, 50)], m);
    expect(m.get('GYM1')!.inside).toBe(480);
    // A newer count includes passage 12 but not 15.
    m = heads([pass(15, 1, 0), count(14, 470)], m);
    expect(m.get('GYM1')!.inside).toBe(471);
    // An older count than the one held changes nothing.
    expect(foldHeadcounts(m, [count(11, 999)], iso(T0))).toBeNull();
  });

  it('never goes below zero', () => {
    expect(heads([count(1, 3), pass(2, 0, 9)]).get('GYM1')!.inside).toBe(0);
  });

  it('keeps a history for the trend: −37 in 2 min during an evacuation', () => {
    let m = heads([count(1, 600, T0)], new Map(), T0);
    m = heads([pass(2, 0, 12, T0 + 30_000)], m, T0 + 30_000);
    m = heads([pass(3, 0, 15, T0 + 90_000)], m, T0 + 90_000);
    m = heads([pass(4, 0, 10, T0 + 150_000)], m, T0 + 150_000);
    const h = m.get('GYM1')!;
    expect(h.history.map((s) => s.inside)).toEqual([600, 588, 573, 563]);
    // From the last sample at or before the window's start (T0 + 30 s: 588) to now.
    expect(trend(h.history, T0 + 150_000, 120_000)).toBe(-25);
    expect(trend(h.history, T0 + 150_000, 10 * 60_000)).toBe(-37);
    expect(trend(h.history.slice(0, 1), T0, 120_000)).toBeNull();
  });
});
