import { describe, expect, it } from 'vitest';
import { tempFolder } from '../../testing';
import { migrate, schemaVersion } from '../migrate';
import { columns, rawDatabase, tables } from './schema-helpers';

const NOW = '2026-03-02T08:00:00.000Z';

describe('migration 0005-outbox', () => {
  it('adds the outbox to a version-4 database and keeps the journal and audit log', () => {
    const db = rawDatabase(tempFolder().file);
    migrate(db, { target: 4 });
    db.prepare('INSERT INTO streams (stream, updated_at) VALUES (?, ?)').run('city', NOW);
    db.prepare("INSERT INTO events (stream, seq, id, type, status, received_at, json) VALUES ('city', 1, 'ev-1', 'alert.raised', 'ok', ?, '{}')").run(NOW);
    db.prepare(
      "INSERT INTO actions (idempotency_key, kind, operator, status, via, created_at, updated_at) VALUES ('k1', 'alert.acknowledge', 'op-1', 'pending', 'ws:1', ?, ?)",
    ).run(NOW, NOW);

    migrate(db, { target: 5 });

    expect(schemaVersion(db)).toBe(5);
    expect(tables(db)).toContain('outbox');
    expect(columns(db, 'outbox')).toEqual(['idempotency_key', 'stream', 'kind', 'alert_id', 'command', 'operator', 'attempts', 'last_error', 'created_at']);
    expect(db.prepare('SELECT id FROM events').all()).toEqual([{ id: 'ev-1' }]);
    expect(db.prepare('SELECT idempotency_key AS key FROM actions').all()).toEqual([{ key: 'k1' }]);
    db.close();
  });

  it('keeps one row per idempotency key and refuses a command that is not JSON', () => {
    const db = rawDatabase(tempFolder().file);
    migrate(db, { target: 5 });
    const insert = db.prepare("INSERT INTO outbox (idempotency_key, stream, kind, alert_id, command, operator, created_at) VALUES (?, 'city', 'alert.claim', 'A', ?, 'op', ?)");
    insert.run('k1', '{"kind":"alert.claim"}', NOW);
    expect(() => insert.run('k1', '{"kind":"alert.claim"}', NOW)).toThrow(/UNIQUE|PRIMARY/);
    expect(() => insert.run('k2', '{"kind":', NOW)).toThrow(/CHECK/);
    db.close();
  });
});
