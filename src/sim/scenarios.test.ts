import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyEvent } from '../shared/alerts';
import { priorityOf } from '../shared/domain';
import { setLogLevel } from '../shared/log';
import { AlertRaisedV1, DeviceStatusV1, type EventEnvelope } from '../shared/protocol';
import { ManualClock } from './clock';
import { SCENARIO_NAMES } from './scenarios';
import { startSimulator, type Simulator } from './server';
import { checkEvent } from './test-support';

setLogLevel('error');

let sim: Simulator;
let clock: ManualClock;
beforeAll(async () => {
  clock = new ManualClock();
  sim = await startSimulator({ backgroundRate: 0, clock });
});
afterAll(() => sim.close());

const smallest = () => [...sim.index.devicesBySchool].sort((a, b) => a[1].length - b[1].length)[0]![0];

describe('scenarios', () => {
  it.each(SCENARIO_NAMES)('%s emits valid, recognized events that fit the school', (name) => {
    for (const schoolId of ['GYM1', smallest()]) {
      const run = sim.playScenario(name, { schoolId, immediate: true });
      if (!run.ok) throw new Error(run.error.message);
      const events = run.value.emitted;
      expect(events.length).toBeGreaterThan(0);
      expect(events.map(checkEvent).filter(Boolean)).toEqual([]);
      expect(events.map((e) => classifyEvent(e).kind)).toEqual(events.map(() => 'ok'));
      expect(new Set(events.map((e) => e.stream))).toEqual(new Set([sim.streams.city, sim.streams.school(schoolId)]));
      const raised = events.filter((e) => e.type === 'alert.raised' && e.stream === sim.streams.city).map((e) => AlertRaisedV1.parse(e.payload));
      expect(raised.map((a) => a.alertId)).toEqual(run.value.alertIds);
      for (const a of raised) {
        expect(priorityOf(a.alertType)).toBeGreaterThan(0);
        expect(a.schoolId).toBe(schoolId);
        expect(a.title.length).toBeGreaterThan(5);
        for (const id of a.cameraIds) {
          const cam = sim.index.devices.get(id)!;
          expect(cam.kind).toBe('camera');
          expect(cam.schoolId).toBe(schoolId);
          expect(['toilet', 'changing_room']).not.toContain(sim.index.rooms.get(cam.roomId)!.room.kind);
        }
        if (a.roomId) expect(sim.index.rooms.get(a.roomId)!.school.id).toBe(schoolId);
        if (a.deviceId) expect(sim.index.devices.get(a.deviceId)!.schoolId).toBe(schoolId);
      }
      for (const e of events.filter((x) => x.type === 'device.status')) expect(sim.index.devices.get(DeviceStatusV1.parse(e.payload).deviceId)!.schoolId).toBe(schoolId);
    }
  });

  it('detections and fires bring up cameras of the same room or floor', () => {
    for (const name of ['fire', 'weapon', 'fight'] as const) {
      const run = sim.playScenario(name, { schoolId: 'GYM1', immediate: true });
      if (!run.ok) throw new Error(run.error.message);
      const alert = AlertRaisedV1.parse(run.value.emitted.find((e) => e.type === 'alert.raised')!.payload);
      expect(alert.cameraIds.length).toBeGreaterThan(0);
      expect(alert.cameraIds.every((id) => sim.index.devices.get(id)!.floorId === alert.floorId)).toBe(true);
    }
  });

  it('AI detections carry their evidence: a snapshot of the detecting camera, confidence, and a watch-list match where one applies', () => {
    for (const name of ['weapon', 'wanted', 'fight', 'intruder'] as const) {
      const run = sim.playScenario(name, { schoolId: 'GYM1', immediate: true });
      if (!run.ok) throw new Error(run.error.message);
      const alert = AlertRaisedV1.parse(run.value.emitted.find((e) => e.type === 'alert.raised')!.payload);
      expect(alert.snapshotUrl, name).toBe(`/media/${encodeURIComponent(alert.deviceId!)}/snapshot.jpg`);
      expect(alert.confidence, name).toBeGreaterThan(0.5);
      if (name === 'intruder') expect(alert.watchlistMatch).toBeUndefined();
      else expect(alert.watchlistMatch, name).toMatchObject({ listName: expect.any(String), subject: expect.stringMatching(/^Subject \d{4}$/), score: expect.any(Number) });
    }
    const wanted = sim.playScenario('wanted', { schoolId: 'GYM1', immediate: true });
    if (!wanted.ok) throw new Error(wanted.error.message);
    expect(AlertRaisedV1.parse(wanted.value.emitted[0]!.payload).alertType).toBe('wanted_person');
  });

  it('plays later steps on the clock: a camera goes offline, its video stops, then it recovers', async () => {
    const run = sim.playScenario('camera_outage', { schoolId: 'GYM1' });
    if (!run.ok) throw new Error(run.error.message);
    const statusEvent = run.value.emitted.find((e) => e.type === 'device.status')!;
    const cameraId = DeviceStatusV1.parse(statusEvent.payload).deviceId;
    expect(sim.deviceStatus(cameraId)).toBe('offline');
    expect(run.value.pending).toEqual([{ inMs: expect.any(Number), types: ['device.status'] }]);
    const playlist = () => fetch(`${sim.url}/media/${cameraId}/sub/index.m3u8`).then(async (r) => (await r.text(), r.status));
    expect(await playlist()).toBe(503);
    // The outage is part of the snapshot while it lasts.
    expect(sim.snapshot(sim.streams.city).events.some((e) => (e as EventEnvelope).seq === statusEvent.seq)).toBe(true);
    clock.advance(run.value.pending[0]!.inMs);
    expect(sim.deviceStatus(cameraId)).toBe('normal');
    expect(await playlist()).toBe(200);
  });

  it('plays background incidents at the configured rate, the same for the same seed', async () => {
    const play = async () => {
      const c = new ManualClock();
      const s = await startSimulator({ backgroundRate: 6, clock: c, seed: 3 });
      c.advance(10 * 60_000);
      const raised = s.events(s.streams.city).filter((e) => e.type === 'alert.raised').map((e) => {
        const p = AlertRaisedV1.parse(e.payload);
        return `${p.alertType}@${p.schoolId}`;
      });
      s.setBackgroundRate(0);
      const stopped = s.latestSeq(s.streams.city);
      c.advance(10 * 60_000);
      // Stopping the background leaves only what incidents already started still do (recoveries,
      // turnstile confirmations, an evacuation's passages and counts): no new incidents.
      const after = s.events(s.streams.city, stopped);
      expect(after.filter((e) => !['device.status', 'turnstile.unlock', 'turnstile.passage', 'school.occupancy'].includes(e.type))).toEqual([]);
      await s.close();
      expect(c.pendingTimers).toBe(0);
      return raised;
    };
    const first = await play();
    // ~60 expected in 10 minutes at 6/min (Poisson).
    expect(first.length).toBeGreaterThan(30);
    expect(first.length).toBeLessThan(100);
    expect(new Set(first.map((x) => x.split('@')[1])).size).toBeGreaterThan(20);
    expect(await play()).toEqual(first);
  });
});
