/**
 * The generic half of both console-API transports (Electron IPC in src/main, WebSocket in src/web):
 * a request frame in, a response frame out. No per-method code lives in a transport.
 *
 *   const response = await handleRequestFrame(router, frame, { transport: 'ws', peer });
 */
import { RequestFrame } from '../shared/api';
import { createLogger } from '../shared/log';
import { describeIssues, type Result } from '../shared/result';

const log = createLogger('transport');

export interface CallContext {
  transport: 'ipc' | 'ws' | 'test';
  peer: string;
}

export interface RouterLike {
  call(method: string, input: unknown, ctx: CallContext): Promise<Result<unknown>>;
}

export interface ResponseFrame {
  id: number;
  result: Result<unknown>;
}

/** Validates the frame itself; the router validates the method and its input. Never throws. */
export async function handleRequestFrame(router: RouterLike, raw: unknown, ctx: CallContext): Promise<ResponseFrame | null> {
  const frame = RequestFrame.safeParse(raw);
  if (!frame.success) {
    const id = typeof (raw as { id?: unknown } | null)?.id === 'number' ? (raw as { id: number }).id : null;
    const message = `malformed request frame: ${describeIssues(frame.error.issues)}`;
    log.warn('rejected frame', { transport: ctx.transport, peer: ctx.peer, reason: message });
    return id === null ? null : { id, result: { ok: false, error: { code: 'bad_request', message } } };
  }
  const result = await router.call(frame.data.method, frame.data.input, ctx);
  return { id: frame.data.id, result };
}
