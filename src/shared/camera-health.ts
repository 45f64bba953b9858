// Camera health (issue 8): each camera's outages (offline) and stale periods (fault: a degraded or
// frozen picture, as the board counts it) and its uptime over a period, folded from the journaled
// device.status@1 events, so the history survives restarts and is there without the backend. The
// console API method 'health.cameras' serves it (services fold it from the local journal); the
// city backend's last-frame times (CameraFramesV1) complete it live.
//
// Event times: the source time when it is readable and within the alerts' tolerance of the receive
// time (as an alert's `at`), but never later than the receive time (an event cannot happen after it
// arrived; a device clock running ahead would otherwise push an outage into the future). Events are
// taken in sequence order (the backend's order), and a time running backwards along that order is
// held at the previous one, so clock skew can shorten a period but never make it negative.
import { z } from 'zod';
import { TIMESTAMP_TOLERANCE_MS } from './alerts';
import { Id } from './domain';

export const DEVICE_STATES = ['normal', 'alarm', 'fault', 'offline'] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];
export type PeriodKind = 'offline' | 'stale';

/** Longest period one request may fold. */
export const HEALTH_PERIOD_MAX_MS = 400 * 24 * 3600_000;
/** Periods returned at most (newest first); `periodsTotal` says how many there were. */
export const HEALTH_PERIODS_MAX = 1000;
export const HEALTH_CAMERAS_MAX = 5000;

/** One journaled device.status of a camera. */
export interface StatusSample {
  seq: number;
  /** Source time (may be wrong). */
  ts: string;
  receivedAt: string;
  status: DeviceState;
}

export const HealthPeriod = z.strictObject({
  cameraId: Id,
  kind: z.enum(['offline', 'stale']),
  /** When it began (possibly before the period asked for). */
  from: z.string().max(64),
  /** When it ended; null while it lasts. */
  to: z.string().max(64).nullable(),
  /** Its length inside the period asked for, ms. */
  inPeriodMs: z.number().int().min(0),
});
export type HealthPeriod = z.infer<typeof HealthPeriod>;

export const CameraHealthRow = z.strictObject({
  cameraId: Id,
  /** The latest journaled state; 'normal' when none was ever journaled (as on the plans). */
  state: z.enum(DEVICE_STATES),
  /** Since when the camera is in that state; null when no status was ever journaled. */
  since: z.string().max(64).nullable(),
  /** Share of the period the camera was not offline, 0..100. */
  uptimePct: z.number().min(0).max(100),
  offlineMs: z.number().int().min(0),
  staleMs: z.number().int().min(0),
  outages: z.number().int().min(0),
  stalePeriods: z.number().int().min(0),
});
export type CameraHealthRow = z.infer<typeof CameraHealthRow>;

export const cameraHealthMethods = {
  /**
   * Uptime, outages and stale periods of the given cameras (a school's) over [from, to), folded
   * from the local journal. `to` later than now is cut at now.
   */
  'health.cameras': {
    input: z.strictObject({
      stream: z.string().min(1).max(200),
      cameraIds: z.array(Id).min(1).max(HEALTH_CAMERAS_MAX),
      from: z.iso.datetime(),
      to: z.iso.datetime(),
    }).refine((p) => Date.parse(p.to) > Date.parse(p.from), 'the period must end after it starts')
      .refine((p) => Date.parse(p.to) - Date.parse(p.from) <= HEALTH_PERIOD_MAX_MS, 'the period may be 400 days at most'),
    output: z.strictObject({
      from: z.string().max(64),
      /** The end actually folded: `to`, or now when that is earlier. */
      to: z.string().max(64),
      cameras: z.array(CameraHealthRow).max(HEALTH_CAMERAS_MAX),
      /** Outages and stale periods overlapping the period, newest first. */
      periods: z.array(HealthPeriod).max(HEALTH_PERIODS_MAX),
      periodsTotal: z.number().int().min(0),
    }),
  },
} as const;

/** A sample's time on the console's timeline (see the header). */
export function sampleTime(s: Pick<StatusSample, 'ts' | 'receivedAt'>): number {
  const received = Date.parse(s.receivedAt);
  const t = /^\d{4}-\d{2}-\d{2}T/.test(s.ts) ? Date.parse(s.ts) : NaN;
  if (!Number.isFinite(t) || Math.abs(t - received) > TIMESTAMP_TOLERANCE_MS) return received;
  return Math.min(t, received);
}

