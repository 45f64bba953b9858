/**
 * The city-backend client: HTTP calls and the live event subscription.
 *
 *   const session = await login(backendUrl, 'guard1', '…');        // LoginResponse, validated
 *   const accounts = await fetchDemoAccounts(backendUrl);            // [] unless the backend is a demo
 *   const catalog = await fetchCatalog(backendUrl, session.token);  // Catalog, validated
 *   const link = new BackendLink({ api, backendUrl, session });
 *   await link.start();              // initial alerts from the journal, then the socket
 *   await link.command({ kind: 'alert.claim', alertId }); // CommandOutcome, also shown through the commands store;
 *                                    // offline it waits in the outbox and is sent when the link is back
 *   link.close();
 *
 * This is the one place backend events enter the stores. Every message is validated as it arrives
 * (classifyEvent): malformed ones are recorded in the journal and counted. The valid ones take two
 * paths at once, each in arrival order:
 *   - shown: applied to the stores on the next animation frame, each at most once per window
 *     (`shown`: live, replayed or after a resubscribe alike), without waiting for the disk — an
 *     operator sees a weapon alert ~10-30 ms sooner than if the view waited for journal.append;
 *   - journaled: journal.append, one batch at a time, never overlapping. Only a resolved append
 *     moves `journaled`, this window's cursor: what counts as received, the `since` of every
 *     (re)subscribe, and what the link store reports as caught up ("behind by N").
 * A failed append resubscribes from `journaled`: the backend replays what the disk did not take,
 * the journal takes it then, and `shown` keeps the view from applying it twice. An alert already on
 * screen stays there: the disk failing never hides an alert. Both are per window, not the shared
 * journal cursor (see applied-seqs.ts: the journal is shared between windows).
 */
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { applyEvent, classifyEvent, clip, type AlertView } from '../../shared/alerts';
import type { ConsoleApi, JournalEntry } from '../../shared/api';
import { createLogger } from '../../shared/log';
import { Command, CommandResult, commandSubject, Hello, Resync, type Catalog, type EventEnvelope, type HandshakeAuth, type LoginResponse } from '../../shared/protocol';
import { describeIssues } from '../../shared/result';
import { useDeviceStatusStore } from '../features/plan/device-status-store';
import { applyPlanEvents } from '../features/plan-editor/plan-sync';
import { useEvacuationStore } from '../features/fire/evacuation-store';
import { fireLinkage } from '../features/fire/linkage';
import { useAlertsStore, type JournaledEntry } from '../features/alerts/store';
import { useCommandsStore, type CommandInput, type CommandOutcome } from '../features/commands/store';
import { useLinkStore } from '../features/link/store';
import { AppliedSeqs } from './applied-seqs';
import { probeApplied, probeJournaled, probeNow } from './paint-probe';
import { wallCatalog } from './catalog-slim';
import { BackendError, fetchCatalog, fetchSnapshot, type BackendErrorCode, type HttpOptions } from './backend-http';
import { newUuid } from './uuid';
import { useTelemetryStore } from '../features/telemetry/store';

const log = createLogger('backend-client');

export * from './backend-http';

// ---- The catalog, off the main thread ----------------------------------------------------------

/** What the catalog worker answers (see catalog.worker.ts). */
export type CatalogReply = { ok: true; catalog: Catalog; ms: number } | { ok: false; code: BackendErrorCode; message: string; status?: number };

/**
 * Fetches and validates the catalog in a worker: ~6.5 MB of JSON and 10,000+ devices must not
 * freeze the queue at login. Falls back to the main thread where workers are unavailable.
 * `wall`: a wall-only window, which gets only what the wall shows (catalog-slim.ts).
 */
export function loadCatalog(backendUrl: string, token: string, opts: { wall?: boolean } = {}): Promise<Catalog> {
  const wall = opts.wall === true;
  const onMain = () => fetchCatalog(backendUrl, token).then((c) => (wall ? wallCatalog(c) : c));
  if (typeof Worker === 'undefined') return onMain();
  return new Promise<Catalog>((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./catalog.worker.ts', import.meta.url), { type: 'module', name: 'catalog' });
    } catch (e) {
      log.warn('catalog worker unavailable; validating on the main thread', { error: e });
      onMain().then(resolve, reject);
      return;
    }
    const done = () => worker.terminate();
    worker.onmessage = (ev: MessageEvent<CatalogReply>) => {
      done();
      const reply = ev.data;
      if (reply.ok) {
        log.info('catalog loaded', { schools: reply.catalog.schools.length, devices: reply.catalog.devices.length, workerMs: reply.ms });
        resolve(reply.catalog);
      } else reject(new BackendError(reply.code, reply.message, reply.status));
    };
    worker.onerror = (ev) => {
      ev.preventDefault();
      done();
      log.warn('catalog worker failed; validating on the main thread', { message: ev.message });
      onMain().then(resolve, reject);
    };
    worker.postMessage({ backendUrl, token, wall });
  });
}

