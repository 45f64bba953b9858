// Schema versioning: numbered migrations, each applied in its own transaction together with the
// PRAGMA user_version bump, so a crash mid-migration leaves the previous version intact.
import type Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations';

export interface Migration {
  /** 1, 2, 3 ... in order; the database's user_version after this migration has run. */
  readonly version: number;
  readonly name: string;
  up(db: Database.Database): void;
}

export const LATEST_VERSION = MIGRATIONS.length;

export function schemaVersion(db: Database.Database): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/**
 * Brings the database to `target` (default: the latest). Refusing a newer schema is the caller's job
 * (openStore), because it must happen before anything touches the file.
 */
export function migrate(
  db: Database.Database,
  options: { target?: number; migrations?: readonly Migration[] } = {},
): { from: number; to: number } {
  const migrations = options.migrations ?? MIGRATIONS;
  checkNumbering(migrations);
  const target = options.target ?? migrations.length;
  const from = schemaVersion(db);
  for (const m of migrations) {
    if (m.version <= from || m.version > target) continue;
    db.transaction(() => {
      m.up(db);
      // Integer from our own list, never user input: safe to interpolate (PRAGMA takes no parameters).
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return { from, to: Math.max(from, Math.min(target, migrations.length)) };
}

function checkNumbering(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration "${m.name}" is numbered ${m.version}, expected ${i + 1}`);
  });
}
