// Operator commands arriving over the socket. Every command is validated, answered explicitly
// (accepted / rejected with a code and a reason) and, when accepted, becomes events that every
// console in scope sees. Idempotency: the commandId is derived from the idempotency key
// (`cmd-<key>`) and travels in the resulting event, so a retry after a simulator restart is still
// recognised from the log; within one run every answer (also rejections) is remembered as well.
// To add a kind: extend Command in src/shared/protocol.ts and add its handler to HANDLERS; the
// type checker insists on both.
import { Command, type CommandResult, type EventEnvelope, type User } from '../shared/protocol';
import { describeIssues } from '../shared/result';
import type { AlertState, SimState } from './state';
import type { EventDraft } from './streams';

export interface CommandContext {
  user: User;
  /** The stream the user reads; an alert is in scope when it was raised on this stream. */
  stream: string;
}

export interface CommandDeps {
  state: SimState;
  publish: (drafts: EventDraft[]) => EventEnvelope[];
}

type Outcome = { status: 'accepted'; events: EventDraft[] } | { status: 'rejected'; code: string; reason: string };
type Handler<K extends Command['kind']> = (cmd: Extract<Command, { kind: K }>, ctx: CommandContext, deps: CommandDeps, commandId: string) => Outcome;

/** The alert a command names, if it is in the user's scope and still open; else the rejection. */
function openAlert(alertId: string, ctx: CommandContext, deps: CommandDeps): AlertState | Outcome {
  const alert = deps.state.alerts.get(alertId);
  // Out of scope looks the same as unknown: a guard learns nothing about other schools.
  if (!alert || !alert.streams.has(ctx.stream)) return reject('not_found', `alert ${alertId} is unknown or outside your scope`);
  if (alert.resolved) return reject('already_resolved', `alert ${alertId} was already resolved by ${alert.resolved.by.name}`);
  return alert;
}

/** Someone else holds the alert: only they act on it until they release it. */
function heldByOther(alert: AlertState, ctx: CommandContext): Outcome | null {
  if (alert.claimedBy && alert.claimedBy.id !== ctx.user.id) return reject('claimed_by_other', `alert ${alert.alertId} is claimed by ${alert.claimedBy.name}`);
  return null;
}

function emit(alert: AlertState, type: string, payload: Record<string, unknown>): Outcome {
  return {
    status: 'accepted',
    events: [{ type, v: 1, ...(alert.schoolId !== undefined ? { schoolId: alert.schoolId } : {}), streams: [...alert.streams], payload }],
  };
}

const isOutcome = (x: AlertState | Outcome): x is Outcome => 'status' in x;

const HANDLERS: { [K in Command['kind']]: Handler<K> } = {
  'alert.acknowledge': (cmd, ctx, deps, commandId) => {
    const alert = openAlert(cmd.alertId, ctx, deps);
    if (isOutcome(alert)) return alert;
    if (alert.acknowledged) return reject('already_acknowledged', `alert ${cmd.alertId} was already acknowledged by ${alert.acknowledged.by.name}`);
    return heldByOther(alert, ctx) ?? emit(alert, 'alert.acknowledged', { alertId: alert.alertId, by: by(ctx), commandId });
  },
  'alert.claim': (cmd, ctx, deps, commandId) => {
    const alert = openAlert(cmd.alertId, ctx, deps);
    if (isOutcome(alert)) return alert;
    if (alert.claimedBy?.id === ctx.user.id) return reject('already_claimed', `you already hold alert ${cmd.alertId}`);
    return heldByOther(alert, ctx) ?? emit(alert, 'alert.claimed', { alertId: alert.alertId, by: by(ctx), commandId });
  },
  'alert.release': (cmd, ctx, deps, commandId) => {
    const alert = openAlert(cmd.alertId, ctx, deps);
    if (isOutcome(alert)) return alert;
    if (!alert.claimedBy) return reject('not_claimed', `alert ${cmd.alertId} is not claimed`);
    return heldByOther(alert, ctx) ?? emit(alert, 'alert.released', { alertId: alert.alertId, by: by(ctx), commandId });
  },
  'alert.escalate': (cmd, ctx, deps, commandId) => {
    const alert = openAlert(cmd.alertId, ctx, deps);
    if (isOutcome(alert)) return alert;
    const note = cmd.note?.trim();
    return (
      heldByOther(alert, ctx) ??
      emit(alert, 'alert.escalated', { alertId: alert.alertId, by: by(ctx), commandId, level: Math.min(100, alert.escalationLevel + 1), ...(note ? { note } : {}) })
    );
  },
  'alert.resolve': (cmd, ctx, deps, commandId) => {
    const alert = openAlert(cmd.alertId, ctx, deps);
    if (isOutcome(alert)) return alert;
    return heldByOther(alert, ctx) ?? emit(alert, 'alert.resolved', { alertId: alert.alertId, by: by(ctx), commandId, outcome: cmd.outcome, note: cmd.note.trim() });
  },
  'alert.feedback': (cmd, ctx, deps, commandId) => {
    const alert = openAlert(cmd.alertId, ctx, deps);
    if (isOutcome(alert)) return alert;
    return emit(alert, 'alert.feedback', { alertId: alert.alertId, by: by(ctx), commandId, verdict: cmd.verdict });
  },
};

