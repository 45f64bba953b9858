// Wires the browser-mode console: services (store + router), the backend (configured or embedded)
// and the web host. Used by the CLI and by the e2e fixtures.
import { readFileSync } from 'node:fs';
import { createServices } from '../services/services';
import { startWebHost } from './server';
import { startEmbeddedBackend } from './embedded-backend';

export interface WebConsoleOptions {
  port: number;
  host?: string;
  backendUrl?: string;
  token?: string;
  dataDir: string;
  staticDir: string;
}

export async function startWebConsole(opts: WebConsoleOptions) {
  const embedded = opts.backendUrl ? null : await startEmbeddedBackend(opts.dataDir);
  const backendUrl = opts.backendUrl ?? embedded!.url;
  const services = createServices({ dataDir: opts.dataDir, host: 'web', backendUrl, embedded: embedded !== null, version: appVersion() });
  const host = await startWebHost({ port: opts.port, host: opts.host, staticDir: opts.staticDir, backendUrl, router: services.router, token: opts.token, media: services.media, tileOrigin: services.tileOrigin });
  return {
    url: host.url,
    backendUrl,
    embedded: embedded !== null,
    close: async () => {
      await host.close();
      services.close();
      await embedded?.close();
    },
  };
}

function appVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