// ---- The live link ---------------------------------------------------------------------------

export type JournalApi = Partial<Pick<ConsoleApi, 'journal.evacuation'>> & Pick<
  ConsoleApi,
  | 'journal.append'
  | 'journal.cursor'
  | 'journal.reset'
  | 'journal.recordMalformed'
  | 'journal.deviceStates'
  | 'alerts.list'
  | 'actions.record'
  | 'outbox.add'
  | 'outbox.list'
  | 'outbox.remove'
  | 'outbox.attempted'
>;

export interface BackendLinkOptions {
  api: JournalApi;
  backendUrl: string;
  session: LoginResponse;
  http?: HttpOptions;
  /** socket.io's io(); tests may wrap it. */
  connect?: (uri: string, opts: Partial<ManagerOptions & SocketOptions>) => Socket;
  /** How long a command waits for the backend's answer. */
  commandTimeoutMs?: number;
  /** Failed reconnection attempts after which the link shows as offline (it keeps retrying). */
  offlineAfterAttempts?: number;
  /** Delay before resubscribing after the journal failed or the server closed the socket. */
  retryDelayMs?: number;
  /** How long a sequence gap is held open for the missing events before resubscribing. */
  gapHoldMs?: number;
  /** The backend refused the token: the session is over. */
  onUnauthorized?: (detail: string) => void;
  now?: () => Date;
  uuid?: () => string;
}

/** What waits for the journal: classified events (already handed to the view), or a resync notice. */
type QueueItem =
  | {
      kind: 'events';
      entries: JournalEntry[];
      receivedAt: string;
      receivedStamp: number;
      malformed: Array<Promise<void>>;
      /** Arrived while a resync was pending, so not shown: shown once journaled, if still queued then. */
      held: boolean;
    }
  | { kind: 'resync'; raw: unknown };

/** How long a command waits for the backend's answer unless told otherwise. */
export const COMMAND_TIMEOUT_MS = 10_000;

/** The longest a received batch waits for a frame before it is applied anyway (hidden windows). */
const APPLY_FALLBACK_MS = 100;

/** How long a sequence gap may stay open before the link resubscribes. */
export const GAP_HOLD_MS = 1500;

/** journal.append takes at most this many entries per call (the contract's limit). */
const APPEND_MAX = 2000;
// Handshake refusals that mean the token is no good (expired, revoked, another backend's…).
const AUTH_REFUSAL = /token|unauthori[sz]ed|unknown user|forbidden|log ?in/i;

