// The operator audit log. One row per command (idempotency key); its status follows the backend's
// answer. Recording the same key again moves the status forward, it never adds a second row.
import type Database from 'better-sqlite3';
import { createLogger } from '../../shared/log';
import { ConsoleApiError } from '../../shared/result';

const log = createLogger('actions');

export type ActionStatus = 'pending' | 'accepted' | 'rejected';

export interface ActionRecord {
  idempotencyKey: string;
  kind: string;
  alertId?: string;
  operator: string;
  status: ActionStatus;
  reason?: string;
  /** Transport and peer that recorded it, e.g. "ipc:window-1". */
  via: string;
}

export interface StoredAction {
  idempotencyKey: string;
  kind: string;
  alertId: string | null;
  operator: string;
  status: ActionStatus;
  reason: string | null;
  via: string;
  createdAt: string;
  updatedAt: string;
}

export interface Actions {
  /** Inserts, or moves an existing key's status on; returns the stored row. */
  record(action: ActionRecord): StoredAction;
  get(idempotencyKey: string): StoredAction | null;
  /** Newest first. */
  list(options?: { alertId?: string; limit?: number }): StoredAction[];
  /**
   * This console's own alert actions replayed from the log (issue 4: they survive a reload): the
   * alerts whose sound was muted, and the SOP steps ticked and not unticked since, per alert.
   */
  localAlertState(limit?: number): LocalAlertState;
}

/** Kinds of the console-only alert actions (renderer features/alerts/local-actions.ts). */
export const LOCAL_ALERT_KINDS = { mute: 'alert.mute', stepDone: 'sop.step.done', stepUndone: 'sop.step.undone' } as const;

export interface LocalAlertState {
  muted: string[];
  steps: Array<{ alertId: string; step: string }>;
}

const COLUMNS = `idempotency_key AS idempotencyKey, kind, alert_id AS alertId, operator, status, reason, via,
  created_at AS createdAt, updated_at AS updatedAt`;

export function createActions(db: Database.Database, now: () => string): Actions {
  const select = db.prepare<[string], StoredAction>(`SELECT ${COLUMNS} FROM actions WHERE idempotency_key = ?`);
  const insert = db.prepare<[string, string, string | null, string, ActionStatus, string | null, string, string, string]>(
    `INSERT INTO actions (idempotency_key, kind, alert_id, operator, status, reason, via, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const update = db.prepare<[ActionStatus, string | null, string, string]>(
    'UPDATE actions SET status = ?, reason = ?, updated_at = ? WHERE idempotency_key = ?',
  );
  const listAll = db.prepare<[number], StoredAction>(`SELECT ${COLUMNS} FROM actions ORDER BY created_at DESC, rowid DESC LIMIT ?`);
  const listByAlert = db.prepare<[string, number], StoredAction>(
    `SELECT ${COLUMNS} FROM actions WHERE alert_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?`,
  );

  const recordTx = db.transaction((a: ActionRecord): StoredAction => {
    const t = now();
    const existing = select.get(a.idempotencyKey);
    if (!existing) {
      insert.run(a.idempotencyKey, a.kind, a.alertId ?? null, a.operator, a.status, a.reason ?? null, a.via, t, t);
      return select.get(a.idempotencyKey) as StoredAction;
    }
    if (existing.kind !== a.kind || existing.alertId !== (a.alertId ?? null) || existing.operator !== a.operator) {
      // A reused key for a different command would rewrite someone else's audit entry.
      throw new ConsoleApiError(
        'conflict',
        `idempotency key ${a.idempotencyKey} already records ${existing.kind} by ${existing.operator}; a new action needs a new key`,
      );
    }
    // A retried send re-records "pending"; it must not erase the backend's answer.
    if (a.status === 'pending' || (a.status === existing.status && (a.reason ?? null) === existing.reason)) return existing;
    if (existing.status !== 'pending') {
      log.warn('backend answered one command twice differently; keeping the latest answer', {
        key: a.idempotencyKey,
        was: existing.status,
        now: a.status,
      });
    }
    update.run(a.status, a.reason ?? null, t, a.idempotencyKey);
    return select.get(a.idempotencyKey) as StoredAction;
  });

  // Oldest first over the newest `limit` rows, so a later untick overrides an earlier tick.
  const selectLocal = db.prepare<[string, string, string, number], { kind: string; alertId: string; reason: string | null }>(
    `SELECT kind, alertId, reason FROM (
       SELECT kind, alert_id AS alertId, reason, created_at, rowid AS r FROM actions
       WHERE kind IN (?, ?, ?) AND alert_id IS NOT NULL ORDER BY created_at DESC, rowid DESC LIMIT ?
     ) ORDER BY created_at, r`,
  );
  const localAlertState = (limit = 20_000): LocalAlertState => {
    const muted = new Set<string>();
    const steps = new Map<string, Set<string>>();
    for (const row of selectLocal.all(LOCAL_ALERT_KINDS.mute, LOCAL_ALERT_KINDS.stepDone, LOCAL_ALERT_KINDS.stepUndone, limit)) {
      if (row.kind === LOCAL_ALERT_KINDS.mute) muted.add(row.alertId);
      else if (row.reason) {
        const done = steps.get(row.alertId) ?? new Set<string>();
        if (row.kind === LOCAL_ALERT_KINDS.stepDone) done.add(row.reason);
        else done.delete(row.reason);
        steps.set(row.alertId, done);
      }
    }
    return { muted: [...muted], steps: [...steps].flatMap(([alertId, done]) => [...done].map((step) => ({ alertId, step }))) };
  };

  return {
    localAlertState,
    record: (a) => recordTx.immediate(a),
    get: (key) => select.get(key) ?? null,
    list: ({ alertId, limit = 200 } = {}) => (alertId === undefined ? listAll.all(limit) : listByAlert.all(alertId, limit)),
  };
}
