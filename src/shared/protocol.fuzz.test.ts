// Property-based fuzzing of every validator of the city-backend protocol: events (envelope and each
// payload), commands, command results, handshake, hello, resync and snapshot. Properties: a
// validator never throws; it accepts what is valid; it rejects every input made invalid by a
// mutation (unknown key, missing required key, a value of the wrong type or size).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { classifyEvent } from './alerts';
import { fastAcceptor, fastSafeParse } from './fast-accept';
import { ROLES } from './domain';
import {
  AlertAcknowledgedV1,
  AlertClaimedV1,
  AlertEscalatedV1,
  AlertFeedbackV1,
  AlertNotedV1,
  AlertRaisedV1,
  AlertReleasedV1,
  AlertResolvedV1,
  Command,
  CommandResult,
  DeviceStatusV1,
  EVENT_PAYLOADS,
  PlanUpdatedV1,
  EventEnvelope,
  FEEDBACK_VERDICTS,
  HandshakeAuth,
  Hello,
  RESOLUTION_OUTCOMES,
  Resync,
  SchoolOccupancyV1,
  Snapshot,
  TurnstilePassageV1,
  TurnstileUnlockV1,
  UNLOCK_CAUSES,
  UNLOCK_STATES,
} from './protocol';
import { CREW_STATUSES, CrewPosition, CrewStatusV1, DISPATCH_STEP_STAGES, DispatchStepV1, LinkTelemetry, TelemetryBatch } from './protocol-dispatch';

const RUNS = 300;

const id = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,40}$/);
const text = (max: number) => fc.string({ maxLength: Math.min(max, 60) });
const note = fc.string({ minLength: 1, maxLength: 60 }).filter((s) => s.trim().length > 0);
const operator = fc.record({ id, name: fc.string({ minLength: 1, maxLength: 40 }) });
const unit = fc.double({ min: 0, max: 1, noNaN: true });
const key = fc.uuid();
const latLon = fc.record({ lat: fc.double({ min: -90, max: 90, noNaN: true }), lon: fc.double({ min: -180, max: 180, noNaN: true }) });
const mbps = fc.double({ min: 0, max: 100_000, noNaN: true });

