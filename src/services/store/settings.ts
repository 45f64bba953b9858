// Operator settings, key -> JSON value. Each write is one SQLite transaction, so a crash leaves
// either the old value or the new one, never half of either.
import type Database from 'better-sqlite3';
import { z } from 'zod';

const JsonValue = z.json();
export type JsonValue = z.infer<typeof JsonValue>;

export interface Settings {
  /** null when the key was never set. */
  get(key: string): JsonValue | null;
  set(key: string, value: JsonValue): void;
  keys(): string[];
}

export function createSettings(db: Database.Database, now: () => string): Settings {
  const select = db.prepare<[string], { json: string }>('SELECT json FROM settings WHERE key = ?');
  const upsert = db.prepare<[string, string, string]>(
    `INSERT INTO settings (key, json, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at`,
  );
  const selectKeys = db.prepare<[], { key: string }>('SELECT key FROM settings ORDER BY key');
  return {
    get(key) {
      const row = select.get(key);
      if (!row) return null;
      const parsed = JsonValue.safeParse(JSON.parse(row.json));
      if (!parsed.success) throw new Error(`setting "${key}" holds a value that is not plain JSON`);
      return parsed.data;
    },
    set(key, value) {
      upsert.run(key, JSON.stringify(value), now());
    },
    keys: () => selectKeys.all().map((r) => r.key),
  };
}
