// The event journal per stream, its cursor, malformed messages, and the alert projection. The
// projection lives beside the journal so both are written in one transaction. Frozen: plain SQL,
// no imports from src/shared that could change under an old migration.
import type { Migration } from '../migrate';

export const m0001Journal: Migration = {
  version: 1,
  name: '0001-journal',
  up(db) {
    db.exec(`
      CREATE TABLE streams (
        stream TEXT PRIMARY KEY,
        last_contiguous_seq INTEGER NOT NULL DEFAULT 0,
        rejected_count INTEGER NOT NULL DEFAULT 0,
        duplicate_count INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE events (
        stream TEXT NOT NULL REFERENCES streams(stream),
        seq INTEGER NOT NULL,
        id TEXT NOT NULL,
        type TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('ok', 'unrecognized', 'rejected')),
        reason TEXT,
        received_at TEXT NOT NULL,
        json TEXT NOT NULL,
        -- Duplicates are absorbed by event id (the backend may replay what we already have).
        UNIQUE (stream, id)
      ) STRICT;
      -- Not unique: a misbehaving backend reusing a sequence number must not lose an event.
      CREATE INDEX events_by_seq ON events (stream, seq);

      CREATE TABLE rejected_messages (
        id INTEGER PRIMARY KEY,
        stream TEXT NOT NULL REFERENCES streams(stream),
        reason TEXT NOT NULL,
        excerpt TEXT NOT NULL,
        received_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX rejected_messages_by_stream ON rejected_messages (stream, id);

      CREATE TABLE alerts (
        stream TEXT NOT NULL REFERENCES streams(stream),
        id TEXT NOT NULL,
        status TEXT NOT NULL,
        priority INTEGER NOT NULL,
        at TEXT NOT NULL,
        json TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (stream, id)
      ) STRICT;
    `);
  },
};
