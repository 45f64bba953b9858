/**
 * GET /api/schools/<schoolId>/camera-frames: when the city's VMS last received a frame from each
 * camera of a school (CameraFramesV1, src/shared/camera-health.ts). The simulator's video is the
 * live HLS timeline (media.ts), so a camera that plays has its newest complete segment's end as its
 * last frame; an offline camera stopped at the segment that was complete when it went offline.
 * Without a video library nothing has frames (null).
 *
 *   const body = cameraFrames({ schoolId, cameraIds, now, lastFrameAt: (t) => library.lastFrameAt(t), status, since });
 */
import type { CameraFramesV1 } from '../shared/camera-health';

export interface CameraFramesDeps {
  schoolId: string;
  cameraIds: readonly string[];
  now: number;
  /** The last frame of the live timeline at a time, or null without video. */
  lastFrameAt: ((t: number) => number | null) | null;
  status(cameraId: string): 'normal' | 'alarm' | 'fault' | 'offline';
  /** When the camera entered its status, or null. */
  since(cameraId: string): number | null;
}

export function cameraFrames(d: CameraFramesDeps): CameraFramesV1 {
  const frame = (id: string): string | null => {
    if (!d.lastFrameAt) return null;
    const offlineSince = d.status(id) === 'offline' ? d.since(id) : undefined;
    if (offlineSince === null) return null;
    const t = d.lastFrameAt(Math.min(d.now, offlineSince ?? d.now));
    return t === null ? null : new Date(t).toISOString();
  };
  return { v: 1, schoolId: d.schoolId, at: new Date(d.now).toISOString(), cameras: d.cameraIds.map((cameraId) => ({ cameraId, lastFrameAt: frame(cameraId) })) };
}
