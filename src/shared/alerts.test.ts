import { describe, expect, it } from 'vitest';
import { applyEvent, classifyEvent, compareAlerts, type AlertView } from './alerts';
import { MAX_TEXT } from './protocol';

const NOW = '2026-11-22T10:00:00.000Z';
const raised = (seq: number, over: Record<string, unknown> = {}, payload: Record<string, unknown> = {}) => ({
  id: `ev-${seq}`,
  stream: 'b/city',
  seq,
  ts: '2026-11-22T09:59:58.000Z',
  type: 'alert.raised',
  v: 1,
  schoolId: 'S001',
  payload: { alertId: `a-${seq}`, alertType: 'intrusion', schoolId: 'S001', cameraIds: ['C1'], title: 'Intruder in the server room', ...payload },
  ...over,
});

function apply(map: Map<string, AlertView>, raw: unknown) {
  const c = classifyEvent(raw);
  if (c.kind === 'malformed') throw new Error(c.reason);
  return applyEvent(map, c.kind, c.event, NOW, c.reason);
}

describe('classifyEvent', () => {
  it('rejects a message without a valid envelope and says what is wrong', () => {
    const c = classifyEvent({ id: 'x', seq: 'one' });
    expect(c.kind).toBe('malformed');
    expect(c.kind === 'malformed' && c.reason).toMatch(/seq/);
    expect(classifyEvent(null).kind).toBe('malformed');
    expect(classifyEvent('<script>').kind).toBe('malformed');
  });

  it('keeps unknown types and versions as unrecognized instead of dropping them', () => {
    expect(classifyEvent(raised(1, { type: 'drone.sighted' })).kind).toBe('unrecognized');
    expect(classifyEvent(raised(1, { v: 2 })).kind).toBe('unrecognized');
  });

  it('rejects a known type with a broken payload, keeping the envelope so the sequence advances', () => {
    const c = classifyEvent(raised(7, {}, { title: undefined, alertId: 'a b' }));
    expect(c.kind).toBe('rejected');
    expect(c.kind !== 'malformed' && c.event.seq).toBe(7);
  });
});

describe('alert projection', () => {
  it('shows unrecognized and rejected events as alerts the operator can see', () => {
    const map = new Map<string, AlertView>();
    const u = apply(map, raised(1, { type: 'drone.sighted', v: 3 }));
    expect(u).toMatchObject({ recognized: false, title: 'drone.sighted v3', status: 'new' });
    const r = apply(map, raised(2, {}, { cameraIds: 'all' }));
    expect(r?.recognized).toBe(false);
    expect(r?.details).toMatch(/cameraIds/);
    expect(map.size).toBe(2);
  });

  it('an alert type this console does not know is unrecognized but kept', () => {
    const map = new Map<string, AlertView>();
    expect(apply(map, raised(1, {}, { alertType: 'meteor' }))).toMatchObject({ recognized: false, priority: 0, type: 'meteor' });
  });

  it('flags a wrong timestamp and orders by the receive time instead', () => {
    const map = new Map<string, AlertView>();
    const bad = apply(map, raised(1, { ts: '1970-01-01T00:00:00Z' }))!;
    expect(bad.badTimestamp).toBe(true);
    expect(bad.at).toBe(NOW);
    expect(bad.sourceTs).toBe('1970-01-01T00:00:00Z');
    const garbage = apply(map, raised(2, { ts: 'yesterday-ish' }))!;
    expect(garbage.badTimestamp).toBe(true);
    const good = apply(map, raised(3))!;
    expect(good.badTimestamp).toBe(false);
    expect(good.at).toBe('2026-11-22T09:59:58.000Z');
  });

  it('clips oversized text', () => {
    const map = new Map<string, AlertView>();
    const v = apply(map, raised(1, {}, { title: 'x'.repeat(MAX_TEXT) }))!;
    expect(v.title.length).toBeLessThanOrEqual(MAX_TEXT);
  });

  it('acknowledges once, and ignores replays of the same events', () => {
    const map = new Map<string, AlertView>();
    apply(map, raised(1));
    const ack = { id: 'ev-2', stream: 'b/city', seq: 2, ts: NOW, type: 'alert.acknowledged', v: 1, payload: { alertId: 'a-1', by: { id: 'u1', name: 'Aigerim' }, commandId: 'c1' } };
    expect(apply(map, ack)).toMatchObject({ status: 'acknowledged', ackBy: { name: 'Aigerim' } });
    expect(apply(map, ack)).toBeNull();
    expect(apply(map, raised(1))).toBeNull();
    expect(map.get('a-1')!.status).toBe('acknowledged');
  });

  it('orders the queue by priority class, then oldest first', () => {
    const map = new Map<string, AlertView>();
    apply(map, raised(1, { ts: '2026-11-22T09:00:00Z' }, { alertType: 'camera_offline' }));
    apply(map, raised(2, { ts: '2026-11-22T09:50:00Z' }, { alertType: 'weapon' }));
    apply(map, raised(3, { ts: '2026-11-22T09:10:00Z' }, { alertType: 'weapon' }));
    apply(map, raised(4, { ts: '2026-11-22T09:05:00Z', type: 'x.y' }));
    apply(map, raised(5, { ts: '2026-11-22T09:01:00Z' }, { alertType: 'fight' }));
    expect([...map.values()].sort(compareAlerts).map((a) => a.id)).toEqual(['a-3', 'a-2', 'unrecognized:ev-4', 'a-5', 'a-1']);
  });
});

