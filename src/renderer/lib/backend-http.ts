/**
 * HTTP calls to the city backend (see src/shared/protocol.ts), validated on arrival. Free of
 * socket.io so the catalog worker can use it; lib/backend-client.ts re-exports all of it.
 *
 *   await login(backendUrl, 'guard.gym1', '…')    // LoginResponse | throws BackendError
 *   await fetchCatalog(backendUrl, token)         // Catalog
 */
import type { z } from 'zod';
import { clip } from '../../shared/alerts';
import { createLogger } from '../../shared/log';
import { MAX_BACKGROUND_BYTES } from '../../shared/plan-editor';
import { BackgroundUploaded, Catalog, DemoAccounts, FloorPlanAccepted, LoginRequest, LoginResponse, SchoolPlan, Snapshot, type FloorPlanUpdate } from '../../shared/protocol';
import { LinkHistory } from '../../shared/protocol-network';
import { describeIssues } from '../../shared/result';
import { CameraFramesV1 } from '../../shared/camera-health';

const log = createLogger('backend-http');

export type BackendErrorCode =
  | 'invalid_credentials'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'unreachable'
  | 'timeout'
  | 'bad_response'
  | 'http';

/** A failure talking to the city backend; `code` is what the UI translates. */
export class BackendError extends Error {
  constructor(
    readonly code: BackendErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'BackendError';
  }
}

export interface HttpOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** Joins a path to the backend URL, keeping any path prefix the backend is mounted under. */
export function backendEndpoint(backendUrl: string, path: string): string {
  const base = backendUrl.endsWith('/') ? backendUrl : `${backendUrl}/`;
  return new URL(path.replace(/^\/+/, ''), base).toString();
}

async function requestJson<S extends z.ZodType>(
  url: string,
  init: RequestInit,
  schema: S,
  what: string,
  opts: HttpOptions & { on401?: BackendErrorCode },
): Promise<z.infer<S>> {
  return request(url, init, what, opts, async (res, late) => {
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw late() ?? new BackendError('bad_response', `${what}: the answer is not JSON`);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new BackendError('bad_response', `${what}: ${describeIssues(parsed.error.issues)}`);
    return parsed.data;
  });
}