const payloads: Record<string, { schema: z.ZodType; arb: fc.Arbitrary<Record<string, unknown>>; optional: string[] }> = {
  'alert.raised@1': {
    schema: AlertRaisedV1,
    arb: fc.record(
      {
        alertId: id,
        alertType: fc.string({ minLength: 1, maxLength: 30 }),
        schoolId: id,
        buildingId: id,
        floorId: id,
        roomId: id,
        deviceId: id,
        cameraIds: fc.array(id, { maxLength: 5 }),
        title: text(4000),
        details: text(4000),
        confidence: unit,
        drill: fc.boolean(),
        snapshotUrl: text(2000),
        watchlistMatch: fc.record({ listName: text(200), subject: text(200), score: unit }),
      },
      { requiredKeys: ['alertId', 'alertType', 'schoolId', 'cameraIds', 'title'] },
    ),
    optional: ['buildingId', 'floorId', 'roomId', 'deviceId', 'details', 'confidence', 'drill', 'snapshotUrl', 'watchlistMatch', 'cameraIds'],
  },
  'alert.acknowledged@1': { schema: AlertAcknowledgedV1, arb: fc.record({ alertId: id, by: operator, commandId: id }), optional: [] },
  'alert.claimed@1': { schema: AlertClaimedV1, arb: fc.record({ alertId: id, by: operator, commandId: id }), optional: [] },
  'alert.released@1': { schema: AlertReleasedV1, arb: fc.record({ alertId: id, by: operator, commandId: id }), optional: [] },
  'alert.escalated@1': {
    schema: AlertEscalatedV1,
    arb: fc.record({ alertId: id, by: operator, commandId: id, level: fc.integer({ min: 1, max: 100 }), note: text(2000) }, { requiredKeys: ['alertId', 'by', 'commandId', 'level'] }),
    optional: ['note'],
  },
  'alert.resolved@1': {
    schema: AlertResolvedV1,
    arb: fc.record({ alertId: id, by: operator, commandId: id, outcome: fc.constantFrom(...RESOLUTION_OUTCOMES), note }),
    optional: [],
  },
  'alert.noted@1': { schema: AlertNotedV1, arb: fc.record({ alertId: id, by: operator, commandId: id, text: note, to: fc.constantFrom(...ROLES) }, { requiredKeys: ['alertId', 'by', 'commandId', 'text'] }), optional: ['to'] },
  'alert.feedback@1': { schema: AlertFeedbackV1, arb: fc.record({ alertId: id, by: operator, commandId: id, verdict: fc.constantFrom(...FEEDBACK_VERDICTS) }), optional: [] },
  'device.status@1': { schema: DeviceStatusV1, arb: fc.record({ deviceId: id, status: fc.constantFrom('normal', 'alarm', 'fault', 'offline') }), optional: [] },
  'plan.updated@1': { schema: PlanUpdatedV1, arb: fc.record({ schoolId: id, floorId: id, version: fc.integer({ min: 1, max: 2 ** 31 }), by: operator }), optional: [] },
  'crew.status@1': {
    schema: CrewStatusV1,
    arb: fc.record({ crewId: id, status: fc.constantFrom(...CREW_STATUSES), location: latLon, incidentId: id }, { requiredKeys: ['crewId', 'status', 'location'] }),
    optional: ['incidentId'],
  },
  'dispatch.step@1': {
    schema: DispatchStepV1,
    arb: fc.record(
      { incidentId: id, dispatchId: id, crewId: id, stage: fc.constantFrom(...DISPATCH_STEP_STAGES), by: operator, commandId: id, reason: text(500), eta: text(40) },
      { requiredKeys: ['incidentId', 'dispatchId', 'crewId', 'stage'] },
    ),
    optional: ['by', 'commandId', 'reason', 'eta'],
  },
  'turnstile.unlock@1': {
    schema: TurnstileUnlockV1,
    arb: fc.record(
      {
        deviceId: id,
        schoolId: id,
        state: fc.constantFrom(...UNLOCK_STATES),
        cause: fc.constantFrom(...UNLOCK_CAUSES),
        alertId: id,
        commandId: id,
        by: operator,
        limitMs: fc.integer({ min: 100, max: 600_000 }),
        reason: text(500),
      },
      { requiredKeys: ['deviceId', 'schoolId', 'state', 'cause', 'limitMs'] },
    ),
    optional: ['alertId', 'commandId', 'by', 'reason'],
  },
  'turnstile.passage@1': {
    schema: TurnstilePassageV1,
    arb: fc.record({ deviceId: id, schoolId: id, in: fc.integer({ min: 0, max: 100_000 }), out: fc.integer({ min: 0, max: 100_000 }) }),
    optional: [],
  },
  'school.occupancy@1': { schema: SchoolOccupancyV1, arb: fc.record({ schoolId: id, inside: fc.integer({ min: 0, max: 1_000_000 }) }), optional: [] },
};

const commands: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({ kind: fc.constantFrom('alert.acknowledge', 'alert.claim', 'alert.release'), idempotencyKey: key, alertId: id }),
  fc.record({ kind: fc.constant('alert.escalate'), idempotencyKey: key, alertId: id, note: text(2000) }, { requiredKeys: ['kind', 'idempotencyKey', 'alertId'] }),
  fc.record({ kind: fc.constant('alert.resolve'), idempotencyKey: key, alertId: id, outcome: fc.constantFrom(...RESOLUTION_OUTCOMES), note }),
  fc.record({ kind: fc.constant('alert.feedback'), idempotencyKey: key, alertId: id, verdict: fc.constantFrom(...FEEDBACK_VERDICTS) }),
  fc.record({ kind: fc.constant('alert.note'), idempotencyKey: key, alertId: id, text: note, to: fc.constantFrom(...ROLES) }, { requiredKeys: ['kind', 'idempotencyKey', 'alertId', 'text'] }),
  fc.record({ kind: fc.constant('crew.dispatch'), idempotencyKey: key, alertId: id, crewId: id, unverifiedReason: note }, { requiredKeys: ['kind', 'idempotencyKey', 'alertId', 'crewId'] }),
  fc.record({ kind: fc.constant('dispatch.cancel'), idempotencyKey: key, alertId: id, dispatchId: id, reason: note }),
);
const schoolCommands: fc.Arbitrary<Record<string, unknown>> = fc.record(
  { kind: fc.constant('school.unlock_turnstiles'), idempotencyKey: key, schoolId: id, alertId: id, note: text(2000) },
  { requiredKeys: ['kind', 'idempotencyKey', 'schoolId'] },
);

