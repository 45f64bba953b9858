/**
 * The typed console API client: one async function per contract method, whichever transport
 * carries it (see console-transport.ts).
 *
 *   const api = createConsoleClient(detectTransport());
 *   const info = await api['app.info']({});           // resolves the validated output
 *   const off = api.on('settings.changed', (p) => …);  // validated push payloads
 *
 * Every output is validated against the contract's output schema. An error result, a malformed
 * answer or a transport failure rejects with ConsoleApiError, whose code the UI translates.
 * Inputs are not validated here: the router validates them on the Node side, where it counts.
 */
import { z } from 'zod';
import { contract, METHODS, pushEvents, type ConsoleApi, type Method, type PushEvent, type PushPayload } from '../../shared/api';
import { fastSafeParse, fastSafeParsers } from '../../shared/fast-accept';
import { createLogger } from '../../shared/log';
import { ConsoleApiError, describeIssues, type ErrorCode } from '../../shared/result';
import type { ConsoleTransport, TransportStatus } from './console-transport';

const log = createLogger('console-api');

const ERROR_CODES = ['bad_request', 'not_found', 'unauthorized', 'forbidden', 'conflict', 'unavailable', 'internal'] as const satisfies readonly ErrorCode[];

const ResultFrame = z.union([
  z.strictObject({ ok: z.literal(true), value: z.unknown() }),
  z.strictObject({ ok: z.literal(false), error: z.strictObject({ code: z.string().max(64), message: z.string().max(10_000) }) }),
]);
const parseResult = fastSafeParse(ResultFrame);
/** Each method's output validator (a journal append answers a hundred times a second under a flood). */
const parseOutput = fastSafeParsers(Object.fromEntries(METHODS.map((m) => [m, contract[m].output as z.ZodType])) as Record<Method, z.ZodType>);
const parsePush = fastSafeParsers(pushEvents);

export type ConsoleClient = ConsoleApi & {
  readonly transportKind: ConsoleTransport['kind'];
  on<E extends PushEvent>(event: E, listener: (payload: PushPayload<E>) => void): () => void;
  transportStatus(): TransportStatus;
  onTransportStatus(listener: (status: TransportStatus) => void): () => void;
  close(): void;
};

export function createConsoleClient(transport: ConsoleTransport): ConsoleClient {
  const call = async (method: Method, input: unknown): Promise<unknown> => {
    let raw: unknown;
    try {
      raw = await transport.call(method, input);
    } catch (e) {
      throw e instanceof ConsoleApiError ? e : new ConsoleApiError('unavailable', `${method}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const result = parseResult(raw);
    if (!result.success) {
      log.error('malformed result from the console host', { method, reason: describeIssues(result.error.issues) });
      throw new ConsoleApiError('internal', `${method}: the console host answered with a malformed result`);
    }
    if (!result.data.ok) {
      const { code, message } = result.data.error;
      const known = (ERROR_CODES as readonly string[]).includes(code) ? (code as ErrorCode) : 'internal';
      throw new ConsoleApiError(known, message);
    }
    const output = parseOutput[method](result.data.value);
    if (!output.success) {
      const reason = describeIssues(output.error.issues);
      log.error('console host output failed validation', { method, reason });
      throw new ConsoleApiError('internal', `${method}: invalid output (${reason})`);
    }
    return output.data;
  };

  const methods = Object.fromEntries(METHODS.map((m) => [m, (input: unknown) => call(m, input)])) as unknown as ConsoleApi;

  return {
    ...methods,
    transportKind: transport.kind,
    on(event, listener) {
      return transport.subscribe(event, (payload) => {
        const parsed = parsePush[event](payload);
        if (!parsed.success) {
          log.warn('dropped an invalid push event', { event, reason: describeIssues(parsed.error.issues) });
          return;
        }
        listener(parsed.data as PushPayload<typeof event>);
      });
    },
    transportStatus: () => transport.status(),
    onTransportStatus: (listener) => transport.onStatus(listener),
    close: () => transport.close(),
  };
}

// The one client of this window, set once at start (main.tsx) and by tests.
let instance: ConsoleClient | null = null;

export function setConsoleClient(client: ConsoleClient | null): void {
  instance = client;
}

export function consoleClient(): ConsoleClient {
  if (!instance) throw new Error('console client not initialised');
  return instance;
}
