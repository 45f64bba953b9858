// The city map's optional internal tile server (setting 'map.tileServer', see shared/tile-server.ts).
// The hosts build the page's CSP from the setting when they serve the document, so this window may
// load tiles only from the server that was set when it loaded: `effective` is read once per
// document and never changes; `saved` follows edits, and a difference asks for a reload.
import { create } from 'zustand';
import { createLogger } from '../../../shared/log';
import { TILE_SERVER_SETTING, checkTileTemplate, tileServerOf, type TileServer } from '../../../shared/tile-server';
import { consoleClient } from '../../lib/console-api';
import { errorRef, type ErrorRef } from '../../lib/errors';

const log = createLogger('city-tiles');

export interface TileSettingsStore {
  loaded: boolean;
  /** What this document's CSP allows and the map draws. */
  effective: TileServer | null;
  /** What is stored now. */
  saved: TileServer | null;
  error: ErrorRef | null;
  load(): Promise<void>;
  /** Stores a template (null clears it); false with `error` set when it is refused. */
  save(template: string | null): Promise<boolean>;
  reset(): void;
}

export const useTileSettings = create<TileSettingsStore>()((set, get) => ({
  loaded: false,
  effective: null,
  saved: null,
  error: null,
  load: async () => {
    if (get().loaded) return;
    try {
      const { value } = await consoleClient()['settings.get']({ key: TILE_SERVER_SETTING });
      const server = tileServerOf(value);
      if (value !== null && !server) log.warn('the stored tile server is not a valid template; the map draws without tiles');
      set({ loaded: true, effective: server, saved: server });
    } catch (e) {
      log.warn('could not read the tile server setting; the map draws without tiles', { error: e });
      set({ loaded: true });
    }
  },
  save: async (template) => {
    const trimmed = template?.trim() ?? '';
    const value = trimmed === '' ? null : trimmed;
    if (value !== null) {
      // Checked here for an immediate answer; the router checks again (it is the boundary).
      const checked = checkTileTemplate(value);
      if (!checked.ok) {
        set({ error: { source: 'api', code: 'bad_request', detail: checked.error.message } });
        return false;
      }
    }
    try {
      await consoleClient()['settings.set']({ key: TILE_SERVER_SETTING, value });
      set({ saved: tileServerOf(value), error: null });
      return true;
    } catch (e) {
      set({ error: errorRef(e) });
      return false;
    }
  },
  reset: () => set({ loaded: false, effective: null, saved: null, error: null }),
}));
