// Floor background drawings that came from the backend (another console's editor uploaded them): the
// floor names the image by id (catalog, SchoolPlan), this module fetches its bytes and has this
// console's services check them like an imported file (kind by magic bytes, size, SVG rebuilt by the
// sanitizer) before anything shows them, and only ever as an image. The checked image is kept in the
// local store too, so the editor can save a draft over it.
//
//   const bg = await loadFloorBackground('GYM1', floor.background.id);   // PlanBackground | throws
//   const shown = useFloorBackground('GYM1', floor.background);           // { src, status }
import { useEffect, useState } from 'react';
import { createLogger } from '../../../shared/log';
import type { PlanBackground } from '../../../shared/plan-editor';
import type { FloorBackground } from '../../../shared/protocol';
import { toBase64 } from '../../lib/base64';
import { fetchPlanBackground } from '../../lib/backend-client';
import { consoleApi } from '../session/controller';
import { useSessionStore } from '../session/store';

const log = createLogger('plan-backgrounds');

/** Checked images kept in memory (each up to a few MB as a data URL). */
const KEPT = 6;
const cache = new Map<string, Promise<PlanBackground>>();

export function loadFloorBackground(schoolId: string, id: string): Promise<PlanBackground> {
  const key = `${schoolId}/${id}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const loading = (async () => {
    const s = useSessionStore.getState().session;
    const api = consoleApi();
    if (!s || !api) throw new Error('not signed in');
    const bytes = await fetchPlanBackground(s.backendUrl, s.login.token, schoolId, id);
    const checked = await api['plans.importBackground']({ fileName: `plan image ${id.slice(0, 12)}`, data: toBase64(bytes) });
    // The backend keeps what it checked; checked again here it is the same image (the sanitizer's
    // output is a fixed point), unless the backend is not the one that checked it.
    if (checked.id !== id) log.warn('a plan image changed when checked again; the checked one is shown', { schoolId, id, checked: checked.id, removed: checked.removed.length });
    return checked;
  })();
  cache.set(key, loading);
  // A failure is not kept: the next view of the floor tries again.
  loading.catch(() => cache.get(key) === loading && cache.delete(key));
  while (cache.size > KEPT) cache.delete(cache.keys().next().value!);
  return loading;
}

export function backgroundSrc(bg: Pick<PlanBackground, 'mediaType' | 'data'>): string {
  return `data:${bg.mediaType};base64,${bg.data}`;
}

export type ShownBackground = { status: 'none' } | { status: 'loading' } | { status: 'failed' } | { status: 'ready'; src: string };

/** The floor's background as an image source, once fetched and checked. */
export function useFloorBackground(schoolId: string | null, background: FloorBackground | undefined): ShownBackground {
  const id = background?.id ?? null;
  const [shown, setShown] = useState<{ key: string; value: ShownBackground } | null>(null);
  const key = schoolId && id ? `${schoolId}/${id}` : null;
  useEffect(() => {
    if (!schoolId || !id) return;
    let live = true;
    loadFloorBackground(schoolId, id).then(
      (bg) => live && setShown({ key: `${schoolId}/${id}`, value: { status: 'ready', src: backgroundSrc(bg) } }),
      (e: unknown) => {
        log.warn('a floor’s plan image could not be shown', { schoolId, id, error: e });
        if (live) setShown({ key: `${schoolId}/${id}`, value: { status: 'failed' } });
      },
    );
    return () => {
      live = false;
    };
  }, [schoolId, id]);
  if (!key) return { status: 'none' };
  return shown?.key === key ? shown.value : { status: 'loading' };
}
