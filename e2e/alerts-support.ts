/**
 * Helpers of the alert-handling e2e and chaos tests: a simulator as its own child process (so it can
 * be killed and restarted on the same port and data dir), a free port, page objects for the
 * workflow, and the console setting that shortens the time limits.
 *
 *   const sim = await startSimProcess({ port, dataDir });  sim.url;  await sim.stop('SIGKILL');
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';

const root = resolve(import.meta.dirname, '..');

export interface SimProcess {
  url: string;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => ok(port));
    });
  });
}

export async function startSimProcess(opts: { port: number; dataDir: string; rate?: number; extraArgs?: readonly string[] }): Promise<SimProcess> {
  // One process (tsx as a loader, not its CLI, which would fork a child): SIGKILL must kill the simulator.
  const args = ['--import', 'tsx', join(root, 'src/sim/cli.ts'), '--port', String(opts.port), '--data', opts.dataDir, '--rate', String(opts.rate ?? 0), ...(opts.extraArgs ?? [])];
  const child: ChildProcess = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`simulator did not start in 30 s:\n${out}`)), 30_000);
    const check = () => {
      const m = /URL\s+(http\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`simulator exited with ${code} before it started:\n${out}`));
    });
  });
  return {
    url,
    output: () => out,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** What the backend's log holds for an operator's scope (its snapshot): the truth tests compare with. */
export async function backendEvents(backendUrl: string, username = 'dispatcher', password = 'kuzet-dispatcher'): Promise<{ stream: string; events: Array<{ type: string; payload: { alertId?: string } }> }> {
  const login = await fetch(`${backendUrl}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!login.ok) throw new Error(`login answered ${login.status}`);
  const session = (await login.json()) as { token: string; stream: string };
  const snap = await fetch(`${backendUrl}/api/snapshot`, { headers: { authorization: `Bearer ${session.token}` } });
  if (!snap.ok) throw new Error(`snapshot answered ${snap.status}`);
  return { stream: session.stream, events: ((await snap.json()) as { events: Array<{ type: string; payload: { alertId?: string } }> }).events };
}

/** Locators of the alert workflow; no assertions. */
export class AlertsPage {
  constructor(readonly page: Page) {}
  row = (id: string) => this.page.locator(`[data-testid="alert-row"][data-alert-id="${id}"]`);
  claim = (id: string) => this.row(id).getByTestId('alert-claim');
  ack = (id: string) => this.row(id).getByTestId('alert-ack');
  owner = (id: string) => this.row(id).getByTestId('alert-owner');
  overdue = (id: string) => this.row(id).getByTestId('alert-overdue');
  timeLeft = (id: string) => this.row(id).getByTestId('alert-time-left');
  queued = (id: string) => this.row(id).getByTestId('alert-queued');
  select = (id: string) => this.row(id).getByTestId('alert-select');
  detail = () => this.page.getByTestId('alert-detail');
  sound = () => this.page.getByTestId('alert-sound');
  outboxWaiting = () => this.page.getByTestId('outbox-waiting');
  result = (kind: string, id: string) => this.page.locator(`[data-testid="command-result"][data-kind="${kind}"][data-alert-id="${id}"]`);
  sop = (step: string) => this.detail().getByTestId(`sop-${step}`);
  mute = () => this.detail().getByTestId('detail-mute');
  snapshot = () => this.detail().getByTestId('detail-snapshot');
  snapshotRefused = () => this.detail().getByTestId('detail-snapshot-refused');
  filter = (name: string) => this.page.getByTestId(`filter-${name}`);
  filterShown = () => this.page.getByTestId('filter-shown');
  rows = () => this.page.getByTestId('alert-row');
}

/** Sets a console setting through the host's own API socket, as the settings screen would. */
export async function setConsoleSetting(page: Page, key: string, value: unknown): Promise<void> {
  await page.evaluate(
    async ({ key, value }) => {
      // Runs in the page; the e2e build has no DOM types.
      const location = (globalThis as unknown as { location: { protocol: string; host: string; search: string } }).location;
      const token = new URLSearchParams(location.search).get('token');
      const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/ws${token ? `?token=${encodeURIComponent(token)}` : ''}`);
      await new Promise((ok, fail) => {
        ws.onopen = ok;
        ws.onerror = fail;
      });
      const answer = new Promise<string>((ok) => {
        ws.onmessage = (m) => {
          if (typeof m.data === 'string' && m.data.includes('"id":424242')) ok(m.data);
        };
      });
      ws.send(JSON.stringify({ id: 424242, method: 'settings.set', input: { key, value } }));
      const text = await answer;
      ws.close();
      if (!text.includes('"ok":true')) throw new Error(`settings.set failed: ${text}`);
    },
    { key, value },
  );
}
