// The operator audit log: one row per command, keyed by its idempotency key. Frozen: plain SQL.
import type { Migration } from '../migrate';

export const m0002Actions: Migration = {
  version: 2,
  name: '0002-actions',
  up(db) {
    db.exec(`
      CREATE TABLE actions (
        idempotency_key TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        alert_id TEXT,
        operator TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
        reason TEXT,
        -- Which transport and peer recorded it (e.g. "ipc:window-1"), for the audit trail.
        via TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX actions_by_alert ON actions (alert_id, created_at);
      CREATE INDEX actions_by_time ON actions (created_at);
    `);
  },
};
