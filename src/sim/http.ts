// Small HTTP helpers for the simulator's API: JSON answers, errors as `{ error: { code, message } }`,
// bounded JSON bodies and CORS. The console runs on another origin (browser-mode host, Electron's
// custom protocol) and authenticates with bearer tokens, never cookies, so any origin may call.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { describeIssues, err, ok, type ApiError, type ErrorCode, type Result } from '../shared/result';

export const MAX_BODY_BYTES = 64 * 1024;

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
};

export function statusOf(code: ErrorCode): number {
  return STATUS[code];
}

export function setCors(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', 'ETag, Content-Length, Retry-After');
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, POST, PUT, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Instructor-Key, Range');
    res.setHeader('Access-Control-Max-Age', '600');
    // Chromium's Private Network Access preflight (a page on a public origin calling localhost).
    if (req.headers['access-control-request-private-network'] === 'true') res.setHeader('Access-Control-Allow-Private-Network', 'true');
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, code: ErrorCode, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, statusOf(code), { error: { code, message } }, headers);
}

export function sendResult<T>(res: ServerResponse, result: BodyResult<T>, status = 200): void {
  if (result.ok) sendJson(res, status, result.value);
  else if ('status' in result) sendJson(res, result.status, { error: result.error });
  else sendError(res, result.error.code, result.error.message);
}

export type BodyResult<T> = Result<T> | { ok: false; error: ApiError; status: 413 };

const tooLargeError = (limit: number): BodyResult<never> => ({
  ok: false,
  status: 413,
  error: { code: 'bad_request', message: `request body too large (limit ${limit / 1024} KB)` },
});

/** Reads a body of at most maxBytes; `tooLarge` words the refusal (default: the limit in KB). */
export async function readBytes(req: IncomingMessage, maxBytes: number, tooLarge?: string): Promise<BodyResult<Buffer>> {
  const refusal = (): BodyResult<never> => (tooLarge ? { ok: false, status: 413, error: { code: 'bad_request', message: tooLarge } } : tooLargeError(maxBytes));
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) {
    req.resume();
    return refusal();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) over = true;
      else chunks.push(chunk);
    }
  } catch {
    return err('bad_request', 'request body could not be read');
  }
  // The rest was read and dropped rather than kept: memory stays bounded, the answer stays readable.
  if (over) return refusal();
  return ok(Buffer.concat(chunks));
}

/** Reads a JSON body of at most maxBytes (default MAX_BODY_BYTES) and validates it; errors are readable sentences. */
export async function readJson<S extends z.ZodType>(req: IncomingMessage, schema: S, maxBytes = MAX_BODY_BYTES): Promise<BodyResult<z.infer<S>>> {
  const bytes = await readBytes(req, maxBytes);
  if (!bytes.ok) return bytes;
  const text = bytes.value.toString('utf8');
  if (!text.trim()) return err('bad_request', 'request body is empty; expected JSON');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return err('bad_request', `request body is not valid JSON: ${(e as Error).message}`.slice(0, 300));
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return err('bad_request', `invalid request: ${describeIssues(parsed.error.issues)}`.slice(0, 500));
  return ok(parsed.data as z.infer<S>);
}

export interface CachedJson {
  body: Buffer;
  gzipped: Buffer;
  etag: string;
}

const gzipAsync = promisify(gzip);

/** Serializes and compresses once (compression runs off the main thread). */
export async function cacheJson(value: unknown): Promise<CachedJson> {
  const body = Buffer.from(JSON.stringify(value));
  const gzipped = await gzipAsync(body, { level: 6 });
  const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
  return { body, gzipped, etag };
}

export function sendCachedJson(req: IncomingMessage, res: ServerResponse, cached: CachedJson): void {
  const base = { ETag: cached.etag, 'Cache-Control': 'no-cache', Vary: 'Accept-Encoding, Authorization' };
  if (req.headers['if-none-match'] === cached.etag) {
    res.writeHead(304, base);
    res.end();
    return;
  }
  const useGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = useGzip ? cached.gzipped : cached.body;
  res.writeHead(200, {
    ...base,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': body.length,
    ...(useGzip ? { 'Content-Encoding': 'gzip' } : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

export function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1' || (address?.startsWith('127.') ?? false);
}
