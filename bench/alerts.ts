// npm run bench:alerts — the alert path under load, in browser mode with the real renderer:
// 10,000 alerts already active, then the simulator emits 1,000 events per second for 60 seconds
// (alert.raised of the highest class, so every new row lands at the top of the queue, on screen),
// twice, each time on a fresh console with 10,000 active alerts: first as a steady stream (a few
// events every --stream-tick-ms, as ~10,000 independent cameras send them), then in synchronized
// bursts (100 every --tick-ms); each phase is reported on its own.
// The simulator keeps the rate by its own clock (instructor flood-stream), so this process only
// waits: a flood request per tick from here had cost ~12 % of the 2 cores.
// Prints event-to-painted latency p50/p99/max (stamped by the renderer after the frame that
// painted the batch, src/renderer/lib/paint-probe.ts), long tasks over 50 ms, the CPU each process
// used, JS heap before and after, journal rows per second, and whether anything was lost.
//
// With --filters: 10,000 active alerts of mixed types and schools, then each queue filter and sort
// is applied through the UI, many times; prints the time from the input event until React has
// committed (work) and until the next frame was painted, against one frame (16.7 ms).
//
//   npm run build:renderer   # once: the console serves the built renderer
//   npm run bench:alerts [-- --seconds 60 --rate 1000 --preload 10000 --stream-tick-ms 10 --tick-ms 100] [--filters] [--profile FILE] [--trace FILE] [--heap-profile FILE] [--heap-snapshot FILE] [--plan-view map|list|board] [--screenshot PNG]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CDPSession, Page } from 'playwright-core';
import type { PaintStages } from '../src/renderer/lib/paint-probe';
import { cpuByRole, cpuSpent, loadAverage, STOLEN, out, pct, runBench, sleep, spread, startBenchStack, type BenchStack } from './support';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    rate: { type: 'string', default: '1000' },
    preload: { type: 'string', default: '10000' },
    /** Writes a CPU profile of the renderer during each phase's emission, FILE.<phase>.cpuprofile (open in Chrome DevTools). */
    profile: { type: 'string' },
    /** Writes a Chromium trace of each phase's emission, FILE.<phase>.json (open in Perfetto); keep --seconds short, it grows ~10 MB a second. */
    trace: { type: 'string' },
    /** The trace's categories, comma-separated (default: the DevTools timeline and V8). */
    'trace-categories': { type: 'string', default: 'devtools.timeline,disabled-by-default-devtools.timeline,v8,blink.user_timing' },
    /** Writes the renderer's allocations during each phase (sampled, collected objects included), FILE.<phase>.heapprofile. */
    'heap-profile': { type: 'string' },
    /** Writes a heap snapshot of the renderer at the end of each phase, FILE.<phase>.heapsnapshot (what stays live per alert). */
    'heap-snapshot': { type: 'string' },
    /** What the plan area shows while the alerts come in: map, list or board. */
    'plan-view': { type: 'string', default: 'map' },
    filters: { type: 'boolean', default: false },
    /** Writes a screenshot of the console at the end of each phase, PNG.<phase>.png. */
    screenshot: { type: 'string' },
    /** Events go out in bursts every this many ms (100 ms = bursts of 100 at 1,000/s; 10 ms = a steadier stream). */
    'tick-ms': { type: 'string', default: '100' },
    /** The first phase: a steady stream, this many ms apart (0: skip it). */
    'stream-tick-ms': { type: 'string', default: '10' },
  },
});
const SECONDS = Number(values.seconds);
const RATE = Number(values.rate);
const PRELOAD = Number(values.preload);
const TICK_MS = Number(values['tick-ms']);
const STREAM_TICK_MS = Number(values['stream-tick-ms']);
const PROFILE = values.profile;


/** A long animation frame as the page's observer keeps it (bench/support.ts). */
interface LongFrame {
  duration: number;
  blocking: number;
  render: number;
  scripts: Array<{ what: string; duration: number; forcedLayout: number }>;
}

