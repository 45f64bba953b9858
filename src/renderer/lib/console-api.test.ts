import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConsoleApiError } from '../../shared/result';
import { createConsoleClient } from './console-api';
import { captureLogs, type LogRecord } from '../testing/capture-logs';
import { consoleSocketUrl, createIpcTransport, createWebSocketTransport, type ConsoleTransport, type WebSocketLike } from './console-transport';

const INFO = { version: '0.1.0', host: 'web', backendUrl: 'http://127.0.0.1:4000', embedded: true };

/** A transport that answers from a table: method -> raw Result (or a thrower). */
function fakeTransport(answers: Record<string, unknown | (() => unknown)>): ConsoleTransport & { calls: Array<[string, unknown]>; push(event: string, payload: unknown): void } {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const calls: Array<[string, unknown]> = [];
  return {
    kind: 'websocket',
    calls,
    async call(method, input) {
      calls.push([method, input]);
      const a = answers[method];
      return typeof a === 'function' ? (a as () => unknown)() : a;
    },
    subscribe(event, listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener);
      return () => listeners.get(event)!.delete(listener);
    },
    push(event, payload) {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
    status: () => 'open',
    onStatus: () => () => undefined,
    close: () => undefined,
  };
}

async function rejection(p: Promise<unknown>): Promise<ConsoleApiError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ConsoleApiError);
  return e as ConsoleApiError;
}

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());
const logged = (msg: string): LogRecord | undefined => logs.records.find((r) => r.msg === msg);

describe('console API client', () => {
  it('resolves validated outputs and passes inputs through', async () => {
    const t = fakeTransport({ 'app.info': { ok: true, value: INFO }, 'journal.cursor': { ok: true, value: { lastContiguousSeq: 7, rejectedCount: 1 } } });
    const api = createConsoleClient(t);
    await expect(api['app.info']({})).resolves.toEqual(INFO);
    await expect(api['journal.cursor']({ stream: 's' })).resolves.toEqual({ lastContiguousSeq: 7, rejectedCount: 1 });
    expect(t.calls).toEqual([
      ['app.info', {}],
      ['journal.cursor', { stream: 's' }],
    ]);
  });

  it('rejects an output that does not match the contract with an internal ConsoleApiError', async () => {
    const api = createConsoleClient(fakeTransport({ 'app.info': { ok: true, value: { ...INFO, host: 'toaster' } }, 'alerts.list': { ok: true, value: { alerts: [{ id: 1 }] } } }));
    const e = await rejection(api['app.info']({}));
    expect(e.code).toBe('internal');
    expect(e.message).toMatch(/app\.info: invalid output \(host/);
    expect((await rejection(api['alerts.list']({ stream: 's' }))).code).toBe('internal');
    expect(logged('console host output failed validation')).toMatchObject({ level: 'error', method: 'app.info' });
  });

  it('turns error results into ConsoleApiError with the code, and unknown codes into internal', async () => {
    const api = createConsoleClient(
      fakeTransport({
        'settings.get': { ok: false, error: { code: 'bad_request', message: 'key: invalid' } },
        'settings.set': { ok: false, error: { code: 'teapot', message: 'short and stout' } },
      }),
    );
    const e = await rejection(api['settings.get']({ key: 'x' }));
    expect([e.code, e.message]).toEqual(['bad_request', 'key: invalid']);
    expect((await rejection(api['settings.set']({ key: 'x', value: 1 }))).code).toBe('internal');
  });

  it('rejects malformed Result frames and transport failures with typed errors', async () => {
    const api = createConsoleClient(
      fakeTransport({
        'app.info': { yes: true },
        'journal.cursor': () => {
          throw new Error('socket on fire');
        },
      }),
    );
    expect((await rejection(api['app.info']({}))).code).toBe('internal');
    const e = await rejection(api['journal.cursor']({ stream: 's' }));
    expect([e.code, e.message]).toEqual(['unavailable', 'journal.cursor: socket on fire']);
  });

  it('delivers only push payloads that match the contract', () => {
    const t = fakeTransport({});
    const api = createConsoleClient(t);
    const got: unknown[] = [];
    const off = api.on('settings.changed', (p) => got.push(p));
    t.push('settings.changed', { key: 'ui.locale' });
    t.push('settings.changed', { key: 42 });
    off();
    t.push('settings.changed', { key: 'ui.locale' });
    expect(got).toEqual([{ key: 'ui.locale' }]);
  });

  it('works over the Electron bridge (window.kuzet)', async () => {
    const bridge = {
      'app.info': vi.fn(async () => ({ ok: true, value: INFO })),
      on: vi.fn(() => () => undefined),
    };
    const api = createConsoleClient(createIpcTransport(bridge));
    await expect(api['app.info']({})).resolves.toEqual(INFO);
    expect(bridge['app.info']).toHaveBeenCalledWith({});
    expect((await rejection(api['journal.cursor']({ stream: 's' }))).code).toBe('not_found');
  });
});

// ---- WebSocket transport against a fake socket ---------------------------------------------------

class FakeSocket implements WebSocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: WebSocketLike['onopen'] = null;
  onclose: WebSocketLike['onclose'] = null;
  onerror: WebSocketLike['onerror'] = null;
  onmessage: WebSocketLike['onmessage'] = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(data);
  }
  close() {
    this.drop(1000);
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop(code = 1006) {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }
  reply(id: number, result: unknown) {
    this.onmessage?.({ data: JSON.stringify({ id, result }) });
  }
  frames(): Array<{ id: number; method: string; input: unknown }> {
    return this.sent.map((s) => JSON.parse(s) as { id: number; method: string; input: unknown });
  }
}

