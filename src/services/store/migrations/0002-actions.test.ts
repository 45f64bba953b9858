import { describe, expect, it } from 'vitest';
import { tempFolder } from '../../testing';
import { migrate, schemaVersion } from '../migrate';
import { columns, rawDatabase, tables } from './schema-helpers';

const NOW = '2026-03-02T08:00:00.000Z';

describe('migration 0002-actions', () => {
  it('adds the audit log to a version-1 database and keeps its journal', () => {
    const db = rawDatabase(tempFolder().file);
    migrate(db, { target: 1 });
    db.prepare('INSERT INTO streams (stream, last_contiguous_seq, updated_at) VALUES (?, 7, ?)').run('city', NOW);
    db.prepare("INSERT INTO events (stream, seq, id, type, status, received_at, json) VALUES ('city', 7, 'ev-7', 'alert.raised', 'ok', ?, '{}')").run(NOW);

    migrate(db, { target: 2 });

    expect(schemaVersion(db)).toBe(2);
    expect(tables(db)).toContain('actions');
    expect(columns(db, 'actions')).toEqual([
      'idempotency_key',
      'kind',
      'alert_id',
      'operator',
      'status',
      'reason',
      'via',
      'created_at',
      'updated_at',
    ]);
    expect(db.prepare('SELECT last_contiguous_seq AS last FROM streams').get()).toEqual({ last: 7 });
    expect(db.prepare('SELECT id FROM events').all()).toEqual([{ id: 'ev-7' }]);
    db.close();
  });

  it('allows one row per idempotency key and only pending/accepted/rejected', () => {
    const db = rawDatabase(tempFolder().file);
    migrate(db, { target: 2 });
    const insert = db.prepare(
      "INSERT INTO actions (idempotency_key, kind, operator, status, via, created_at, updated_at) VALUES (?, 'alert.acknowledge', 'op-1', ?, 'test:t', ?, ?)",
    );
    insert.run('k1', 'pending', NOW, NOW);
    expect(() => insert.run('k1', 'pending', NOW, NOW)).toThrow(/UNIQUE/);
    expect(() => insert.run('k2', 'done', NOW, NOW)).toThrow(/CHECK/);
    db.close();
  });
});
