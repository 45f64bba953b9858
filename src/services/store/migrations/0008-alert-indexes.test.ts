import { describe, expect, it } from 'vitest';
import { tempFolder } from '../../testing';
import { migrate, schemaVersion } from '../migrate';
import { rawDatabase } from './schema-helpers';

const NOW = '2026-03-02T08:00:00.000Z';

describe('migration 0008-alert-indexes', () => {
  it('indexes stored alerts by time and status, keeping every row; period and active queries use them', () => {
    const db = rawDatabase(tempFolder().file);
    migrate(db, { target: 7 });
    db.prepare('INSERT INTO streams (stream, updated_at) VALUES (?, ?)').run('city', NOW);
    db.prepare("INSERT INTO alerts (stream, id, status, priority, at, json, updated_at) VALUES ('city', 'a1', 'resolved', 1, ?, '{}', ?)").run(NOW, NOW);

    migrate(db, { target: 8 });

    expect(schemaVersion(db)).toBe(8);
    expect(db.prepare('SELECT id FROM alerts').all()).toEqual([{ id: 'a1' }]);
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan("SELECT json FROM alerts WHERE stream = 'city' AND at >= '2026' AND at < '2027'")).toMatch(/alerts_by_time/);
    expect(plan("SELECT json FROM alerts WHERE stream = 'city' AND status <> 'resolved'")).toMatch(/alerts_by_status|alerts_by_time|PRIMARY|autoindex/);
    db.close();
  });
});
