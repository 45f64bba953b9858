import { describe, expect, it } from 'vitest';
import { AppliedSeqs } from './applied-seqs';

describe('AppliedSeqs', () => {
  it('tracks a contiguous watermark and the gaps above it', () => {
    const a = new AppliedSeqs(10);
    expect(a.has(7)).toBe(true);
    expect(a.add(10)).toBe(false);
    expect(a.add(12)).toBe(true);
    expect(a.contiguous).toBe(10);
    expect(a.add(12)).toBe(false);
    expect(a.add(11)).toBe(true);
    expect(a.contiguous).toBe(12);
    expect(a.has(13)).toBe(false);
  });
});
