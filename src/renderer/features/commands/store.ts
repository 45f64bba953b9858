// Operator commands in flight and their answers, shown per alert and as result notices.
import { create } from 'zustand';

export type CommandOutcome =
  | { status: 'accepted'; duplicate: boolean }
  | { status: 'rejected'; reason: string; code: string }
  /** The command's fate is unknown: no link, no answer in time, or an unreadable answer. */
  | { status: 'failed'; why: 'offline' | 'timeout' | 'invalid_answer' };

export interface CommandNotice {
  id: number;
  kind: 'alert.acknowledge';
  alertId: string;
  outcome: CommandOutcome;
}

export interface CommandsStore {
  /** alertId -> 'pending' while its command is in flight, or the last outcome. */
  byAlert: ReadonlyMap<string, 'pending' | CommandOutcome>;
  notices: readonly CommandNotice[];
  start(alertId: string): void;
  finish(kind: CommandNotice['kind'], alertId: string, outcome: CommandOutcome): void;
  dismiss(id: number): void;
  reset(): void;
}

const MAX_NOTICES = 5;
let nextNotice = 1;

export const useCommandsStore = create<CommandsStore>()((set) => ({
  byAlert: new Map(),
  notices: [],
  start: (alertId) => set((s) => ({ byAlert: new Map(s.byAlert).set(alertId, 'pending') })),
  finish: (kind, alertId, outcome) =>
    set((s) => ({
      byAlert: new Map(s.byAlert).set(alertId, outcome),
      notices: [{ id: nextNotice++, kind, alertId, outcome }, ...s.notices].slice(0, MAX_NOTICES),
    })),
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
  reset: () => set({ byAlert: new Map(), notices: [] }),
}));