/** One request with a time limit; `read` takes the body of a 2xx answer (`late()`: the timeout's error, if it struck). */
async function request<T>(
  url: string,
  init: RequestInit,
  what: string,
  opts: HttpOptions & { on401?: BackendErrorCode },
  read: (res: Response, late: () => BackendError | null) => Promise<T>,
): Promise<T> {
  const fetchImpl = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const controller = new AbortController();
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    let res: Response;
    try {
      res = await fetchImpl(url, { ...init, signal: controller.signal, cache: 'no-store' });
    } catch (e) {
      if (controller.signal.aborted) throw new BackendError('timeout', `${what}: no answer within ${Math.round(timeoutMs / 1000)} s`);
      throw new BackendError('unreachable', `${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!res.ok) {
      const detail = await errorDetail(res);
      const code: BackendErrorCode =
        res.status === 401 ? (opts.on401 ?? 'unauthorized') : res.status === 403 ? 'forbidden' : res.status === 404 ? 'not_found' : 'http';
      throw new BackendError(code, `${what}: HTTP ${res.status}${detail ? ` (${detail})` : ''}`, res.status);
    }
    return await read(res, () => (controller.signal.aborted ? new BackendError('timeout', `${what}: the answer did not finish within ${Math.round(timeoutMs / 1000)} s`) : null));
  } finally {
    clearTimeout(timer);
  }
}

async function errorDetail(res: Response): Promise<string> {
  try {
    const text = (await res.text()).slice(0, 2000);
    try {
      // Accepts {error: "…"}, {message: "…"} and {error: {code, message}} bodies.
      const json = JSON.parse(text) as { error?: unknown; message?: unknown };
      const nested = typeof json.error === 'object' && json.error !== null ? (json.error as { message?: unknown }).message : undefined;
      const msg = [json.error, json.message, nested].find((m): m is string => typeof m === 'string');
      if (msg) return clip(msg, 200);
    } catch {
      // not JSON: use the text
    }
    return clip(text.trim(), 200);
  } catch {
    return '';
  }
}

export async function login(backendUrl: string, username: string, password: string, opts: HttpOptions = {}): Promise<LoginResponse> {
  const body = LoginRequest.safeParse({ username: username.trim(), password });
  if (!body.success) throw new BackendError('invalid_credentials', 'username or password has an invalid length');
  return requestJson(
    backendEndpoint(backendUrl, 'api/login'),
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body.data) },
    LoginResponse,
    'login',
    { ...opts, on401: 'invalid_credentials' },
  );
}

/** The demo accounts of an embedded/training backend; empty when the backend is not a demo. */
export async function fetchDemoAccounts(backendUrl: string, opts: HttpOptions = {}): Promise<DemoAccounts['accounts']> {
  try {
    return (await requestJson(backendEndpoint(backendUrl, 'api/demo-accounts'), { method: 'GET' }, DemoAccounts, 'demo accounts', opts)).accounts;
  } catch (e) {
    if (e instanceof BackendError && e.code === 'not_found') return [];
    throw e;
  }
}

/** The scope's catalog; validated in one pass (the view indexes it once, see features/catalog). */
export async function fetchCatalog(backendUrl: string, token: string, opts: HttpOptions = {}): Promise<Catalog> {
  const started = performance.now();
  const catalog = await requestJson(
    backendEndpoint(backendUrl, 'api/catalog'),
    { method: 'GET', headers: { authorization: `Bearer ${token}` } },
    Catalog,
    'catalog',
    { timeoutMs: 60_000, ...opts },
  );
  log.debug('catalog fetched and validated', { schools: catalog.schools.length, devices: catalog.devices.length, ms: Math.round(performance.now() - started) });
  return catalog;
}

export async function fetchSnapshot(backendUrl: string, token: string, opts: HttpOptions = {}): Promise<Snapshot> {
  return requestJson(
    backendEndpoint(backendUrl, 'api/snapshot'),
    { method: 'GET', headers: { authorization: `Bearer ${token}` } },
    Snapshot,
    'snapshot',
    { timeoutMs: 60_000, ...opts },
  );
}

/** A school's current plan and its version (after a plan.updated event, or before editing). */
export async function fetchSchoolPlan(backendUrl: string, token: string, schoolId: string, opts: HttpOptions = {}): Promise<SchoolPlan> {
  return requestJson(
    backendEndpoint(backendUrl, `api/plans/${encodeURIComponent(schoolId)}`),
    { method: 'GET', headers: { authorization: `Bearer ${token}` } },
    SchoolPlan,
    'school plan',
    opts,
  );
}

/** Sends a floor's edited plan; the backend answers with the school's new plan version or a reason. */
export async function putFloorPlan(backendUrl: string, token: string, schoolId: string, floorId: string, update: FloorPlanUpdate, opts: HttpOptions = {}): Promise<FloorPlanAccepted> {
  return requestJson(
    backendEndpoint(backendUrl, floorPath(schoolId, floorId)),
    { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(update) },
    FloorPlanAccepted,
    'save plan',
    opts,
  );
}

const floorPath = (schoolId: string, floorId: string) => `api/plans/${encodeURIComponent(schoolId)}/floors/${encodeURIComponent(floorId)}`;

/** Sends a floor's background image (the checked bytes); the backend checks it again and keeps it by its hash. */
export async function uploadFloorBackground(backendUrl: string, token: string, schoolId: string, floorId: string, bytes: Uint8Array<ArrayBuffer>, opts: HttpOptions = {}): Promise<BackgroundUploaded> {
  return requestJson(
    backendEndpoint(backendUrl, `${floorPath(schoolId, floorId)}/background`),
    { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' }, body: bytes },
    BackgroundUploaded,
    'send plan image',
    { timeoutMs: 60_000, ...opts },
  );
}

/** A floor background's bytes, as the backend serves them (the caller checks them before showing them). */
export async function fetchPlanBackground(backendUrl: string, token: string, schoolId: string, id: string, opts: HttpOptions = {}): Promise<Uint8Array> {
  const what = 'plan image';
  return request(backendEndpoint(backendUrl, `api/plans/${encodeURIComponent(schoolId)}/backgrounds/${encodeURIComponent(id)}`), { method: 'GET', headers: { authorization: `Bearer ${token}` } }, what, { timeoutMs: 60_000, ...opts }, async (res, late) => {
    const tooBig = () => new BackendError('bad_response', `${what}: larger than ${MAX_BACKGROUND_BYTES / 1048576} MB`);
    if (Number(res.headers.get('content-length') ?? 0) > MAX_BACKGROUND_BYTES) throw tooBig();
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await res.arrayBuffer());
    } catch {
      throw late() ?? new BackendError('bad_response', `${what}: the answer could not be read`);
    }
    if (bytes.length > MAX_BACKGROUND_BYTES) throw tooBig();
    return bytes;
  });
}

/** A school's link, one point a minute, over [from, to] (epoch ms); see src/shared/protocol-network.ts. */
export async function fetchLinkHistory(backendUrl: string, token: string, schoolId: string, window: { from: number; to: number }, opts: HttpOptions = {}): Promise<LinkHistory> {
  const query = `from=${Math.floor(window.from)}&to=${Math.floor(window.to)}`;
  return requestJson(
    backendEndpoint(backendUrl, `api/schools/${encodeURIComponent(schoolId)}/link-history?${query}`),
    { method: 'GET', headers: { authorization: `Bearer ${token}` } },
    LinkHistory,
    'link history',
    opts,
  );
}

/** When the backend's VMS last received a frame from each camera of a school (camera health). */
export async function fetchCameraFrames(backendUrl: string, token: string, schoolId: string, opts: HttpOptions = {}): Promise<CameraFramesV1> {
  return requestJson(
    backendEndpoint(backendUrl, `api/schools/${encodeURIComponent(schoolId)}/camera-frames`),
    { method: 'GET', headers: { authorization: `Bearer ${token}` } },
    CameraFramesV1,
    'camera frames',
    opts,
  );
}
