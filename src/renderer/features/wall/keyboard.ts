// The wall driven from the keyboard alone, as CCTV keyboards do. Keys reach the wall unless the
// operator is typing in a field; the map is shown on screen (ShortcutBar in WallArea.tsx).
import { useEffect } from 'react';
import { moveFocus, tileCount } from './layouts';
import { useWallStore } from './store';

/** Two digits typed within this window make one tile number (1..36). */
export const DIGIT_WINDOW_MS = 900;

export interface WallKeyHandlers {
  onStepCamera(dir: 1 | -1): void;
  onToggleTour(): void;
  onSnapshot(): void;
}

const ARROWS: Record<string, 'left' | 'right' | 'up' | 'down'> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };

/** Tile number typed so far -> tile index, given the previous digits and the tile count. */
export function digitTile(buffer: string, digit: string, tiles: number): { buffer: string; index: number | null } {
  const joined = buffer + digit;
  const n = Number(joined);
  if (joined.length <= 2 && n >= 1 && n <= tiles) return { buffer: joined, index: n - 1 };
  const single = Number(digit);
  if (single >= 1 && single <= tiles) return { buffer: digit, index: single - 1 };
  return { buffer: '', index: null };
}

/** Keys are the wall's when focus is on the wall (or nowhere), and not in a text field. */
function forWall(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return true;
  if (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return false;
  return target === document.body || target.closest('[data-testid="wall"]') !== null;
}

export function useWallKeyboard(handlers: WallKeyHandlers): void {
  const { onStepCamera, onToggleTour, onSnapshot } = handlers;
  useEffect(() => {
    let buffer = '';
    let lastDigitAt = 0;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      if (!forWall(e.target)) return;
      const s = useWallStore.getState();
      const tiles = tileCount(s.layout.kind);
      let handled = true;
      if (/^[0-9]$/.test(e.key)) {
        const now = performance.now();
        const next = digitTile(now - lastDigitAt < DIGIT_WINDOW_MS ? buffer : '', e.key, tiles);
        buffer = next.buffer;
        lastDigitAt = now;
        if (next.index !== null) {
          s.select(next.index);
          // While a tile is maximized, a number brings that tile up instead.
          if (s.maximized !== null) useWallStore.setState({ maximized: next.index });
        }
      } else if (ARROWS[e.key]) {
        if (s.maximized === null) s.select(moveFocus(s.layout.kind, s.selected, ARROWS[e.key]!));
      } else if (e.key === 'Enter') {
        s.toggleMaximize();
      } else if (e.key === 'Escape') {
        if (s.maximized === null) handled = false;
        else s.restoreSize();
      } else if (e.key === 'PageDown' || e.key === 'n' || e.key === 'N') {
        onStepCamera(1);
      } else if (e.key === 'PageUp' || e.key === 'p' || e.key === 'P') {
        onStepCamera(-1);
      } else if (e.key === 't' || e.key === 'T') {
        onToggleTour();
      } else if (e.key === 's' || e.key === 'S') {
        onSnapshot();
      } else if (e.key === 'Delete' || e.key === 'Backspace') {
        s.clear(s.selected);
      } else if (e.key === '/') {
        const search = document.querySelector<HTMLInputElement>('[data-testid="camera-search"]');
        if (search) search.focus();
        else handled = false;
      } else {
        handled = false;
      }
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onStepCamera, onToggleTour, onSnapshot]);
}
