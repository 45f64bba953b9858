// Operator commands arriving over the socket. Every command is validated, answered explicitly
// (accepted / rejected with a code and a reason) and, when accepted, becomes events that every
// console in scope sees. Idempotency: the commandId is derived from the idempotency key
// (`cmd-<key>`) and travels in the resulting event, so a retry after a simulator restart is still
// recognised from the log; within one run every answer (also rejections) is remembered as well.
// To add a kind: extend Command in src/shared/protocol.ts and add its handler to HANDLERS; the
// type checker insists on both.
import { canUnlockTurnstiles, Command, commandSubject, type CommandResult, type EventEnvelope, type User } from '../shared/protocol';
import { describeIssues } from '../shared/result';
import { isPoliceMatter, needsVerification } from '../shared/dispatch';
import type { LatLon } from '../shared/dispatch';
import type { CrewFleet } from './crews';
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
  /** Police dispatch; without it, dispatch commands are refused as unavailable. */
  dispatch?: { fleet: CrewFleet; schoolLocation(schoolId: string): LatLon | undefined };
  knownSchool?: (schoolId: string) => boolean;
  /**
   * Commands every turnstile of a school to unlock: the events to publish now (the rest follow on
   * the clock), or null when the school has none.
   */
  unlockTurnstiles?: (schoolId: string, req: { commandId: string; by: { id: string; name: string }; alertId?: string }) => EventDraft[] | null;
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
  'alert.note': (cmd, ctx, deps, commandId) => {
    const alert = openAlert(cmd.alertId, ctx, deps);
    if (isOutcome(alert)) return alert;
    return emit(alert, 'alert.noted', { alertId: alert.alertId, by: by(ctx), commandId, text: cmd.text.trim(), ...(cmd.to ? { to: cmd.to } : {}) });
  },
  'crew.dispatch': (cmd, ctx, deps, commandId) => {
    const alert = openAlert(cmd.alertId, ctx, deps);
    if (isOutcome(alert)) return alert;
    if (ctx.user.role !== 'dispatcher') return reject('forbidden', 'only a police dispatcher can send a crew');
    if (!deps.dispatch) return reject('unavailable', 'dispatch is not available on this backend');
    if (alert.drill) return reject('drill', `alert ${alert.alertId} is a drill: drills never dispatch real crews`);
    if (!isPoliceMatter(alert.alertType)) return reject('not_dispatchable', `a ${alert.alertType.replace(/_/g, ' ')} alert is not a police matter`);
    if (alert.verdict === 'false_alarm') return reject('false_alarm', `alert ${alert.alertId} was marked a false alarm`);
    const unverified = needsVerification(alert.alertType) && alert.verdict !== 'confirmed';
    const reason = cmd.unverifiedReason?.trim();
    if (unverified && !reason) return reject('unverified', 'confirm the detection on video first, or state why the crew goes without confirmation');
    for (const d of alert.dispatches.values()) if (d.active && d.crewId === cmd.crewId) return reject('already_dispatched', `that crew is already on its way to alert ${alert.alertId}`);
    const location = alert.schoolId === undefined ? undefined : deps.dispatch.schoolLocation(alert.schoolId);
    if (!location || alert.schoolId === undefined) return reject('not_found', `alert ${alert.alertId} has no school location`);
    const refusal = deps.dispatch.fleet.dispatch(
      { crewId: cmd.crewId, incidentId: alert.alertId, dispatchId: `dsp-${cmd.idempotencyKey}`, schoolId: alert.schoolId, target: location },
      { by: by(ctx), commandId, ...(unverified && reason ? { reason } : {}) },
    );
    // The fleet published the dispatched step itself (with this command's id).
    return refusal ? reject(refusal.code, refusal.reason) : { status: 'accepted', events: [] };
  },
  'dispatch.cancel': (cmd, ctx, deps, commandId) => {
    const alert = deps.state.alerts.get(cmd.alertId);
    if (!alert || !alert.streams.has(ctx.stream)) return reject('not_found', `alert ${cmd.alertId} is unknown or outside your scope`);
    if (ctx.user.role !== 'dispatcher') return reject('forbidden', 'only a police dispatcher can call a crew off');
    const d = alert.dispatches.get(cmd.dispatchId);
    if (!d) return reject('not_found', `dispatch ${cmd.dispatchId} is not part of alert ${cmd.alertId}`);
    if (!d.active || !deps.dispatch?.fleet.cancel(cmd.dispatchId, cmd.reason.trim(), { by: by(ctx), commandId })) return reject('not_active', `dispatch ${cmd.dispatchId} has already ended`);
    return { status: 'accepted', events: [] };
  },
  'school.unlock_turnstiles': (cmd, ctx, deps, commandId) => {
    const scope = ctx.user.scope;
    // Another school looks the same as an unknown one: a guard learns nothing about other schools.
    if ((scope.kind === 'school' && scope.schoolId !== cmd.schoolId) || !(deps.knownSchool?.(cmd.schoolId) ?? false))
      return reject('not_found', `school ${cmd.schoolId} is unknown or outside your scope`);
    if (!canUnlockTurnstiles(ctx.user, cmd.schoolId)) return reject('forbidden', `a ${ctx.user.role.replace('_', ' ')} may not unlock turnstiles; the school's guard or the duty officer can`);
    const drafts = deps.unlockTurnstiles?.(cmd.schoolId, { commandId, by: by(ctx), ...(cmd.alertId ? { alertId: cmd.alertId } : {}) }) ?? null;
    if (!drafts) return reject('no_turnstiles', `school ${cmd.schoolId} has no turnstile to unlock`);
    return { status: 'accepted', events: drafts };
  },
};

function by(ctx: CommandContext): { id: string; name: string } {
  return { id: ctx.user.id, name: ctx.user.name };
}

/** What a command targets, for matching a retried key against the log. */
function targetOf(cmd: Command): string {
  return commandSubject(cmd);
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
    if (outcome.events.length > 0) this.deps.publish(outcome.events);
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
