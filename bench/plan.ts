/// <reference lib="dom" />
/**
 * npm run bench:plan — one floor plan with many devices under a stream of device state changes, in
 * browser mode with the real renderer in headless Chromium.
 *
 *   npm run build:renderer   # once: the console serves the built renderer
 *   npm run bench:plan [-- --devices 500 --rate 100 --seconds 30 --cpuprofile FILE --trace FILE]
 *
 * The simulator is started with --bench-floor N (a synthetic school whose one floor holds N
 * devices; the seeded city has no floor that dense). A dispatcher opens that floor; the instructor
 * API then injects `rate` device.status events per second (a quarter of them alarms, which animate)
 * for `seconds`. Printed: frames per second over 1-second windows (mean, p5, min; from
 * requestAnimationFrame), long tasks (PerformanceObserver 'longtask': count, max), JS heap and the
 * PSS of all Chromium processes before and after, their CPU time while emitting (fps and long tasks
 * suffer from other load on the machine; CPU time much less), and whether the plan shows every device's last
 * state at the end. Target (issue 5): >= 55 fps, no long task over 50 ms.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { browserPids, cpuTicks, HZ, pssKb } from './procs';
import { loadAverage, mb, out, pct, runBench, sleep, startBenchStack } from './support';

const { values } = parseArgs({ options: { devices: { type: 'string', default: '500' }, rate: { type: 'string', default: '100' }, seconds: { type: 'string', default: '30' }, cpuprofile: { type: 'string' }, trace: { type: 'string' } } });
const DEVICES = Number(values.devices);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const TICK_MS = 100;
const STATES = ['alarm', 'normal', 'normal', 'fault', 'alarm', 'normal', 'offline', 'normal'] as const;

async function inject(simUrl: string, deviceId: string, status: string): Promise<void> {
  const res = await fetch(`${simUrl}/api/instructor/inject`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ event: { type: 'device.status', v: 1, schoolId: 'BENCH', payload: { deviceId, status } } }),
  });
  if (!res.ok) throw new Error(`inject answered ${res.status}: ${await res.text()}`);
}

async function main(): Promise<void> {
  const stack = await startBenchStack({ simArgs: ['--bench-floor', String(DEVICES)] });
  const sim = { url: stack.simUrl };
  const browser = stack.browser;
  try {
    const page = await stack.signIn('dispatcher', { paintProbe: false });
    // Frames counted from requestAnimationFrame while measuring (a string: no DOM types here).
    await page.evaluate(`globalThis.__benchFrames = null; requestAnimationFrame(function frame(t) { globalThis.__benchFrames?.push(t); requestAnimationFrame(frame); });`);
    await page.getByTestId('plan-view-list').click();
    await page.locator('[data-testid="plan-school-row"][data-school-id="BENCH"]').getByRole('button').click();
    const marks = page.locator('[data-testid="floor-plan"] [data-testid="plan-device"]');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="floor-plan"] [data-testid="plan-device"]').length === n, DEVICES, { timeout: 60_000 });
    // The pointer rests outside the plan (over the header): with it over the marks, every frame's
    // layout change also costs a hover hit test of the floor.
    await page.mouse.move(5, 5);
    await sleep(2000);

    const state = () =>
      page.evaluate(() => ({ heap: (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0 }));
    await page.evaluate(() => {
      const g = globalThis as unknown as { __kuzetLongTasks: number[]; __benchFrames: number[] | null };
      g.__kuzetLongTasks = [];
      g.__benchFrames = [];
    });
    const cdp = values.cpuprofile ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    if (values.trace) await browser.startTracing(page, { path: values.trace, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'cc'] });
    const before = { ...(await state()), pss: pssKb(browserPids()) };
    const ticks0 = cpuTicks(browserPids());
    out(`bench:plan  ${new Date().toISOString()}  load average ${loadAverage()}`);
    out(`floor with ${await marks.count()} devices shown; emitting ${RATE} device.status/s for ${SECONDS} s`);

    // Deterministic: device k*7919 mod N, state by the tick, so most devices change several times.
    const last = new Map<string, string>();
    const perTick = Math.round((RATE * TICK_MS) / 1000);
    const started = Date.now();
    let emitted = 0;
    for (let tick = 0; Date.now() - started < SECONDS * 1000; tick++) {
      const batch: Promise<void>[] = [];
      for (let i = 0; i < perTick; i++) {
        const k = emitted + i;
        const id = `BENCH.D${String((k * 7919) % DEVICES).padStart(4, '0')}`;
        const status = STATES[(k + tick) % STATES.length]!;
        last.set(id, status);
        batch.push(inject(sim.url, id, status));
      }
      await Promise.all(batch);
      emitted += perTick;
      const wait = started + (tick + 1) * TICK_MS - Date.now();
      if (wait > 0) await sleep(wait);
    }
    const emitSeconds = (Date.now() - started) / 1000;
    const cpuPct = (100 * (cpuTicks(browserPids()) - ticks0)) / HZ / emitSeconds;
    if (values.trace) await browser.stopTracing();
    if (cdp) writeFileSync(values.cpuprofile!, JSON.stringify((await cdp.send('Profiler.stop')).profile));
    const { frames, longTasks } = await page.evaluate(() => {
      const g = globalThis as unknown as { __kuzetLongTasks: number[]; __benchFrames: number[] | null };
      const r = { frames: g.__benchFrames ?? [], longTasks: g.__kuzetLongTasks };
      g.__benchFrames = null;
      return r;
    });
    // Every device shows its last state (the plan kept up and lost nothing).
    const expected = Object.fromEntries(last);
    let shown = 0;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      shown = await page.evaluate((exp) => {
        let n = 0;
        for (const [id, st] of Object.entries(exp)) if (document.querySelector(`[data-testid="plan-device"][data-device-id="${id}"]`)?.getAttribute('data-state') === st) n++;
        return n;
      }, expected);
      if (shown === last.size) break;
      await sleep(250);
    }
    const after = { ...(await state()), pss: pssKb(browserPids()) };

    // Frames per 1-second window of the measured span (the last partial window dropped).
    const windows: number[] = [];
    if (frames.length > 1) {
      const t0 = frames[0]!;
      for (const t of frames) {
        const w = Math.floor((t - t0) / 1000);
        windows[w] = (windows[w] ?? 0) + 1;
      }
      windows.pop();
    }
    const span = frames.length > 1 ? (frames.at(-1)! - frames[0]!) / 1000 : 0;
    const sorted = windows.map((w) => w ?? 0).sort((a, b) => a - b);
    const over50 = longTasks.filter((d) => d > 50);
    out(`emitted ${emitted} events in ${emitSeconds.toFixed(1)} s (${(emitted / emitSeconds).toFixed(0)}/s)`);
    out(`frames per second over ${sorted.length} 1-s windows: mean ${span ? ((frames.length - 1) / span).toFixed(1) : 'n/a'}, p5 ${pct(sorted, 5)}, min ${sorted[0] ?? 'n/a'}`);
    out(`long tasks: ${longTasks.length}, max ${longTasks.length ? Math.max(...longTasks).toFixed(0) : 0} ms, ${over50.length} over 50 ms`);
    out(`JS heap: before ${mb(before.heap)}, after ${mb(after.heap)}`);
    out(`Chromium CPU (all processes, while emitting): ${cpuPct.toFixed(0)}% of one core (less affected by other load than fps)`);
    out(`Chromium PSS (all processes): before ${mb(before.pss * 1024)}, after ${mb(after.pss * 1024)}`);
    out(`last states shown: ${shown} of ${last.size} devices`);
    const meanFps = span ? (frames.length - 1) / span : 0;
    out(`target (>= 55 fps mean, no long task over 50 ms): ${meanFps >= 55 && over50.length === 0 ? 'met' : 'NOT met'}`);
    if (shown !== last.size) process.exitCode = 1;
  } finally {
    await stack.stop();
  }
}

runBench(main);