async function flood(url: string, count: number, alertType: string, schoolId?: string): Promise<number> {
  const res = await fetch(`${url}/api/instructor/flood`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count, alertType, ...(schoolId ? { schoolId } : {}) }) });
  if (!res.ok) throw new Error(`flood answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { alertIds: string[] }).alertIds.length;
}


const MIX_TYPES = ['weapon', 'intrusion', 'fight', 'bullying', 'tamper', 'camera_offline', 'network_below_budget', 'sensor_fault', 'information', 'fire'];

/**
 * `count` alerts over ten types and every school, at most 4 per type and school: fewer than a
 * burst (correlate.ts BURST_MIN), so the queue really has ~10,000 rows, not a few groups.
 */
async function preloadMixed(url: string, count: number): Promise<void> {
  const login = (await (await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'dispatcher', password: 'kuzet-dispatcher' }) })).json()) as { token: string };
  const catalog = (await (await fetch(`${url}/api/catalog`, { headers: { authorization: `Bearer ${login.token}` } })).json()) as { schools: Array<{ id: string }> };
  const schools = catalog.schools.map((s) => s.id);
  const per = Math.min(4, Math.ceil(count / (schools.length * MIX_TYPES.length)));
  for (let n = 0, i = 0; n < count; n += per, i++) await flood(url, Math.min(per, count - n), MIX_TYPES[i % MIX_TYPES.length]!, schools[Math.floor(i / MIX_TYPES.length) % schools.length]);
}

// Runs in the page (a string: this build has no DOM types). Sets a filter control's value as a
// user would, then stamps when React has committed (a microtask after the event) and when the
// next frame has been painted.
const APPLY_IN_PAGE = `async ([testid, value]) => {
  const el = document.querySelector('[data-testid="' + testid + '"]');
  if (!el) throw new Error('no control ' + testid);
  const select = el.tagName === 'SELECT';
  const setter = Object.getOwnPropertyDescriptor(select ? HTMLSelectElement.prototype : HTMLInputElement.prototype, 'value').set;
  const t0 = performance.now();
  setter.call(el, value);
  el.dispatchEvent(new Event(select ? 'change' : 'input', { bubbles: true }));
  await Promise.resolve();
  const work = performance.now() - t0;
  await new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0)));
  const rows = document.querySelector('.alert-list')?.getAttribute('data-rows') ?? '0';
  return { work, painted: performance.now() - t0, rows: Number(rows) };
}`;

async function filterBench(page: Page): Promise<void> {
  const district = await page.getByTestId('filter-district').locator('option').nth(1).getAttribute('value');
  const school = await page.getByTestId('filter-school').locator('option').nth(5).getAttribute('value');
  const steps: Array<[string, string, string, string]> = [
    ['priority: critical', 'filter-priority', '1', 'all'],
    ['type: intrusion', 'filter-type', 'intrusion', 'all'],
    ['district', 'filter-district', district ?? 'all', 'all'],
    ['school', 'filter-school', school ?? 'all', 'all'],
    ['status: new', 'filter-status', 'new', 'all'],
    ['owner: unclaimed', 'filter-owner', 'unclaimed', 'all'],
    ['age: last 5 min', 'filter-age', 'lt5m', 'all'],
    ['sort: newest first', 'filter-sort', 'newest', 'priority'],
    ['sort: by school', 'filter-sort', 'school', 'priority'],
    ['text: "alert 3 of"', 'filter-text', 'alert 3 of', ''],
  ];
  const apply = (testid: string, value: string) => page.evaluate(`(${APPLY_IN_PAGE})(${JSON.stringify([testid, value])})`) as Promise<{ work: number; painted: number; rows: number }>;
  const REPEAT = 10;
  out(`queue filters and sort at ${PRELOAD} active alerts (one frame = 16.7 ms); ${REPEAT} runs each, set and cleared:`);
  let worst = 0;
  for (const [label, testid, value, clear] of steps) {
    const work: number[] = [];
    const painted: number[] = [];
    let rows = 0;
    for (let i = 0; i < REPEAT; i++) {
      const on = await apply(testid, value);
      rows = on.rows;
      const off = await apply(testid, clear);
      work.push(on.work, off.work);
      painted.push(on.painted, off.painted);
    }
    work.sort((a, b) => a - b);
    painted.sort((a, b) => a - b);
    worst = Math.max(worst, work.at(-1)!);
    out(`  ${label.padEnd(20)} -> ${String(rows).padStart(5)} rows: work p50 ${pct(work, 50).toFixed(1)} ms, max ${work.at(-1)!.toFixed(1)} ms; to painted p50 ${pct(painted, 50).toFixed(1)} ms, max ${painted.at(-1)!.toFixed(1)} ms`);
  }
  out(`worst filter/sort work: ${worst.toFixed(1)} ms (${worst <= 16.7 ? 'within' : 'over'} one frame)`);
}

const STAGE_LABELS: Record<string, string> = {
  sourceToReceived: 'source -> received (backend, network, wait for the thread)',
  receivedToPainted: "received -> painted (the console's share)",
  receivedToApplied: '  received -> applied (classify, wait for a frame)',
  appliedToPainted: '  applied -> painted (stores, React, paint)',
  receivedToJournaled: 'received -> journaled (journal.append and its queue)',
  journaledToApplied: '  journaled -> applied (waiting for a frame)',
};

/** Chromium's cumulative main-thread counters (seconds, or counts), from the Performance domain. */
async function mainThread(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

type PageState = () => Promise<{ heap: number; applied: number }>;

/** One load model: emits RATE/s in ticks of `tickMs` for SECONDS, waits until caught up, prints. */
async function runPhase(page: Page, simUrl: string, phase: { label: string; tickMs: number }, preloaded: number, state: PageState, cdp: CDPSession): Promise<{ lost: number }> {
  const before = await state();
  const perTick = Math.max(1, Math.round((RATE * phase.tickMs) / 1000));
  out('');
  out(`== ${phase.label}: ${RATE}/s for ${SECONDS} s as ${perTick} events every ${phase.tickMs} ms, ${preloaded} alerts active; load average ${loadAverage()}`);
  const profile = PROFILE ? PROFILE.replace(/(\.cpuprofile)?$/, `.${phase.label}$1`) : undefined;
  if (profile) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
    await cdp.send('Profiler.start');
  }
  const trace = values.trace ? values.trace.replace(/(\.json)?$/, `.${phase.label}.json`) : undefined;
  if (trace) await page.context().browser()!.startTracing(page, { path: trace, categories: values['trace-categories'].split(',') });
  const heapProfile = values['heap-profile']?.replace(/(\.heapprofile)?$/, `.${phase.label}.heapprofile`);
  if (heapProfile) {
    await cdp.send('HeapProfiler.enable');
    // Collected objects too: what the phase allocated (the GC's work), not only what it kept.
    await cdp.send('HeapProfiler.startSampling', { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  }
  // After the measuring tools started (starting a trace is a long task of the bench's too).
  await page.evaluate(() => {
    const g = globalThis as unknown as { __kuzetPaintStages?: PaintStages; __kuzetLongTasks: number[] };
    delete g.__kuzetPaintStages;
    g.__kuzetLongTasks = [];
    (g as unknown as { __kuzetLongFrames: unknown[] }).__kuzetLongFrames = [];
  });
  const metricsBefore = await mainThread(cdp);
  const cpuBefore = cpuByRole();
  const started = Date.now();
  // The simulator keeps the rate by its own clock; this process only waits for the answer.
  const res = await fetch(`${simUrl}/api/instructor/flood-stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ rate: RATE, tickMs: phase.tickMs, seconds: SECONDS, alertType: 'weapon' }),
  });
  if (!res.ok) throw new Error(`flood-stream answered ${res.status}: ${await res.text()}`);
  const { emitted } = (await res.json()) as { emitted: number };
  const emitSeconds = (Date.now() - started) / 1000;
  const metricsAfter = await mainThread(cdp);
  const cpuAfter = cpuByRole();
  const expected = preloaded + emitted;
  const caughtUp = Date.now();
  await page.locator(`[data-testid="alert-count"][data-count="${expected}"]`).waitFor({ state: 'attached', timeout: 120_000 });
  await page.locator('[data-testid="behind-by"][data-count="0"]').waitFor({ state: 'attached', timeout: 60_000 });
  const drainMs = Date.now() - caughtUp;
  // Read before any measuring tool is stopped: stopping a trace or a CPU profile serializes it on
  // the renderer's main thread, a long task that is the bench's, not the console's.
  const { stages, longTasks, longFrames } = await page.evaluate(() => {
    const g = globalThis as unknown as { __kuzetPaintStages?: PaintStages; __kuzetLongTasks: number[]; __kuzetLongFrames?: LongFrame[] };
    return { stages: (g.__kuzetPaintStages ?? null) as Record<string, number[]> | null, longTasks: g.__kuzetLongTasks, longFrames: g.__kuzetLongFrames ?? [] };
  });
  if (heapProfile) {
    const { profile: heap } = await cdp.send('HeapProfiler.stopSampling');
    writeFileSync(heapProfile, JSON.stringify(heap));
    out(`allocation profile of the renderer (this phase) written to ${heapProfile}`);
  }
  if (trace) {
    await page.context().browser()!.stopTracing();
    out(`Chromium trace of this phase written to ${trace}`);
  }
  if (profile) {
    const { profile: data } = await cdp.send('Profiler.stop');
    writeFileSync(profile, JSON.stringify(data));
    out(`CPU profile of the renderer (this phase) written to ${profile}`);
  }
  const after = await state();
  const heapSnapshot = values['heap-snapshot']?.replace(/(\.heapsnapshot)?$/, `.${phase.label}.heapsnapshot`);
  if (heapSnapshot) {
    const chunks: string[] = [];
    const onChunk = (e: { chunk: string }) => chunks.push(e.chunk);
    cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
    writeFileSync(heapSnapshot, chunks.join(''));
    out(`heap snapshot of the renderer (end of this phase) written to ${heapSnapshot}`);
  }
  const s = stages ?? { total: [] };
  const over50 = longTasks.filter((d) => d > 50);
  out(`emitted ${emitted} events in ${emitSeconds.toFixed(1)} s (${(emitted / emitSeconds).toFixed(0)}/s); console caught up ${drainMs} ms after the last`);
  out(`event-to-painted latency over ${s.total.length} events: ${spread(s.total)}`);
  // Whatever stages the renderer recorded (an older build records other ones: before/after runs).
  for (const [key, xs] of Object.entries(s)) if (key !== 'total') out(`  ${(STAGE_LABELS[key] ?? key).padEnd(58)} ${spread(xs)}`);
  const busy = (k: string) => ((metricsAfter[k] ?? 0) - (metricsBefore[k] ?? 0)) * 1000;
  out(
    `renderer main thread while emitting: tasks ${busy('TaskDuration').toFixed(0)} ms, of which script ${busy('ScriptDuration').toFixed(0)} ms, ` +
      `style ${busy('RecalcStyleDuration').toFixed(0)} ms (${(busy('RecalcStyleCount') / 1000).toFixed(0)}), layout ${busy('LayoutDuration').toFixed(0)} ms (${(busy('LayoutCount') / 1000).toFixed(0)}), over ${(emitSeconds * 1000).toFixed(0)} ms`,
  );
  out(`CPU while emitting (2 cores = ${(2 * emitSeconds).toFixed(0)} s): ${cpuSpent(cpuBefore, cpuAfter)}`);
  const stolen = (cpuAfter.get(STOLEN) ?? 0) - (cpuBefore.get(STOLEN) ?? 0);
  if (stolen > 0.02 * 2 * emitSeconds) {
    out(`  the hypervisor took ${stolen.toFixed(1)} s of the cores' ${(2 * emitSeconds).toFixed(0)} s: a task paused meanwhile runs long by that pause; compare such a run with runs without`);
  }
  out(`long tasks: ${longTasks.length} in all, ${over50.length} over 50 ms${over50.length ? ` (max ${Math.max(...over50).toFixed(0)} ms)` : ''}`);
  for (const f of [...longFrames].sort((a, b) => b.duration - a.duration).slice(0, 5)) {
    const scripts = f.scripts.map((x) => `${x.what.trim()} ${x.duration.toFixed(0)} ms${x.forcedLayout > 1 ? ` (forced layout ${x.forcedLayout.toFixed(0)})` : ''}`).join('; ');
    out(`  long frame ${f.duration.toFixed(0)} ms (blocking ${f.blocking.toFixed(0)}, style+layout+paint ${f.render.toFixed(0)}): ${scripts || 'no script'}`);
  }
  out(`JS heap: before ${(before.heap / 1048576).toFixed(1)} MB, after ${(after.heap / 1048576).toFixed(1)} MB`);
  out(`journal: ${emitted} rows in ${((emitSeconds * 1000 + drainMs) / 1000).toFixed(1)} s = ${(emitted / (emitSeconds + drainMs / 1000)).toFixed(0)} rows/s`);
  out(`shown ${after.applied} of ${expected} alerts: lost ${expected - after.applied}; load average ${loadAverage()}`);
  return { lost: expected - after.applied };
}

