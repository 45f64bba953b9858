// Chaos: the real renderer in Chromium, behind a TCP fault proxy, while the simulator emits at least
// 10,000 alerts: network stalls and resets of 1 to 30 s, the simulator SIGKILLed and restarted on
// the same data (inside the 30 s drop, so CI does not wait for each in turn), the console process
// SIGKILLed and restarted on the same data. Asserts and prints: zero alerts lost, zero shown twice.
// KUZET_CHAOS_LONG=1 also runs a longer variant: three rounds of every fault, 30,000 alerts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { backendEvents, freePort, startSimProcess, type SimProcess } from './alerts-support';
import { sleep, startFaultProxy } from './chaos-proxy';
import { startConsoleProcess, type ConsoleProcess } from './console-process';
import { expect, instructorFor, test, watchConsoleErrors } from './fixtures';
import { ConsolePage, LoginPage } from './pages';

const BATCH = 100;
const BATCH_EVERY_MS = 400;
const LONG = process.env.KUZET_CHAOS_LONG === '1';
// Refused sockets while the proxy or the backend is down are expected; nothing else.
const EXPECTED_ERRORS = [/WebSocket connection to .* failed/, /ERR_CONNECTION_(REFUSED|RESET)/, /Failed to load resource/, /ERR_EMPTY_RESPONSE/];


async function openLoggedIn(browser: Browser, proc: ConsoleProcess): Promise<{ ctx: BrowserContext; page: Page; errors: () => string[] }> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const errors = watchConsoleErrors(page, EXPECTED_ERRORS);
  await page.goto(proc.url);
  const login = new LoginPage(page);
  await login.ready();
  await login.username().fill('dispatcher');
  await login.password().fill('kuzet-dispatcher');
  await login.submit().click();
  await new ConsolePage(page).live();
  return { ctx, page, errors };
}

/** The console host's journal, through its own API socket (what a restarted console would show). */
async function journaledAlertIds(page: Page, stream: string): Promise<string[]> {
  return page.evaluate(async (stream) => {
    const location = (globalThis as unknown as { location: { host: string; search: string } }).location;
    const ws = new WebSocket(`ws://${location.host}/api/ws`);
    await new Promise((ok, fail) => {
      ws.onopen = ok;
      ws.onerror = fail;
    });
    const answer = new Promise<string>((ok) => {
      ws.onmessage = (m) => {
        if (typeof m.data === 'string' && m.data.includes('"id":737373')) ok(m.data);
      };
    });
    ws.send(JSON.stringify({ id: 737373, method: 'alerts.list', input: { stream } }));
    const frame = JSON.parse(await answer) as { result: { ok: boolean; value: { alerts: Array<{ id: string }> } } };
    ws.close();
    return frame.result.value.alerts.map((a) => a.id);
  }, stream);
}

