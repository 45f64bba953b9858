/// <reference lib="dom" />
// What the browser-mode benchmarks share: the simulator in its own process, the console's web host
// against it, headless Chromium with a long-task observer (and the paint probe switched on), and
// signing in as one of the demo accounts.
//
//   const stack = await startBenchStack({ simArgs: ['--bench-floor', '500'] });
//   const page = await stack.signIn('duty');          // live, the observer installed
//   ... await longTasks(page) ...
//   await stack.stop();
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
        // Long animation frames over 50 ms, with what ran in them: where a long task came from.
        globalThis.__kuzetLongFrames = [];
        if (PerformanceObserver.supportedEntryTypes.includes('long-animation-frame'))
          new PerformanceObserver((list) => {
            for (const e of list.getEntries()) {
              if (e.duration <= 50) continue;
              globalThis.__kuzetLongFrames.push({
                duration: e.duration,
                blocking: e.blockingDuration,
                render: e.renderStart ? e.startTime + e.duration - e.renderStart : 0,
                scripts: e.scripts.map((x) => ({ what: (x.invokerType + ' ' + x.invoker + ' ' + (x.sourceFunctionName || '')).slice(0, 120), duration: x.duration, forcedLayout: x.forcedStyleAndLayoutDuration })),
              });
            }
          }).observe({ type: 'long-animation-frame', buffered: true });
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

/** cpuByRole's entry for the time the machine's cores ran someone else's work (a VM's steal time). */
export const STOLEN = 'stolen by the hypervisor';

/**
 * CPU seconds so far of this process and every process under it, by what each one is; with the
 * rest of the machine's use ('other processes') and its steal time (STOLEN).
 */
export function cpuByRole(): Map<string, number> {
  const tick = 100; // USER_HZ on Linux
  const procs = new Map<number, { ppid: number; cpu: number; role: string }>();
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return new Map();
  }
  for (const d of entries) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').replaceAll('\0', ' ');
      procs.set(Number(d), { ppid: Number(rest[1]), cpu: (Number(rest[11]) + Number(rest[12])) / tick, role: roleOf(Number(d), cmd) });
    } catch {
      // gone meanwhile
    }
  }
  const mine = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, p] of procs) {
      if (mine.has(pid) || !mine.has(p.ppid)) continue;
      mine.add(pid);
      grew = true;
    }
  }
  const out = new Map<string, number>();
  for (const pid of mine) {
    const p = procs.get(pid);
    if (p) out.set(p.role, (out.get(p.role) ?? 0) + p.cpu);
  }
  // Time the hypervisor gave this machine's cores to someone else, and what other processes used:
  // a run whose figures are off for either is the machine's, not the console's.
  const machine = machineCpu();
  if (machine) {
    let ours = 0;
    for (const s of out.values()) ours += s;
    out.set('other processes', machine.busy - ours);
    out.set(STOLEN, machine.steal);
  }
  return out;
}

/** The whole machine's CPU seconds so far from /proc/stat: busy (not idle or waiting for I/O) and stolen. */
function machineCpu(): { busy: number; steal: number } | null {
  try {
    const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    return { busy: (user! + nice! + system! + irq! + softirq!) / 100, steal: steal! / 100 };
  } catch {
    return null;
  }
}

function roleOf(pid: number, cmd: string): string {
  if (pid === process.pid) return 'bench driver';
  if (cmd.includes('chromium')) {
    const type = /--type=([\w-]+)/.exec(cmd)?.[1];
    return type === 'renderer' ? 'chromium renderers' : type === 'gpu-process' ? 'chromium gpu' : type ? `chromium ${type}` : 'chromium browser';
  }
  if (cmd.includes('src/sim/cli')) return 'simulator';
  if (cmd.includes('src/web/cli')) return 'console host';
  return cmd.split(' ')[0]?.split('/').pop() || 'other';
}

/** "renderers 31.2 s, gpu 4.1 s, …": the CPU each role used between two cpuByRole() readings. */
export function cpuSpent(before: Map<string, number>, after: Map<string, number>): string {
  return [...after]
    .map(([role, s]) => [role, s - (before.get(role) ?? 0)] as const)
    .filter(([, s]) => s >= 0.05)
    .sort((a, b) => b[1] - a[1])
    .map(([role, s]) => `${role} ${s.toFixed(1)} s`)
    .join(', ');
}
