import { describe, expect, it } from 'vitest';
import { windowRange } from './use-scroll-window';

describe('windowRange', () => {
  const o = { rowHeight: 40, count: 268, overscan: 2 };
  it('renders the rows in view plus the overscan either side', () => {
    expect(windowRange({ top: 0, height: 400 }, o)).toEqual({ first: 0, last: 12 });
    expect(windowRange({ top: 4000, height: 400 }, o)).toEqual({ first: 98, last: 112 });
  });
  it('accounts for headers above the first row', () => {
    // 100 px of toolbar and header: at scrollTop 100 the first row is at the top.
    expect(windowRange({ top: 100, height: 400 }, { ...o, offset: 100 })).toEqual({ first: 0, last: 12 });
    expect(windowRange({ top: 0, height: 400 }, { ...o, offset: 100 })).toEqual({ first: 0, last: 10 });
  });
  it('stays inside the list at its end and when the list is short or empty', () => {
    expect(windowRange({ top: 1_000_000, height: 400 }, o)).toEqual({ first: 268, last: 268 });
    expect(windowRange({ top: 0, height: 400 }, { ...o, count: 3 })).toEqual({ first: 0, last: 3 });
    expect(windowRange({ top: 0, height: 400 }, { ...o, count: 0 })).toEqual({ first: 0, last: 0 });
  });
});
