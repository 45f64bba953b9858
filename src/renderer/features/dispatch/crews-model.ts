// The crews as the dispatcher sees them: the catalog's list, each at its latest telemetry position
// and status when there is one. Pure, so ranking and filtering are tested without a browser.
import type { CrewStatus } from '../../../shared/protocol-dispatch';
import type { Crew } from '../../../shared/protocol';
import type { CrewLive } from '../telemetry/store';

export interface CrewNow {
  id: string;
  callsign: string;
  status: CrewStatus;
  location: { lat: number; lon: number };
  /** Epoch ms of the position; null when only the catalog's is known. */
  at: number | null;
}

export function crewsNow(catalog: ReadonlyMap<string, Crew>, live: ReadonlyMap<string, CrewLive>): CrewNow[] {
  const out: CrewNow[] = [];
  for (const c of catalog.values()) {
    const l = live.get(c.id);
    out.push(l ? { id: c.id, callsign: c.callsign, status: l.status, location: { lat: l.lat, lon: l.lon }, at: l.at } : { id: c.id, callsign: c.callsign, status: c.status, location: c.location, at: null });
  }
  return out;
}

export interface CrewFilter {
  status: CrewStatus | 'all';
  /** Case-insensitive part of the call sign. */
  text: string;
}

export function filterCrews(crews: readonly CrewNow[], f: CrewFilter): CrewNow[] {
  const q = f.text.trim().toLowerCase();
  return crews
    .filter((c) => (f.status === 'all' || c.status === f.status) && (q === '' || c.callsign.toLowerCase().includes(q)))
    .sort((a, b) => a.callsign.localeCompare(b.callsign));
}

/** "m:ss" (or "h:mm:ss") for a duration in ms. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}