const envelope = fc.record(
  { id, stream: fc.string({ minLength: 1, maxLength: 40 }), seq: fc.integer({ min: 1, max: 2 ** 40 }), ts: text(64), type: fc.string({ minLength: 1, maxLength: 30 }), v: fc.integer({ min: 1, max: 1000 }), schoolId: id, payload: fc.anything() },
  { requiredKeys: ['id', 'stream', 'seq', 'ts', 'type', 'v', 'payload'] },
);

const others: Record<string, { schema: z.ZodType; arb: fc.Arbitrary<Record<string, unknown>>; optional: string[]; skip?: string[] }> = {
  EventEnvelope: { schema: EventEnvelope, arb: envelope, optional: ['schoolId'], skip: ['payload'] },
  CommandResult: {
    schema: CommandResult,
    arb: fc.oneof(fc.record({ status: fc.constant('accepted'), commandId: id, duplicate: fc.boolean() }), fc.record({ status: fc.constant('rejected'), reason: text(500), code: text(64) })),
    optional: [],
  },
  HandshakeAuth: { schema: HandshakeAuth, arb: fc.record({ token: fc.string({ minLength: 16, maxLength: 80 }), since: fc.nat() }), optional: [] },
  Hello: { schema: Hello, arb: fc.record({ stream: fc.string({ minLength: 1, maxLength: 40 }), backendId: fc.string({ minLength: 1, maxLength: 40 }), latestSeq: fc.nat(), serverTime: text(40) }), optional: [] },
  Resync: { schema: Resync, arb: fc.record({ reason: fc.constant('too_old'), oldestSeq: fc.nat(), latestSeq: fc.nat() }), optional: [] },
  Snapshot: { schema: Snapshot, arb: fc.record({ stream: fc.string({ minLength: 1, maxLength: 40 }), seq: fc.nat(), events: fc.array(fc.anything(), { maxLength: 5 }) }), optional: [], skip: ['events'] },
  Command: { schema: Command, arb: commands, optional: ['note', 'unverifiedReason', 'to'] },
  LinkTelemetry: { schema: LinkTelemetry, arb: fc.record({ schoolId: id, linkMbps: mbps, channels: fc.record({ alarm: mbps, video: mbps, education: mbps }) }), optional: [] },
  // A latitude of -0.5 is a real place: only the other mutations apply to the coordinates.
  CrewPosition: { schema: CrewPosition, arb: fc.record({ crewId: id, status: fc.constantFrom(...CREW_STATUSES), lat: fc.double({ min: -90, max: 90, noNaN: true }), lon: fc.double({ min: -180, max: 180, noNaN: true }) }), optional: [], skip: ['lat', 'lon'] },
  TelemetryBatch: { schema: TelemetryBatch, arb: fc.record({ at: text(40), links: fc.array(fc.anything(), { maxLength: 3 }), crews: fc.array(fc.anything(), { maxLength: 3 }) }), optional: ['links', 'crews'], skip: [] },
  'Command (school)': { schema: Command, arb: schoolCommands, optional: ['note', 'alertId'] },
};

/** Values that are wrong for a field, judged by the type of a valid value. */
function wrongValues(valid: unknown): unknown[] {
  if (typeof valid === 'string') return [null, 5, {}, 'x'.repeat(5000)];
  if (typeof valid === 'number') return [null, '1', Number.NaN, Number.POSITIVE_INFINITY, -0.5];
  if (typeof valid === 'boolean') return [null, 'true', 0];
  if (Array.isArray(valid)) return [null, 'a', {}];
  return [null, 'a', 5, []];
}

function neverThrows(schema: z.ZodType, x: unknown): boolean {
  try {
    schema.safeParse(x);
    return true;
  } catch {
    return false;
  }
}

