// The plan editor's local record: checked backgrounds (by content hash, so a background shared by
// many versions is kept once) and every saved version of a floor's draft, with whether the backend
// accepted it. Frozen: plain SQL.
import type { Migration } from '../migrate';

export const m0007Plans: Migration = {
  version: 7,
  name: '0007-plans',
  up(db) {
    db.exec(`
      CREATE TABLE plan_backgrounds (
        id TEXT PRIMARY KEY CHECK (length(id) = 64),
        media_type TEXT NOT NULL CHECK (media_type IN ('image/png', 'image/jpeg', 'image/svg+xml')),
        width REAL NOT NULL CHECK (width > 0),
        height REAL NOT NULL CHECK (height > 0),
        -- The checked bytes (an SVG as the sanitizer rewrote it), never the file as chosen.
        data BLOB NOT NULL CHECK (typeof(data) = 'blob' AND length(data) > 0),
        removed TEXT NOT NULL CHECK (json_valid(removed)),
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE plan_drafts (
        school_id TEXT NOT NULL,
        floor_id TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 1),
        -- The FloorDraft as JSON (validated by the services on the way in and out).
        json TEXT NOT NULL CHECK (json_valid(json)),
        background_id TEXT REFERENCES plan_backgrounds (id),
        saved_at TEXT NOT NULL,
        -- The backend's plan version once it accepted this draft.
        sent_version INTEGER,
        PRIMARY KEY (school_id, floor_id, version)
      ) STRICT;
    `);
  },
};
