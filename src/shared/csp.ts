// The renderer's Content-Security-Policy, built once for both hosts. Media and connections are
// allowed only to the app itself and the configured backend origin.
export function buildCsp(backendUrl: string, extraConnect: string[] = []): string {
  const backend = new URL(backendUrl);
  const http = backend.origin;
  const ws = `${backend.protocol === 'https:' ? 'wss:' : 'ws:'}//${backend.host}`;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob: ${http}`,
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
