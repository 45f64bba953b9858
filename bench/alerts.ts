// npm run bench:alerts — the alert path under load, in browser mode with the real renderer:
// 10,000 alerts already active, then the simulator emits 1,000 events per second for 60 seconds
// (alert.raised of the highest class, so every new row lands at the top of the queue, on screen).
// Prints event-to-painted latency p50/p99/max (stamped by the renderer after the frame that
// painted the batch, src/renderer/lib/paint-probe.ts), long tasks over 50 ms, JS heap before and
// after, journal rows per second, and whether anything was lost.
//
//   npm run build:renderer   # once: the console serves the built renderer
//   npm run bench:alerts [-- --seconds 60 --rate 1000 --preload 10000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { freePort, startSimProcess } from '../e2e/alerts-support';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium';
import { startConsoleProcess } from '../e2e/console-process';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' }, rate: { type: 'string', default: '1000' }, preload: { type: 'string', default: '10000' } } });
const SECONDS = Number(values.seconds);
const RATE = Number(values.rate);
const PRELOAD = Number(values.preload);
const TICK_MS = 100;

const out = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

async function flood(url: string, count: number, alertType: string): Promise<number> {
  const res = await fetch(`${url}/api/instructor/flood`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count, alertType }) });
  if (!res.ok) throw new Error(`flood answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { alertIds: string[] }).alertIds.length;
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const simData = mkdtempSync(join(tmpdir(), 'kuzet-bench-sim-'));
  const sim = await startSimProcess({ port: await freePort(), dataDir: simData });
  const proc = await startConsoleProcess({ backendUrl: sim.url });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'] });
  try {
    // Active alerts before the console starts: it catches up on them at sign-in.
    for (let n = 0; n < PRELOAD; n += 5000) await flood(sim.url, Math.min(5000, PRELOAD - n), 'information');
    const page = await (await browser.newContext({ viewport: { width: 1600, height: 900 } })).newPage();
    // Runs in the page (no DOM types in this build): switch the paint probe on, watch long tasks.
    await page.addInitScript(() => {
      const g = globalThis as unknown as { __kuzetLongTasks: number[]; localStorage: { setItem(k: string, v: string): void } };
      g.localStorage.setItem('kuzet.paintProbe', '1');
      g.__kuzetLongTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) g.__kuzetLongTasks.push(e.duration);
      }).observe({ type: 'longtask' as never, buffered: true });
    });
    await page.goto(proc.url);
    await page.locator('html[data-kuzet-ready="login"]').waitFor({ state: 'attached' });
    await page.getByTestId('login-username').fill('dispatcher');
    await page.getByTestId('login-password').fill('kuzet-dispatcher');
    await page.getByTestId('login-submit').click();
    await page.locator('html[data-kuzet-ready="live"]').waitFor({ state: 'attached', timeout: 120_000 });
    await page.locator(`[data-testid="alert-count"][data-count="${PRELOAD}"]`).waitFor({ state: 'attached', timeout: 120_000 });
    await page.locator('[data-testid="behind-by"][data-count="0"]').waitFor({ state: 'attached', timeout: 60_000 });
    await sleep(1000);
    const state = () =>
      page.evaluate(() => {
        const doc = (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(a: string): string | null } | null } }).document;
        const mem = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
        return { heap: mem?.usedJSHeapSize ?? 0, applied: Number(doc.querySelector('[data-testid="alert-count"]')?.getAttribute('data-count') ?? 0) };
      });
    await page.evaluate(() => {
      const g = globalThis as unknown as { __kuzetPaint?: number[]; __kuzetLongTasks: number[] };
      g.__kuzetPaint = [];
      g.__kuzetLongTasks = [];
    });
    const before = await state();
    out(`preloaded ${PRELOAD} active alerts; heap ${(before.heap / 1048576).toFixed(1)} MB; emitting ${RATE}/s for ${SECONDS} s`);

    const started = Date.now();
    let emitted = 0;
    const perTick = Math.round((RATE * TICK_MS) / 1000);
    for (let tick = 0; Date.now() - started < SECONDS * 1000; tick++) {
      emitted += await flood(sim.url, perTick, 'weapon');
      const next = started + (tick + 1) * TICK_MS;
      const wait = next - Date.now();
      if (wait > 0) await sleep(wait);
    }
    const emitSeconds = (Date.now() - started) / 1000;
    const expected = PRELOAD + emitted;
    const caughtUp = Date.now();
    await page.locator(`[data-testid="alert-count"][data-count="${expected}"]`).waitFor({ state: 'attached', timeout: 120_000 });
    await page.locator('[data-testid="behind-by"][data-count="0"]').waitFor({ state: 'attached', timeout: 60_000 });
    const drainMs = Date.now() - caughtUp;
    const after = await state();
    const { paint, longTasks } = await page.evaluate(() => {
      const g = globalThis as unknown as { __kuzetPaint?: number[]; __kuzetLongTasks: number[] };
      return { paint: g.__kuzetPaint ?? [], longTasks: g.__kuzetLongTasks };
    });
    const sorted = [...paint].sort((a, b) => a - b);
    const over50 = longTasks.filter((d) => d > 50);
    out(`emitted ${emitted} events in ${emitSeconds.toFixed(1)} s (${(emitted / emitSeconds).toFixed(0)}/s); console caught up ${drainMs} ms after the last`);
    out(`event-to-painted latency over ${sorted.length} events: p50 ${pct(sorted, 50).toFixed(1)} ms, p99 ${pct(sorted, 99).toFixed(1)} ms, max ${sorted.at(-1)?.toFixed(1)} ms`);
    out(`long tasks: ${longTasks.length} in all, ${over50.length} over 50 ms${over50.length ? ` (max ${Math.max(...over50).toFixed(0)} ms)` : ''}`);
    out(`JS heap: before ${(before.heap / 1048576).toFixed(1)} MB, after ${(after.heap / 1048576).toFixed(1)} MB`);
    out(`journal: ${emitted} rows in ${((emitSeconds * 1000 + drainMs) / 1000).toFixed(1)} s = ${(emitted / (emitSeconds + drainMs / 1000)).toFixed(0)} rows/s`);
    out(`shown ${after.applied} of ${expected} alerts: lost ${expected - after.applied}`);
    if (after.applied !== expected) process.exitCode = 1;
  } finally {
    await browser.close();
    await proc.stop();
    await sim.stop();
    rmSync(simData, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
