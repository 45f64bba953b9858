import { describe, expect, it } from 'vitest';
import { isAppUrl, isTrustedSender } from './trust';

describe('IPC sender check', () => {
  it('trusts only the app origin in the top-level frame', () => {
    expect(isTrustedSender({ url: 'kuzet://app/index.html', parent: null })).toBe(true);
    expect(isTrustedSender({ url: 'kuzet://app/index.html', parent: {} })).toBe(false);
    expect(isTrustedSender({ url: 'kuzet://evil/index.html', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'http://127.0.0.1:5780/', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'file:///etc/passwd', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'kuzet://app.evil.example/', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'not a url', parent: null })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });

  it('keeps navigation inside the app', () => {
    expect(isAppUrl('kuzet://app/index.html#/wall')).toBe(true);
    expect(isAppUrl('https://example.com/')).toBe(false);
    expect(isAppUrl('kuzet://app.example/')).toBe(false);
  });
});
