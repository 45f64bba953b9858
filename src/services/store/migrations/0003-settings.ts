// Operator settings as key -> JSON text. In SQLite rather than a JSON file so that a crash mid-write
// can never leave half a file behind. Frozen: plain SQL.
import type { Migration } from '../migrate';

export const m0003Settings: Migration = {
  version: 3,
  name: '0003-settings',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        json TEXT NOT NULL CHECK (json_valid(json)),
        updated_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
