import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setLogLevel } from '../shared/log';
import type { EventEnvelope } from '../shared/protocol';
import { EventLog } from './event-log';
import { SimState } from './state';
import { cityStream, DELIVERY_WINDOW_MS, Publisher } from './streams';

setLogLevel('warn');

let dir: string;
let log: EventLog;
let deliveries: Array<{ at: number; events: EventEnvelope[] }>;
let publisher: Publisher;
const info = (n: number) => ({ type: 'info.note', v: 1, payload: { n } });
const turn = () => new Promise<void>((r) => setImmediate(r));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kuzet-streams-test-'));
  log = EventLog.open({ dataDir: dir, retention: 1000 }).log;
  deliveries = [];
  publisher = new Publisher({
    backendId: 'B',
    log,
    state: new SimState(),
    knownSchool: () => false,
    deliver: (_stream, events) => deliveries.push({ at: performance.now(), events }),
    now: Date.now,
  });
});
afterEach(() => {
  log.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('live delivery', () => {
  it('sends the first events after a quiet spell at the end of their turn, all of that turn together', async () => {
    publisher.publish([info(1)]);
    publisher.publish([info(2), info(3)]);
    expect(deliveries).toHaveLength(0);
    await turn();
    expect(deliveries.map((d) => d.events.map((e) => e.seq))).toEqual([[1, 2, 3]]);
    expect(deliveries[0]!.events[0]!.stream).toBe(cityStream('B'));
  });

  it('holds what follows within the window and sends it as one batch when the window closes', async () => {
    publisher.publish([info(1)]);
    await turn();
    const first = deliveries[0]!.at;
    // Right after that delivery, inside its window.
    for (let i = 2; i <= 5; i++) publisher.publish([info(i)]);
    await turn();
    expect(deliveries).toHaveLength(1);
    await sleep(DELIVERY_WINDOW_MS + 5);
    expect(deliveries.map((d) => d.events.map((e) => e.seq))).toEqual([[1], [2, 3, 4, 5]]);
    // Held for the window, not sent at the end of the turn (timers may fire a millisecond or two early).
    expect(deliveries[1]!.at - first).toBeGreaterThan(DELIVERY_WINDOW_MS / 2);
  });

  it('flush sends what is pending at once, and nothing twice', async () => {
    publisher.publish([info(1)]);
    publisher.flush();
    expect(deliveries.map((d) => d.events.map((e) => e.seq))).toEqual([[1]]);
    await sleep(DELIVERY_WINDOW_MS + 5);
    expect(deliveries).toHaveLength(1);
  });
});
