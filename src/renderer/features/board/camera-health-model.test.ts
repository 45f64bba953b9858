import { describe, expect, it } from 'vitest';
import type { CameraHealthRow } from '../../../shared/camera-health';
import { cameraRows, sortCameraRows } from './camera-health-model';

const T = Date.parse('2026-03-02T08:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const hist = (cameraId: string, o: Partial<CameraHealthRow> = {}): CameraHealthRow => ({
  cameraId,
  state: 'normal',
  since: null,
  uptimePct: 100,
  offlineMs: 0,
  staleMs: 0,
  outages: 0,
  stalePeriods: 0,
  ...o,
});
const cameras = [
  { id: 'c1', name: 'Gate' },
  { id: 'c2', name: 'Corridor' },
  { id: 'c3', name: 'Yard' },
  { id: 'c4', name: 'Canteen' },
];

describe('cameraRows', () => {
  it('joins the journal, the live state, the wall and the last frames; the outage start is the journal’s', () => {
    const rows = cameraRows({
      cameras,
      history: new Map([
        ['c1', hist('c1', { state: 'offline', since: iso(T - 3_600_000), uptimePct: 80, outages: 1 })],
        ['c2', hist('c2', { stalePeriods: 2, staleMs: 60_000, uptimePct: 99 })],
      ]),
      live: (id) => (id === 'c1' ? { status: 'offline', at: iso(T - 60_000), seq: 9 } : id === 'c3' ? { status: 'offline', at: iso(T - 5_000), seq: 10 } : undefined),
      wall: new Map([['c2', 'stale']]),
      frames: new Map([['c2', T - 1000]]),
    });
    expect(rows.map((r) => [r.id, r.dot, r.onWall, r.uptimePct, r.outageSince, r.lastFrameAt])).toEqual([
      ['c1', 'offline', false, 80, T - 3_600_000, null],
      // The tile playing it sees no new frames: stale, though the backend says nothing.
      ['c2', 'stale', true, 99, null, T - 1000],
      // Live state newer than the journal's answer: offline since its event.
      ['c3', 'offline', false, null, T - 5_000, null],
      ['c4', 'live', false, null, null, null],
    ]);
  });
});

describe('sortCameraRows', () => {
  const rows = cameraRows({
    cameras,
    history: new Map([
      ['c1', hist('c1', { uptimePct: 50, stalePeriods: 0 })],
      ['c2', hist('c2', { uptimePct: 90, stalePeriods: 3 })],
      ['c3', hist('c3', { uptimePct: 70, stalePeriods: 1, state: 'offline', since: iso(T - 10_000) })],
    ]),
    live: () => undefined,
    wall: new Map(),
    frames: new Map([
      ['c1', T - 5000],
      ['c2', T - 1000],
    ]),
  });
  const ids = (sorted: { id: string }[]) => sorted.map((r) => r.id);

  it('puts the worst first by default, and flips on demand; unknown values stay last', () => {
    expect(ids(sortCameraRows(rows, 'state'))).toEqual(['c3', 'c1', 'c2', 'c4']);
    expect(ids(sortCameraRows(rows, 'uptime'))).toEqual(['c1', 'c3', 'c2', 'c4']);
    expect(ids(sortCameraRows(rows, 'uptime', false))).toEqual(['c2', 'c3', 'c1', 'c4']);
    expect(ids(sortCameraRows(rows, 'stale'))).toEqual(['c2', 'c3', 'c1', 'c4']);
    expect(ids(sortCameraRows(rows, 'lastFrame'))).toEqual(['c1', 'c2', 'c4', 'c3']);
    expect(ids(sortCameraRows(rows, 'outage'))).toEqual(['c3', 'c4', 'c2', 'c1']);
    expect(ids(sortCameraRows(rows, 'name'))).toEqual(['c4', 'c2', 'c1', 'c3']);
  });
});
