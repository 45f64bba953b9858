import { describe, expect, it } from 'vitest';
import { STREAM_MBPS } from '../../../shared/school-health';
import { chooseVariant } from './stream-choice';
import { linkKey, linksOfKey, planWallVideo, videoRoom, type WallTileDemand } from './video-budget';

/** A layout's tiles as the wall asks for them: every tile showing a camera of `schools[i]`. */
function layout(kind: '1' | '1+5' | '1+12' | '36', schools: (string | null)[], maximized: number | null = null): WallTileDemand[] {
  return schools.map((schoolId, index) => ({ index, schoolId, variant: chooseVariant(kind, index, maximized === index), hidden: maximized !== null && maximized !== index }));
}
const healthy = () => undefined;

describe('the wall against each school video budget', () => {
  it('leaves a healthy school alone: 36 tiles of one school (one main) stay within 30 Mbps', () => {
    const plan = planWallVideo(layout('36', Array(36).fill('GYM1')), healthy);
    expect(plan.over).toEqual([]);
    expect(plan.variants.filter((v) => v === 'main')).toHaveLength(0);
    const big = planWallVideo(layout('1+12', Array(13).fill('GYM1')), healthy);
    expect(big.variants[0]).toBe('main');
    expect(big.over).toEqual([]);
  });

  it('switches the main stream of a school whose link is below budget, naming the school, and says when even sub streams are too much', () => {
    // 40 Mbps worst: 20 to the alarm channel first, 20 left for video.
    const links = (id: string) => (id === 'S1' ? { state: 'below_budget' as const, worstMbps: 40 } : undefined);
    const tiles = layout('1+5', ['S1', 'S1', 'S2', 'S1', null, 'S2']);
    expect(planWallVideo(tiles, links).over).toEqual([]); // 4 + 2 x 0.5 = 5 <= 20
    const at22 = (id: string) => (id === 'S1' ? { state: 'below_budget' as const, worstMbps: 22 } : undefined);
    const plan = planWallVideo(tiles, at22);
    expect(plan.variants).toEqual(['sub', 'sub', 'sub', 'sub', 'sub', 'sub']);
    expect([...plan.switchedFor]).toEqual([[0, 'S1']]);
    expect(plan.over).toEqual([{ schoolId: 'S1', askedMbps: STREAM_MBPS.main + 2 * STREAM_MBPS.sub, plannedMbps: 3 * STREAM_MBPS.sub, roomMbps: 2, limit: { kind: 'link', linkMbps: 22 }, switched: [0], overEvenOnSub: false }]);
    // A link at 20 Mbps leaves the video channel nothing.
    const at20 = planWallVideo(tiles, (id) => (id === 'S1' ? { state: 'below_budget', worstMbps: 20 } : undefined));
    expect(at20.over[0]).toMatchObject({ schoolId: 'S1', roomMbps: 0, overEvenOnSub: true, switched: [0] });
  });

  it('counts only the tiles that play: a maximized tile plays main, the hidden ones nothing', () => {
    const links = () => ({ state: 'below_budget' as const, worstMbps: 23 }); // room 3 Mbps
    const plan = planWallVideo(layout('36', Array(36).fill('S1'), 5), links);
    expect(plan.variants[5]).toBe('sub');
    expect(plan.over).toEqual([expect.objectContaining({ askedMbps: STREAM_MBPS.main, plannedMbps: STREAM_MBPS.sub, switched: [5], overEvenOnSub: false })]);
  });

  it('gives the video channel its whole budget while the link is within budget, at most that when below', () => {
    expect(videoRoom(undefined)).toEqual({ kind: 'budget', roomMbps: 30 });
    expect(videoRoom({ state: 'ok', worstMbps: undefined })).toEqual({ kind: 'budget', roomMbps: 30 });
    expect(videoRoom({ state: 'below_budget', worstMbps: 120 })).toEqual({ kind: 'link', linkMbps: 120, roomMbps: 30 });
    expect(videoRoom({ state: 'below_budget', worstMbps: 12 })).toEqual({ kind: 'link', linkMbps: 12, roomMbps: 0 });
  });

  it('keys the live link state by the schools below budget only, and reads the key back', () => {
    const state = new Map([
      ['A', { state: 'below_budget' as const, worstMbps: 19.6 }],
      ['B', { state: 'ok' as const, worstMbps: undefined }],
    ]);
    const key = linkKey(['B', 'A', 'A', 'C'], (id) => state.get(id));
    expect(key).toBe('A=19');
    expect([...linksOfKey(key)]).toEqual([['A', { state: 'below_budget', worstMbps: 19 }]]);
    expect(linksOfKey('').size).toBe(0);
  });
});
