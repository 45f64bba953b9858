import { describe, expect, it } from 'vitest';
import { buildCsp } from './csp';
import { checkTileTemplate, tileServerOf, tileSettingError, tileUrl } from './tile-server';

const imgSrc = (csp: string) => csp.split('; ').find((d) => d.startsWith('img-src '))!;

describe('tile server template', () => {
  it('accepts http(s) templates with {z}, {x}, {y} in the path or query and gives their origin', () => {
    expect(checkTileTemplate('https://tiles.city.local/{z}/{x}/{y}.png')).toEqual({ ok: true, value: { template: 'https://tiles.city.local/{z}/{x}/{y}.png', origin: 'https://tiles.city.local' } });
    expect(tileServerOf('http://10.0.0.5:8080/osm?z={z}&x={x}&y={y}')?.origin).toBe('http://10.0.0.5:8080');
    expect(tileUrl('http://t/{z}/{x}/{y}.png', 12, 2861, 1541)).toBe('http://t/12/2861/1541.png');
  });

  it.each([
    ['ftp://tiles/{z}/{x}/{y}.png', 'http or https'],
    ['javascript:alert(1)//{z}{x}{y}', 'http or https'],
    ['data:image/png;base64,{z}{x}{y}', 'http or https'],
    ['https://tiles/{z}/{x}.png', '{y} is missing'],
    ['https://{z}.tiles/{x}/{y}.png', 'not in the host'],
    ['https://user:pw@tiles/{z}/{x}/{y}.png', 'user name or password'],
    ['https://tiles/{z}/{x}/{y}.png#frag', 'fragment'],
    ['https://tiles/{s}/{z}/{x}/{y}.png', 'only use the placeholders'],
    ['https://tiles/{z}/{x}/{y}.png; img-src *', 'spaces'],
    ["https://tiles/{z}/{x}/{y}.png'", 'quotes'],
    ['not a url {z}{x}{y}', 'spaces'],
    ['{z}{x}{y}', 'not a valid URL'],
    ['', 'empty'],
    [`https://tiles/${'a'.repeat(500)}/{z}/{x}/{y}.png`, 'longer than'],
  ])('refuses %s with a reason', (template, reason) => {
    const r = checkTileTemplate(template);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain(reason);
    expect(tileServerOf(template)).toBeNull();
  });

  it('as a setting: null clears it, anything but a valid template string is refused', () => {
    expect(tileSettingError(null)).toBeNull();
    expect(tileSettingError('https://tiles/{z}/{x}/{y}.png')).toBeNull();
    expect(tileSettingError(42)).toContain('URL template');
    expect(tileSettingError({ template: 'https://tiles/{z}/{x}/{y}.png' })).toContain('URL template');
  });
});

describe('CSP and the tile server', () => {
  const backend = 'http://127.0.0.1:4010';
  it('without a tile server, images come only from the app, data/blob and the backend', () => {
    expect(imgSrc(buildCsp(backend))).toBe("img-src 'self' data: blob: http://127.0.0.1:4010");
  });

  it('with one, img-src gains exactly its origin and nothing else changes', () => {
    const without = buildCsp(backend).split('; ');
    const withTiles = buildCsp(backend, [], tileServerOf('https://tiles.city.local:8443/{z}/{x}/{y}.png')!.origin).split('; ');
    expect(imgSrc(withTiles.join('; '))).toBe("img-src 'self' data: blob: http://127.0.0.1:4010 https://tiles.city.local:8443");
    expect(withTiles.filter((d) => !d.startsWith('img-src'))).toEqual(without.filter((d) => !d.startsWith('img-src')));
    expect(withTiles.join('; ')).not.toContain('tiles.city.local:8443/');
  });

  it('never lets anything but an http(s) origin into the policy', () => {
    expect(() => buildCsp(backend, [], "https://x; script-src 'unsafe-inline'")).toThrow();
    expect(buildCsp(backend, [], 'https://x/path?q')).toContain('img-src \'self\' data: blob: http://127.0.0.1:4010 https://x;');
  });
});
