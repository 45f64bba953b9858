// Keeps the wall's layout in the local store and every window that shows the wall in step:
// the live layout is the setting 'wall.current'; an edit here is saved (debounced), and a
// 'settings.changed' push from another window (a second display) is applied here.
import { useEffect } from 'react';
import { createLogger } from '../../../shared/log';
import { LayoutFile, WallLayout, type LayoutFile as LayoutFileT } from '../../../shared/wall';
import { consoleClient } from '../../lib/console-api';
import { useWallStore } from './store';

const log = createLogger('wall-sync');

export const CURRENT_LAYOUT_SETTING = 'wall.current';
const SAVE_DELAY_MS = 300;

/** Mount once per window showing the wall. `fallback` builds the layout when none was saved. */
export function useWallSync(fallback: () => WallLayout, enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    const api = consoleClient();
    let disposed = false;
    let lastJson: string | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;

    const pull = async () => {
      try {
        const { value } = await api['settings.get']({ key: CURRENT_LAYOUT_SETTING });
        if (disposed) return;
        const parsed = value === null ? null : WallLayout.safeParse(value);
        if (parsed && !parsed.success) log.warn('the saved wall layout does not fit the schema; starting afresh');
        const layout = parsed?.success ? parsed.data : null;
        const json = layout ? JSON.stringify(layout) : null;
        if (json !== null && json === lastJson) return;
        lastJson = json;
        useWallStore.getState().restore(layout, fallback);
      } catch (e) {
        log.warn('could not read the saved wall layout', { error: e });
        if (!useWallStore.getState().restored) useWallStore.getState().restore(null, fallback);
      }
    };
    const pullSaved = async () => {
      try {
        const { layouts } = await api['wall.layouts.list']({});
        if (!disposed) useWallStore.getState().setSaved(layouts);
      } catch (e) {
        log.warn('could not list the saved layouts', { error: e });
      }
    };

    const offSettings = api.on('settings.changed', ({ key }) => {
      if (key === CURRENT_LAYOUT_SETTING) void pull();
    });
    const offLayouts = api.on('wall.layouts.changed', () => void pullSaved());
    const unsubscribe = useWallStore.subscribe((s, prev) => {
      if (s.revision === prev.revision) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        const layout = useWallStore.getState().layout;
        const json = JSON.stringify(layout);
        if (json === lastJson) return;
        lastJson = json;
        api['settings.set']({ key: CURRENT_LAYOUT_SETTING, value: layout }).catch((e: unknown) => log.warn('could not save the wall layout', { error: e }));
      }, SAVE_DELAY_MS);
    });
    void pull();
    void pullSaved();
    return () => {
      disposed = true;
      if (timer) clearTimeout(timer);
      offSettings();
      offLayouts();
      unsubscribe();
    };
    // The fallback is read once, when nothing was saved; a new function must not re-run this.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [enabled]);
}

export async function saveNamedLayout(name: string): Promise<void> {
  await consoleClient()['wall.layouts.save']({ name, layout: useWallStore.getState().layout });
}

export async function deleteNamedLayout(name: string): Promise<void> {
  await consoleClient()['wall.layouts.delete']({ name });
}

export function layoutFile(name: string, layout: WallLayout): LayoutFileT {
  return { format: 'kuzet.wall-layout', version: 1, name, layout };
}

export type ImportResult = { ok: true; file: LayoutFileT } | { ok: false; reason: 'too_large' | 'not_json' | 'invalid'; detail: string };

/** A layout file from disk, validated before anything uses it. */
export function parseLayoutFile(text: string, maxBytes: number): ImportResult {
  if (text.length > maxBytes) return { ok: false, reason: 'too_large', detail: String(text.length) };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: 'not_json', detail: e instanceof Error ? e.message.slice(0, 200) : '' };
  }
  const parsed = LayoutFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: 'invalid', detail: issue ? `${issue.path.join('.') || '(file)'}: ${issue.message}`.slice(0, 200) : '' };
  }
  return { ok: true, file: parsed.data };
}
