import { describe, expect, it } from 'vitest';
import { tempFolder } from '../../testing';
import { migrate, schemaVersion } from '../migrate';
import { columns, rawDatabase, tables } from './schema-helpers';

const NOW = '2026-03-02T08:00:00.000Z';

describe('migration 0001-journal', () => {
  it('creates the journal, its cursor, malformed-message log and alert projection on a new database', () => {
    const db = rawDatabase(tempFolder().file);
    expect(schemaVersion(db)).toBe(0);
    migrate(db, { target: 1 });
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).toEqual(['alerts', 'events', 'rejected_messages', 'streams']);
    expect(columns(db, 'events')).toEqual(['stream', 'seq', 'id', 'type', 'status', 'reason', 'received_at', 'json']);
    expect(columns(db, 'streams')).toEqual(['stream', 'last_contiguous_seq', 'rejected_count', 'duplicate_count', 'updated_at']);
    expect(columns(db, 'rejected_messages')).toEqual(['id', 'stream', 'reason', 'excerpt', 'received_at']);
    expect(columns(db, 'alerts')).toEqual(['stream', 'id', 'status', 'priority', 'at', 'json', 'updated_at']);
    db.close();
  });

  it('absorbs a second copy of an event id within a stream, but not across streams', () => {
    const db = rawDatabase(tempFolder().file);
    migrate(db, { target: 1 });
    const stream = db.prepare('INSERT INTO streams (stream, updated_at) VALUES (?, ?)');
    stream.run('city', NOW);
    stream.run('school-7', NOW);
    const insert = db.prepare(
      "INSERT INTO events (stream, seq, id, type, status, received_at, json) VALUES (?, ?, 'ev-1', 'alert.raised', 'ok', ?, '{}') ON CONFLICT DO NOTHING",
    );
    expect(insert.run('city', 1, NOW).changes).toBe(1);
    expect(insert.run('city', 1, NOW).changes).toBe(0);
    expect(insert.run('school-7', 1, NOW).changes).toBe(1);
    db.close();
  });

  it('refuses an entry status outside ok/unrecognized/rejected and an event for an unknown stream', () => {
    const db = rawDatabase(tempFolder().file);
    migrate(db, { target: 1 });
    db.prepare('INSERT INTO streams (stream, updated_at) VALUES (?, ?)').run('city', NOW);
    const insert = db.prepare("INSERT INTO events (stream, seq, id, type, status, received_at, json) VALUES (?, 1, 'e', 't', ?, ?, '{}')");
    expect(() => insert.run('city', 'maybe', NOW)).toThrow(/CHECK/);
    expect(() => insert.run('nowhere', 'ok', NOW)).toThrow(/FOREIGN KEY/);
    db.close();
  });
});