describe('dispatch on the alert (issue 7)', () => {
  const step = (seq: number, stage: string, extra: Record<string, unknown> = {}) => ({
    id: `ev-${seq}`,
    stream: 'b/city',
    seq,
    ts: `2026-11-22T09:5${Math.min(9, seq)}:00.000Z`,
    type: 'dispatch.step',
    v: 1,
    schoolId: 'S001',
    payload: { incidentId: 'a-1', dispatchId: 'dsp-1', crewId: 'crew-berkut-01', stage, ...extra },
  });

  it('records each step with its time, who ordered it, the reason and the ETA, even after the alert is resolved', () => {
    const map = new Map<string, AlertView>();
    apply(map, raised(1));
    apply(map, step(2, 'dispatched', { by: { id: 'u-d', name: 'Aidos' }, reason: 'guard confirmed by phone' }));
    apply(map, step(3, 'accepted'));
    apply(map, step(4, 'en_route', { eta: '2026-11-22T10:09:00Z' }));
    apply(map, { ...raised(5), type: 'alert.resolved', payload: { alertId: 'a-1', by: { id: 'u-d', name: 'Aidos' }, commandId: 'c-1', outcome: 'real', note: 'detained' } });
    apply(map, step(6, 'cleared'));
    const a = map.get('a-1')!;
    expect(a.status).toBe('resolved');
    expect(a.dispatchSteps.map((s) => s.stage)).toEqual(['dispatched', 'accepted', 'en_route', 'cleared']);
    expect(a.dispatchSteps[0]).toMatchObject({ by: { name: 'Aidos' }, reason: 'guard confirmed by phone', at: '2026-11-22T09:52:00.000Z' });
    expect(a.dispatchSteps[2]!.eta).toBe('2026-11-22T10:09:00.000Z');
  });

  it('ignores a replayed step and a step for an alert it does not know', () => {
    const map = new Map<string, AlertView>();
    apply(map, raised(1));
    apply(map, step(2, 'dispatched'));
    expect(apply(map, step(2, 'dispatched'))).toBeNull();
    expect(apply(map, step(3, 'accepted', { incidentId: 'nope' }))).toBeNull();
    expect(map.get('a-1')!.dispatchSteps).toHaveLength(1);
  });

  it('keeps the shared incident notes in order with their author, time and addressee', () => {
    const map = new Map<string, AlertView>();
    apply(map, raised(1));
    apply(map, { ...raised(2), type: 'alert.noted', payload: { alertId: 'a-1', by: { id: 'u-g', name: 'Guard' }, commandId: 'n-1', text: 'gate locked', to: 'dispatcher' } });
    apply(map, { ...raised(3), type: 'alert.noted', payload: { alertId: 'a-1', by: { id: 'u-d', name: 'Aidos' }, commandId: 'n-2', text: 'crew 5 min out' } });
    expect(map.get('a-1')!.notes).toEqual([
      { by: { id: 'u-g', name: 'Guard' }, at: '2026-11-22T09:59:58.000Z', text: 'gate locked', to: 'dispatcher' },
      { by: { id: 'u-d', name: 'Aidos' }, at: '2026-11-22T09:59:58.000Z', text: 'crew 5 min out', to: null },
    ]);
  });

  it('keeps who verified the detection and when', () => {
    const map = new Map<string, AlertView>();
    apply(map, raised(1));
    apply(map, { ...raised(2), type: 'alert.feedback', payload: { alertId: 'a-1', by: { id: 'u-d', name: 'Aidos' }, commandId: 'c-2', verdict: 'confirmed' } });
    expect(map.get('a-1')).toMatchObject({ feedback: 'confirmed', feedbackBy: { by: { name: 'Aidos' } } });
  });
});
