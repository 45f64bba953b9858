import { describe, expect, it } from 'vitest';
import { tempFolder } from '../../testing';
import { migrate, schemaVersion } from '../migrate';
import { columns, rawDatabase, tables } from './schema-helpers';

const NOW = '2026-03-02T08:00:00.000Z';

describe('migration 0003-settings', () => {
  it('adds settings to a version-2 database and keeps its journal and audit log', () => {
    const db = rawDatabase(tempFolder().file);
    migrate(db, { target: 2 });
    db.prepare('INSERT INTO streams (stream, updated_at) VALUES (?, ?)').run('city', NOW);
    db.prepare("INSERT INTO events (stream, seq, id, type, status, received_at, json) VALUES ('city', 1, 'ev-1', 'alert.raised', 'ok', ?, '{}')").run(NOW);
    db.prepare(
      "INSERT INTO actions (idempotency_key, kind, operator, status, via, created_at, updated_at) VALUES ('k1', 'alert.acknowledge', 'op-1', 'accepted', 'ipc:wc1', ?, ?)",
    ).run(NOW, NOW);

    migrate(db, { target: 3 });

    expect(schemaVersion(db)).toBe(3);
    expect(tables(db)).toContain('settings');
    expect(columns(db, 'settings')).toEqual(['key', 'json', 'updated_at']);
    expect(db.prepare('SELECT id FROM events').all()).toEqual([{ id: 'ev-1' }]);
    expect(db.prepare('SELECT idempotency_key AS key, status FROM actions').all()).toEqual([{ key: 'k1', status: 'accepted' }]);
    db.close();
  });

  it('refuses a value that is not JSON, so a setting can never be stored half-written', () => {
    const db = rawDatabase(tempFolder().file);
    migrate(db, { target: 3 });
    const insert = db.prepare('INSERT INTO settings (key, json, updated_at) VALUES (?, ?, ?)');
    insert.run('wall.layout', '{"tiles":25}', NOW);
    expect(() => insert.run('wall.grid', '{"tiles":', NOW)).toThrow(/CHECK/);
    db.close();
  });
});
