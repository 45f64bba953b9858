// The wall in its own Electron window (issue 3, "second display"): placed by wall-display.ts,
// remembered in the setting 'wall.window' when it closes, one at a time. The window loads the
// renderer with ?view=wall and follows the operator's layout through 'settings.changed' pushes.
// Not run in CI (no Electron binary here); type-checked with the host.
import { BrowserWindow, screen } from 'electron';
import type { WallWindowHost } from '../services/router';
import type { JsonValue } from '../services/store/settings';
import { createLogger } from '../shared/log';
import { secureWebPreferences } from './security';
import { placeWallWindow, WALL_WINDOW_SETTING, WallWindowPlacement, type DisplayInfo } from './wall-display';

const log = createLogger('wall-window');

export interface WallWindowDeps {
  settings: { get(key: string): JsonValue | null; set(key: string, value: JsonValue): void };
  preload: string;
  /** The renderer's URL with ?view=wall. */
  url: string;
}

export function createWallWindowHost({ settings, preload, url }: WallWindowDeps): WallWindowHost {
  let win: BrowserWindow | null = null;
  let label: string | null = null;
  const displays = (): DisplayInfo[] => {
    const primary = screen.getPrimaryDisplay().id;
    return screen.getAllDisplays().map((d) => ({ id: d.id, label: d.label || `${d.size.width}x${d.size.height}`, bounds: d.bounds, workArea: d.workArea, primary: d.id === primary }));
  };
  return {
    async open() {
      if (win && !win.isDestroyed()) {
        win.show();
        win.focus();
        return { display: label };
      }
      let remembered: JsonValue | null = null;
      try {
        remembered = settings.get(WALL_WINDOW_SETTING);
      } catch (e) {
        log.warn('the remembered wall window placement is unreadable; placing it afresh', { error: e });
      }
      const place = placeWallWindow(displays(), remembered);
      label = place.label || null;
      const w = new BrowserWindow({ ...place.bounds, backgroundColor: '#0e1116', title: 'Kuzet — wall', show: false, webPreferences: secureWebPreferences(preload) });
      win = w;
      w.once('ready-to-show', () => {
        if (place.fullscreen) w.setFullScreen(true);
        w.show();
      });
      w.on('close', () => {
        const placement = WallWindowPlacement.safeParse({ displayId: screen.getDisplayMatching(w.getNormalBounds()).id, bounds: w.getNormalBounds(), fullscreen: w.isFullScreen() });
        if (placement.success) settings.set(WALL_WINDOW_SETTING, placement.data);
      });
      w.on('closed', () => {
        if (win === w) win = null;
      });
      await w.loadURL(url);
      log.info('wall window opened', { display: label, fullscreen: place.fullscreen });
      return { display: label };
    },
  };
}