function checkSchema(name: string, schema: z.ZodType, arb: fc.Arbitrary<Record<string, unknown>>, optional: string[], skip: string[] = []) {
  describe(name, () => {
    it('never throws on anything', () => {
      fc.assert(fc.property(fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true }), (x) => neverThrows(schema, x)), { numRuns: RUNS });
    });
    it('accepts valid values', () => {
      fc.assert(fc.property(arb, (v) => schema.safeParse(v).success), { numRuns: RUNS });
    });
    it('rejects an unknown key, a missing required key, and a wrong value in any field', () => {
      fc.assert(
        fc.property(arb, fc.string({ minLength: 1, maxLength: 10 }), (v, extra) => {
          const bad: unknown[] = [{ ...v, [`zz_${extra}`]: 1 }];
          for (const k of Object.keys(v)) {
            if (skip.includes(k)) continue;
            if (!optional.includes(k)) {
              const { [k]: _drop, ...rest } = v;
              void _drop;
              bad.push(rest);
            }
            for (const w of wrongValues(v[k])) bad.push({ ...v, [k]: w });
          }
          for (const b of bad) {
            const r = schema.safeParse(b);
            if (r.success) throw new Error(`${name} accepted ${JSON.stringify(b).slice(0, 300)}`);
          }
          return true;
        }),
        { numRuns: 100 },
      );
    });
  });
}

