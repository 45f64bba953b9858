/**
 * The durable event log: one append-only JSON-lines file (`events.jsonl` in the data directory)
 * holding the envelopes of every stream, plus an in-memory tail per stream for replay.
 *
 *   const { log, loaded } = EventLog.open({ dataDir, retention });  // loaded: envelopes in file order
 *   log.append([{ stream, make: (seq) => envelope }]);              // assigns seq, writes, then returns
 *   log.read(stream, since)                                        // events after `since`, or too_old
 *
 * Durability: each append is written to the file (write(2)) before the caller emits anything, so a
 * crashed or killed process never loses an event a client has seen; fsync follows in small batches
 * (FSYNC_DELAY_MS, on libuv's thread pool: a slow disk must not stall delivery, and one fsync took
 * 370 ms here under load) and on close, which covers power loss of all but the last batch. A torn
 * last line (crash mid-write) is cut off on open. The file is rewritten (compacted) when it holds far
 * more than the retained tails; events the caller still needs (`pinned`, e.g. open alerts for
 * snapshots) survive compaction even when they are older than the replay window.
 *
 * JSON lines rather than SQLite: no native module, so the simulator starts under plain Node, tsx
 * and Electron's Node alike; the access pattern (append, tail replay) needs nothing more.
 */
import { closeSync, existsSync, fsync, fsyncSync, openSync, readFileSync, renameSync, writeSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import { EventEnvelope } from '../shared/protocol';
import { createLogger } from '../shared/log';

const log = createLogger('sim.event-log');

export const LOG_FILE = 'events.jsonl';
const FSYNC_DELAY_MS = 100;
/** Compact when the file holds more than this many lines beyond twice what is retained. */
const COMPACT_SLACK = 20_000;

export interface AppendItem {
  stream: string;
  /** Builds the envelope once the stream's next sequence number is known. */
  make: (seq: number) => EventEnvelope;
}

export type ReadResult =
  | { kind: 'events'; events: EventEnvelope[] }
  | { kind: 'too_old'; oldestSeq: number; latestSeq: number }
  | { kind: 'ahead'; oldestSeq: number; latestSeq: number };

/** The retained tail of one stream: contiguous sequence numbers ending at `latest`. */
class Tail {
  events: EventEnvelope[] = [];
  head = 0;
  latest = 0;

  get size(): number {
    return this.events.length - this.head;
  }

  get oldestSeq(): number {
    return this.size > 0 ? this.events[this.head]!.seq : this.latest + 1;
  }

  push(e: EventEnvelope, retention: number): void {
    this.events.push(e);
    this.latest = e.seq;
    if (this.size > retention) this.head += this.size - retention;
    // Drop the dead prefix now and then, not on every push.
    if (this.head > 4096 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
  }

  after(since: number): EventEnvelope[] {
    const from = this.head + Math.max(0, since + 1 - this.oldestSeq);
    return this.events.slice(from);
  }
}

export interface EventLogOptions {
  dataDir: string;
  /** Events kept per stream for replay. */
  retention: number;
  /** Envelopes that must survive compaction although outside the replay window. */
  pinned?: (e: EventEnvelope) => boolean;
}

export class EventLog {
  private readonly tails = new Map<string, Tail>();
  private fd: number;
  private lines = 0;
  private dirty = false;
  private syncTimer: ReturnType<typeof setTimeout> | null = null;
  /** A background fsync is running; fds are not closed under it (deferred to `toClose`). */
  private syncing = false;
  private toClose: number[] = [];
  private closed = false;
  private readonly path: string;

  private constructor(private readonly options: EventLogOptions) {
    this.path = join(options.dataDir, LOG_FILE);
    this.fd = openSync(this.path, 'a');
  }

  static open(options: EventLogOptions): { log: EventLog; loaded: EventEnvelope[] } {
    if (!(options.retention >= 1)) throw new Error('log retention must be at least 1');
    const loaded = readLog(join(options.dataDir, LOG_FILE));
    const eventLog = new EventLog(options);
    const perStream = new Map<string, EventEnvelope[]>();
    for (const e of loaded) {
      const list = perStream.get(e.stream);
      if (list) list.push(e);
      else perStream.set(e.stream, [e]);
    }
    for (const [stream, events] of perStream) {
      // Only the contiguous end is replayable; older pinned events sit before a gap.
      let start = events.length - 1;
      while (start > 0 && events[start - 1]!.seq === events[start]!.seq - 1 && events.length - start < options.retention) start--;
      const tail = eventLog.tail(stream);
      for (let i = start; i < events.length; i++) tail.push(events[i]!, options.retention);
    }
    eventLog.lines = loaded.length;
    return { log: eventLog, loaded };
  }

  streams(): string[] {
    return [...this.tails.keys()];
  }

  latestSeq(stream: string): number {
    return this.tails.get(stream)?.latest ?? 0;
  }

  oldestSeq(stream: string): number {
    return this.tails.get(stream)?.oldestSeq ?? 1;
  }

  /** Appends in order; all lines of one call go to the file in one write. All or nothing. */
  append(items: readonly AppendItem[]): EventEnvelope[] {
    if (this.closed) throw new Error('event log is closed');
    const next = new Map<string, number>();
    const out: EventEnvelope[] = [];
    for (const item of items) {
      const seq = (next.get(item.stream) ?? this.latestSeq(item.stream)) + 1;
      const e = item.make(seq);
      if (e.seq !== seq || e.stream !== item.stream) throw new Error('envelope does not carry the assigned stream and seq');
      next.set(item.stream, seq);
      out.push(e);
    }
    if (out.length === 0) return out;
    writeAll(this.fd, `${out.map((e) => JSON.stringify(e)).join('\n')}\n`);
    for (const e of out) this.tail(e.stream).push(e, this.options.retention);
    this.lines += out.length;
    this.scheduleSync();
    if (this.lines > 2 * this.retainedCount() + COMPACT_SLACK) this.compact();
    return out;
  }

  read(stream: string, since: number): ReadResult {
    const tail = this.tails.get(stream);
    const latestSeq = tail?.latest ?? 0;
    const oldestSeq = tail?.oldestSeq ?? 1;
    if (since > latestSeq) return { kind: 'ahead', oldestSeq, latestSeq };
    if (since < oldestSeq - 1) return { kind: 'too_old', oldestSeq, latestSeq };
    return { kind: 'events', events: tail ? tail.after(since) : [] };
  }

  /** Rewrites the file with the retained tails and pinned events, preserving order. */
  compact(): void {
    this.syncNow();
    const keep = (e: EventEnvelope) => e.seq >= this.oldestSeq(e.stream) || (this.options.pinned?.(e) ?? false);
    const kept = readLog(this.path).filter(keep);
    const tmp = `${this.path}.compact`;
    const fd = openSync(tmp, 'w');
    try {
      // Chunked so a large log never builds one huge string.
      for (let i = 0; i < kept.length; i += 5000) writeAll(fd, `${kept.slice(i, i + 5000).map((e) => JSON.stringify(e)).join('\n')}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.closeFd(this.fd);
    renameSync(tmp, this.path);
    this.fd = openSync(this.path, 'a');
    log.info('compacted event log', { before: this.lines, after: kept.length });
    this.lines = kept.length;
  }

  close(): void {
    if (this.closed) return;
    this.syncNow();
    this.closed = true;
    this.closeFd(this.fd);
  }

  private closeFd(fd: number): void {
    if (this.syncing) this.toClose.push(fd);
    else closeSync(fd);
  }

  private tail(stream: string): Tail {
    let tail = this.tails.get(stream);
    if (!tail) {
      tail = new Tail();
      this.tails.set(stream, tail);
    }
    return tail;
  }

  private retainedCount(): number {
    let n = 0;
    for (const t of this.tails.values()) n += t.size;
    return n;
  }

  private scheduleSync(): void {
    this.dirty = true;
    if (this.syncTimer || this.syncing) return;
    this.syncTimer = setTimeout(() => this.syncInBackground(), FSYNC_DELAY_MS);
    this.syncTimer.unref();
  }

  private syncInBackground(): void {
    this.syncTimer = null;
    if (!this.dirty || this.closed) return;
    this.dirty = false;
    this.syncing = true;
    const started = performance.now();
    fsync(this.fd, (error) => {
      this.syncing = false;
      const ms = performance.now() - started;
      if (error) log.error('event log fsync failed', { error: error.message });
      else if (ms > 500) log.warn('event log fsync was slow', { ms: Math.round(ms) });
      for (const fd of this.toClose.splice(0)) closeSync(fd);
      if (this.dirty && !this.closed) this.scheduleSync();
    });
  }

  /** fsync now, on this thread (compaction and close); also when a background one has not finished. */
  private syncNow(): void {
    if (this.syncTimer) {
      clearTimeout(this.syncTimer);
      this.syncTimer = null;
    }
    if ((!this.dirty && !this.syncing) || this.closed) return;
    this.dirty = false;
    fsyncSync(this.fd);
  }
}

function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
}

/** Reads every valid envelope; cuts a torn last line, skips (and reports) corrupt ones. */
function readLog(path: string): EventEnvelope[] {
  if (!existsSync(path)) return [];
  const buf = readFileSync(path);
  const end = buf.lastIndexOf(0x0a) + 1;
  if (end < buf.length) {
    log.warn('cutting a torn last line off the event log', { path, bytes: buf.length - end });
    const fd = openSync(path, 'r+');
    try {
      ftruncateSync(fd, end);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  const out: EventEnvelope[] = [];
  const latest = new Map<string, number>();
  let bad = 0;
  for (const line of buf.toString('utf8', 0, end).split('\n')) {
    if (!line) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      bad++;
      continue;
    }
    const env = EventEnvelope.safeParse(parsed);
    if (!env.success || env.data.seq <= (latest.get(env.data.stream) ?? 0)) {
      bad++;
      continue;
    }
    latest.set(env.data.stream, env.data.seq);
    out.push(env.data);
  }
  if (bad > 0) log.warn('skipped unreadable event log lines', { path, bad });
  return out;
}
