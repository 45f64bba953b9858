// The video wall's named layouts and the evidence snapshots taken from it. Frozen: plain SQL.
import type { Migration } from '../migrate';

export const m0004Wall: Migration = {
  version: 4,
  name: '0004-wall',
  up(db) {
    db.exec(`
      CREATE TABLE wall_layouts (
        name TEXT PRIMARY KEY,
        json TEXT NOT NULL CHECK (json_valid(json)),
        updated_at TEXT NOT NULL
      ) STRICT;

      -- One row per saved frame; the file lives under <dataDir>/evidence, its hash proves it unchanged.
      CREATE TABLE evidence (
        id TEXT PRIMARY KEY,
        camera_id TEXT NOT NULL,
        captured_at TEXT NOT NULL,
        operator TEXT NOT NULL,
        file TEXT NOT NULL UNIQUE,
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        bytes INTEGER NOT NULL CHECK (bytes > 0),
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX evidence_by_camera ON evidence (camera_id, captured_at);
    `);
  },
};
