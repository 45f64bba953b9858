import { describe, expect, it } from 'vitest';
import { entries, RECEIVED_AT, rawEvent, STREAM, tempFolder } from '../testing';

const unlock = (seq: number, deviceId: string, state: string) =>
  rawEvent(seq, { type: 'turnstile.unlock', payload: { deviceId, schoolId: 'GYM1', state, cause: 'fire', alertId: 'AL-1', limitMs: 10_000 } });
const count = (seq: number, schoolId: string, inside: number) => rawEvent(seq, { type: 'school.occupancy', payload: { schoolId, inside } });
const pass = (seq: number, schoolId: string, out: number) => rawEvent(seq, { type: 'turnstile.passage', payload: { deviceId: 'TS1', schoolId, in: 0, out } });

describe('journaled fire linkage (journal.evacuation)', () => {
  it("gives each turnstile's latest unlock and each school's latest count with the passages after it, in order", () => {
    const store = tempFolder().open();
    store.journal.append(
      STREAM,
      RECEIVED_AT,
      entries([count(1, 'GYM1', 700), unlock(2, 'TS1', 'commanded'), unlock(3, 'TS2', 'commanded'), pass(4, 'GYM1', 30), unlock(5, 'TS1', 'confirmed'), count(6, 'S2', 40), count(7, 'GYM1', 670), pass(8, 'GYM1', 20), pass(9, 'S2', 5)]),
    );
    const got = store.journal.evacuation(STREAM);
    expect(got.map((e) => e.event.seq)).toEqual([3, 5, 6, 7, 8, 9]);
    expect(got.every((e) => e.receivedAt === RECEIVED_AT)).toBe(true);
    expect(store.journal.evacuation('other')).toEqual([]);
  });
});