const kindOf = (s: DeviceState): PeriodKind | null => (s === 'offline' ? 'offline' : s === 'fault' ? 'stale' : null);

/**
 * Folds one camera's samples (any order, duplicates allowed) over [from, to) (epoch ms). The state
 * before the first sample is normal. Periods come oldest first.
 */
export function foldCameraHealth(cameraId: string, samples: readonly StatusSample[], from: number, to: number): { row: CameraHealthRow; periods: HealthPeriod[] } {
  const ordered = [...samples].sort((a, b) => a.seq - b.seq);
  let state: DeviceState = 'normal';
  let since = -Infinity;
  let last = -Infinity;
  let lastSeq = -Infinity;
  const runs: { state: DeviceState; from: number; to: number }[] = [];
  for (const s of ordered) {
    if (s.seq === lastSeq) continue; // the same event twice
    lastSeq = s.seq;
    const t = Math.max(sampleTime(s), last);
    if (!Number.isFinite(t)) continue;
    last = t;
    if (s.status === state) continue; // a repeat of the state: nothing changed
    runs.push({ state, from: since, to: t });
    state = s.status;
    since = t;
  }
  runs.push({ state, from: since, to: Infinity });

  const span = Math.max(0, to - from);
  let offlineMs = 0;
  let staleMs = 0;
  let outages = 0;
  let stalePeriods = 0;
  const periods: HealthPeriod[] = [];
  for (const r of runs) {
    const kind = kindOf(r.state);
    if (!kind) continue;
    const inPeriod = Math.max(0, Math.min(r.to, to) - Math.max(r.from, from));
    // Overlapping the period: inside it for some time, or an ongoing one that began by its end.
    if (inPeriod <= 0 && !(r.to === Infinity && r.from <= to)) continue;
    if (kind === 'offline') {
      offlineMs += inPeriod;
      outages++;
    } else {
      staleMs += inPeriod;
      stalePeriods++;
    }
    periods.push({
      cameraId,
      kind,
      from: new Date(r.from).toISOString(),
      to: r.to === Infinity ? null : new Date(r.to).toISOString(),
      inPeriodMs: Math.round(inPeriod),
    });
  }
  // Rounded down: a camera that was offline at all never shows 100 %.
  const uptimePct = span > 0 ? Math.floor((10_000 * (span - offlineMs)) / span) / 100 : 100;
  return {
    row: {
      cameraId,
      state,
      since: Number.isFinite(since) ? new Date(since).toISOString() : null,
      uptimePct: Math.min(100, Math.max(0, uptimePct)),
      offlineMs: Math.round(offlineMs),
      staleMs: Math.round(staleMs),
      outages,
      stalePeriods,
    },
    periods,
  };
}

/** Every camera's fold, and their periods newest first (capped at HEALTH_PERIODS_MAX). */
export function foldSchoolHealth(cameraIds: readonly string[], samples: ReadonlyMap<string, readonly StatusSample[]>, from: number, to: number) {
  const cameras: CameraHealthRow[] = [];
  const periods: HealthPeriod[] = [];
  for (const id of new Set(cameraIds)) {
    const f = foldCameraHealth(id, samples.get(id) ?? [], from, to);
    cameras.push(f.row);
    periods.push(...f.periods);
  }
  periods.sort((a, b) => (a.from < b.from ? 1 : a.from > b.from ? -1 : a.cameraId.localeCompare(b.cameraId)));
  return { cameras, periods: periods.slice(0, HEALTH_PERIODS_MAX), periodsTotal: periods.length };
}

// ---- Last frame times from the city backend (its VMS) ----------------------------------------------

/**
 * GET /api/schools/<schoolId>/camera-frames (Bearer; a guard: own school only): when the backend's
 * VMS last received a frame from each camera of the school. Versioned by `v`; a console that does
 * not know a newer version shows no last-frame times rather than wrong ones.
 */
export const CameraFramesV1 = z.strictObject({
  v: z.literal(1),
  schoolId: Id,
  /** The backend's time when it answered (to judge the age of lastFrameAt against its clock). */
  at: z.iso.datetime(),
  cameras: z
    .array(z.strictObject({ cameraId: Id, lastFrameAt: z.iso.datetime().nullable() }))
    .max(HEALTH_CAMERAS_MAX),
});
export type CameraFramesV1 = z.infer<typeof CameraFramesV1>;
