/**
 * The two carriers of the console API, generic over the contract (no per-method code):
 *
 *   detectTransport()                       // Electron preload bridge if present, else WebSocket
 *   createIpcTransport(window.kuzet)        // Electron: one async function per method + on()
 *   createWebSocketTransport({ url })       // browser mode: frames of src/shared/api.ts over /api/ws
 *
 * A transport resolves `call` with the raw Result the host answered (validated by the client, see
 * console-api.ts) and rejects only with ConsoleApiError('unavailable') when the call could not be
 * carried: host gone, connection dropped while the call was in flight, or no answer in time.
 */
import { z } from 'zod';
import { MAX_FRAME_BYTES } from '../../shared/api';
import { createLogger } from '../../shared/log';
import { ConsoleApiError } from '../../shared/result';

const log = createLogger('console-transport');

export type TransportStatus = 'connecting' | 'open' | 'closed';

export interface ConsoleTransport {
  readonly kind: 'ipc' | 'websocket';
  call(method: string, input: unknown): Promise<unknown>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
  status(): TransportStatus;
  onStatus(listener: (status: TransportStatus) => void): () => void;
  close(): void;
}

/** What the Electron preload exposes; typed loosely because it is checked at run time. */
export type KuzetBridge = Readonly<Record<string, unknown>>;

declare global {
  interface Window {
    kuzet?: KuzetBridge;
  }
}

export function createIpcTransport(bridge: KuzetBridge): ConsoleTransport {
  return {
    kind: 'ipc',
    async call(method, input) {
      const fn = bridge[method];
      if (typeof fn !== 'function') throw new ConsoleApiError('not_found', `the console host does not offer ${method}`);
      try {
        return (await (fn as (input: unknown) => Promise<unknown>)(input)) as unknown;
      } catch (e) {
        throw new ConsoleApiError('unavailable', `the console host did not carry ${method}: ${errorText(e)}`);
      }
    },
    subscribe(event, listener) {
      const on = bridge.on;
      if (typeof on !== 'function') return () => undefined;
      const off = (on as (event: string, listener: (payload: unknown) => void) => unknown)(event, listener);
      return typeof off === 'function' ? (off as () => void) : () => undefined;
    },
    status: () => 'open',
    onStatus: () => () => undefined,
    close: () => undefined,
  };
}

/** The minimal WebSocket surface used here; the DOM WebSocket satisfies it, tests pass a fake. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type WebSocketFactory = (url: string) => WebSocketLike;

export interface WebSocketTransportOptions {
  url: string;
  createSocket?: WebSocketFactory;
  /** Delays before reconnect attempts 1, 2, …; the last one repeats. Jittered by ±20 %. */
  backoffMs?: readonly number[];
  /** A call (queued or in flight) that gets no answer within this time fails as unavailable. */
  callTimeoutMs?: number;
  random?: () => number;
}

const ResponseFrame = z.strictObject({ id: z.number().int().min(0), result: z.unknown() });
const PushFrame = z.strictObject({ event: z.string().min(1).max(100), payload: z.unknown() });

interface Call {
  id: number;
  method: string;
  frame: string;
  sent: boolean;
  timer: ReturnType<typeof setTimeout>;
  resolve: (result: unknown) => void;
  reject: (e: ConsoleApiError) => void;
}

const OPEN = 1;