/** A fresh simulator with PRELOAD active alerts, and the console signed in and caught up on them. */
async function freshConsole(): Promise<{ stack: BenchStack; page: Page }> {
  // Active alerts before the console starts: it catches up on them at sign-in.
  const stack = await startBenchStack({
    beforeConsole: async (simUrl) => {
      if (values.filters) await preloadMixed(simUrl, PRELOAD);
      else for (let n = 0; n < PRELOAD; n += 5000) await flood(simUrl, Math.min(5000, PRELOAD - n), 'information');
    },
  });
  try {
    const page = await stack.signIn('dispatcher');
    await page.locator(`[data-testid="alert-count"][data-count="${PRELOAD}"]`).waitFor({ state: 'attached', timeout: 120_000 });
    await page.locator('[data-testid="behind-by"][data-count="0"]').waitFor({ state: 'attached', timeout: 60_000 });
    await sleep(1000);
    return { stack, page };
  } catch (e) {
    await stack.stop();
    throw e;
  }
}

async function main(): Promise<void> {
  if (values.filters) {
    const { stack, page } = await freshConsole();
    try {
      await filterBench(page);
    } finally {
      await stack.stop();
    }
    return;
  }
  // Two load models, each for --seconds on a console of its own with PRELOAD active alerts: ~10,000
  // independent cameras send a stream (a few events every 10 ms), and the harsher synchronized
  // bursts of --tick-ms.
  const phases: Array<{ label: string; tickMs: number }> = [];
  if (STREAM_TICK_MS > 0) phases.push({ label: 'stream', tickMs: STREAM_TICK_MS });
  if (TICK_MS > 0) phases.push({ label: 'bursts', tickMs: TICK_MS });
  let lost = 0;
  for (const phase of phases) {
    const { stack, page } = await freshConsole();
    try {
      const state = () =>
        page.evaluate(() => {
          const doc = (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(a: string): string | null } | null } }).document;
          const mem = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
          return { heap: mem?.usedJSHeapSize ?? 0, applied: Number(doc.querySelector('[data-testid="alert-count"]')?.getAttribute('data-count') ?? 0) };
        });
      if (values['plan-view'] !== 'map') await page.getByTestId(`plan-view-${values['plan-view']}`).click();
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      lost += (await runPhase(page, stack.simUrl, phase, PRELOAD, state, cdp)).lost;
      if (values.screenshot) await page.screenshot({ path: values.screenshot.replace(/(\.png)?$/, `.${phase.label}$1`) });
    } finally {
      await stack.stop();
    }
  }
  out(`load average after: ${loadAverage()}`);
  if (lost !== 0) process.exitCode = 1;
}

runBench(main);