function by(ctx: CommandContext): { id: string; name: string } {
  return { id: ctx.user.id, name: ctx.user.name };
}

/** What a command targets, for matching a retried key against the log. */
function targetOf(cmd: Command): string {
  return cmd.alertId;
}

const REMEMBERED_MAX = 50_000;

export class CommandService {
  /** Answers given in this run, by idempotency key (insertion-ordered, trimmed oldest first). */
  private readonly answers = new Map<string, { userId: string; fingerprint: string; result: CommandResult }>();

  constructor(private readonly deps: CommandDeps) {}

  handle(raw: unknown, ctx: CommandContext): CommandResult {
    const parsed = Command.safeParse(raw);
    if (!parsed.success) return { status: 'rejected', code: 'invalid_command', reason: `invalid command: ${describeIssues(parsed.error.issues)}`.slice(0, 500) };
    const cmd = parsed.data;
    const key = cmd.idempotencyKey;
    const fingerprint = JSON.stringify([cmd.kind, targetOf(cmd), cmd]);
    const commandId = `cmd-${key}`;

    const seen = this.answers.get(key);
    if (seen) {
      if (seen.userId !== ctx.user.id || seen.fingerprint !== fingerprint) return conflict(key);
      return seen.result.status === 'accepted' ? { ...seen.result, duplicate: true } : seen.result;
    }
    const logged = this.deps.state.commands.get(commandId);
    if (logged) {
      if (logged.userId !== ctx.user.id || logged.kind !== cmd.kind || logged.target !== targetOf(cmd)) return conflict(key);
      return this.remember(key, ctx, fingerprint, { status: 'accepted', commandId, duplicate: true });
    }

    const handler = HANDLERS[cmd.kind] as Handler<Command['kind']>;
    const outcome = handler(cmd, ctx, this.deps, commandId);
    if (outcome.status === 'rejected') return this.remember(key, ctx, fingerprint, { status: 'rejected', code: outcome.code, reason: outcome.reason });
    this.deps.publish(outcome.events);
    return this.remember(key, ctx, fingerprint, { status: 'accepted', commandId, duplicate: false });
  }

  private remember(key: string, ctx: CommandContext, fingerprint: string, result: CommandResult): CommandResult {
    this.answers.set(key, { userId: ctx.user.id, fingerprint, result });
    if (this.answers.size > REMEMBERED_MAX) this.answers.delete(this.answers.keys().next().value!);
    return result;
  }
}

function reject(code: string, reason: string): Outcome {
  return { status: 'rejected', code, reason };
}

function conflict(key: string): CommandResult {
  return { status: 'rejected', code: 'idempotency_conflict', reason: `idempotency key ${key} was already used for a different command` };
}
