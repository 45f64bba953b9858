// Who is signed in, against which backend, and where the console is in its start-up.
import { create } from 'zustand';
import type { Output } from '../../../shared/api';
import type { LoginResponse } from '../../../shared/protocol';
import type { ErrorRef } from '../../lib/errors';

export type AppInfo = Output<'app.info'>;

export interface ActiveSession {
  backendUrl: string;
  login: LoginResponse;
}

export type Phase = 'boot' | 'login' | 'active' | 'fatal';

export interface SessionStore {
  phase: Phase;
  info: AppInfo | null;
  session: ActiveSession | null;
  /** The journal's alerts are in the alert store. */
  alertsLoaded: boolean;
  /** Why the console is on the login screen (session expired…) or could not start. */
  notice: ErrorRef | null;
  setInfo(info: AppInfo): void;
  showLogin(notice: ErrorRef | null): void;
  activate(session: ActiveSession): void;
  setAlertsLoaded(): void;
  fatal(notice: ErrorRef): void;
  reset(): void;
}

const initial = { phase: 'boot' as Phase, info: null, session: null, alertsLoaded: false, notice: null };

export const useSessionStore = create<SessionStore>()((set) => ({
  ...initial,
  setInfo: (info) => set({ info }),
  showLogin: (notice) => set({ phase: 'login', session: null, alertsLoaded: false, notice }),
  activate: (session) => set({ phase: 'active', session, alertsLoaded: false, notice: null }),
  setAlertsLoaded: () => set({ alertsLoaded: true }),
  fatal: (notice) => set({ phase: 'fatal', notice }),
  reset: () => set(initial),
}));

export const selectUser = (s: SessionStore) => s.session?.login.user ?? null;
