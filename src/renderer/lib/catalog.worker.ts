// The catalog worker: fetch, JSON and zod validation of the scope's catalog off the main thread.
// One request per worker: { backendUrl, token } in, a CatalogReply out (see backend-client.ts).
import { z } from 'zod';
import type { CatalogReply } from './backend-client';
import { BackendError, fetchCatalog } from './backend-http';

// The page's CSP forbids eval: tell zod up front instead of letting it probe with new Function.
z.config({ jitless: true });

interface WorkerScope {
  onmessage: ((ev: MessageEvent<{ backendUrl: string; token: string }>) => void) | null;
  postMessage(message: CatalogReply): void;
}
const scope = globalThis as unknown as WorkerScope;

scope.onmessage = (ev) => {
  const started = performance.now();
  fetchCatalog(ev.data.backendUrl, ev.data.token).then(
    (catalog) => scope.postMessage({ ok: true, catalog, ms: Math.round(performance.now() - started) }),
    (e: unknown) =>
      scope.postMessage(
        e instanceof BackendError
          ? { ok: false, code: e.code, message: e.message, ...(e.status === undefined ? {} : { status: e.status }) }
          : { ok: false, code: 'bad_response', message: e instanceof Error ? e.message : String(e) },
      ),
  );
};