async function chaos(browser: Browser, target: number, rounds: number): Promise<void> {
  const simData = mkdtempSync(join(tmpdir(), 'kuzet-chaos-sim-'));
  const consoleData = mkdtempSync(join(tmpdir(), 'kuzet-chaos-console-'));
  const simPort = await freePort();
  let sim: SimProcess = await startSimProcess({ port: simPort, dataDir: simData });
  const proxy = await startFaultProxy(simPort);
  let proc = await startConsoleProcess({ dataDir: consoleData, backendUrl: proxy.url });
  const log = (msg: string) => process.stdout.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
  const allErrors: Array<() => string[]> = [];
  try {
    let view = await openLoggedIn(browser, proc);
    allErrors.push(view.errors);

    // The emitter talks to the simulator directly: faults hit the console's side only.
    const returned = new Set<string>();
    let simUp = true;
    let floodFailures = 0;
    const flood = (async () => {
      while (returned.size < target) {
        if (simUp) {
          try {
            for (const id of (await instructorFor(sim.url).flood(Math.min(BATCH, target - returned.size))).alertIds) returned.add(id);
          } catch {
            floodFailures++;
          }
        }
        await sleep(BATCH_EVERY_MS);
      }
    })();

    const faults = (async () => {
      for (let round = 1; round <= rounds; round++) {
        await sleep(2000);
        log(`round ${round}: stall 1 s (emitted ${returned.size})`);
        await proxy.fault('stall', 1000);
        await sleep(1000);
        log(`reset 5 s (emitted ${returned.size})`);
        await proxy.fault('reset', 5000);
        await sleep(1000);
        log(`console SIGKILL (emitted ${returned.size})`);
        await view.ctx.close();
        const killed = proc.url;
        await proc.stop({ keepData: true, signal: 'SIGKILL' });
        // The console host itself is gone (its port refuses), not only a wrapper around it.
        await expect(fetch(killed)).rejects.toThrow();
        proc = await startConsoleProcess({ dataDir: consoleData, backendUrl: proxy.url });
        view = await openLoggedIn(browser, proc);
        allErrors.push(view.errors);
        log('console restarted on the same data');
        await sleep(1000);
        log(`reset 30 s, and the simulator SIGKILLed and restarted inside it (emitted ${returned.size})`);
        const drop = proxy.fault('reset', 30_000);
        await sleep(2000);
        simUp = false;
        await sim.stop('SIGKILL');
        sim = await startSimProcess({ port: simPort, dataDir: simData });
        simUp = true;
        log('simulator restarted on the same data');
        await drop;
        log('network back');
      }
    })();
    await Promise.all([flood, faults]);

    // What the backend holds is the truth: every alert it logged must be shown exactly once.
    const snap = await backendEvents(sim.url);
    const logged = new Set(snap.events.filter((e) => e.type === 'alert.raised').map((e) => e.payload.alertId!));
    const missingFromLog = [...returned].filter((id) => !logged.has(id));
    expect(missingFromLog, 'alerts the simulator confirmed but did not keep').toEqual([]);

    const c = new ConsolePage(view.page);
    const count = view.page.getByTestId('alert-count');
    await expect(count).toHaveAttribute('data-count', String(logged.size), { timeout: 60_000 });
    await expect(view.page.getByTestId('behind-by')).toHaveAttribute('data-count', '0', { timeout: 30_000 });
    await expect(c.linkState()).toHaveAttribute('data-state', 'live');

    const journaled = await journaledAlertIds(view.page, snap.stream);
    const journaledSet = new Set(journaled);
    const lost = [...logged].filter((id) => !journaledSet.has(id));
    const extra = journaled.filter((id) => !logged.has(id));
    const shownTwice = journaled.length - journaledSet.size;
    const shown = Number(await count.getAttribute('data-count'));
    await view.page.screenshot({ path: test.info().outputPath('chaos-end.png') });
    log(
      `emitted ${logged.size} alerts (${returned.size} confirmed to the emitter, ${floodFailures} emitter calls failed while the backend was down); ` +
        `journaled ${journaledSet.size}, shown ${shown}; lost ${lost.length}, shown twice ${shownTwice}, unknown ${extra.length}; ` +
        `proxy: ${proxy.stats.connections} connections, ${proxy.stats.resets} resets, ${proxy.stats.stalls} stalls`,
    );
    expect(logged.size).toBeGreaterThanOrEqual(target);
    expect(lost).toEqual([]);
    expect(extra).toEqual([]);
    expect(shownTwice).toBe(0);
    expect(shown).toBe(logged.size);
    await view.ctx.close();
    for (const errors of allErrors) expect(errors(), 'unexpected console errors').toEqual([]);
  } finally {
    await proc.stop({ keepData: true });
    await sim.stop();
    await proxy.close();
    rmSync(simData, { recursive: true, force: true });
    rmSync(consoleData, { recursive: true, force: true });
  }
}

test('no alert is lost or shown twice across network faults, a backend kill and a console kill', async ({ browser }) => {
  test.setTimeout(240_000);
  await chaos(browser, 10_000, 1);
});

test('chaos, long: three rounds of every fault while 30,000 alerts are emitted', async ({ browser }) => {
  if (!LONG) process.stdout.write('[chaos] long variant not run: it takes ~6 minutes; set KUZET_CHAOS_LONG=1 to run it\n');
  test.skip(!LONG, 'long variant (~6 min): set KUZET_CHAOS_LONG=1');
  test.setTimeout(900_000);
  await chaos(browser, 30_000, 3);
});
