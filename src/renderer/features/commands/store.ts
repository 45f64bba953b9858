// Operator commands in flight and their answers, shown per alert and as result notices.
import { create } from 'zustand';
import type { Command, CommandKind } from '../../../shared/protocol';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A command as a view issues it; the link adds the idempotency key. */
export type CommandInput = DistributiveOmit<Command, 'idempotencyKey'>;

export type CommandOutcome =
  | { status: 'accepted'; duplicate: boolean }
  | { status: 'rejected'; reason: string; code: string }
  /** No link, or no answer in time: kept in the outbox and sent (once) when the link is back. */
  | { status: 'queued'; why: 'offline' | 'timeout' }
  /** The command's fate is unknown: an unreadable answer, or the outbox could not keep it. */
  | { status: 'failed'; why: 'offline' | 'timeout' | 'invalid_answer' };

export interface CommandState {
  kind: CommandKind;
  state: 'pending' | CommandOutcome;
}

export interface CommandNotice {
  id: number;
  kind: CommandKind;
  /** The command's subject: an alertId, or `school:<id>` (commandSubject). */
  alertId: string;
  outcome: CommandOutcome;
}

export interface CommandsStore {
  /** Subject (alertId, or `school:<id>`; see commandSubject) -> the operator's latest command on it: in flight, or its last outcome. */
  byAlert: ReadonlyMap<string, CommandState>;
  notices: readonly CommandNotice[];
  start(kind: CommandKind, alertId: string): void;
  finish(kind: CommandKind, alertId: string, outcome: CommandOutcome): void;
  /** The state of a command from before a reload (e.g. waiting in the outbox), without a notice. */
  restore(kind: CommandKind, alertId: string, outcome: CommandOutcome): void;
  dismiss(id: number): void;
  reset(): void;
}

const MAX_NOTICES = 5;
let nextNotice = 1;

export const useCommandsStore = create<CommandsStore>()((set) => ({
  byAlert: new Map(),
  notices: [],
  start: (kind, alertId) => set((s) => ({ byAlert: new Map(s.byAlert).set(alertId, { kind, state: 'pending' }) })),
  finish: (kind, alertId, outcome) =>
    set((s) => ({
      byAlert: new Map(s.byAlert).set(alertId, { kind, state: outcome }),
      notices: [{ id: nextNotice++, kind, alertId, outcome }, ...s.notices].slice(0, MAX_NOTICES),
    })),
  restore: (kind, alertId, outcome) => set((s) => ({ byAlert: new Map(s.byAlert).set(alertId, { kind, state: outcome }) })),
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
  reset: () => set({ byAlert: new Map(), notices: [] }),
}));

/** The operator's command of this kind on the alert is in flight. */
export function isPending(c: CommandState | undefined, kind: CommandKind): boolean {
  return c?.kind === kind && c.state === 'pending';
}
