/**
 * The backend's day of link history per school, downsampled as it arrives: one bucket a minute with
 * the lowest, mean and highest capacity and the mean use of each channel, in a fixed ring per
 * school, so memory is bounded whatever the uptime (268 schools x 1440 minutes x 8 numbers ~ 12 MB).
 *
 *   const history = new LinkHistoryStore({ model: (id, at) => links.sample(id, at) });
 *   history.add('GYM1', now, reading);          // every telemetry sample, per school
 *   history.query('GYM1', from, to, now)        // LinkHistoryPoint[], oldest first
 *
 * Minutes before the first sample (the simulator was not running) are filled from the link model
 * when a school is first asked for, so a fresh simulator still has a day to chart; a real backend
 * would read them from its own storage. History is not persisted across a restart.
 */
import { LINK_HISTORY_BUCKET_MS, LINK_HISTORY_KEEP_MS, type LinkHistoryPoint } from '../shared/protocol-network';
import type { LinkReading } from './telemetry';

/** Values per bucket, in a Float32Array: samples, min, max, then sums of capacity and channels. */
const F_SAMPLES = 0;
const F_MIN = 1;
const F_MAX = 2;
const F_CAP = 3;
const F_ALARM = 4;
const F_VIDEO = 5;
const F_EDU = 6;
const FIELDS = 7;
/** Samples per minute when filling the past from the model (one every 10 s). */
const BACKFILL_PER_BUCKET = 6;

interface Series {
  /** Bucket number (epoch ms / bucketMs) held in each slot; -1 when empty. */
  tags: Int32Array;
  values: Float32Array;
  lastAt: number;
  backfilled: boolean;
}

export interface LinkHistoryOptions {
  bucketMs?: number;
  keepMs?: number;
  /** What the link delivered at a past time, for the minutes before the first sample. */
  model?: (schoolId: string, at: number) => LinkReading | undefined;
}

export class LinkHistoryStore {
  private readonly series = new Map<string, Series>();
  private readonly bucketMs: number;
  private readonly slots: number;
  private firstBucket: number | null = null;

  constructor(private readonly opts: LinkHistoryOptions = {}) {
    this.bucketMs = opts.bucketMs ?? LINK_HISTORY_BUCKET_MS;
    this.slots = Math.ceil((opts.keepMs ?? LINK_HISTORY_KEEP_MS) / this.bucketMs);
  }

  get bucket(): number {
    return this.bucketMs;
  }

  get keepMs(): number {
    return this.slots * this.bucketMs;
  }

  /** Folds one sample in; a sample not newer than the school's last one is ignored. */
  add(schoolId: string, at: number, reading: LinkReading): void {
    const s = this.seriesOf(schoolId);
    if (at <= s.lastAt) return;
    s.lastAt = at;
    this.firstBucket ??= Math.floor(at / this.bucketMs);
    this.fold(s, at, reading);
  }

  /** The buckets that start in [from, to], oldest first; empty minutes are left out. */
  query(schoolId: string, from: number, to: number, now: number): LinkHistoryPoint[] {
    const s = this.series.get(schoolId) ?? (this.opts.model ? this.seriesOf(schoolId) : undefined);
    if (!s) return [];
    if (!s.backfilled) this.backfill(schoolId, s, now);
    const oldest = Math.floor(now / this.bucketMs) - this.slots + 1;
    const first = Math.max(Math.floor(from / this.bucketMs), oldest);
    const last = Math.floor(to / this.bucketMs);
    const points: LinkHistoryPoint[] = [];
    for (let b = first; b <= last; b++) {
      const slot = mod(b, this.slots);
      if (s.tags[slot] !== b) continue;
      const v = s.values.subarray(slot * FIELDS, slot * FIELDS + FIELDS);
      const n = v[F_SAMPLES]!;
      const min = round(v[F_MIN]!);
      const max = round(v[F_MAX]!);
      // Float32 sums may land a hair outside [min, max]: keep min <= mean <= max exact.
      const mean = Math.min(max, Math.max(min, round(v[F_CAP]! / n)));
      points.push({ at: b * this.bucketMs, samples: n, minMbps: min, meanMbps: mean, maxMbps: max, alarm: round(v[F_ALARM]! / n), video: round(v[F_VIDEO]! / n), education: round(v[F_EDU]! / n) });
    }
    return points;
  }

  private seriesOf(schoolId: string): Series {
    let s = this.series.get(schoolId);
    if (!s) {
      s = { tags: new Int32Array(this.slots).fill(-1), values: new Float32Array(this.slots * FIELDS), lastAt: -Infinity, backfilled: false };
      this.series.set(schoolId, s);
    }
    return s;
  }

  private fold(s: Series, at: number, r: LinkReading): void {
    const b = Math.floor(at / this.bucketMs);
    const slot = mod(b, this.slots);
    const o = slot * FIELDS;
    const v = s.values;
    if (s.tags[slot] !== b) {
      // A new minute takes the slot of the one a day ago.
      s.tags[slot] = b;
      v.fill(0, o, o + FIELDS);
      v[o + F_MIN] = r.linkMbps;
      v[o + F_MAX] = r.linkMbps;
    }
    v[o + F_SAMPLES]! += 1;
    v[o + F_MIN] = Math.min(v[o + F_MIN]!, r.linkMbps);
    v[o + F_MAX] = Math.max(v[o + F_MAX]!, r.linkMbps);
    v[o + F_CAP]! += r.linkMbps;
    v[o + F_ALARM]! += r.channels.alarm;
    v[o + F_VIDEO]! += r.channels.video;
    v[o + F_EDU]! += r.channels.education;
  }

  /** Fills the empty minutes of the last day before the first live sample from the model. */
  private backfill(schoolId: string, s: Series, now: number): void {
    s.backfilled = true;
    const model = this.opts.model;
    if (!model) return;
    const nowBucket = Math.floor(now / this.bucketMs);
    const end = Math.min(this.firstBucket ?? nowBucket + 1, nowBucket + 1);
    const step = this.bucketMs / BACKFILL_PER_BUCKET;
    for (let b = nowBucket - this.slots + 1; b < end; b++) {
      if (s.tags[mod(b, this.slots)] === b) continue;
      for (let i = 0; i < BACKFILL_PER_BUCKET; i++) {
        const at = b * this.bucketMs + i * step;
        const r = model(schoolId, at);
        if (r) this.fold(s, at, r);
      }
    }
  }
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
