// The catalog worker: fetch, JSON and zod validation of the scope's catalog off the main thread.
// One request per worker: { backendUrl, token, wall } in, a CatalogReply out (see backend-client.ts);
// for a wall-only window (wall: true) only what the wall shows crosses to the page (catalog-slim.ts).
import { z } from 'zod';
import type { CatalogReply } from './backend-client';
import { BackendError, fetchCatalog } from './backend-http';
import { wallCatalog } from './catalog-slim';

// The page's CSP forbids eval: tell zod up front instead of letting it probe with new Function.
z.config({ jitless: true });

interface WorkerScope {
  onmessage: ((ev: MessageEvent<{ backendUrl: string; token: string; wall?: boolean }>) => void) | null;
  postMessage(message: CatalogReply): void;
}
const scope = globalThis as unknown as WorkerScope;

scope.onmessage = (ev) => {
  const started = performance.now();
  fetchCatalog(ev.data.backendUrl, ev.data.token).then(
    (catalog) => scope.postMessage({ ok: true, catalog: ev.data.wall ? wallCatalog(catalog) : catalog, ms: Math.round(performance.now() - started) }),
    (e: unknown) =>
      scope.postMessage(
        e instanceof BackendError
          ? { ok: false, code: e.code, message: e.message, ...(e.status === undefined ? {} : { status: e.status }) }
          : { ok: false, code: 'bad_response', message: e instanceof Error ? e.message : String(e) },
      ),
  );
};
