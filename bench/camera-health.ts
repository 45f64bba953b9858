/**
 * npm run bench:camhealth — 'health.cameras' (issue 8) on a long-running console's journal: the
 * Cameras tab of a school with 180 cameras (GYM1's size) folded over 24 h and 7 d, through the real
 * router and a real SQLite file.
 *
 *   npm run bench:camhealth [-- --days 30 --cameras 10000 --events 400000 --runs 20]
 *
 * The journal holds `events` device.status events spread over `days` across the city's `cameras`
 * (outages and faults coming and going), plus as many alert events (they must not slow the fold:
 * the partial index of migration 0009 skips them). Printed: the time to fill the journal, and the
 * median and worst answer for the 180 cameras over each period, with the events the fold read.
 */
import { parseArgs } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Output } from '../src/shared/api';
import { classifyEvent } from '../src/shared/alerts';
import { setLogLevel } from '../src/shared/log';
import { createRouter } from '../src/services/router';
import { openStore } from '../src/services/store';

const { values } = parseArgs({
  options: { days: { type: 'string', default: '30' }, cameras: { type: 'string', default: '10000' }, events: { type: 'string', default: '400000' }, runs: { type: 'string', default: '20' } },
});
const DAYS = Number(values.days);
const CAMERAS = Number(values.cameras);
const EVENTS = Number(values.events);
const RUNS = Math.max(1, Number(values.runs));
setLogLevel('error');

const dir = mkdtempSync(join(tmpdir(), 'kuzet-bench-camhealth-'));
const store = openStore(join(dir, 'kuzet.db'));
const router = createRouter({ store, app: { version: 'bench', host: 'web', backendUrl: 'http://127.0.0.1:1', embedded: true }, validateOutputs: false });
const call = async (method: string, input: unknown) => {
  const r = await router.call(method, input, { transport: 'test', peer: 'bench' });
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value;
};

const end = Date.now();
const start = end - DAYS * 24 * 3600_000;
const camId = (i: number) => `CAM-${String(i).padStart(5, '0')}`;
// A deterministic walk: each event moves one camera to a state (offline and fault rarer than normal).
let seed = 12345;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const STATES = ['normal', 'normal', 'offline', 'fault'] as const;

const t0 = performance.now();
const BATCH = 2000;
let seq = 0;
for (let done = 0; done < EVENTS * 2; done += BATCH) {
  const at = start + ((end - start) * done) / (EVENTS * 2);
  const raws: unknown[] = [];
  for (let k = 0; k < BATCH; k++) {
    seq++;
    const ts = new Date(at + k).toISOString();
    raws.push(
      k % 2
        ? { id: `e${seq}`, stream: 'city', seq, ts, type: 'device.status', v: 1, schoolId: 'S', payload: { deviceId: camId(Math.floor(rnd() * CAMERAS)), status: STATES[Math.floor(rnd() * 4)] } }
        : { id: `e${seq}`, stream: 'city', seq, ts, type: 'alert.raised', v: 1, schoolId: 'S', payload: { alertId: `a${seq}`, alertType: 'intrusion', schoolId: 'S', title: 'x' } },
    );
  }
  const entries = raws.map((r) => {
    const c = classifyEvent(r);
    if (c.kind === 'malformed') throw new Error(c.reason);
    return { event: c.event, status: c.kind };
  });
  await call('journal.append', { stream: 'city', receivedAt: new Date(at + BATCH).toISOString(), entries });
}
const fill = performance.now() - t0;

const school = Array.from({ length: 180 }, (_, i) => camId(i * Math.floor(CAMERAS / 180)));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`journal: ${seq} events (${EVENTS} device.status over ${DAYS} d, ${CAMERAS} cameras) filled in ${(fill / 1000).toFixed(1)} s`);
for (const [label, ms] of [
  ['24 h', 24 * 3600_000],
  ['7 d', 7 * 24 * 3600_000],
] as const) {
  const times: number[] = [];
  let out: Output<'health.cameras'> | null = null;
  for (let r = 0; r < RUNS; r++) {
    const a = performance.now();
    out = (await call('health.cameras', { stream: 'city', cameraIds: school, from: new Date(end - ms).toISOString(), to: new Date(end).toISOString() })) as Output<'health.cameras'>;
    times.push(performance.now() - a);
  }
  const outages = out!.cameras.reduce((n, c) => n + c.outages, 0);
  console.log(`health.cameras, 180 cameras, ${label}: median ${median(times).toFixed(1)} ms, worst ${Math.max(...times).toFixed(1)} ms (${outages} outages, ${out!.periodsTotal} periods)`);
}
router.close();
store.close();
rmSync(dir, { recursive: true, force: true });
