/**
 * The city backend's history of a school's link (issue 8, network budget monitor): what the live
 * 'telemetry' channel said, kept by the backend for a day and downsampled to one point a minute,
 * so a console can chart an hour or a day it was not connected for.
 *
 *   GET /api/schools/<school>/link-history?from=<epoch ms>&to=<epoch ms>   (bearer token)
 *     -> LinkHistory; a guard's token reads its own school only (403 otherwise)
 *
 * Each point is one bucket: the lowest, mean and highest capacity seen in it, and the mean use of
 * each budget channel. Validated by the console on arrival like every backend message.
 */
import { z } from 'zod';
import { Id } from './domain';
import { Budget } from './school-health';

/** One point per minute, a day of them. */
export const LINK_HISTORY_BUCKET_MS = 60_000;
export const LINK_HISTORY_KEEP_MS = 24 * 3600_000;
/** A day of minutes plus slack for a window that straddles bucket edges. */
export const MAX_LINK_HISTORY_POINTS = 1500;

const Mbps = z.number().min(0).max(100_000);
/** Epoch milliseconds (years 1970..2255). */
const EpochMs = z.number().int().min(0).max(9e12);

export const LinkHistoryPoint = z
  .strictObject({
    /** Start of the bucket. */
    at: EpochMs,
    /** Telemetry samples folded into this point. */
    samples: z.number().int().min(1).max(100_000),
    minMbps: Mbps,
    meanMbps: Mbps,
    maxMbps: Mbps,
    /** Mean use of each channel over the bucket. */
    alarm: Mbps,
    video: Mbps,
    education: Mbps,
  })
  .refine((p) => p.minMbps <= p.meanMbps + 1e-6 && p.meanMbps <= p.maxMbps + 1e-6, 'capacity must be min <= mean <= max');
export type LinkHistoryPoint = z.infer<typeof LinkHistoryPoint>;

export const LinkHistory = z
  .strictObject({
    schoolId: Id,
    bucketMs: z.number().int().min(1000).max(3600_000),
    /** The window asked for, as the backend clamped it. */
    from: EpochMs,
    to: EpochMs,
    budget: Budget,
    /** Oldest first; minutes without telemetry are absent (a gap, not a zero). */
    points: z.array(LinkHistoryPoint).max(MAX_LINK_HISTORY_POINTS),
  })
  .refine((h) => h.from <= h.to, 'from must not be after to')
  .refine((h) => h.points.every((p, i) => i === 0 || p.at > h.points[i - 1]!.at), 'points must be in time order');
export type LinkHistory = z.infer<typeof LinkHistory>;

/** The query: both ends optional (the last hour by default), epoch ms. */
export const LinkHistoryQuery = z.strictObject({
  from: z.coerce.number().int().min(0).max(9e12).optional(),
  to: z.coerce.number().int().min(0).max(9e12).optional(),
});
