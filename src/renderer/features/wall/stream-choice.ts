// Which stream a tile plays, and whether it may play it at all. Pure, so it is tested alone.
import type { LayoutKind } from '../../../shared/wall';
import { geometry } from './layouts';

export type Variant = 'main' | 'sub';

/**
 * The main stream only where its detail shows: a maximized tile, the single tile, or the large
 * tile of an asymmetric layout. Everything else plays the sub stream (a quarter of the decode).
 */
export function chooseVariant(kind: LayoutKind, index: number, maximized: boolean): Variant {
  if (maximized || kind === '1') return 'main';
  const box = geometry(kind).tiles[index];
  return box && (box.colSpan > 1 || box.rowSpan > 1) ? 'main' : 'sub';
}

export type RefusalReason = 'no_stream' | 'malformed' | 'scheme' | 'origin' | 'unknown_camera';

export type SourceCheck = { ok: true; url: string } | { ok: false; reason: RefusalReason; detail: string };

/**
 * A stream URL is played only if it is http(s) and on the backend's media origin: a catalog entry
 * pointing anywhere else (file:, another host) is refused before anything is fetched.
 */
export function checkSource(raw: string | undefined | null, mediaOrigin: string): SourceCheck {
  if (!raw) return { ok: false, reason: 'no_stream', detail: '' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'malformed', detail: raw.slice(0, 120) };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'scheme', detail: url.protocol.replace(/:$/, '') };
  if (url.username || url.password) return { ok: false, reason: 'malformed', detail: url.origin };
  let allowed: string;
  try {
    allowed = new URL(mediaOrigin).origin;
  } catch {
    return { ok: false, reason: 'origin', detail: url.origin };
  }
  if (url.origin !== allowed) return { ok: false, reason: 'origin', detail: url.origin };
  return { ok: true, url: url.href };
}
