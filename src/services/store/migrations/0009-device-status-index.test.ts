import { describe, expect, it } from 'vitest';
import { tempFolder } from '../../testing';
import { migrate, schemaVersion } from '../migrate';
import { rawDatabase } from './schema-helpers';

const NOW = '2026-03-02T08:00:00.000Z';

describe('migration 0009-device-status-index', () => {
  it("indexes device.status events by device, keeping every row; a camera's history query uses it", () => {
    const db = rawDatabase(tempFolder().file);
    migrate(db, { target: 8 });
    db.prepare('INSERT INTO streams (stream, updated_at) VALUES (?, ?)').run('city', NOW);
    const ins = db.prepare("INSERT INTO events (stream, seq, id, type, status, reason, received_at, json) VALUES ('city', ?, ?, ?, 'ok', NULL, ?, ?)");
    ins.run(1, 'e1', 'device.status', NOW, JSON.stringify({ payload: { deviceId: 'cam-1', status: 'offline' } }));
    ins.run(2, 'e2', 'alert.raised', NOW, JSON.stringify({ payload: { alertId: 'a1' } }));

    migrate(db, { target: 9 });

    expect(schemaVersion(db)).toBe(9);
    expect(db.prepare('SELECT id FROM events ORDER BY seq').all()).toEqual([{ id: 'e1' }, { id: 'e2' }]);
    const plan = (db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT seq FROM events WHERE stream = 'city' AND type = 'device.status'
         AND json_extract(json, '$.payload.deviceId') IN (SELECT value FROM json_each('["cam-1"]')) AND received_at >= '2026'`,
      )
      .all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan).toMatch(/events_device_status/);
    db.close();
  });
});
