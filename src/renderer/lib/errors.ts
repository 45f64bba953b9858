// Turns any error the console can meet into a translated message plus its technical detail.
import type { TFunction } from 'i18next';
import { ConsoleApiError } from '../../shared/result';
import { BackendError } from './backend-client';

export interface ShownError {
  message: string;
  detail: string | null;
}

export function describeError(t: TFunction, e: unknown): ShownError {
  return describeErrorRef(t, errorRef(e));
}

/** A serialisable form for stores: the error's kind and code, translated when shown. */
export interface ErrorRef {
  source: 'backend' | 'api' | 'other';
  code: string;
  status?: number;
  detail: string;
}

export function errorRef(e: unknown): ErrorRef {
  if (e instanceof BackendError) return { source: 'backend', code: e.code, status: e.status, detail: e.message };
  if (e instanceof ConsoleApiError) return { source: 'api', code: e.code, detail: e.message };
  return { source: 'other', code: 'unexpected', detail: e instanceof Error ? e.message : String(e) };
}

export function describeErrorRef(t: TFunction, ref: ErrorRef): ShownError {
  if (ref.source === 'backend') {
    const code = ref.code as BackendError['code'];
    return { message: code === 'http' ? t('errors.backend.http', { status: ref.status ?? '?' }) : t(`errors.backend.${code}`), detail: ref.detail };
  }
  if (ref.source === 'api') return { message: t(`errors.api.${ref.code as ConsoleApiError['code']}`), detail: ref.detail };
  return { message: t('errors.unexpected'), detail: ref.detail };
}
