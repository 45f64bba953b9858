// The token lives in sessionStorage: a reload of this tab stays signed in, a new window asks again,
// and closing the tab forgets it. Validated on read like anything else that crosses a boundary.
import { z } from 'zod';
import { LoginResponse } from '../../../shared/protocol';
import type { ActiveSession } from './store';

const KEY = 'kuzet.session';
const Stored = z.strictObject({ backendUrl: z.string().max(2000), login: LoginResponse });

function storage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

export function readStoredSession(backendUrl: string): ActiveSession | null {
  const raw = storage()?.getItem(KEY);
  if (!raw) return null;
  try {
    const parsed = Stored.safeParse(JSON.parse(raw));
    // A session for another backend is of no use here.
    if (parsed.success && parsed.data.backendUrl === backendUrl) return parsed.data;
  } catch {
    // fall through: unreadable, forget it
  }
  clearStoredSession();
  return null;
}

export function storeSession(session: ActiveSession): void {
  storage()?.setItem(KEY, JSON.stringify(session));
}

export function clearStoredSession(): void {
  storage()?.removeItem(KEY);
}
