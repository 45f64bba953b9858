// The command outbox (migration 0005): commands the operator issued while the city backend was
// unreachable. The renderer adds a command before it first tries to send it offline, and removes it
// once the backend has answered; the idempotency key makes every resend safe, so the backend acts on
// each command once however often it is sent.
import type Database from 'better-sqlite3';

export interface OutboxItem {
  idempotencyKey: string;
  stream: string;
  kind: string;
  alertId: string | null;
  /** The command as it goes on the wire (JSON text). */
  command: string;
  operator: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
}

export interface Outbox {
  /** Adds a command; adding the same key again changes nothing. Returns the number waiting in the stream. */
  add(item: { idempotencyKey: string; stream: string; kind: string; alertId?: string; command: string; operator: string }): { waiting: number };
  /** Oldest first. */
  list(stream: string, limit?: number): OutboxItem[];
  /** The backend answered: the command leaves the outbox. Returns the number still waiting. */
  remove(stream: string, idempotencyKey: string): { waiting: number };
  /** A send got no answer: counted, kept for the next attempt. */
  attempted(idempotencyKey: string, error: string): void;
}

const COLUMNS = `idempotency_key AS idempotencyKey, stream, kind, alert_id AS alertId, command, operator, attempts,
  last_error AS lastError, created_at AS createdAt`;

export function createOutbox(db: Database.Database, now: () => string): Outbox {
  const insert = db.prepare<[string, string, string, string | null, string, string, string]>(
    `INSERT INTO outbox (idempotency_key, stream, kind, alert_id, command, operator, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (idempotency_key) DO NOTHING`,
  );
  const count = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM outbox WHERE stream = ?');
  const list = db.prepare<[string, number], OutboxItem>(`SELECT ${COLUMNS} FROM outbox WHERE stream = ? ORDER BY created_at, rowid LIMIT ?`);
  const del = db.prepare<[string, string]>('DELETE FROM outbox WHERE stream = ? AND idempotency_key = ?');
  const attempt = db.prepare<[string, string]>('UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE idempotency_key = ?');
  return {
    add(item) {
      insert.run(item.idempotencyKey, item.stream, item.kind, item.alertId ?? null, item.command, item.operator, now());
      return { waiting: count.get(item.stream)?.n ?? 0 };
    },
    list: (stream, limit = 500) => list.all(stream, limit),
    remove(stream, key) {
      del.run(stream, key);
      return { waiting: count.get(stream)?.n ?? 0 };
    },
    attempted(key, error) {
      attempt.run(error.slice(0, 500), key);
    },
  };
}
