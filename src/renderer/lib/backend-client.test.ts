/**
 * The event pipeline against a real socket.io server (port 0) and an in-memory journal that
 * behaves like the console's: dedupe by id, contiguous cursor, serial appends checked.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as SharedAlerts from '../../shared/alerts';
import type { JournalEntry } from '../../shared/api';
import type { EventEnvelope, LoginResponse } from '../../shared/protocol';
import { useAlertsStore } from '../features/alerts/store';
import { useCommandsStore } from '../features/commands/store';
import { selectBehindBy, useLinkStore } from '../features/link/store';
import { captureLogs } from '../testing/capture-logs';
import { AppliedSeqs } from './applied-seqs';
import { BackendError, BackendLink, backendEndpoint, fetchDemoAccounts, login, notYetShown, type JournalApi } from './backend-client';

// Counts every application of an event to the alert store, by event id.
const applied = vi.hoisted(() => new Map<string, number>());
vi.mock('../../shared/alerts', async (importOriginal) => {
  const actual = await importOriginal<typeof SharedAlerts>();
  return {
    ...actual,
    applyEvent: (...args: Parameters<typeof actual.applyEvent>) => {
      applied.set(args[2].id, (applied.get(args[2].id) ?? 0) + 1);
      return actual.applyEvent(...args);
    },
  };
});

// ---- a minimal socket.io server -----------------------------------------------------------------

/** The slice of socket.io's server API used here (typed locally; see loadServer). */
interface PeerSocket {
  handshake: { auth: Record<string, unknown> };
  emit(event: string, ...args: unknown[]): void;
  on(event: string, listener: (...args: never[]) => void): void;
  disconnect(close?: boolean): void;
}
interface PeerServer {
  listen(port: number): void;
  use(fn: (socket: PeerSocket, next: (err?: Error) => void) => void): void;
  on(event: 'connection', listener: (socket: PeerSocket) => void): void;
  close(cb?: () => void): void;
  httpServer: { address(): { port: number } | string | null; listening: boolean; once(event: 'listening', cb: () => void): void };
}

// The renderer layer bans socket.io (the Node server) statically, and its Node typings must not
// leak into the renderer's DOM-only type-check: this test loads it at run time, untyped.
async function loadServer(): Promise<new (opts?: object) => PeerServer> {
  const name = 'socket.io';
  return ((await import(/* @vite-ignore */ name)) as { Server: new (opts?: object) => PeerServer }).Server;
}

async function startPeer(onConnection: (socket: PeerSocket) => void, middleware?: Parameters<PeerServer['use']>[0]) {
  const Server = await loadServer();
  const io = new Server({ serveClient: false });
  if (middleware) io.use(middleware);
  io.on('connection', onConnection);
  io.listen(0);
  if (!io.httpServer.listening) await new Promise<void>((r) => io.httpServer.once('listening', r));
  const address = io.httpServer.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => io.close(() => r())) };
}

// ---- fixtures -----------------------------------------------------------------------------------

const STREAM = 'test/city';
const SESSION: LoginResponse = {
  token: 'token-0123456789abcdef',
  user: { id: 'op-1', name: 'Aidos Nurlanov', role: 'dispatcher', scope: { kind: 'city' } },
  stream: STREAM,
  backendId: 'test-backend',
};

const now = () => new Date().toISOString();
function raised(seq: number, alertId: string, alertType = 'weapon'): EventEnvelope {
  return { id: `ev-${seq}`, stream: STREAM, seq, ts: now(), type: 'alert.raised', v: 1, schoolId: 'S1', payload: { alertId, alertType, schoolId: 'S1', title: `Alert ${alertId}` } };
}
function acked(seq: number, alertId: string): EventEnvelope {
  return { id: `ev-${seq}`, stream: STREAM, seq, ts: now(), type: 'alert.acknowledged', v: 1, payload: { alertId, by: { id: 'op-2', name: 'Other' }, commandId: `cmd-${seq}` } };
}
const hello = (latestSeq: number) => ({ stream: STREAM, backendId: 'test-backend', latestSeq, serverTime: now() });