export function createWebSocketTransport(opts: WebSocketTransportOptions): ConsoleTransport {
  const createSocket = opts.createSocket ?? ((url: string) => new WebSocket(url) as unknown as WebSocketLike);
  const backoff = opts.backoffMs ?? [250, 500, 1000, 2000, 4000, 5000];
  const callTimeoutMs = opts.callTimeoutMs ?? 30_000;
  const random = opts.random ?? Math.random;

  let socket: WebSocketLike | null = null;
  let state: TransportStatus = 'connecting';
  let attempt = 0;
  let closed = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let nextId = 1;
  const calls = new Map<number, Call>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const statusListeners = new Set<(s: TransportStatus) => void>();

  const setState = (next: TransportStatus) => {
    if (state === next) return;
    state = next;
    for (const l of statusListeners) l(next);
  };

  const flush = () => {
    if (!socket || socket.readyState !== OPEN) return;
    for (const call of calls.values()) {
      if (call.sent) continue;
      call.sent = true;
      socket.send(call.frame);
    }
  };

  const finish = (id: number): Call | undefined => {
    const call = calls.get(id);
    if (!call) return undefined;
    calls.delete(id);
    clearTimeout(call.timer);
    return call;
  };

  const onMessage = (data: unknown) => {
    if (typeof data !== 'string') return;
    if (data.length > MAX_FRAME_BYTES) {
      log.warn('dropped oversized frame from the console host', { bytes: data.length });
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      log.warn('dropped a frame that is not JSON');
      return;
    }
    const response = ResponseFrame.safeParse(parsed);
    if (response.success) {
      // A late answer to a call that already timed out has nobody waiting: ignored.
      finish(response.data.id)?.resolve(response.data.result);
      return;
    }
    const push = PushFrame.safeParse(parsed);
    if (push.success) {
      for (const l of listeners.get(push.data.event) ?? []) l(push.data.payload);
      return;
    }
    log.warn('dropped an unknown frame from the console host');
  };

  const connect = () => {
    reconnectTimer = null;
    if (closed) return;
    setState('connecting');
    let ws: WebSocketLike;
    try {
      ws = createSocket(opts.url);
    } catch (e) {
      log.error('cannot open the console socket', { error: errorText(e) });
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.onopen = () => {
      if (socket !== ws) return;
      attempt = 0;
      setState('open');
      flush();
    };
    ws.onmessage = (ev) => {
      if (socket === ws) onMessage(ev.data);
    };
    ws.onerror = () => {
      // The close event follows and carries the handling.
    };
    ws.onclose = (ev) => {
      if (socket !== ws) return;
      socket = null;
      // Calls already on the wire may or may not have run: their callers must know. Calls still
      // queued were never sent and go out after the reconnect.
      for (const call of [...calls.values()]) {
        if (!call.sent) continue;
        finish(call.id)?.reject(new ConsoleApiError('unavailable', `connection to the console host was lost during ${call.method}`));
      }
      if (closed) return;
      log.warn('console socket closed; reconnecting', { code: ev.code, reason: ev.reason });
      scheduleReconnect();
    };
  };

  const scheduleReconnect = () => {
    if (closed || reconnectTimer) return;
    setState('closed');
    const base = backoff[Math.min(attempt, backoff.length - 1)] ?? 1000;
    attempt += 1;
    const delay = Math.round(base * (0.8 + 0.4 * random()));
    reconnectTimer = setTimeout(connect, delay);
  };

  connect();

  return {
    kind: 'websocket',
    call(method, input) {
      if (closed) return Promise.reject(new ConsoleApiError('unavailable', 'the console client is closed'));
      const id = nextId++;
      let frame: string;
      try {
        frame = JSON.stringify({ id, method, input });
      } catch (e) {
        return Promise.reject(new ConsoleApiError('bad_request', `${method} input cannot be sent: ${errorText(e)}`));
      }
      if (frame.length > MAX_FRAME_BYTES) {
        return Promise.reject(new ConsoleApiError('bad_request', `${method} input is larger than ${MAX_FRAME_BYTES} bytes`));
      }
      return new Promise<unknown>((resolve, reject) => {
        const timer = setTimeout(() => {
          finish(id)?.reject(new ConsoleApiError('unavailable', `the console host did not answer ${method} within ${Math.round(callTimeoutMs / 1000)} s`));
        }, callTimeoutMs);
        calls.set(id, { id, method, frame, sent: false, timer, resolve, reject });
        flush();
      });
    },
    subscribe(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
    status: () => state,
    onStatus(listener) {
      statusListeners.add(listener);
      return () => {
        statusListeners.delete(listener);
      };
    },
    close() {
      if (closed) return;
      closed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      for (const call of [...calls.values()]) finish(call.id)?.reject(new ConsoleApiError('unavailable', 'the console client is closed'));
      const ws = socket;
      socket = null;
      ws?.close(1000, 'client closed');
      setState('closed');
    },
  };
}

/** The browser-mode host's socket: same host as the page, `?token=` carried over from the page URL. */
export function consoleSocketUrl(location: { protocol: string; host: string; search: string }): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const token = new URLSearchParams(location.search).get('token');
  return `${scheme}://${location.host}/api/ws${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

export function detectTransport(win: Window = window): ConsoleTransport {
  const bridge = win.kuzet;
  if (bridge && typeof bridge === 'object') return createIpcTransport(bridge);
  return createWebSocketTransport({ url: consoleSocketUrl(win.location) });
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
