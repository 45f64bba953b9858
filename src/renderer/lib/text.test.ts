import { describe, expect, it } from 'vitest';
import { inlineText } from './text';
import { ageParts } from './time';

describe('inlineText', () => {
  it('strips control characters and bidi overrides, collapses whitespace', () => {
    expect(inlineText('Knife\u0007 in\n\tcorridor\u0000 3')).toBe('Knife in corridor 3');
    // RLO … PDF would make "txt.exe" read as "exe.txt"; isolates and marks go too.
    expect(inlineText('invoice\u202Etxt.exe\u202C \u2066x\u2069 \u200Fy')).toBe('invoice txt.exe x y');
    expect(inlineText('\u0085C1\u009Fcontrols')).toBe('C1 controls');
  });

  it('keeps ordinary text in any script and clips long text', () => {
    expect(inlineText('Мектеп № 1 — Қазақ тілі')).toBe('Мектеп № 1 — Қазақ тілі');
    expect(inlineText('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('ageParts', () => {
  it('splits an age into the units the queue shows', () => {
    expect(ageParts(0, 59_999)).toEqual({ unit: 'seconds', count: 59 });
    expect(ageParts(0, 60_000)).toEqual({ unit: 'minutes', count: 1 });
    expect(ageParts(0, 3_600_000 + 5 * 60_000)).toEqual({ unit: 'hours', hours: 1, minutes: 5 });
    expect(ageParts(0, 49 * 3_600_000)).toEqual({ unit: 'days', count: 2 });
  });

  it('treats a source clock ahead of ours as zero', () => {
    expect(ageParts(10_000, 0)).toEqual({ unit: 'seconds', count: 0 });
  });
});
