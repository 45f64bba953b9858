import { describe, expect, it } from 'vitest';
import { LAYOUT_KINDS } from '../../../shared/wall';
import { digitTile } from './keyboard';
import { Tour } from '../../../shared/wall';
import { clearTile, dropCameras, editTour, emptyLayout, geometry, moveFocus, stepCamera, swapTiles, tileCount, tourPage, tourPages, withKind } from './layouts';
import { chooseVariant, checkSource } from './stream-choice';

describe('layout geometry', () => {
  it('has the tile counts operators expect', () => {
    expect(LAYOUT_KINDS.map((k) => [k, tileCount(k)])).toEqual([
      ['1', 1],
      ['4', 4],
      ['9', 9],
      ['16', 16],
      ['25', 25],
      ['36', 36],
      ['1+5', 6],
      ['1+7', 8],
      ['1+12', 13],
    ]);
  });

  it('covers every grid cell exactly once in every kind', () => {
    for (const kind of LAYOUT_KINDS) {
      const g = geometry(kind);
      const seen = new Set<string>();
      for (const t of g.tiles) {
        for (let r = t.row; r < t.row + t.rowSpan; r++) {
          for (let c = t.col; c < t.col + t.colSpan; c++) {
            const key = `${r},${c}`;
            expect(seen.has(key), `${kind}: ${key} twice`).toBe(false);
            seen.add(key);
          }
        }
      }
      expect(seen.size, kind).toBe(g.cols * g.rows);
    }
  });
});

describe('layout edits', () => {
  it('drops one camera on a tile and a set from that tile onwards, reporting what did not fit', () => {
    let layout = emptyLayout('4');
    layout = dropCameras(layout, 1, ['a']).layout;
    expect(layout.cells).toEqual([null, 'a', null, null]);
    const r = dropCameras(layout, 2, ['b', 'c', 'd']);
    expect(r.layout.cells).toEqual([null, 'a', 'b', 'c']);
    expect([r.placed, r.left]).toEqual([2, 1]);
    expect(dropCameras(layout, 9, ['x']).placed).toBe(0);
  });

  it('swaps and clears tiles; changing the kind keeps the cameras that still fit', () => {
    const layout = dropCameras(emptyLayout('9'), 0, ['a', 'b', 'c', 'd', 'e']).layout;
    expect(swapTiles(layout, 0, 4).cells.slice(0, 5)).toEqual(['e', 'b', 'c', 'd', 'a']);
    expect(swapTiles(layout, 0, 40)).toBe(layout);
    expect(clearTile(layout, 1).cells[1]).toBeNull();
    expect(withKind(layout, '4').cells).toEqual(['a', 'b', 'c', 'd']);
    expect(withKind(layout, '16').cells).toHaveLength(16);
  });

  it('pages a tour through its cameras and wraps around', () => {
    const tour = { cameraIds: ['a', 'b', 'c', 'd', 'e'], dwellSeconds: 10 };
    expect(tourPage(tour, 0, 4)).toEqual(['a', 'b', 'c', 'd']);
    expect(tourPage(tour, 1, 4)).toEqual(['e', null, null, null]);
    expect(tourPage(tour, 2, 4)).toEqual(['a', 'b', 'c', 'd']);
    expect(tourPage(tour, -1, 4)).toEqual(['e', null, null, null]);
  });

  it('cycles a tour through its own camera sets', () => {
    const tour = { sets: [['a', null, 'c'], ['d']], dwellSeconds: 5 };
    expect(tourPages(tour, 4)).toBe(2);
    expect(tourPage(tour, 0, 4)).toEqual(['a', null, 'c', null]);
    expect(tourPage(tour, 1, 4)).toEqual(['d', null, null, null]);
    expect(tourPage(tour, 3, 4)).toEqual(['d', null, null, null]);
    // A set longer than the layout shows what fits.
    expect(tourPage(tour, 0, 1)).toEqual(['a']);
  });

  it('edits a tour: create from the wall, replace, reorder, dwell, remove down to nothing', () => {
    let tour = editTour(null, 4, { kind: 'add', cells: ['a', 'b', null, null] });
    expect(tour).toEqual({ sets: [['a', 'b']], dwellSeconds: 10 });
    // An empty wall adds nothing.
    expect(editTour(tour, 4, { kind: 'add', cells: [null, null, null, null] })).toBe(tour);
    tour = editTour(tour, 4, { kind: 'add', cells: [null, 'c', null, null] });
    expect(tour?.sets).toEqual([['a', 'b'], [null, 'c']]);
    tour = editTour(tour, 4, { kind: 'move', step: 1, dir: -1 });
    expect(tour?.sets).toEqual([[null, 'c'], ['a', 'b']]);
    expect(editTour(tour, 4, { kind: 'move', step: 1, dir: 1 })).toBe(tour);
    tour = editTour(tour, 4, { kind: 'replace', step: 0, cells: ['x', null, null, 'y'] });
    expect(tour?.sets).toEqual([['x', null, null, 'y'], ['a', 'b']]);
    tour = editTour(tour, 4, { kind: 'dwell', seconds: 30 });
    expect(tour?.dwellSeconds).toBe(30);
    expect(Tour.safeParse(tour).success).toBe(true);
    tour = editTour(tour, 4, { kind: 'remove', step: 0 });
    expect(tour).toEqual({ sets: [['a', 'b']], dwellSeconds: 30 });
    expect(editTour(tour, 4, { kind: 'remove', step: 0 })).toBeNull();
  });

  it('turns a paged camera list into sets when the operator edits it', () => {
    const tour = editTour({ cameraIds: ['a', 'b', 'c', 'd', 'e'], dwellSeconds: 10 }, 4, { kind: 'remove', step: 0 });
    expect(tour).toEqual({ sets: [['e', null, null, null]], dwellSeconds: 10 });
  });

  it('validates tours: sets or a list, not both, not neither', () => {
    expect(Tour.safeParse({ sets: [['a']], dwellSeconds: 10 }).success).toBe(true);
    expect(Tour.safeParse({ cameraIds: ['a'], dwellSeconds: 10 }).success).toBe(true);
    expect(Tour.safeParse({ sets: [['a']], cameraIds: ['a'], dwellSeconds: 10 }).success).toBe(false);
    expect(Tour.safeParse({ dwellSeconds: 10 }).success).toBe(false);
    expect(Tour.safeParse({ sets: [], dwellSeconds: 10 }).success).toBe(false);
    expect(Tour.safeParse({ sets: [['a']], dwellSeconds: 1 }).success).toBe(false);
  });

  it('steps to the next and previous camera, wrapping', () => {
    expect(stepCamera(['a', 'b', 'c'], 'c', 1)).toBe('a');
    expect(stepCamera(['a', 'b', 'c'], 'a', -1)).toBe('c');
    expect(stepCamera(['a', 'b', 'c'], null, 1)).toBe('a');
    expect(stepCamera([], 'a', 1)).toBeNull();
  });

  it('moves focus by arrow to the neighbouring tile, also around the large tile', () => {
    expect(moveFocus('9', 0, 'right')).toBe(1);
    expect(moveFocus('9', 0, 'down')).toBe(3);
    expect(moveFocus('9', 0, 'left')).toBe(0);
    expect(moveFocus('9', 8, 'up')).toBe(5);
    // 1+5: tile 0 is 2x2 at the top left; tiles 1 and 2 are the right column.
    expect(moveFocus('1+5', 0, 'right')).toBeOneOf([1, 2]);
    expect(moveFocus('1+5', 1, 'left')).toBe(0);
  });

  it('reads one or two typed digits as a tile number', () => {
    expect(digitTile('', '3', 9)).toEqual({ buffer: '3', index: 2 });
    expect(digitTile('1', '2', 16)).toEqual({ buffer: '12', index: 11 });
    // 12 does not exist in a 9-tile layout: the second digit starts over.
    expect(digitTile('1', '2', 9)).toEqual({ buffer: '2', index: 1 });
    expect(digitTile('', '0', 9)).toEqual({ buffer: '', index: null });
  });
});