export class BackendLink {
  private readonly api: JournalApi;
  private readonly stream: string;
  private readonly operator: string;
  private readonly now: () => Date;
  private readonly uuid: () => string;
  private socket: Socket | null = null;
  private closed = false;
  private everLive = false;
  private queue: QueueItem[] = [];
  private draining: Promise<void> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** What this window has applied to its stores (display dedupe; gap detection). */
  private shown = new AppliedSeqs(0);
  /** What this window has journaled (append resolved): it subscribes from here. Never ahead of `shown`. */
  private journaled = new AppliedSeqs(0);
  /** Resync notices received and not yet handled: while any is, nothing new is shown (the snapshot replaces it). */
  private resyncsPending = 0;
  private readonly inFlight = new Map<string, Promise<CommandOutcome>>();
  private gapTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly opts: BackendLinkOptions) {
    this.api = opts.api;
    this.stream = opts.session.stream;
    this.operator = clip(`${opts.session.user.name} (${opts.session.user.id})`, 200);
    this.now = opts.now ?? (() => new Date());
    this.uuid = opts.uuid ?? newUuid;
  }

  /** Loads the initial alerts from the journal, then opens the socket. Resolves once alerts are shown. */
  async start(): Promise<void> {
    useLinkStore.getState().setState('connecting');
    // Cursor first, then the alerts: whatever another window journals in between is in the list
    // and is also replayed (and absorbed), never missed.
    const cursor = await this.api['journal.cursor']({ stream: this.stream });
    // Active alerts only: resolved ones never enter the queue, and their late events are ignored.
    const list = await this.api['alerts.list']({ stream: this.stream, activeOnly: true });
    const devices = await this.api['journal.deviceStates']({ stream: this.stream });
    if (this.closed) return;
    useAlertsStore.getState().load(list.alerts);
    useDeviceStatusStore.getState().load(devices.states);
    await this.loadEvacuation();
    if (this.closed) return;
    this.shown = new AppliedSeqs(cursor.lastContiguousSeq);
    this.journaled = new AppliedSeqs(cursor.lastContiguousSeq);
    const link = useLinkStore.getState();
    link.applied(cursor.lastContiguousSeq);
    link.sawSeq(cursor.lastContiguousSeq);
    link.setRejectedCount(cursor.rejectedCount);
    try {
      const { items } = await this.api['outbox.list']({ stream: this.stream });
      link.setOutboxWaiting(items.length);
      // Commands still waiting from before a reload show as queued on their alerts again.
      const commands = useCommandsStore.getState();
      for (const item of items) {
        const cmd = parseOutboxCommand(item);
        if (cmd) commands.restore(cmd.kind, commandSubject(cmd), { status: 'queued', why: 'offline' });
      }
    } catch (e) {
      log.warn('could not read the outbox', { error: e });
    }
    if (this.closed) return;
    this.openSocket();
  }

  /**
   * The fire linkage as journaled (turnstile unlocks, headcounts), so a console restarted during a
   * fire shows the turnstiles' states instead of nothing. Not fatal: the live events follow.
   */
  private async loadEvacuation(): Promise<void> {
    if (!this.api['journal.evacuation']) return;
    try {
      const { events } = await this.api['journal.evacuation']({ stream: this.stream });
      if (this.closed) return;
      const store = useEvacuationStore.getState();
      store.reset();
      // One fold per journaled batch (events that arrived together share their receive time).
      for (let i = 0; i < events.length; ) {
        let j = i + 1;
        while (j < events.length && events[j]!.receivedAt === events[i]!.receivedAt) j++;
        store.apply(events.slice(i, j).map((e) => e.event), events[i]!.receivedAt);
        i = j;
      }
    } catch (e) {
      log.warn('could not restore the fire linkage state from the journal', { error: e });
    }
  }

  close(): void {
    this.closed = true;
    this.dropQueue();
    this.flushApply(false);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.clearGap();
    this.socket?.removeAllListeners();
    this.socket?.io.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
  }

  /** Resolves when every message received so far has been applied and journaled (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
    this.flushApply(false);
  }

  // -- socket ----------------------------------------------------------------------------------

  private openSocket(): void {
    const url = new URL(this.opts.backendUrl);
    const connect = this.opts.connect ?? io;
    const socket = connect(url.origin, {
      path: `${url.pathname.replace(/\/+$/, '')}/socket.io`,
      transports: ['websocket'],
      // Each link owns its connection: a new sign-in never reuses a previous session's manager.
      forceNew: true,
      // Read on every (re)connection: the backend replays what this window has not applied yet.
      auth: (cb) => cb(this.handshakeAuth()),
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
      randomizationFactor: 0.5,
      timeout: 10_000,
    });
    this.socket = socket;
    const link = () => useLinkStore.getState();
    const offlineAfter = this.opts.offlineAfterAttempts ?? 3;

    socket.on('connect', () => link().setState('connecting'));
    socket.on('hello', (raw: unknown) => this.onHello(raw));
    socket.on('events', (raw: unknown) => this.receive(raw));
    socket.on('resync', (raw: unknown) => {
      if (this.closed) return;
      this.resyncsPending++;
      this.enqueue({ kind: 'resync', raw });
    });
    // Telemetry is not journaled: the latest value wins (features/telemetry/store.ts validates it).
    socket.on('telemetry', (raw: unknown) => useTelemetryStore.getState().apply(raw));
    socket.on('disconnect', (reason: string) => {
      if (this.closed) return;
      log.warn('backend socket disconnected', { reason });
      link().setState(this.everLive ? 'reconnecting' : 'connecting', reason);
      // The server closed on purpose; socket.io does not retry that by itself.
      if (reason === 'io server disconnect') this.scheduleResubscribe();
    });
    socket.io.on('reconnect_attempt', (attempt: number) => {
      if (this.closed) return;
      if (attempt > offlineAfter) link().setState('offline', link().detail);
      else link().setState(this.everLive ? 'reconnecting' : 'connecting', link().detail);
    });
    socket.on('connect_error', (err: Error & { data?: unknown }) => {
      if (this.closed) return;
      const detail = clip(err.message || 'connection failed', 300);
      if (socket.active) {
        // Transport-level failure: the manager retries with backoff.
        link().setState(link().state === 'offline' ? 'offline' : this.everLive ? 'reconnecting' : 'connecting', detail);
        return;
      }
      // Refused by the server's handshake middleware: no automatic retry.
      log.warn('backend refused the connection', { detail });
      link().setState('offline', detail);
      if (AUTH_REFUSAL.test(detail) || hasCode(err.data, 'unauthorized')) this.opts.onUnauthorized?.(detail);
      else this.scheduleResubscribe();
    });
  }

  private handshakeAuth(): HandshakeAuth {
    // At start this is the journal's cursor (the alerts were loaded from the journal); later it is
    // what this window has journaled: shown but unjournaled events are replayed, journaled then,
    // and not shown again (`shown`).
    return { token: this.opts.session.token, since: this.journaled.contiguous };
  }

  private scheduleResubscribe(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.closed || !this.socket) return;
      this.socket.connect();
    }, this.opts.retryDelayMs ?? 2000);
  }

  /** Drops what is queued and reconnects: the backend replays everything after `journaled`. */
  private resubscribe(): void {
    this.dropQueue();
    if (!this.socket || this.closed) return;
    this.socket.disconnect();
    useLinkStore.getState().setState('reconnecting', 'resubscribing');
    this.scheduleResubscribe();
  }

  private onHello(raw: unknown): void {
    const hello = Hello.safeParse(raw);
    if (!hello.success) {
      void this.recordMalformed(`invalid hello: ${describeIssues(hello.error.issues)}`, raw);
      return;
    }
    if (hello.data.stream !== this.stream) {
      void this.recordMalformed(`hello for stream ${clip(hello.data.stream, 100)} on stream ${this.stream}`, raw);
      return;
    }
    this.everLive = true;
    const link = useLinkStore.getState();
    link.hello(hello.data.latestSeq);
    // Numbers above the backend's latest did not come from its log; they must not hold a gap open.
    this.shown.dropAbove(hello.data.latestSeq);
    this.journaled.dropAbove(hello.data.latestSeq);
    this.checkGap();
    void this.drainOutbox().catch((e: unknown) => log.warn('outbox drain failed', { error: e }));
    if (hello.data.latestSeq < this.journaled.contiguous) {
      // The backend's log lost events we journaled; it follows up with 'resync' (see hub.ts).
      log.warn('backend log is behind the journal', { latestSeq: hello.data.latestSeq, journaled: this.journaled.contiguous });
    }
  }

  // -- gaps ------------------------------------------------------------------------------------

  /**
   * A sequence number is missing below ones that arrived: hold briefly (a reordered batch fills
   * it), then reconnect from the journaled cursor and let the backend replay the rest.
   *
   * It reads `shown`, which records every valid event that arrived, at once and whatever became of
   * its append. `journaled` lags by the append, and loses its pending batches when an append fails
   * (that path resubscribes by itself), so it cannot tell "lost in transit" from "not written yet".
   * The resubscribe starts from `journaled`, which is never ahead of `shown`: the replay covers the
   * gap and whatever was shown but not yet journaled, and `shown` absorbs the repeats.
   */
  private checkGap(): void {
    const gap = this.shown.hasGap;
    useLinkStore.getState().setGap(gap);
    if (!gap) {
      this.clearGap();
      return;
    }
    if (this.gapTimer || this.closed) return;
    this.gapTimer = setTimeout(() => {
      this.gapTimer = null;
      if (this.closed || !this.shown.hasGap) return;
      log.warn('sequence gap did not fill; resubscribing from the journaled cursor', { shown: this.shown.contiguous, journaled: this.journaled.contiguous });
      this.dropQueue();
      this.socket?.disconnect();
      useLinkStore.getState().setState('reconnecting', 'sequence gap');
      this.socket?.connect();
    }, this.opts.gapHoldMs ?? GAP_HOLD_MS);
  }

  private clearGap(): void {
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.gapTimer = null;
  }

  // -- the pipeline ----------------------------------------------------------------------------

  /**
   * An 'events' frame: classified at once; the valid events go to the view (next frame) and, in
   * order behind whatever is still being written, to the journal.
   */
  private receive(raw: unknown): void {
    if (this.closed) return;
    const receivedStamp = probeNow();
    const receivedAt = this.now().toISOString();
    const entries: JournalEntry[] = [];
    const malformed: Array<Promise<void>> = [];
    if (!Array.isArray(raw)) malformed.push(this.recordMalformed('events frame is not an array', raw));
    else {
      let maxSeq = 0;
      for (const item of raw as unknown[]) {
        const c = classifyEvent(item);
        if (c.kind === 'malformed') {
          malformed.push(this.recordMalformed(c.reason, item));
          continue;
        }
        if (c.event.stream !== this.stream) {
          malformed.push(this.recordMalformed(`event of stream ${clip(c.event.stream, 100)} on stream ${this.stream}`, item));
          continue;
        }
        entries.push(c.reason === undefined ? { event: c.event, status: c.kind } : { event: c.event, status: c.kind, reason: clip(c.reason, 1000) });
        if (c.event.seq > maxSeq) maxSeq = c.event.seq;
      }
      if (maxSeq > this.seenSeq) {
        this.seenSeq = maxSeq;
        this.nextFrame();
      }
    }
    // A pending snapshot replaces the view and is followed by a replay from it: hold these back
    // (the resync drops them with the queue when it resubscribes, and they are replayed).
    const held = this.resyncsPending > 0;
    if (!held) {
      this.applyNextFrame(notYetShown(entries, this.shown), receivedAt, receivedStamp);
      this.checkGap();
    }
    this.enqueue({ kind: 'events', entries, receivedAt, receivedStamp, malformed, held });
  }

  private enqueue(item: QueueItem): void {
    if (this.closed) return;
    this.queue.push(item);
    if (!this.draining) {
      this.draining = this.drain().finally(() => {
        this.draining = null;
      });
    }
  }

  /** Forgets what waits for the journal (it will be replayed from `journaled`), and the resyncs in it. */
  private dropQueue(): void {
    for (const item of this.queue) if (item.kind === 'resync') this.resyncsPending--;
    this.queue = [];
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.closed) {
      const first = this.queue.shift()!;
      try {
        if (first.kind === 'resync') {
          try {
            await this.resync(first.raw);
          } finally {
            this.resyncsPending--;
          }
          continue;
        }
        // Frames that queued up while the previous append ran are journaled together.
        const frames = [first];
        while (this.queue[0]?.kind === 'events' && frames.length < 64) frames.push(this.queue.shift() as typeof first);
        await this.journalEvents(frames);
      } catch (e) {
        if (this.closed) return;
        log.error('journaling failed; resubscribing from the journaled cursor', { error: e });
        this.resubscribe();
      }
    }
  }

  /** Journals frames that were already handed to the view, then moves the cursor past them. */
  private async journalEvents(frames: Array<Extract<QueueItem, { kind: 'events' }>>): Promise<void> {
    const entries = frames.length === 1 ? frames[0]!.entries : frames.flatMap((f) => f.entries);
    const receivedAt = frames[0]!.receivedAt;
    for (let i = 0; i < entries.length && !this.closed; i += APPEND_MAX) {
      const chunk = entries.slice(i, i + APPEND_MAX);
      const res = await this.api['journal.append']({ stream: this.stream, receivedAt, entries: chunk });
      if (this.closed) return;
      if (res.duplicates > 0) log.debug('journal absorbed duplicates', { duplicates: res.duplicates });
      // Journaled now (by this window, or another before it: a duplicate is in the journal too).
      for (const e of chunk) this.journaled.add(e.event.seq);
    }
    // Held behind a resync notice that did not resubscribe (an unreadable one): shown now.
    for (const f of frames) if (f.held) this.applyNextFrame(notYetShown(f.entries, this.shown), f.receivedAt, f.receivedStamp);
    if (frames.some((f) => f.held)) this.checkGap();
    if (entries.length > 0) {
      this.nextFrame();
      probeJournaled(frames.map((f) => ({ receivedStamp: f.receivedStamp, count: f.entries.length })));
    }
    await Promise.all(frames.flatMap((f) => f.malformed));
  }

  // -- applying, once per frame ----------------------------------------------------------------

  private pendingApply: Array<{ entries: JournaledEntry[]; receivedAt: string; receivedStamp: number }> = [];
  /** The highest sequence number received, for the link store's next frame. */
  private seenSeq = 0;
  private applyFrame: number | null = null;
  private applyTimer: ReturnType<typeof setTimeout> | null = null;

  /**
   * Batches arrive faster than frames under a flood: they are applied to the stores together, once
   * per animation frame, so the queue renders once per frame, not once per batch. A timer backs the
   * frame up: a hidden window gets no frames but must still take its alerts.
   */
  private applyNextFrame(entries: JournaledEntry[], receivedAt: string, receivedStamp: number): void {
    if (entries.length === 0) return;
    this.pendingApply.push({ entries, receivedAt, receivedStamp });
    this.nextFrame();
  }

  /**
   * Schedules flushApply. The link's progress (latest number seen, journaled cursor) goes out with
   * it too: at a stream of ~100 messages and appends a second, updating the link store on each
   * re-rendered and laid out the header up to 200 times a second, outside the frames.
   */
  private nextFrame(): void {
    if (typeof requestAnimationFrame === 'undefined') {
      this.flushApply(false);
      return;
    }
    if (this.applyTimer !== null) return;
    this.applyFrame = requestAnimationFrame(() => this.flushApply(true));
    this.applyTimer = setTimeout(() => this.flushApply(false), APPLY_FALLBACK_MS);
  }

  private flushApply(inFrame: boolean): void {
    if (this.applyFrame !== null) cancelAnimationFrame(this.applyFrame);
    if (this.applyTimer !== null) clearTimeout(this.applyTimer);
    this.applyFrame = null;
    this.applyTimer = null;
    const batches = this.pendingApply;
    this.pendingApply = [];
    if (this.closed) return;
    const link = useLinkStore.getState();
    link.sawSeq(this.seenSeq);
    link.applied(this.journaled.contiguous);
    if (batches.length === 0) return;
    const applyAt = probeNow();
    const changed = useAlertsStore.getState().applyBatches(batches);
    const ok: EventEnvelope[] = [];
    const times: string[] = [];
    const received: number[] = [];
    for (const b of batches) {
      for (const e of b.entries) {
        if (e.status === 'ok') ok.push(e.event);
        times.push(e.event.ts);
        received.push(b.receivedStamp);
      }
    }
    useDeviceStatusStore.getState().apply(ok);
    applyPlanEvents(ok);
    for (const b of batches) useEvacuationStore.getState().apply(okEvents(b.entries), b.receivedAt);
    fireLinkage(changed, batches[batches.length - 1]!.receivedAt);
    probeApplied({ sourceTimes: times, receivedAt: received, applyAt }, inFrame);
  }

  private async recordMalformed(reason: string, raw: unknown): Promise<void> {
    log.warn('rejected a malformed message from the backend', { reason: clip(reason, 300) });
    try {
      const res = await this.api['journal.recordMalformed']({ stream: this.stream, reason: clip(reason, 1000), excerpt: excerpt(raw) });
      useLinkStore.getState().setRejectedCount(res.rejectedCount);
    } catch (e) {
      // Still counted where the operator can see it, even if the journal could not keep it.
      log.error('could not record a malformed message', { error: e });
      const link = useLinkStore.getState();
      link.setRejectedCount(link.rejectedCount + 1);
    }
  }

  private async resync(raw: unknown): Promise<void> {
    const notice = Resync.safeParse(raw);
    if (!notice.success) {
      await this.recordMalformed(`invalid resync: ${describeIssues(notice.error.issues)}`, raw);
      return;
    }
    log.warn('backend says our offset is too old; reloading a snapshot', { oldestSeq: notice.data.oldestSeq, latestSeq: notice.data.latestSeq });
    const link = useLinkStore.getState();
    link.setResyncing(true);
    try {
      const snap = await fetchSnapshot(this.opts.backendUrl, this.opts.session.token, this.opts.http);
      if (this.closed) return;
      if (snap.stream !== this.stream) throw new BackendError('bad_response', `snapshot of stream ${snap.stream} for stream ${this.stream}`);
      await this.api['journal.reset']({ stream: this.stream, seq: snap.seq });
      const receivedAt = this.now().toISOString();
      const entries: JournalEntry[] = [];
      const malformed: Array<Promise<void>> = [];
      for (const item of snap.events) {
        const c = classifyEvent(item);
        if (c.kind === 'malformed') malformed.push(this.recordMalformed(`snapshot: ${c.reason}`, item));
        else entries.push(c.reason === undefined ? { event: c.event, status: c.kind } : { event: c.event, status: c.kind, reason: clip(c.reason, 1000) });
      }
      // The journal must hold what the operator sees, or a restart would lose the snapshot's alerts.
      for (let i = 0; i < entries.length; i += APPEND_MAX) {
        await this.api['journal.append']({ stream: this.stream, receivedAt, entries: entries.slice(i, i + APPEND_MAX) });
      }
      if (this.closed) return;
      // What was shown before the notice goes in first; the snapshot then replaces it.
      this.flushApply(false);
      const alerts = new Map<string, AlertView>();
      for (const e of entries) applyEvent(alerts, e.status, e.event, receivedAt, e.reason);
      useAlertsStore.getState().replace(alerts);
      useDeviceStatusStore.getState().reset();
      useDeviceStatusStore.getState().apply(okEvents(entries));
      useEvacuationStore.getState().reset();
      useEvacuationStore.getState().apply(okEvents(entries), receivedAt);
      this.shown = new AppliedSeqs(snap.seq);
      this.journaled = new AppliedSeqs(snap.seq);
      const l = useLinkStore.getState();
      l.applied(snap.seq);
      l.sawSeq(Math.max(snap.seq, notice.data.latestSeq));
      await Promise.all(malformed);
    } finally {
      useLinkStore.getState().setResyncing(false);
    }
    // Events queued behind the resync notice may predate the snapshot: let the backend replay from it.
    this.resubscribe();
  }

  // -- commands ----------------------------------------------------------------------------------

  /** Sends an acknowledgement (kept for callers of the first slice). */
  acknowledge(alertId: string): Promise<CommandOutcome> {
    return this.command({ kind: 'alert.acknowledge', alertId });
  }

  /**
   * Sends one operator command with a fresh idempotency key. The alert's state changes only when the
   * backend's event arrives. Without a link, or without an answer in time, the command waits in the
   * local outbox and is sent when the link is back; the key makes the backend act on it once.
   */
  command(input: CommandInput): Promise<CommandOutcome> {
    // A second click while the first is in flight joins it instead of sending another command.
    const subject = commandSubject(input);
    const slot = `${input.kind}:${subject}`;
    const inFlight = this.inFlight.get(slot);
    if (inFlight) return inFlight;
    useCommandsStore.getState().start(input.kind, subject);
    const done = this.send(input).then((outcome) => {
      this.inFlight.delete(slot);
      if (!this.closed) useCommandsStore.getState().finish(input.kind, subject, outcome);
      return outcome;
    });
    this.inFlight.set(slot, done);
    return done;
  }

  private record(cmd: Command, status: 'pending' | 'accepted' | 'rejected', reason?: string): Promise<void> {
    return this.api['actions.record']({ idempotencyKey: cmd.idempotencyKey, kind: cmd.kind, alertId: commandSubject(cmd), operator: this.operator, status, ...(reason ? { reason: clip(reason, 500) } : {}) }).then(
      () => undefined,
      (e: unknown) => {
        // The command still goes out: an emergency is not held up by the local audit log.
        log.error('could not record an operator action', { error: e, status });
      },
    );
  }

  private async send(input: CommandInput): Promise<CommandOutcome> {
    const parsed = Command.safeParse({ ...input, idempotencyKey: this.uuid() });
    if (!parsed.success) return { status: 'rejected', reason: describeIssues(parsed.error.issues), code: 'invalid_command' };
    const cmd = parsed.data;
    await this.record(cmd, 'pending');
    if (!this.socket?.connected) return this.toOutbox(cmd, 'offline');
    const answer = await this.emitCommand(cmd);
    if (answer === 'timeout') return this.toOutbox(cmd, 'timeout');
    return this.settle(cmd, answer);
  }

  private async emitCommand(cmd: Command): Promise<CommandResult | 'timeout' | 'invalid_answer'> {
    const socket = this.socket;
    if (!socket?.connected) return 'timeout';
    let raw: unknown;
    try {
      raw = await socket.timeout(this.opts.commandTimeoutMs ?? COMMAND_TIMEOUT_MS).emitWithAck('command', cmd);
    } catch {
      log.warn('no answer to a command', { kind: cmd.kind, alertId: cmd.alertId });
      return 'timeout';
    }
    const result = CommandResult.safeParse(raw);
    if (!result.success) {
      log.error('unreadable answer to a command', { reason: describeIssues(result.error.issues) });
      return 'invalid_answer';
    }
    return result.data;
  }

  /** The backend answered: audit the answer and turn it into what the operator sees. */
  private async settle(cmd: Command, answer: CommandResult | 'invalid_answer'): Promise<CommandOutcome> {
    if (answer === 'invalid_answer') return { status: 'failed', why: 'invalid_answer' };
    if (answer.status === 'accepted') {
      await this.record(cmd, 'accepted');
      return { status: 'accepted', duplicate: answer.duplicate };
    }
    await this.record(cmd, 'rejected', answer.reason);
    return { status: 'rejected', reason: answer.reason, code: answer.code };
  }

  private async toOutbox(cmd: Command, why: 'offline' | 'timeout'): Promise<CommandOutcome> {
    try {
      const res = await this.api['outbox.add']({ idempotencyKey: cmd.idempotencyKey, stream: this.stream, kind: cmd.kind, alertId: commandSubject(cmd), command: JSON.stringify(cmd), operator: this.operator });
      useLinkStore.getState().setOutboxWaiting(res.waiting);
    } catch (e) {
      log.error('could not keep a command in the outbox', { error: e });
      await this.record(cmd, 'rejected', 'not sent: no link to the city backend, and the outbox could not keep it');
      return { status: 'failed', why };
    }
    // The link may have come back while the outbox was written.
    if (this.socket?.connected && this.everLive) void this.drainOutbox();
    return { status: 'queued', why };
  }

  private outboxDraining: Promise<void> | null = null;

  /** Sends what waits in the outbox, oldest first, one at a time; stops at the first unanswered one. */
  drainOutbox(): Promise<void> {
    if (!this.outboxDraining) {
      this.outboxDraining = this.drainOutboxOnce().finally(() => {
        this.outboxDraining = null;
      });
    }
    return this.outboxDraining;
  }

  private async drainOutboxOnce(): Promise<void> {
    const link = () => useLinkStore.getState();
    for (let round = 0; round < 100 && !this.closed; round++) {
      const { items } = await this.api['outbox.list']({ stream: this.stream });
      link().setOutboxWaiting(items.length);
      if (items.length === 0 || !this.socket?.connected) return;
      for (const item of items) {
        if (this.closed) return;
        // The local store is a trust boundary too: a row that is not a command is dropped, audited.
        const cmd = parseOutboxCommand(item);
        if (!cmd) {
          log.error('dropping an unreadable outbox entry', { key: item.idempotencyKey });
          const res = await this.api['outbox.remove']({ stream: this.stream, idempotencyKey: item.idempotencyKey });
          link().setOutboxWaiting(res.waiting);
          continue;
        }
        const answer = await this.emitCommand(cmd);
        if (answer === 'timeout') {
          await this.api['outbox.attempted']({ idempotencyKey: cmd.idempotencyKey, error: 'no answer' }).catch(() => undefined);
          return;
        }
        const outcome = await this.settle(cmd, answer);
        const res = await this.api['outbox.remove']({ stream: this.stream, idempotencyKey: cmd.idempotencyKey });
        link().setOutboxWaiting(res.waiting);
        if (!this.closed) useCommandsStore.getState().finish(cmd.kind, commandSubject(cmd), outcome);
      }
    }
  }
}

