// The city map's optional internal tile server: a URL template such as
// https://tiles.city.local/{z}/{x}/{y}.png kept in the console setting 'map.tileServer'.
// Validated here once for every place that reads it: the router refuses a bad value when it is set,
// the hosts read it to widen the CSP's img-src to exactly its origin, the map to draw the tiles.
import { err, ok, type Result } from './result';

export const TILE_SERVER_SETTING = 'map.tileServer';
export const TILE_TEMPLATE_MAX = 500;

export interface TileServer {
  template: string;
  /** scheme://host[:port], what the CSP allows. */
  origin: string;
}

const PLACEHOLDERS = ['{z}', '{x}', '{y}'] as const;

/** The template and its origin, or why it is refused in words an operator can act on. */
export function checkTileTemplate(raw: unknown): Result<TileServer> {
  if (typeof raw !== 'string') return err('bad_request', 'The tile server must be a URL template (text).');
  const template = raw.trim();
  if (template.length === 0) return err('bad_request', 'The tile server URL template is empty.');
  if (template.length > TILE_TEMPLATE_MAX) return err('bad_request', `The tile server URL template is longer than ${TILE_TEMPLATE_MAX} characters.`);
  if (/[\s<>"'`\\]/.test(template)) return err('bad_request', 'The tile server URL template contains spaces, quotes or backslashes.');
  for (const p of PLACEHOLDERS) if (!template.includes(p)) return err('bad_request', `The tile server URL template must contain ${PLACEHOLDERS.join(', ')}; ${p} is missing.`);
  const others = template.replace(/\{[zxy]\}/g, '').match(/[{}]/);
  if (others) return err('bad_request', 'The tile server URL template may only use the placeholders {z}, {x} and {y}.');
  // Two different substitutions must give the same origin: placeholders belong in the path or query.
  const a = parseUrl(fill(template, 1, 2, 3));
  const b = parseUrl(fill(template, 7, 8, 9));
  if (!a || !b) return err('bad_request', 'The tile server URL template is not a valid URL.');
  if (a.protocol !== 'http:' && a.protocol !== 'https:') return err('bad_request', 'The tile server must use http or https.');
  if (a.origin !== b.origin) return err('bad_request', 'The placeholders {z}, {x} and {y} must be in the path or query, not in the host.');
  if (a.username || a.password) return err('bad_request', 'The tile server URL must not contain a user name or password.');
  if (a.hash) return err('bad_request', 'The tile server URL must not contain a fragment (#).');
  return ok({ template, origin: a.origin });
}

/** The stored setting as the map and hosts use it: null when unset, cleared or invalid. */
export function tileServerOf(stored: unknown): TileServer | null {
  if (stored === null || stored === undefined) return null;
  const r = checkTileTemplate(stored);
  return r.ok ? r.value : null;
}

/** Why a value for the tile server setting is refused (null clears it), or null when it is accepted. */
export function tileSettingError(value: unknown): string | null {
  if (value === null) return null;
  const r = checkTileTemplate(value);
  return r.ok ? null : r.error.message;
}

export function tileUrl(template: string, zoom: number, x: number, y: number): string {
  return fill(template, zoom, x, y);
}

function fill(template: string, zoom: number, x: number, y: number): string {
  return template.replaceAll('{z}', String(zoom)).replaceAll('{x}', String(x)).replaceAll('{y}', String(y));
}

function parseUrl(s: string): URL | null {
  try {
    return new URL(s);
  } catch {
    return null;
  }
}
