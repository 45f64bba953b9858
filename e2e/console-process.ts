/**
 * Starts the browser-mode console (`src/web/cli.ts`, with its embedded simulator unless a backend
 * is given) as a real child process on port 0 with a temporary data dir, and reads its URLs.
 *
 *   const c = await startConsoleProcess();  c.url, c.backendUrl;  await c.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';

const root = resolve(import.meta.dirname, '..');

export interface ConsoleProcess {
  url: string;
  backendUrl: string;
  dataDir: string;
  output: () => string;
  stop(opts?: { keepData?: boolean; signal?: NodeJS.Signals }): Promise<void>;
}

export async function startConsoleProcess(opts: { dataDir?: string; backendUrl?: string } = {}): Promise<ConsoleProcess> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'kuzet-e2e-'));
  // One process (tsx as a loader, not its CLI, which runs the program in a child of its own): a
  // SIGKILL must kill the console host itself. Through the CLI it killed only tsx, and the host
  // lived on as an orphan, with its journal open: the chaos test's "console kill" was no kill.
  const args = ['--import', 'tsx', join(root, 'src/web/cli.ts'), '--port', '0', '--data', dataDir];
  if (opts.backendUrl) args.push('--backend', opts.backendUrl);
  // A renderer built elsewhere (to test one build while another is being made).
  if (process.env.KUZET_E2E_STATIC) args.push('--static', process.env.KUZET_E2E_STATIC);
  const child: ChildProcess = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const started = await new Promise<{ url: string; backendUrl: string }>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`console did not start in 30 s:\n${out}`)), 30_000);
    const check = () => {
      const url = /KUZET_WEB_URL (\S+)/.exec(out)?.[1];
      const backendUrl = /KUZET_BACKEND_URL (\S+)/.exec(out)?.[1];
      if (url && backendUrl) {
        clearTimeout(timer);
        ok({ url, backendUrl });
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`console exited with ${code} before it started:\n${out}`));
    });
  });
  return {
    ...started,
    dataDir,
    output: () => out,
    stop: async ({ keepData = false, signal = 'SIGTERM' } = {}) => {
      if (child.exitCode === null) child.kill(signal);
      await exited;
      if (!keepData && !opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** One call of the console host's API over its socket, as a page it served makes it (same origin). */
export async function consoleCall(consoleUrl: string, method: string, input: unknown): Promise<unknown> {
  const url = new URL(consoleUrl);
  const ws = new WebSocket(`ws://${url.host}/api/ws${url.search}`, { origin: url.origin });
  try {
    await new Promise((ok, fail) => {
      ws.once('open', ok);
      ws.once('error', fail);
    });
    const id = 515151;
    const frame = await new Promise<{ result: { ok: boolean; value?: unknown; error?: unknown } }>((ok) => {
      ws.on('message', (data: Buffer) => {
        const f = JSON.parse(data.toString()) as { id?: number; result: { ok: boolean } };
        if (f.id === id) ok(f);
      });
      ws.send(JSON.stringify({ id, method, input }));
    });
    if (!frame.result.ok) throw new Error(`${method} failed: ${JSON.stringify(frame.result.error)}`);
    return frame.result.value;
  } finally {
    ws.close();
  }
}
