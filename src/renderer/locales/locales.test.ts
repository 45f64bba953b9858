import { describe, expect, it } from 'vitest';
import { LOCALE_PARTS } from '.';

const PLURAL = /_(zero|one|two|few|many|other)$/;

/** Every leaf key path of a strings object, plural forms folded into their base key. */
function keys(node: unknown, prefix = ''): Set<string> {
  const out = new Set<string>();
  if (node === null || typeof node !== 'object') return out;
  for (const [k, v] of Object.entries(node)) {
    const path = prefix ? `${prefix}.${k.replace(PLURAL, '')}` : k.replace(PLURAL, '');
    if (v !== null && typeof v === 'object') for (const inner of keys(v, path)) out.add(inner);
    else out.add(path);
  }
  return out;
}

function leaves(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (node === null || typeof node !== 'object') return [];
  return Object.values(node).flatMap(leaves);
}

describe('locales', () => {
  for (const [name, part] of Object.entries(LOCALE_PARTS)) {
    it(`${name}: Russian and Kazakh have exactly the keys English has`, () => {
      const en = [...keys(part.en)].sort();
      expect([...keys(part.ru)].sort()).toEqual(en);
      expect([...keys(part.kk)].sort()).toEqual(en);
    });
    it(`${name}: no string is empty`, () => {
      for (const lang of ['en', 'ru', 'kk'] as const) expect(leaves(part[lang]).filter((s) => s.trim() === '')).toEqual([]);
    });
  }

  it('no two features define the same top-level section', () => {
    const seen = new Map<string, string>();
    for (const [name, part] of Object.entries(LOCALE_PARTS))
      for (const section of Object.keys(part.en)) {
        expect(seen.get(section), `section "${section}" in ${name} and ${seen.get(section)}`).toBeUndefined();
        seen.set(section, name);
      }
  });
});
