/**
 * npm run web -- [--port P] [--host H] [--backend URL] [--token T] [--data DIR] [--static DIR]
 *
 * Serves the console in browser mode. Without --backend it starts the embedded city simulator.
 * Prints one line `KUZET_WEB_URL <url>` (tests and scripts read it) and the demo accounts.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startWebConsole } from './web-console';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '5780' },
    host: { type: 'string', default: '127.0.0.1' },
    backend: { type: 'string' },
    token: { type: 'string' },
    data: { type: 'string', default: process.env.KUZET_DATA_DIR ?? resolve('.kuzet-data') },
    static: { type: 'string', default: resolve('out/renderer') },
  },
  strict: true,
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a number from 0 to 65535, got ${values.port}`);
  process.exit(2);
}
if (values.backend !== undefined && !/^https?:\/\/[^\s]+$/.test(values.backend)) {
  console.error(`--backend must be an http(s) URL, got ${values.backend}`);
  process.exit(2);
}
if (!existsSync(resolve(values.static, 'index.html'))) {
  console.error(`The console is not built (${values.static}/index.html is missing): run \`npm run build:renderer\` first.`);
  process.exit(2);
}

const running = await startWebConsole({
  port,
  host: values.host,
  backendUrl: values.backend,
  token: values.token,
  dataDir: resolve(values.data),
  staticDir: resolve(values.static),
});
console.log(`Kuzet console (browser mode): ${running.url}`);
console.log(`Backend: ${running.backendUrl}${running.embedded ? ' (embedded simulator)' : ''}`);
console.log(`KUZET_WEB_URL ${running.url}`);
console.log(`KUZET_BACKEND_URL ${running.backendUrl}`);

let closing = false;
const stop = () => {
  if (closing) return;
  closing = true;
  void running.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
