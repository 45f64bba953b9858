// Catalog cameras that have a local ONVIF device (PTZ, local video), and whether the wall plays
// local video because the city link is down. Filled by LocalVideoBanner, the one subscriber to
// 'devices.changed' on the wall; tiles read it through narrow selectors.
import { useEffect, useState } from 'react';
import { create } from 'zustand';
import { MEDIA_LEASE_TTL_MS } from '../../../shared/api';
import type { LocalCameraView } from '../../../shared/devices';
import { createLogger } from '../../../shared/log';
import { consoleClient } from '../../lib/console-api';
import type { Variant } from './stream-choice';

const log = createLogger('local-video');

/** The link must be down this long before the wall switches (a blip is not worth an ffmpeg start). */
export const LINK_DOWN_GRACE_MS = 3_000;

export interface LocalCamerasState {
  cameras: ReadonlyMap<string, LocalCameraView>;
  /** The city link is down: tiles of cameras with a local device play its local stream. */
  localMode: boolean;
  /** When the link went down (ms), while in local mode. */
  downSince: number | null;
  /** The tile whose PTZ controls are open (one at a time: the arrow keys are theirs). */
  ptzTile: number | null;
  refresh(): Promise<void>;
  /** The time the link went down, or null when it is up. */
  setLocalMode(downSince: number | null): void;
  setPtzTile(index: number | null): void;
  reset(): void;
}

const initial = { cameras: new Map<string, LocalCameraView>(), localMode: false, downSince: null, ptzTile: null };

export const useLocalCamerasStore = create<LocalCamerasState>()((set) => ({
  ...initial,
  async refresh() {
    try {
      const { cameras } = await consoleClient()['devices.localCameras']({});
      set({ cameras: new Map(cameras.map((c) => [c.cameraId, c])) });
    } catch (e) {
      // A console without local devices (or services) simply has none.
      log.warn('local cameras unavailable', { error: e instanceof Error ? e.message : String(e) });
    }
  },
  setLocalMode: (downSince) => set((s) => (s.downSince === downSince ? s : { downSince, localMode: downSince !== null })),
  setPtzTile: (ptzTile) => set((s) => (s.ptzTile === ptzTile ? s : { ptzTile })),
  reset: () => set(initial),
}));

export function useLocalCamera(cameraId: string | null): LocalCameraView | null {
  return useLocalCamerasStore((s) => (cameraId ? (s.cameras.get(cameraId) ?? null) : null));
}

export interface LocalStream {
  /** Absolute URL of the local HLS playlist while a lease is held. */
  url: string | null;
  error: string | null;
}

/**
 * A lease on a catalog camera's local stream while `want` holds: taken, renewed well inside the
 * services' TTL, released on cleanup; taken again if services forgot it (restarted).
 */
export function useLocalStream(cameraId: string | null, variant: Variant, want: boolean): LocalStream {
  const [state, setState] = useState<{ key: string; stream: LocalStream }>({ key: '', stream: { url: null, error: null } });
  const [generation, setGeneration] = useState(0);
  const key = want && cameraId ? `${cameraId}|${variant}|${generation}` : '';
  useEffect(() => {
    if (!want || !cameraId) return;
    const client = consoleClient();
    const k = `${cameraId}|${variant}|${generation}`;
    let leaseId: string | null = null;
    let live = true;
    let renew: ReturnType<typeof setInterval> | null = null;
    client['media.watchCamera']({ cameraId, variant })
      .then((lease) => {
        if (!live) {
          void client['media.release']({ leaseId: lease.leaseId }).catch(() => undefined);
          return;
        }
        leaseId = lease.leaseId;
        setState({ key: k, stream: { url: new URL(lease.playlist, window.location.href).href, error: null } });
        renew = setInterval(() => {
          client['media.renew']({ leaseId: lease.leaseId })
            .then(({ renewed }) => {
              if (!renewed && live) setGeneration((g) => g + 1);
            })
            .catch(() => undefined);
        }, MEDIA_LEASE_TTL_MS / 3);
      })
      .catch((e: unknown) => {
        if (live) setState({ key: k, stream: { url: null, error: e instanceof Error ? e.message : String(e) } });
      });
    return () => {
      live = false;
      if (renew) clearInterval(renew);
      if (leaseId) void client['media.release']({ leaseId }).catch(() => undefined);
    };
  }, [cameraId, variant, want, generation]);
  return state.key === key && key !== '' ? state.stream : { url: null, error: null };
}

export interface TileSource {
  url: string | null;
  mediaOrigin: string;
  /** Playing the camera's local stream (the city link is down). */
  local: boolean;
  /** Why the local stream could not be had, when it could not. */
  localError: string | null;
}

/**
 * What a wall tile plays: the city stream, or while the city link is down and the camera has a
 * local device, its local stream from this console's own origin.
 */
export function useTileSource(cameraId: string | null, variant: Variant, cityUrl: string | null, cityOrigin: string, active: boolean): TileSource {
  const camera = useLocalCamera(cameraId);
  const localMode = useLocalCamerasStore((s) => s.localMode);
  const want = localMode && active && camera?.localVideo === true;
  const local = useLocalStream(cameraId, variant, want);
  if (want && local.url) return { url: local.url, mediaOrigin: window.location.origin, local: true, localError: null };
  return { url: cityUrl, mediaOrigin: cityOrigin, local: false, localError: want ? local.error : null };
}