describe('WebSocket transport', () => {
  afterEach(() => {
    FakeSocket.all = [];
    vi.useRealTimers();
  });

  const make = (callTimeoutMs = 30_000) =>
    createWebSocketTransport({ url: 'ws://host/api/ws', createSocket: (u) => new FakeSocket(u), backoffMs: [100, 200], callTimeoutMs, random: () => 0.5 });

  it('queues calls until the socket opens, then answers them by id', async () => {
    const transport = make();
    const api = createConsoleClient(transport);
    const info = api['app.info']({});
    const cursor = api['journal.cursor']({ stream: 's' });
    const ws = FakeSocket.all[0]!;
    expect(ws.sent).toEqual([]);
    ws.open();
    const [f1, f2] = ws.frames();
    expect(f1).toMatchObject({ method: 'app.info', input: {} });
    expect(f2).toMatchObject({ method: 'journal.cursor', input: { stream: 's' } });
    ws.reply(f2!.id, { ok: true, value: { lastContiguousSeq: 3, rejectedCount: 0 } });
    ws.reply(f1!.id, { ok: true, value: INFO });
    await expect(info).resolves.toEqual(INFO);
    await expect(cursor).resolves.toEqual({ lastContiguousSeq: 3, rejectedCount: 0 });
    transport.close();
  });

  it('fails calls in flight when the socket drops, keeps unsent ones, and reconnects with backoff', async () => {
    vi.useFakeTimers();
    const transport = make();
    const statuses: string[] = [];
    transport.onStatus((s) => statuses.push(s));
    const api = createConsoleClient(transport);
    const first = FakeSocket.all[0]!;
    first.open();
    const inFlight = api['journal.append']({ stream: 's', receivedAt: new Date().toISOString(), entries: [] });
    first.drop();
    const e = await rejection(inFlight);
    expect(e.code).toBe('unavailable');
    expect(e.message).toMatch(/lost during journal\.append/);
    // Made while down: queued, and sent after the reconnect.
    const queued = api['app.info']({});
    expect(FakeSocket.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);
    const second = FakeSocket.all[1]!;
    expect(second).toBeDefined();
    second.open();
    const [frame] = second.frames();
    expect(frame).toMatchObject({ method: 'app.info' });
    second.reply(frame!.id, { ok: true, value: INFO });
    await expect(queued).resolves.toEqual(INFO);
    expect(statuses).toEqual(['open', 'closed', 'connecting', 'open']);
    // The backoff grows while the host stays away.
    second.drop();
    await vi.advanceTimersByTimeAsync(100);
    FakeSocket.all[2]!.drop();
    await vi.advanceTimersByTimeAsync(199);
    expect(FakeSocket.all).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.all).toHaveLength(4);
    transport.close();
  });

  it('fails a call that gets no answer in time, and ignores the late answer', async () => {
    vi.useFakeTimers();
    const transport = make(1000);
    const api = createConsoleClient(transport);
    const ws = FakeSocket.all[0]!;
    ws.open();
    const call = api['app.info']({});
    const settled = rejection(call);
    await vi.advanceTimersByTimeAsync(1000);
    expect((await settled).code).toBe('unavailable');
    ws.reply(ws.frames()[0]!.id, { ok: true, value: INFO });
    transport.close();
  });

  it('delivers push frames and drops junk', () => {
    const transport = make();
    const api = createConsoleClient(transport);
    const got: unknown[] = [];
    api.on('settings.changed', (p) => got.push(p));
    const ws = FakeSocket.all[0]!;
    ws.open();
    ws.onmessage?.({ data: 'not json' });
    ws.onmessage?.({ data: JSON.stringify({ what: 1 }) });
    ws.onmessage?.({ data: JSON.stringify({ event: 'settings.changed', payload: { key: 'ui.locale' } }) });
    expect(got).toEqual([{ key: 'ui.locale' }]);
    transport.close();
  });

  it('closing fails everything pending and stops reconnecting', async () => {
    const transport = make();
    const api = createConsoleClient(transport);
    const pending = api['app.info']({});
    transport.close();
    expect((await rejection(pending)).code).toBe('unavailable');
    expect((await rejection(api['app.info']({}))).code).toBe('unavailable');
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('builds the host socket URL from the page location, carrying its token', () => {
    expect(consoleSocketUrl({ protocol: 'http:', host: '127.0.0.1:5780', search: '' })).toBe('ws://127.0.0.1:5780/api/ws');
    expect(consoleSocketUrl({ protocol: 'https:', host: 'hq.example:443', search: '?token=a+b/c&x=1' })).toBe('wss://hq.example:443/api/ws?token=a%20b%2Fc');
  });
});
