import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setLogLevel } from '../shared/log';
import type { EventEnvelope } from '../shared/protocol';
import { EventLog, LOG_FILE } from './event-log';

setLogLevel('error');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kuzet-log-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const make = (stream: string, n: number) =>
  Array.from({ length: n }, () => ({
    stream,
    make: (seq: number): EventEnvelope => ({ id: `${stream}-${seq}`, stream, seq, ts: '2025-09-01T08:00:00.000Z', type: 't', v: 1, payload: { n: seq } }),
  }));

describe('event log', () => {
  it('numbers each stream on its own and replays exactly what follows an offset', () => {
    const { log } = EventLog.open({ dataDir: dir, retention: 100 });
    log.append([...make('a', 3), ...make('b', 2), ...make('a', 2)]);
    expect(log.latestSeq('a')).toBe(5);
    expect(log.latestSeq('b')).toBe(2);
    const r = log.read('a', 2);
    expect(r.kind === 'events' && r.events.map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(log.read('a', 5)).toEqual({ kind: 'events', events: [] });
    expect(log.read('a', 9).kind).toBe('ahead');
    expect(log.read('nobody', 0)).toEqual({ kind: 'events', events: [] });
    log.close();
  });

  it('says too_old when the offset is before the retained tail', () => {
    const { log } = EventLog.open({ dataDir: dir, retention: 5 });
    log.append(make('a', 12));
    expect(log.oldestSeq('a')).toBe(8);
    expect(log.read('a', 6)).toEqual({ kind: 'too_old', oldestSeq: 8, latestSeq: 12 });
    const r = log.read('a', 7);
    expect(r.kind === 'events' && r.events.map((e) => e.seq)).toEqual([8, 9, 10, 11, 12]);
    log.close();
  });

  it('continues sequences and replays after reopening', () => {
    const first = EventLog.open({ dataDir: dir, retention: 100 });
    first.log.append(make('a', 4));
    first.log.close();
    const second = EventLog.open({ dataDir: dir, retention: 100 });
    expect(second.loaded.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(second.log.append(make('a', 1))[0]!.seq).toBe(5);
    const r = second.log.read('a', 3);
    expect(r.kind === 'events' && r.events.map((e) => e.id)).toEqual(['a-4', 'a-5']);
    second.log.close();
  });

  it('survives a torn last line (crash mid-write)', () => {
    const { log } = EventLog.open({ dataDir: dir, retention: 100 });
    log.append(make('a', 2));
    log.close();
    appendFileSync(join(dir, LOG_FILE), '{"id":"a-3","stream":"a","se');
    const reopened = EventLog.open({ dataDir: dir, retention: 100 });
    expect(reopened.log.latestSeq('a')).toBe(2);
    reopened.log.append(make('a', 1));
    reopened.log.close();
    const lines = readFileSync(join(dir, LOG_FILE), 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as EventEnvelope).seq)).toEqual([1, 2, 3]);
  });

  it('compacts to the retained tail but keeps pinned events, and still reopens correctly', () => {
    const { log } = EventLog.open({ dataDir: dir, retention: 3, pinned: (e) => e.seq === 2 });
    log.append(make('a', 10));
    log.compact();
    log.close();
    const lines = readFileSync(join(dir, LOG_FILE), 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as EventEnvelope).seq)).toEqual([2, 8, 9, 10]);
    const reopened = EventLog.open({ dataDir: dir, retention: 3 });
    // The pinned event is loaded (for state) but is not replayable: the tail starts at 8.
    expect(reopened.loaded.map((e) => e.seq)).toEqual([2, 8, 9, 10]);
    expect(reopened.log.oldestSeq('a')).toBe(8);
    expect(reopened.log.read('a', 5).kind).toBe('too_old');
    expect(reopened.log.append(make('a', 1))[0]!.seq).toBe(11);
    reopened.log.close();
  });
});

describe('event log fsync in the background', () => {
  it('loses nothing when appends, a compaction and close follow a background fsync', async () => {
    const { log } = EventLog.open({ dataDir: dir, retention: 5, pinned: (e) => e.seq === 1 });
    log.append(make('a', 20));
    // Past the fsync delay: a background fsync is started for the first appends...
    await new Promise((done) => setTimeout(done, 120));
    // ...while more lines are written, the file is swapped by compaction and the log is closed.
    log.append(make('a', 5));
    log.compact();
    log.append(make('a', 2));
    log.close();
    await new Promise((done) => setTimeout(done, 50));
    const reopened = EventLog.open({ dataDir: dir, retention: 5 });
    expect(reopened.loaded.map((e) => e.seq)).toEqual([1, 21, 22, 23, 24, 25, 26, 27]);
    reopened.log.close();
  });
});