describe('stream choice', () => {
  it('plays the sub stream in small tiles and the main stream in large or maximized ones', () => {
    expect(chooseVariant('1', 0, false)).toBe('main');
    expect(chooseVariant('4', 0, false)).toBe('sub');
    expect(chooseVariant('9', 3, false)).toBe('sub');
    expect(chooseVariant('9', 3, true)).toBe('main');
    expect(chooseVariant('1+5', 0, false)).toBe('main');
    expect(chooseVariant('1+5', 1, false)).toBe('sub');
    expect(chooseVariant('1+12', 0, false)).toBe('main');
    expect(chooseVariant('36', 0, false)).toBe('sub');
  });

  it('refuses streams that are not http(s) or not on the media origin, before any fetch', () => {
    const origin = 'http://127.0.0.1:7400';
    expect(checkSource('http://127.0.0.1:7400/media/c1/sub/index.m3u8', origin)).toEqual({ ok: true, url: 'http://127.0.0.1:7400/media/c1/sub/index.m3u8' });
    expect(checkSource('file:///etc/passwd', origin)).toMatchObject({ ok: false, reason: 'scheme', detail: 'file' });
    expect(checkSource('javascript:alert(1)', origin)).toMatchObject({ ok: false, reason: 'scheme' });
    expect(checkSource('http://evil.example/media/c1/sub/index.m3u8', origin)).toMatchObject({ ok: false, reason: 'origin', detail: 'http://evil.example' });
    expect(checkSource('https://127.0.0.1:7400/x.m3u8', origin)).toMatchObject({ ok: false, reason: 'origin' });
    expect(checkSource('http://user:pw@127.0.0.1:7400/x.m3u8', origin)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(checkSource('not a url', origin)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(checkSource('', origin)).toMatchObject({ ok: false, reason: 'no_stream' });
  });
});