/** An in-memory journal with the console's semantics, recording what it was asked. */
function fakeJournal(opts: { delayMs?: () => number; cursor?: number; known?: string[] } = {}) {
  const ids = new Set<string>(opts.known ?? []);
  const seqs = new Set<number>();
  let last = opts.cursor ?? 0;
  let rejected = 0;
  let inFlight = 0;
  const state = {
    appendedSeqs: [] as number[],
    maxInFlight: 0,
    malformed: [] as Array<{ reason: string; excerpt: string }>,
    resets: [] as number[],
    actions: [] as Array<{ status: string; idempotencyKey: string; reason?: string; kind: string; alertId?: string }>,
    outbox: new Map<string, { idempotencyKey: string; kind: string; alertId: string | null; command: string; attempts: number }>(),
  };
  const sleep = () => new Promise((r) => setTimeout(r, opts.delayMs?.() ?? 0));
  const api: JournalApi = {
    'journal.append': async ({ entries }) => {
      inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, inFlight);
      await sleep();
      const inserted: string[] = [];
      let duplicates = 0;
      for (const e of entries as JournalEntry[]) {
        state.appendedSeqs.push(e.event.seq);
        if (ids.has(e.event.id)) {
          duplicates++;
          continue;
        }
        ids.add(e.event.id);
        seqs.add(e.event.seq);
        inserted.push(e.event.id);
      }
      while (seqs.has(last + 1)) last++;
      inFlight--;
      return { inserted, duplicates, lastContiguousSeq: last };
    },
    'journal.cursor': async () => ({ lastContiguousSeq: last, rejectedCount: rejected }),
    'journal.deviceStates': async () => ({ states: [] }),
    'journal.reset': async ({ seq }) => {
      state.resets.push(seq);
      last = seq;
      return {};
    },
    'journal.recordMalformed': async ({ reason, excerpt }) => {
      state.malformed.push({ reason, excerpt });
      return { rejectedCount: ++rejected };
    },
    'alerts.list': async () => ({ alerts: [] }),
    'actions.record': async (a) => {
      state.actions.push(a);
      return {};
    },
    'outbox.add': async (i) => {
      if (!state.outbox.has(i.idempotencyKey)) state.outbox.set(i.idempotencyKey, { idempotencyKey: i.idempotencyKey, kind: i.kind, alertId: i.alertId ?? null, command: i.command, attempts: 0 });
      return { waiting: state.outbox.size };
    },
    'outbox.list': async () => ({ items: [...state.outbox.values()] }),
    'outbox.remove': async ({ idempotencyKey }) => {
      state.outbox.delete(idempotencyKey);
      return { waiting: state.outbox.size };
    },
    'outbox.attempted': async ({ idempotencyKey }) => {
      const item = state.outbox.get(idempotencyKey);
      if (item) item.attempts++;
      return {};
    },
  };
  return { api, state };
}

let logs: ReturnType<typeof captureLogs>;
const cleanups: Array<() => unknown> = [];

beforeEach(() => {
  logs = captureLogs();
  applied.clear();
  useAlertsStore.getState().reset();
  useLinkStore.getState().reset();
  useCommandsStore.getState().reset();
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  logs.restore();
});

async function connect(peer: { url: string }, api: JournalApi, extra: Partial<ConstructorParameters<typeof BackendLink>[0]> = {}) {
  const link = new BackendLink({ api, backendUrl: peer.url, session: SESSION, retryDelayMs: 50, ...extra });
  cleanups.push(() => link.close());
  await link.start();
  return link;
}

const alerts = () => useAlertsStore.getState();
const linkState = () => useLinkStore.getState();

// ---- the pipeline -----------------------------------------------------------------------------

