/**
 * The console's local store: event journal, alert projection, operator audit log and settings in
 * one SQLite file.
 *
 *   const store = openStore(join(dataDir, 'kuzet.db'));   // throws StoreOpenError, file untouched
 *   store.journal.append(stream, receivedAt, entries);     // one transaction per batch
 *   store.alerts.list(stream);
 *   store.close();
 *
 * Durability: WAL with synchronous=FULL, so a journaled event or an audit entry that was reported
 * as written survives a power cut.
 */
import Database from 'better-sqlite3';
import { ConsoleApiError } from '../../shared/result';
import { createActions, type Actions } from './actions';
import { createDevicesStore, type DevicesStore } from './devices';
import { createJournal, type Alerts, type Journal } from './journal';
import { LATEST_VERSION, migrate, schemaVersion } from './migrate';
import { createOutbox, type Outbox } from './outbox';
import { createPlansStore, type PlansStore } from './plans';
import { createSettings, type Settings } from './settings';
import { createWallStore, type WallStore } from './wall';

export type { Actions, ActionRecord, ActionStatus, StoredAction } from './actions';
export type { Alerts, AppendResult, Journal, RejectedMessage, StoredEvent, StreamCursor } from './journal';
export type { JsonValue, Settings } from './settings';
export type { Outbox, OutboxItem } from './outbox';
export type { EvidenceRecord, SavedLayout, WallStore } from './wall';
export type { DevicesStore, LocalDevice } from './devices';
export type { PlansStore } from './plans';
export { LATEST_VERSION } from './migrate';

export interface Store {
  readonly file: string;
  readonly schemaVersion: number;
  readonly journal: Journal;
  readonly alerts: Alerts;
  readonly actions: Actions;
  readonly settings: Settings;
  readonly outbox: Outbox;
  readonly wall: WallStore;
  /** Local ONVIF devices and device credentials (ciphertext). */
  readonly devices: DevicesStore;
  /** The plan editor's drafts and checked backgrounds. */
  readonly plans: PlansStore;
  /** Idempotent. Later calls on the store answer with an 'unavailable' error. */
  close(): void;
}

export type StoreOpenErrorCode = 'newer_schema' | 'not_a_database' | 'cannot_open';

/** Why the store could not be opened, in words an operator (or support) can act on. */
export class StoreOpenError extends Error {
  constructor(
    readonly code: StoreOpenErrorCode,
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'StoreOpenError';
  }
}

const BUSY_TIMEOUT_MS = 5000;

export function openStore(file: string): Store {
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (e) {
    throw new StoreOpenError('cannot_open', file, `Cannot open the local store ${file}: ${message(e)}`);
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Read before changing anything: a file we must refuse is left exactly as it was.
    const version = schemaVersion(db);
    if (version > LATEST_VERSION) {
      throw new StoreOpenError(
        'newer_schema',
        file,
        `The local store ${file} was written by a newer Kuzet (schema ${version}; this version knows up to ${LATEST_VERSION}). ` +
          'Update Kuzet, or choose another data folder. The file was not changed.',
      );
    }
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`could not switch to WAL journaling (got ${String(mode)})`);
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // Both are silently ignored inside a transaction or by an odd build; read them back rather than hope.
    if (db.pragma('synchronous', { simple: true }) !== 2 || db.pragma('foreign_keys', { simple: true }) !== 1) {
      throw new Error('could not enable synchronous=FULL and foreign keys');
    }
    migrate(db);
  } catch (e) {
    db.close();
    if (e instanceof StoreOpenError) throw e;
    const code = (e as { code?: unknown }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new StoreOpenError(
        'not_a_database',
        file,
        `The local store ${file} is not a Kuzet database or is damaged (${message(e)}). ` +
          'It was left untouched: move it aside or restore a backup, and Kuzet will start a new one.',
      );
    }
    throw new StoreOpenError('cannot_open', file, `Cannot open the local store ${file}: ${message(e)}`);
  }

  const now = () => new Date().toISOString();
  const { journal, alerts } = createJournal(db, now);
  const actions = createActions(db, now);
  const settings = createSettings(db, now);
  const outbox = createOutbox(db, now);
  const wall = createWallStore(db, now);
  const devices = createDevicesStore(db, now);
  const plans = createPlansStore(db, now);
  const live = guardClosed(db, file);
  return {
    file,
    schemaVersion: schemaVersion(db),
    journal: live(journal),
    alerts: live(alerts),
    actions: live(actions),
    settings: live(settings),
    outbox: live(outbox),
    wall: live(wall),
    devices: { ...live(devices), credentials: live(devices.credentials) },
    plans: live(plans),
    close() {
      if (db.open) db.close();
    },
  };
}

/** Late calls during shutdown get a clear 'unavailable' instead of a driver TypeError. */
function guardClosed(db: Database.Database, file: string) {
  return <T extends object>(facade: T): T => {
    const guarded = {} as Record<string, unknown>;
    for (const [name, fn] of Object.entries(facade)) {
      guarded[name] =
        typeof fn === 'function'
          ? (...args: unknown[]) => {
              if (!db.open) throw new ConsoleApiError('unavailable', `the local store ${file} is closed`);
              return (fn as (...a: unknown[]) => unknown)(...args);
            }
          : fn;
    }
    return guarded as T;
  };
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
