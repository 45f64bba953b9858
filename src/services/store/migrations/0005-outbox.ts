// Commands issued while the city backend was unreachable, waiting to be sent once it returns. A row
// leaves when the backend has answered (accepted or rejected); its idempotency key makes a resend
// after a crash or a lost answer safe. Frozen: plain SQL.
import type { Migration } from '../migrate';

export const m0005Outbox: Migration = {
  version: 5,
  name: '0005-outbox',
  up(db) {
    db.exec(`
      CREATE TABLE outbox (
        idempotency_key TEXT PRIMARY KEY,
        stream TEXT NOT NULL,
        kind TEXT NOT NULL,
        alert_id TEXT,
        -- The command exactly as it will go on the wire.
        command TEXT NOT NULL CHECK (json_valid(command)),
        operator TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        last_error TEXT,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX outbox_by_stream ON outbox (stream, created_at);
    `);
  },
};