describe('backend event pipeline', () => {
  it('holds a sequence gap briefly, then reconnects from the last contiguous event and gets the rest', async () => {
    const journal = fakeJournal();
    const sinces: number[] = [];
    const peer = await startPeer((s) => {
      const since = (s.handshake.auth as { since: number }).since;
      sinces.push(since);
      s.emit('hello', hello(3));
      // First connection: event 2 is lost in transit. After the resubscribe: the replay from `since`.
      if (sinces.length === 1) s.emit('events', [raised(1, 'A'), raised(3, 'C')]);
      else s.emit('events', [raised(1, 'A'), raised(2, 'B'), raised(3, 'C')].filter((e) => e.seq > since));
    });
    cleanups.push(peer.close);
    await connect(peer, journal.api, { gapHoldMs: 100 });
    await vi.waitFor(() => expect(linkState().gap).toBe(true));
    await vi.waitFor(() => expect([...alerts().order].sort()).toEqual(['A', 'B', 'C']));
    expect(sinces).toEqual([0, 1]);
    expect(linkState().gap).toBe(false);
    // Shown before journaled: the cursor follows when the journal's append has resolved.
    await vi.waitFor(() => expect(linkState().appliedSeq).toBe(3));
  });

  it('records malformed messages, journals the rest, and shows each valid event once per window', async () => {
    // Another window of the same console host already journaled ev-2: the journal reports it as a
    // duplicate, yet this window has not shown it, so it must still be shown here.
    const journal = fakeJournal({ known: ['ev-2'] });
    const peer = await startPeer((s) => {
      s.emit('hello', hello(4));
      s.emit('events', [raised(1, 'A1'), { nonsense: true, seq: 'x' }, raised(2, 'A2'), raised(3, 'A3', 'fight'), { ...raised(4, 'A4'), stream: 'other/stream' }]);
    });
    cleanups.push(peer.close);
    const link = await connect(peer, journal.api);
    await vi.waitFor(() => expect(journal.state.appendedSeqs).toEqual([1, 2, 3]));
    await link.idle();
    await vi.waitFor(() => expect(journal.state.malformed).toHaveLength(2));

    expect(alerts().order).toEqual(['A1', 'A2', 'A3']);
    expect([...applied.values()]).toEqual([1, 1, 1]);
    expect(journal.state.malformed[0]!.reason).toMatch(/^invalid event envelope/);
    expect(journal.state.malformed[0]!.excerpt).toBe('{"nonsense":true,"seq":"x"}');
    expect(journal.state.malformed[1]!.reason).toMatch(/stream other\/stream/);
    expect(linkState().rejectedCount).toBe(2);
    expect(logs.records.filter((r) => r.msg === 'rejected a malformed message from the backend')).toHaveLength(2);
  });

  it('shows an event before the journal has it, but counts it received only once journaled', async () => {
    const journal = fakeJournal();
    const append = journal.api['journal.append'];
    let release: () => void = () => undefined;
    const written = new Promise<void>((r) => (release = r));
    journal.api['journal.append'] = async (input) => {
      await written;
      return append(input);
    };
    const auths: Array<{ since?: unknown }> = [];
    let socket: PeerSocket | null = null;
    const peer = await startPeer((s) => {
      auths.push(s.handshake.auth);
      socket = s;
      s.emit('hello', hello(1));
      s.emit('events', [raised(1, 'A')]);
    });
    cleanups.push(peer.close);
    await connect(peer, journal.api);
    // On screen while the disk is still writing it...
    await vi.waitFor(() => expect(alerts().order).toEqual(['A']));
    expect(journal.state.appendedSeqs).toEqual([]);
    // ...but not counted as received: the link is one behind, and a reconnect now would ask for it again.
    expect(linkState().appliedSeq).toBe(0);
    expect(selectBehindBy(linkState())).toBe(1);
    expect(auths[0]!.since).toBe(0);
    release();
    await vi.waitFor(() => expect(linkState().appliedSeq).toBe(1));
    expect(journal.state.appendedSeqs).toEqual([1]);
    expect(selectBehindBy(linkState())).toBe(0);
    socket!.disconnect(true);
    await vi.waitFor(() => expect(auths).toHaveLength(2), { timeout: 5000 });
    expect(auths[1]!.since).toBe(1);
  });

  it('after a failed append keeps the alert shown, resubscribes from the journaled cursor, and journals the replay without showing anything twice', async () => {
    let failures = 1;
    const journal = fakeJournal();
    const append = journal.api['journal.append'];
    journal.api['journal.append'] = async (input) => {
      // The second batch (events 3 and 4) fails once: the disk is full for a moment.
      if (input.entries.some((e) => e.event.seq === 3) && failures-- > 0) throw new Error('disk full');
      return append(input);
    };
    const auths: Array<{ since?: unknown }> = [];
    const all = [raised(1, 'A'), raised(2, 'B'), raised(3, 'C'), acked(4, 'C'), raised(5, 'D')];
    const peer = await startPeer((s) => {
      const since = (s.handshake.auth as { since: number }).since;
      auths.push(s.handshake.auth);
      s.emit('hello', hello(auths.length === 1 ? 4 : 5));
      if (auths.length === 1) {
        s.emit('events', all.slice(0, 2));
        // Once the first frame is being written: a frame queued before that would share its append.
        const second = setInterval(() => {
          if (!journal.state.appendedSeqs.includes(2)) return;
          clearInterval(second);
          s.emit('events', all.slice(2, 4));
        }, 5);
      } else s.emit('events', all.filter((e) => e.seq > since));
    });
    cleanups.push(peer.close);
    await connect(peer, journal.api);
    await vi.waitFor(() => expect(logs.records.some((r) => r.msg === 'journaling failed; resubscribing from the journaled cursor')).toBe(true), { timeout: 5000 });
    // The operator still sees C: a failing disk never hides an alert.
    expect(alerts().byId.get('C')).toMatchObject({ status: 'acknowledged' });
    await vi.waitFor(() => expect(auths).toHaveLength(2), { timeout: 5000 });
    // From what the journal has (1, 2), not from what is shown (1..4).
    expect(auths[1]!.since).toBe(2);
    await vi.waitFor(() => expect(linkState().appliedSeq).toBe(5), { timeout: 5000 });
    expect(alerts().order).toEqual(['A', 'B', 'C', 'D']);
    expect([...applied.entries()].sort()).toEqual([
      ['ev-1', 1],
      ['ev-2', 1],
      ['ev-3', 1],
      ['ev-4', 1],
      ['ev-5', 1],
    ]);
    // Everything journaled in the end: the failed batch came back with the replay.
    expect(new Set(journal.state.appendedSeqs)).toEqual(new Set([1, 2, 3, 4, 5]));
    expect(await journal.api['journal.cursor']({ stream: STREAM })).toMatchObject({ lastContiguousSeq: 5 });
  });

  it('shows unknown types and unreadable payloads as unrecognized alerts, never drops them', async () => {
    const journal = fakeJournal();
    const peer = await startPeer((s) => {
      s.emit('hello', hello(2));
      s.emit('events', [
        { id: 'ev-1', stream: STREAM, seq: 1, ts: now(), type: 'drone.sighted', v: 3, payload: { altitude: 40 } },
        { id: 'ev-2', stream: STREAM, seq: 2, ts: now(), type: 'alert.raised', v: 1, payload: { alertId: 'broken', alertType: 'fight' } },
      ]);
    });
    cleanups.push(peer.close);
    await connect(peer, journal.api);
    await vi.waitFor(() => expect(alerts().order).toHaveLength(2));
    expect(alerts().byId.get('unrecognized:ev-1')).toMatchObject({ recognized: false, type: 'drone.sighted' });
    expect(alerts().byId.get('rejected:ev-2')).toMatchObject({ recognized: false, type: 'alert.raised' });
    expect(linkState().rejectedCount).toBe(0);
  });

  it('does not apply duplicates twice when the backend replays', async () => {
    const journal = fakeJournal();
    let connections = 0;
    const peer = await startPeer((s) => {
      connections++;
      s.emit('hello', hello(3));
      // Every connection replays everything: the journal absorbs what it already has.
      s.emit('events', [raised(1, 'A'), acked(2, 'A')]);
      s.emit('events', [raised(1, 'A'), acked(2, 'A'), raised(3, 'B')]);
      if (connections === 1) setTimeout(() => s.disconnect(true), 50);
    });
    cleanups.push(peer.close);
    await connect(peer, journal.api);
    await vi.waitFor(() => expect(connections).toBe(2), { timeout: 5000 });
    await vi.waitFor(() => expect(journal.state.appendedSeqs.length).toBeGreaterThanOrEqual(10));
    expect([...applied.entries()].sort()).toEqual([
      ['ev-1', 1],
      ['ev-2', 1],
      ['ev-3', 1],
    ]);
    expect(alerts().byId.get('A')).toMatchObject({ status: 'acknowledged', ackBy: { id: 'op-2', name: 'Other' } });
  });

  it('keeps arrival order under a slow journal, one append at a time', async () => {
    const journal = fakeJournal({ delayMs: () => Math.random() * 8 });
    const N = 40;
    const peer = await startPeer((s) => {
      s.emit('hello', hello(2 * N));
      // Raise and acknowledge interleaved, one event per frame: any reordering would drop an ack.
      for (let i = 1; i <= N; i++) {
        s.emit('events', [raised(2 * i - 1, `A${i}`)]);
        s.emit('events', [acked(2 * i, `A${i}`)]);
      }
    });
    cleanups.push(peer.close);
    const link = await connect(peer, journal.api);
    await vi.waitFor(() => expect(journal.state.appendedSeqs).toHaveLength(2 * N), { timeout: 5000 });
    await link.idle();
    expect(journal.state.appendedSeqs).toEqual(Array.from({ length: 2 * N }, (_, i) => i + 1));
    expect(journal.state.maxInFlight).toBe(1);
    expect([...alerts().byId.values()].every((a) => a.status === 'acknowledged')).toBe(true);
    expect(linkState()).toMatchObject({ appliedSeq: 2 * N, latestSeq: 2 * N });
    expect(selectBehindBy(linkState())).toBe(0);
  });

  it('subscribes from the journal cursor, goes live on hello and shows how far behind it is', async () => {
    const journal = fakeJournal({ cursor: 5 });
    const auths: unknown[] = [];
    let socket: PeerSocket | null = null;
    const peer = await startPeer((s) => {
      auths.push(s.handshake.auth);
      socket = s;
      s.emit('hello', hello(12));
    });
    cleanups.push(peer.close);
    await connect(peer, journal.api);
    await vi.waitFor(() => expect(linkState().state).toBe('live'));
    expect(auths).toEqual([{ token: SESSION.token, since: 5 }]);
    expect(linkState()).toMatchObject({ helloReceived: true, latestSeq: 12, appliedSeq: 5 });
    expect(selectBehindBy(linkState())).toBe(7);
    socket!.emit('events', [6, 7, 8, 9, 10, 11, 12].map((seq) => raised(seq, `A${seq}`)));
    await vi.waitFor(() => expect(selectBehindBy(linkState())).toBe(0));
  });

  it('reports reconnecting when the link drops, and resubscribes from what this window journaled', async () => {
    const journal = fakeJournal();
    const auths: Array<{ since?: unknown }> = [];
    const peer = await startPeer((s) => {
      auths.push(s.handshake.auth);
      s.emit('hello', hello(1));
      if (auths.length === 1) {
        s.emit('events', [raised(1, 'A')]);
        setTimeout(() => {
          // Meanwhile another window journals events 2..9: the shared cursor moves past this window.
          void journal.api['journal.append']({ stream: STREAM, receivedAt: now(), entries: [2, 3, 4, 5, 6, 7, 8, 9].map((q) => ({ event: raised(q, `B${q}`), status: 'ok' as const })) });
          s.disconnect(true);
        }, 50);
      }
    });
    cleanups.push(peer.close);
    await connect(peer, journal.api);
    const states: string[] = [];
    const off = useLinkStore.subscribe((s) => states.push(s.state));
    cleanups.push(off);
    await vi.waitFor(() => expect(auths).toHaveLength(2), { timeout: 5000 });
    await vi.waitFor(() => expect(linkState().state).toBe('live'));
    expect(states).toContain('reconnecting');
    // From what this window journaled, not from the shared journal cursor (9): or it would skip 2..9.
    expect(auths[1]!.since).toBe(1);
  });

  it('on resync reloads the snapshot, resets the journal, replaces the alerts and resubscribes from it', async () => {
    const journal = fakeJournal();
    const auths: Array<{ since?: unknown }> = [];
    const peer = await startPeer((s) => {
      auths.push(s.handshake.auth);
      s.emit('hello', hello(40));
      if (auths.length === 1) {
        s.emit('events', [raised(1, 'OLD')]);
        s.emit('resync', { reason: 'too_old', oldestSeq: 30, latestSeq: 40 });
      }
    });
    cleanups.push(peer.close);
    const snapshot = { stream: STREAM, seq: 40, events: [raised(35, 'S1', 'fire'), acked(38, 'S1'), raised(39, 'S2', 'fight'), { broken: 1 }] };
    const requests: Array<{ url: string; auth: string | null }> = [];
    const fetchImpl = (async (url: string, init?: RequestInit) => {
      requests.push({ url, auth: new Headers(init?.headers).get('authorization') });
      return new Response(JSON.stringify(snapshot), { status: 200, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    await connect(peer, journal.api, { http: { fetch: fetchImpl } });
    await vi.waitFor(() => expect(auths).toHaveLength(2), { timeout: 5000 });
    await vi.waitFor(() => expect(alerts().order).toEqual(['S1', 'S2']));
    expect(requests).toEqual([{ url: `${peer.url}/api/snapshot`, auth: `Bearer ${SESSION.token}` }]);
    expect(journal.state.resets).toEqual([40]);
    expect(journal.state.appendedSeqs).toEqual([1, 35, 38, 39]);
    expect(alerts().byId.get('S1')!.status).toBe('acknowledged');
    expect(auths[1]!.since).toBe(40);
    expect(linkState().rejectedCount).toBe(1);
    expect(linkState().resyncing).toBe(false);
  });

  it('reports a refused token as the end of the session', async () => {
    const onUnauthorized = vi.fn();
    const peer = await startPeer(
      () => undefined,
      (_s, next) => next(new Error('token expired; log in again')),
    );
    cleanups.push(peer.close);
    await connect(peer, fakeJournal().api, { onUnauthorized });
    await vi.waitFor(() => expect(onUnauthorized).toHaveBeenCalledWith('token expired; log in again'));
    expect(linkState().state).toBe('offline');
  });
});

// ---- commands -----------------------------------------------------------------------------------

describe('commands', () => {
  async function commandPeer(answer: (cmd: Record<string, unknown>) => unknown | undefined) {
    const received: Array<Record<string, unknown>> = [];
    const peer = await startPeer((s) => {
      s.emit('hello', hello(1));
      s.emit('events', [raised(1, 'A')]);
      s.on('command', ((cmd: Record<string, unknown>, ack: (r: unknown) => void) => {
        received.push(cmd);
        const r = answer(cmd);
        if (r !== undefined) ack(r);
      }) as never);
    });
    cleanups.push(peer.close);
    return { peer, received };
  }

  it('records pending then accepted with one idempotency key, and does not change the alert locally', async () => {
    const journal = fakeJournal();
    const { peer, received } = await commandPeer(() => ({ status: 'accepted', commandId: 'cmd-9', duplicate: false }));
    const link = await connect(peer, journal.api, { uuid: () => '00000000-0000-4000-8000-000000000001' });
    await vi.waitFor(() => expect(alerts().order).toEqual(['A']));
    const outcome = await link.acknowledge('A');
    expect(outcome).toEqual({ status: 'accepted', duplicate: false });
    expect(received).toEqual([{ kind: 'alert.acknowledge', idempotencyKey: '00000000-0000-4000-8000-000000000001', alertId: 'A' }]);
    expect(journal.state.actions.map((a) => [a.status, a.idempotencyKey, a.kind, a.alertId])).toEqual([
      ['pending', '00000000-0000-4000-8000-000000000001', 'alert.acknowledge', 'A'],
      ['accepted', '00000000-0000-4000-8000-000000000001', 'alert.acknowledge', 'A'],
    ]);
    expect(alerts().byId.get('A')!.status).toBe('new');
    expect(useCommandsStore.getState().notices[0]).toMatchObject({ alertId: 'A', outcome: { status: 'accepted' } });
    expect(useCommandsStore.getState().byAlert.get('A')).toEqual({ kind: 'alert.acknowledge', state: { status: 'accepted', duplicate: false } });
  });

  it("shows a rejection with the backend's reason and records it", async () => {
    const journal = fakeJournal();
    const { peer } = await commandPeer(() => ({ status: 'rejected', code: 'already_acknowledged', reason: 'acknowledged by Other at 10:02' }));
    const link = await connect(peer, journal.api);
    await vi.waitFor(() => expect(alerts().order).toEqual(['A']));
    expect(await link.acknowledge('A')).toEqual({ status: 'rejected', code: 'already_acknowledged', reason: 'acknowledged by Other at 10:02' });
    expect(journal.state.actions.map((a) => [a.status, a.reason])).toEqual([
      ['pending', undefined],
      ['rejected', 'acknowledged by Other at 10:02'],
    ]);
  });

  it('joins a second click while the first is in flight, and reports a missing answer as a timeout', async () => {
    const journal = fakeJournal();
    const { peer, received } = await commandPeer(() => undefined);
    const link = await connect(peer, journal.api, { commandTimeoutMs: 150 });
    await vi.waitFor(() => expect(linkState().state).toBe('live'));
    const [a, b] = [link.acknowledge('A'), link.acknowledge('A')];
    expect(useCommandsStore.getState().byAlert.get('A')).toEqual({ kind: 'alert.acknowledge', state: 'pending' });
    expect(await a).toEqual({ status: 'queued', why: 'timeout' });
    expect(await b).toEqual({ status: 'queued', why: 'timeout' });
    expect(received.length).toBeGreaterThanOrEqual(1);
    // The outcome is unknown: the action stays pending in the log, and the command waits in the
    // outbox with its key, to be sent again when the link is back.
    expect(journal.state.actions.map((a) => a.status)).toEqual(['pending']);
    expect([...journal.state.outbox.values()].map((i) => [i.kind, i.alertId])).toEqual([['alert.acknowledge', 'A']]);
  });

  it('keeps a command issued without a link in the outbox and says so', async () => {
    const journal = fakeJournal();
    const peer = await startPeer(() => undefined, (_s, next) => next(new Error('backend maintenance')));
    cleanups.push(peer.close);
    const link = await connect(peer, journal.api);
    await vi.waitFor(() => expect(linkState().state).toBe('offline'));
    expect(await link.command({ kind: 'alert.claim', alertId: 'A' })).toEqual({ status: 'queued', why: 'offline' });
    expect(journal.state.actions.map((a) => [a.status, a.kind])).toEqual([['pending', 'alert.claim']]);
    expect(linkState().outboxWaiting).toBe(1);
    const item = [...journal.state.outbox.values()][0]!;
    expect(JSON.parse(item.command)).toEqual({ kind: 'alert.claim', alertId: 'A', idempotencyKey: item.idempotencyKey });
  });

  it('sends the outbox once, oldest first, when the link is live, and audits the answers', async () => {
    const journal = fakeJournal();
    const keys = ['00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b'];
    for (const [i, kind] of (['alert.claim', 'alert.acknowledge'] as const).entries()) {
      await journal.api['outbox.add']({ idempotencyKey: keys[i]!, stream: STREAM, kind, alertId: 'A', command: JSON.stringify({ kind, idempotencyKey: keys[i], alertId: 'A' }), operator: 'op' });
    }
    const { peer, received } = await commandPeer((cmd) => (cmd.kind === 'alert.claim' ? { status: 'accepted', commandId: 'c1', duplicate: false } : { status: 'rejected', code: 'claimed_by_other', reason: 'held by X' }));
    await connect(peer, journal.api);
    await vi.waitFor(() => expect(journal.state.outbox.size).toBe(0));
    expect(received.map((c) => [c.kind, c.idempotencyKey])).toEqual([
      ['alert.claim', keys[0]],
      ['alert.acknowledge', keys[1]],
    ]);
    expect(journal.state.actions.map((a) => [a.kind, a.status])).toEqual([
      ['alert.claim', 'accepted'],
      ['alert.acknowledge', 'rejected'],
    ]);
    expect(linkState().outboxWaiting).toBe(0);
    expect(useCommandsStore.getState().notices.map((n) => [n.kind, n.outcome.status])).toEqual([
      ['alert.acknowledge', 'rejected'],
      ['alert.claim', 'accepted'],
    ]);
  });
});

// ---- HTTP -------------------------------------------------------------------------------------

describe('backend HTTP', () => {
  const respond = (status: number, body: unknown) => (async () => new Response(JSON.stringify(body), { status })) as unknown as typeof fetch;

  it('logs in and validates the answer', async () => {
    await expect(login('http://b', 'guard', 'pw', { fetch: respond(200, SESSION) })).resolves.toEqual(SESSION);
    const e = await login('http://b', 'guard', 'pw', { fetch: respond(200, { ...SESSION, token: 'short' }) }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'bad_response' });
  });

  it('tells wrong credentials from an unreachable backend', async () => {
    const wrong = await login('http://b', 'guard', 'nope', { fetch: respond(401, { error: { code: 'unauthorized', message: 'wrong username or password' } }) }).catch((x: unknown) => x);
    expect(wrong).toBeInstanceOf(BackendError);
    expect(wrong).toMatchObject({ code: 'invalid_credentials', status: 401, message: 'login: HTTP 401 (wrong username or password)' });
    const down = (async () => {
      throw new TypeError('fetch failed');
    }) as unknown as typeof fetch;
    expect(await login('http://b', 'guard', 'pw', { fetch: down }).catch((x: unknown) => x)).toMatchObject({ code: 'unreachable' });
    expect(await login('http://b', 'guard', 'pw', { fetch: respond(500, 'boom') }).catch((x: unknown) => x)).toMatchObject({ code: 'http', status: 500 });
  });

  it('reads demo accounts, and none from a backend that is not a demo', async () => {
    const accounts = [{ username: 'guard.gym1', password: 'x', role: 'guard', label: 'Guard' }];
    await expect(fetchDemoAccounts('http://b', { fetch: respond(200, { accounts }) })).resolves.toEqual(accounts);
    await expect(fetchDemoAccounts('http://b', { fetch: respond(404, {}) })).resolves.toEqual([]);
  });

  it('joins endpoints under a path prefix', () => {
    expect(backendEndpoint('http://b:1', '/api/login')).toBe('http://b:1/api/login');
    expect(backendEndpoint('https://city.example/kuzet', 'api/catalog')).toBe('https://city.example/kuzet/api/catalog');
  });

  it('notYetShown keeps arrival order and each event once', () => {
    const e = (seq: number) => ({ event: raised(seq, `A${seq}`), status: 'ok' as const });
    const seen = new AppliedSeqs(1);
    expect(notYetShown([e(1), e(2), e(3), e(2)], seen).map((x) => x.event.seq)).toEqual([2, 3]);
    expect(notYetShown([e(3), e(4)], seen).map((x) => x.event.seq)).toEqual([4]);
  });
});
