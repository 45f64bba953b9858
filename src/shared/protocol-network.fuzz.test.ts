// Property-based fuzzing of the link-history reply (protocol-network.ts), as in protocol.fuzz.test.ts:
// the validator never throws, accepts what is valid, and rejects any mutation that makes it invalid.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LinkHistory, LinkHistoryPoint } from './protocol-network';

const RUNS = 300;
const id = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,40}$/);
const mbps = fc.double({ min: 0, max: 100_000, noNaN: true });

const point = fc
  .tuple(fc.integer({ min: 0, max: 9e12 }), fc.integer({ min: 1, max: 100_000 }), mbps, mbps, mbps, mbps, mbps, mbps)
  .map(([at, samples, a, b, c, alarm, video, education]) => {
    const [minMbps, meanMbps, maxMbps] = [a, b, c].sort((x, y) => x - y) as [number, number, number];
    return { at, samples, minMbps, meanMbps, maxMbps, alarm, video, education };
  });

const history = fc
  .record({
    schoolId: id,
    bucketMs: fc.integer({ min: 1000, max: 3600_000 }),
    from: fc.integer({ min: 0, max: 4e12 }),
    span: fc.integer({ min: 0, max: 4e12 }),
    budget: fc.record({ alarm: mbps, video: mbps, education: mbps }),
    points: fc.array(point, { maxLength: 20 }),
  })
  .map(({ span, points, ...h }) => {
    const sorted = [...new Map(points.map((p) => [p.at, p])).values()].sort((a, b) => a.at - b.at);
    return { ...h, to: h.from + span, points: sorted };
  });

const wrong = [null, '', -1, 1e15, Number.NaN, [], {}, true];

describe('link history validators (fast-check)', () => {
  it('never throw on anything', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        LinkHistory.safeParse(x);
        LinkHistoryPoint.safeParse(x);
      }),
      { numRuns: RUNS },
    );
  });

  it('accept valid replies', () => {
    fc.assert(fc.property(history, (h) => LinkHistory.safeParse(h).success), { numRuns: RUNS });
  });

  it('reject an unknown key, a missing key or a wrong value in any field of the reply or of a point', () => {
    fc.assert(
      fc.property(history, fc.constantFrom(...wrong), fc.nat(), (h, bad, n) => {
        const keys = Object.keys(h) as (keyof typeof h)[];
        const k = keys[n % keys.length]!;
        if (LinkHistory.safeParse({ ...h, extra: 1 }).success) return false;
        const { [k]: _dropped, ...missing } = h;
        if (LinkHistory.safeParse(missing).success) return false;
        if (k !== 'points' || !Array.isArray(bad)) if (LinkHistory.safeParse({ ...h, [k]: bad }).success) return false;
        if (h.points.length === 0) return true;
        const p = h.points[n % h.points.length]!;
        const pk = Object.keys(p)[n % 8] as keyof typeof p;
        const { [pk]: _gone, ...partial } = p;
        return !LinkHistoryPoint.safeParse(partial).success && !LinkHistoryPoint.safeParse({ ...p, [pk]: bad }).success && !LinkHistoryPoint.safeParse({ ...p, extra: 1 }).success;
      }),
      { numRuns: RUNS },
    );
  });

  it('reject capacity out of order (min > mean or mean > max), points out of time order, and from after to', () => {
    const p = { at: 60_000, samples: 60, minMbps: 20, meanMbps: 100, maxMbps: 150, alarm: 1, video: 2, education: 3 };
    const h = { schoolId: 'S1', bucketMs: 60_000, from: 0, to: 600_000, budget: { alarm: 20, video: 30, education: 100 }, points: [p, { ...p, at: 120_000 }] };
    expect(LinkHistory.safeParse(h).success).toBe(true);
    expect(LinkHistoryPoint.safeParse({ ...p, minMbps: 120 }).success).toBe(false);
    expect(LinkHistoryPoint.safeParse({ ...p, maxMbps: 90 }).success).toBe(false);
    expect(LinkHistory.safeParse({ ...h, points: [h.points[1], h.points[0]] }).success).toBe(false);
    expect(LinkHistory.safeParse({ ...h, points: [p, p] }).success).toBe(false);
    expect(LinkHistory.safeParse({ ...h, from: 700_000 }).success).toBe(false);
    expect(LinkHistory.safeParse({ ...h, points: Array.from({ length: 1501 }, (_, i) => ({ ...p, at: i })) }).success).toBe(false);
  });
});