/** The entries this window has not shown yet, in order, each once; marks them shown. */
export function notYetShown(entries: readonly JournalEntry[], shown: AppliedSeqs): JournaledEntry[] {
  const out: JournaledEntry[] = [];
  for (const e of entries) if (shown.add(e.event.seq)) out.push(e);
  return out;
}

/** An outbox row's command, or null if the row does not hold a valid one under its own key. */
function parseOutboxCommand(item: { idempotencyKey: string; command: string }): Command | null {
  try {
    const parsed = Command.safeParse(JSON.parse(item.command));
    return parsed.success && parsed.data.idempotencyKey === item.idempotencyKey ? parsed.data : null;
  } catch {
    return null;
  }
}

function excerpt(raw: unknown): string {
  let text: string;
  try {
    text = typeof raw === 'string' ? raw : (JSON.stringify(raw) ?? String(raw));
  } catch {
    text = String(raw);
  }
  return clip(text, 2000);
}

function hasCode(data: unknown, code: string): boolean {
  return typeof data === 'object' && data !== null && (data as { code?: unknown }).code === code;
}

/** The events whose payloads were valid: only those may change what the plan shows. */
function okEvents(entries: readonly { status: string; event: EventEnvelope }[]): EventEnvelope[] {
  return entries.filter((e) => e.status === 'ok').map((e) => e.event);
}
