// The renderer's Content-Security-Policy, built for both hosts. Media and connections are allowed
// only to the app itself and the configured backend origin; images also to the city map's tile
// server when one is configured (its origin only, from tileServerOf(setting 'map.tileServer')).
// The hosts build it for each document they serve, so a changed tile server applies at the next
// load of the window.
export function buildCsp(backendUrl: string, extraConnect: string[] = [], tileOrigin: string | null = null): string {
  const backend = new URL(backendUrl);
  const http = backend.origin;
  const ws = `${backend.protocol === 'https:' ? 'wss:' : 'ws:'}//${backend.host}`;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob: ${http}${tileOrigin && tileOrigin !== http ? ` ${cspOrigin(tileOrigin)}` : ''}`,
    `media-src 'self' blob: ${http}`,
    `connect-src 'self' ${[http, ws, ...extraConnect].join(' ')}`,
    "worker-src 'self' blob:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** An origin as a CSP source: re-serialised through URL so nothing but scheme, host and port gets in. */
function cspOrigin(origin: string): string {
  const u = new URL(origin);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`not an http(s) origin: ${origin.slice(0, 100)}`);
  return u.origin;
}
