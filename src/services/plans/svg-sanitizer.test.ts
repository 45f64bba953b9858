import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sanitizeSvg, SvgRejected } from '../../shared/svg-sanitizer';

const fixture = (name: string) => readFileSync(join(__dirname, '../../../test-fixtures/svg', name), 'utf8');

/** Nothing that can run or reach out survives, whatever the input was. */
function expectInert(svg: string): void {
  expect(svg).not.toMatch(/<script|<foreignObject|<iframe|<style|<a[\s>]|<body/i);
  expect(svg).not.toMatch(/\son[a-z]+\s*=/i);
  expect(svg).not.toMatch(/javascript:|evil\.example|file:|@import/i);
  for (const m of svg.matchAll(/(?:href|url\()\s*=?\s*["']?([^"')\s]*)/g)) expect(m[1]).toMatch(/^#|^$/);
}

describe('SVG sanitizer: hostile files', () => {
  it('drops <script> elements, also inside groups and CDATA', () => {
    const r = sanitizeSvg(fixture('script.svg'));
    expectInert(r.svg);
    expect(r.svg).toContain('<rect x="0" y="0" width="100" height="50" fill="#dde"/>');
    expect(r.removed).toContain('script element');
    expect(r.svg).not.toContain('postMessage');
  });

  it('drops event-handler attributes in any letter case', () => {
    const r = sanitizeSvg(fixture('event-handlers.svg'));
    expectInert(r.svg);
    expect(r.removed).toEqual(expect.arrayContaining(['event handler attribute onload', 'event handler attribute onclick', 'event handler attribute onmouseover', 'event handler attribute onerror']));
    expect(r.svg).toContain('<circle cx="10" cy="10" r="5"/>');
  });

  it('keeps local #fragment references and drops every external one (xlink:href, href, <image>, javascript: links)', () => {
    const r = sanitizeSvg(fixture('external-links.svg'));
    expectInert(r.svg);
    expect(r.svg).toContain('<use xlink:href="#room" x="40"/>');
    expect(r.svg).toContain('<use x="0"/>');
    expect(r.svg).not.toContain('<image');
    expect(r.removed).toEqual(expect.arrayContaining(['external reference', 'a element']));
  });

  it('drops style sheets, style-sheet instructions and url() that is not a local fragment, keeping harmless styling', () => {
    const r = sanitizeSvg(fixture('style-url.svg'));
    expectInert(r.svg);
    expect(r.svg).toContain('fill="url(#g)" style="stroke:#000;stroke-width:0.5"');
    expect(r.svg).toContain('<rect width="50" height="50" style="stroke:#333"/>');
    expect(r.removed).toEqual(expect.arrayContaining(['style element', 'processing instruction xml-stylesheet', 'external reference', 'style attribute']));
  });

  it('refuses entity expansion (billion laughs) and external entities before parsing anything', () => {
    const started = performance.now();
    expect(() => sanitizeSvg(fixture('billion-laughs.svg'))).toThrow(/declares a document type \(DTD\)/);
    expect(() => sanitizeSvg(fixture('external-entity.svg'))).toThrow(SvgRejected);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses a reference to an entity that XML does not define', () => {
    expect(() => sanitizeSvg(fixture('undeclared-entity.svg'))).toThrow(/unknown entity &lol9;/);
  });

  it('drops foreignObject with the HTML inside it, and stray HTML elements', () => {
    const r = sanitizeSvg(fixture('foreign-object.svg'));
    expectInert(r.svg);
    expect(r.svg).toContain('fill="#efe"');
    expect(r.removed).toEqual(expect.arrayContaining(['foreignObject element', 'iframe element']));
  });

  it('keeps a benign plan whole: geometry, local references, text with entities, its size', () => {
    const r = sanitizeSvg(fixture('floor-plan.svg'));
    expectInert(r.svg);
    expect(r).toMatchObject({ width: 920, height: 360, removed: [] });
    expect(r.svg).toContain('<path d="M0 90 H920 M0 120 H920"/>');
    expect(r.svg).toContain('Classroom 1 &amp; 2 №');
    expect(r.svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  });

  it('refuses what is not a well-formed SVG with a reason', () => {
    expect(() => sanitizeSvg('<html><body/></html>')).toThrow(/not an SVG image/);
    expect(() => sanitizeSvg('<svg viewBox="0 0 1 1"><g></svg>')).toThrow(/does not match/);
    expect(() => sanitizeSvg('<svg viewBox="0 0 1 1"><g>')).toThrow(/never closed .*cut short/);
    expect(() => sanitizeSvg('<svg viewBox="0 0 1 1" a="1" a="2"/>')).toThrow(/given twice/);
    expect(() => sanitizeSvg('<svg viewBox="0 0 1 1">AT&T</svg>')).toThrow(/bare &/);
    expect(() => sanitizeSvg('<svg/>')).toThrow(/no usable size/);
    expect(() => sanitizeSvg('<svg viewBox="0 0 1 1"/><svg viewBox="0 0 1 1"/>')).toThrow(/second root/);
    expect(() => sanitizeSvg(`<svg viewBox="0 0 1 1">${'<g>'.repeat(100)}${'</g>'.repeat(100)}</svg>`)).toThrow(/deeper than/);
  });

  it('keeps embedded PNG/JPEG data images and drops any other embedded kind', () => {
    const r = sanitizeSvg(
      '<svg viewBox="0 0 1 1"><image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/><image href="data:image/svg+xml;base64,PHN2Zz4=" width="1" height="1"/></svg>',
    );
    expect(r.svg).toContain('data:image/png;base64,iVBORw0KGgo=');
    expect(r.svg).not.toContain('svg+xml');
  });

  it('never lets markup that runs or loads through, for any mix of hostile pieces (property)', () => {
    const pieces = [
      '<script>alert(1)</script>',
      '<rect onload="alert(1)" width="1" height="1"/>',
      '<use href="http://evil.example/a#b"/>',
      '<use xlink:href="//evil.example/x"/>',
      '<image href="http://evil.example/p.png"/>',
      '<rect style="fill:url(http://evil.example/x)"/>',
      '<rect fill="url(\'http://evil.example/x\')"/>',
      '<a href="javascript:alert(1)"><text>x</text></a>',
      '<foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="http://evil.example/"/></foreignObject>',
      '<style>@import "http://evil.example/a.css";</style>',
      '<g><![CDATA[<script>alert(1)</script>]]></g>',
      '<text>&lt;script&gt;alert(1)&lt;/script&gt;</text>',
      '<?xml-stylesheet href="http://evil.example/s.css"?>',
      '<rect width="1" height="1" fill="#abc"/>',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }), (chosen) => {
        const r = sanitizeSvg(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">${chosen.join('')}</svg>`);
        // Text that spells markup is escaped, so it can never become an element.
        expectInert(r.svg.replace(/&lt;script&gt;alert\(1\)&lt;\/script&gt;/g, ''));
        // The output is itself accepted unchanged: sanitizing is idempotent.
        expect(sanitizeSvg(r.svg).svg).toBe(r.svg);
      }),
      { numRuns: 200 },
    );
  });
});
