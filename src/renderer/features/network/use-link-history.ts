// Fetches a school's link history from the city backend for a chart window, and again each minute
// (a new point a minute), through the console's validated backend client. A failure is kept as an
// error to show and logged once per kind; the chart goes on with the live samples it has.
import { useEffect, useState } from 'react';
import { createLogger } from '../../../shared/log';
import type { LinkHistory } from '../../../shared/protocol-network';
import { fetchLinkHistory } from '../../lib/backend-client';
import { errorRef, type ErrorRef } from '../../lib/errors';
import { useSessionStore } from '../session/store';

const log = createLogger('renderer.link-history');

export const HISTORY_REFRESH_MS = 60_000;

export interface LinkHistoryState {
  history: LinkHistory | null;
  loading: boolean;
  error: ErrorRef | null;
}

export function useLinkHistory(schoolId: string, windowMs: number): LinkHistoryState {
  const backendUrl = useSessionStore((s) => s.session?.backendUrl ?? null);
  const token = useSessionStore((s) => s.session?.login.token ?? null);
  const key = `${schoolId}|${windowMs}`;
  const [state, setState] = useState<LinkHistoryState & { key: string }>({ key: '', history: null, loading: true, error: null });

  useEffect(() => {
    if (!backendUrl || !token) return;
    let live = true;
    let lastProblem = '';
    const load = () => {
      const to = Date.now();
      fetchLinkHistory(backendUrl, token, schoolId, { from: to - windowMs, to }).then(
        (history) => {
          if (live) setState({ key, history, loading: false, error: null });
        },
        (e: unknown) => {
          if (!live) return;
          const ref = errorRef(e);
          if (ref.detail !== lastProblem) log.warn('link history refused', { schoolId, error: ref.detail.slice(0, 300) });
          lastProblem = ref.detail;
          setState((s) => ({ key, history: s.key === key ? s.history : null, loading: false, error: ref }));
        },
      );
    };
    load();
    const timer = setInterval(load, HISTORY_REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [backendUrl, token, schoolId, windowMs, key]);

  // Another school or window: nothing of the last one's answer applies.
  return state.key === key ? state : { history: null, loading: true, error: null };
}
