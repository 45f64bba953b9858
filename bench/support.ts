/// <reference lib="dom" />
// What the browser-mode benchmarks share: the simulator in its own process, the console's web host
// against it, headless Chromium with a long-task observer (and the paint probe switched on), and
// signing in as one of the demo accounts.
//
//   const stack = await startBenchStack({ simArgs: ['--bench-floor', '500'] });
//   const page = await stack.signIn('duty');          // live, the observer installed
//   ... await longTasks(page) ...
//   await stack.stop();
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort, startSimProcess } from '../e2e/alerts-support';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium';
import { startConsoleProcess } from '../e2e/console-process';

export const out = (line: string): void => void process.stdout.write(`${line}\n`);
export const sleep = (ms: number): Promise<void> => new Promise((ok) => setTimeout(ok, ms));
export const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MB`;

export function pct(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** "p50 …, p99 …, max …" of a list of milliseconds. */
export function spread(xs: readonly number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${pct(s, 50).toFixed(1)} ms, p99 ${pct(s, 99).toFixed(1)} ms, max ${(s.at(-1) ?? Number.NaN).toFixed(1)} ms`;
}

export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

const ACCOUNTS = {
  dispatcher: { username: 'dispatcher', password: 'kuzet-dispatcher' },
  duty: { username: 'duty', password: 'kuzet-duty' },
} as const;

export interface BenchStack {
  simUrl: string;
  browser: Browser;
  /** A new page signed in and live, with the long-task observer and (unless told) the paint probe on. */
  signIn(account: keyof typeof ACCOUNTS, opts?: { paintProbe?: boolean }): Promise<Page>;
  stop(): Promise<void>;
}

export async function startBenchStack(opts: { simArgs?: string[]; beforeConsole?: (simUrl: string) => Promise<void> } = {}): Promise<BenchStack> {
  const simData = mkdtempSync(join(tmpdir(), 'kuzet-bench-sim-'));
  const sim = await startSimProcess({ port: await freePort(), dataDir: simData, ...(opts.simArgs ? { extraArgs: opts.simArgs } : {}) });
  await opts.beforeConsole?.(sim.url);
  const proc = await startConsoleProcess({ backendUrl: sim.url });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'] });
  return {
    simUrl: sim.url,
    browser,
    async signIn(account, opts = {}) {
      const page = await (await browser.newContext({ viewport: { width: 1600, height: 900 } })).newPage();
      // A string, not a function: tsx would wrap named inner functions in a helper the page lacks.
      await page.addInitScript(`
        ${opts.paintProbe === false ? '' : "localStorage.setItem('kuzet.paintProbe', '1');"}
        globalThis.__kuzetLongTasks = [];
        new PerformanceObserver((list) => { for (const e of list.getEntries()) globalThis.__kuzetLongTasks.push(e.duration); })
          .observe({ type: 'longtask', buffered: true });
      `);
      await page.goto(proc.url);
      await page.locator('html[data-kuzet-ready="login"]').waitFor({ state: 'attached' });
      await page.getByTestId('login-username').fill(ACCOUNTS[account].username);
      await page.getByTestId('login-password').fill(ACCOUNTS[account].password);
      await page.getByTestId('login-submit').click();
      await page.locator('html[data-kuzet-ready="live"]').waitFor({ state: 'attached', timeout: 120_000 });
      return page;
    },
    async stop() {
      await browser.close();
      await proc.stop();
      await sim.stop();
      rmSync(simData, { recursive: true, force: true });
    },
  };
}

/** Long tasks (ms) the page has seen since the last call, and forgets them. */
export async function takeLongTasks(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const g = globalThis as unknown as { __kuzetLongTasks: number[] };
    const tasks = g.__kuzetLongTasks;
    g.__kuzetLongTasks = [];
    return tasks;
  });
}

/** Ends the process with a message on an unexpected error. */
export function runBench(main: () => Promise<void>): void {
  main().catch((e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