describe('protocol validators (fast-check)', () => {
  it('covers every known event payload', () => {
    expect(Object.keys(payloads).sort()).toEqual(Object.keys(EVENT_PAYLOADS).sort());
  });
  for (const [k, p] of Object.entries(payloads)) checkSchema(k, p.schema, p.arb, p.optional);
  for (const [k, p] of Object.entries(others)) checkSchema(k, p.schema, p.arb, p.optional, p.skip);

  it('classifyEvent never throws, and tells known, unknown and broken events apart', () => {
    const known = fc.constantFrom(...Object.keys(payloads)).chain((k) => fc.tuple(fc.constant(k), payloads[k]!.arb));
    fc.assert(
      fc.property(envelope, known, fc.boolean(), fc.anything(), (env, [k, payload], good, junk) => {
        const [type, v] = k.split('@') as [string, string];
        const event = { ...env, type, v: Number(v), payload: good ? payload : junk };
        const c = classifyEvent(event);
        if (good && c.kind !== 'ok') throw new Error(`valid ${k} classified ${c.kind}: ${'reason' in c ? c.reason : ''}`);
        if (c.kind === 'ok' && !payloads[k]!.schema.safeParse(event.payload).success) throw new Error(`invalid ${k} payload accepted`);
        const unknown = classifyEvent({ ...event, type: `x.${type}` });
        return unknown.kind === 'unrecognized' && classifyEvent(junk).kind !== 'ok';
      }),
      { numRuns: RUNS },
    );
  });

  describe('fast acceptor (fast-accept.ts): says yes only where zod accepts and outputs the value unchanged', () => {
    /** Lengths and numbers at and around every bound the protocol's schemas use. */
    const LENGTHS = [0, 1, 2, 39, 40, 41, 63, 64, 65, 127, 128, 129, 199, 200, 201, 499, 500, 501, 1999, 2000, 2001, 3999, 4000, 4001];
    const NUMBERS = [-1, -0.5, 0, 0.5, 1, 1.5, 2, 99, 100, 101, 999, 1000, 1001, 99_999, 100_000, 100_001, 600_000, 600_001, 999_999, 1_000_000, 1_000_001, 2 ** 31, 2 ** 53, Number.NaN, Infinity];
    /** A valid value with one field changed: a wrong type or size, a bound, dropped, or an extra key. */
    const mutated = (arb: fc.Arbitrary<Record<string, unknown>>) =>
      fc.tuple(arb, fc.nat(), fc.nat(), fc.nat()).map(([v, i, how, pick]) => {
        const keys = Object.keys(v);
        const k = keys[i % Math.max(1, keys.length)];
        if (k === undefined) return { ...v, zz_extra: 1 };
        const old = v[k];
        switch (how % 5) {
          case 0:
            return { ...v, zz_extra: 1 };
          case 1:
            return Object.fromEntries(Object.entries(v).filter(([x]) => x !== k));
          case 2: {
            const wrong = wrongValues(old);
            return { ...v, [k]: wrong[pick % wrong.length] };
          }
          default:
            if (typeof old === 'string') return { ...v, [k]: 'x'.repeat(LENGTHS[pick % LENGTHS.length]!) };
            if (typeof old === 'number') return { ...v, [k]: NUMBERS[pick % NUMBERS.length] };
            if (Array.isArray(old)) return { ...v, [k]: Array.from({ length: LENGTHS[pick % 9]! }, (_, n) => `c${n}`) };
            return { ...v, [k]: old };
        }
      });
    const candidates = (arb: fc.Arbitrary<Record<string, unknown>>) =>
      fc.oneof(
        arb,
        mutated(arb),
        // Nested objects too (an operator, a location, a watch-list match).
        fc.tuple(arb, fc.nat()).chain(([v, i]) => {
          const nested = Object.entries(v).filter(([, x]) => typeof x === 'object' && x !== null && !Array.isArray(x));
          const pickedEntry = nested[i % Math.max(1, nested.length)];
          if (!pickedEntry) return fc.constant<unknown>(v);
          return mutated(fc.constant(pickedEntry[1] as Record<string, unknown>)).map((inner) => ({ ...v, [pickedEntry[0]]: inner }));
        }),
        fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true, withSparseArray: true }),
      );
    const agrees = (name: string, schema: z.ZodType, x: unknown) => {
      const accept = fastAcceptor(schema);
      if (!accept?.(x)) return true;
      const r = schema.safeParse(x);
      if (!r.success) throw new Error(`${name}: fast yes, zod no: ${JSON.stringify(x)?.slice(0, 300)}`);
      // toEqual, not toStrictEqual: the test's values come from another realm than zod's (prototypes differ).
      expect(r.data).toEqual(x);
      return true;
    };
    for (const [k, p] of [...Object.entries(payloads), ...Object.entries(others)]) {
      it(k, () => {
        fc.assert(fc.property(candidates(p.arb), (x) => agrees(k, p.schema, x)), { numRuns: 2000 });
      });
    }
    it('takes the common valid events without zod: the envelope, alert.raised with its cameras, device.status', () => {
      for (const schema of [EventEnvelope, AlertRaisedV1, DeviceStatusV1, AlertAcknowledgedV1]) expect(fastAcceptor(schema)).not.toBeNull();
      fc.assert(
        fc.property(envelope, payloads['alert.raised@1']!.arb, (env, payload) => {
          const event = { ...env, payload: { ...payload, cameraIds: payload.cameraIds ?? [] } };
          return fastAcceptor(EventEnvelope)!(event) && fastAcceptor(AlertRaisedV1)!(event.payload);
        }),
        { numRuns: RUNS },
      );
      // A missing default (cameraIds) is left to zod, which adds it.
      expect(fastAcceptor(AlertRaisedV1)!({ alertId: 'A1', alertType: 'fire', schoolId: 'S1', title: 't' })).toBe(false);
      expect(classifyEvent({ id: 'e1', stream: 's', seq: 1, ts: 'x', type: 'alert.raised', v: 1, payload: { alertId: 'A1', alertType: 'fire', schoolId: 'S1', title: 't' } })).toMatchObject({
        kind: 'ok',
        event: { payload: { cameraIds: [] } },
      });
      // Schemas outside its subset get no acceptor: a refinement (a note must not be blank), a uuid.
      expect(fastAcceptor(AlertResolvedV1)).toBeNull();
      expect(fastAcceptor(Command)).toBeNull();
      // A union of strict objects without defaults is in it (the host's answers, command results).
      expect(fastAcceptor(CommandResult)).not.toBeNull();
    });

    it('fastSafeParse answers with the value itself when it is taken, and with zod otherwise', () => {
      const parse = fastSafeParse(DeviceStatusV1);
      const good = { deviceId: 'CAM-1', status: 'alarm' };
      expect(parse(good)).toEqual({ success: true, data: good });
      expect((parse(good) as { data: unknown }).data).toBe(good);
      const bad = parse({ deviceId: 'CAM-1', status: 'melting' });
      expect(bad.success).toBe(false);
      expect(bad.error?.issues[0]?.path).toEqual(['status']);
      // Outside the subset: zod every time, with its output.
      const resolved = fastSafeParse(AlertResolvedV1)({ alertId: 'A', by: { id: 'u', name: 'U' }, commandId: 'c', outcome: 'real', note: '  ' });
      expect(resolved.success).toBe(false);
    });
  });

  it('rejects blank notes and unknown outcomes on resolve', () => {
    fc.assert(
      fc.property(key, id, fc.stringMatching(/^\s{0,20}$/), fc.string().filter((s) => !(RESOLUTION_OUTCOMES as readonly string[]).includes(s)), (k, a, blank, outcome) => {
        return !Command.safeParse({ kind: 'alert.resolve', idempotencyKey: k, alertId: a, outcome: 'real', note: blank }).success && !Command.safeParse({ kind: 'alert.resolve', idempotencyKey: k, alertId: a, outcome, note: 'ok' }).success;
      }),
      { numRuns: RUNS },
    );
  });
});
