import { describe, expect, it } from 'vitest';
import { placeWallWindow, type DisplayInfo } from './wall-display';

const main: DisplayInfo = { id: 1, label: 'Built-in', primary: true, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1040 } };
const wallScreen: DisplayInfo = { id: 2, label: 'Wall TV', primary: false, bounds: { x: 1920, y: 0, width: 3840, height: 2160 }, workArea: { x: 1920, y: 0, width: 3840, height: 2160 } };

describe('wall window placement', () => {
  it('goes full screen on a display other than the primary one', () => {
    expect(placeWallWindow([main, wallScreen], null)).toEqual({ displayId: 2, bounds: wallScreen.bounds, fullscreen: true, label: 'Wall TV' });
  });

  it('comes back where it was while that display is attached', () => {
    const remembered = { displayId: 1, bounds: { x: 100, y: 50, width: 800, height: 600 }, fullscreen: false };
    expect(placeWallWindow([main, wallScreen], remembered)).toMatchObject(remembered);
    // The display is gone (or the bounds no longer fit it): placed afresh.
    expect(placeWallWindow([main], { ...remembered, displayId: 2 })).toMatchObject({ displayId: 1, fullscreen: false });
    expect(placeWallWindow([main, wallScreen], { ...remembered, bounds: { x: 5000, y: 0, width: 800, height: 600 } })).toMatchObject({ displayId: 2, fullscreen: true });
  });

  it('ignores a remembered value that is not a placement, and opens a window on a single display', () => {
    const p = placeWallWindow([main], { displayId: 'x' });
    expect(p).toMatchObject({ displayId: 1, fullscreen: false });
    expect(p.bounds.width).toBeLessThan(main.workArea.width);
  });
});
