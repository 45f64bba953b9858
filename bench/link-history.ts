/**
 * npm run bench:link-history — the simulator's day of link history for the whole seeded city
 * (268 schools), as the network budget monitor uses it (issue 8).
 *
 *   npm run bench:link-history [-- --hours 24]
 *
 * Printed: one telemetry tick (every school sampled and folded in, once a second in the simulator),
 * the heap the history holds after `--hours` of ticks at one sample a second (its rings are sized
 * for a day up front, so this is the bound), a first 24 h query of one school (fills the minutes
 * before the first sample from the link model), a repeat 24 h query, and the JSON size of that reply.
 * Plain Node.
 */
import { parseArgs } from 'node:util';
import { buildCity } from '../src/sim/catalog';
import { LinkHistoryStore } from '../src/sim/link-history';
import { LinkSimulator } from '../src/sim/telemetry';

const { values } = parseArgs({ options: { hours: { type: 'string', default: '24' } } });
const HOURS = Math.max(0.1, Number(values.hours));
const ms = (t: number) => `${t.toFixed(2)} ms`;
const gc = (globalThis as { gc?: () => void }).gc;

const ids = buildCity(1).schools.map((s) => s.id);
const links = new LinkSimulator(ids, 1);
gc?.();
const heap0 = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
const history = new LinkHistoryStore({ model: (id, at) => links.sample(id, at) });
const start = Date.UTC(2025, 8, 1, 0, 0, 0);
const ticks = Math.round(HOURS * 3600);
const tickMs: number[] = [];
for (let s = 0; s < ticks; s++) {
  const now = start + s * 1000;
  const t0 = performance.now();
  for (const id of ids) history.add(id, now, links.sample(id, now)!);
  if (s % 60 === 0) tickMs.push(performance.now() - t0);
}
gc?.();
const heap = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers - heap0;
tickMs.sort((a, b) => a - b);
const end = start + ticks * 1000;
const fresh = new LinkHistoryStore({ model: (id, at) => links.sample(id, at) });
fresh.add('GYM1', end, links.sample('GYM1', end)!);
let t0 = performance.now();
fresh.query('GYM1', end - 24 * 3600_000, end, end);
const firstQuery = performance.now() - t0;
history.query('GYM1', end - 24 * 3600_000, end, end);
// Steady state: the median of a few repeats (the first ones include JIT warm-up).
const repeats: number[] = [];
let points = history.query('GYM1', end - 24 * 3600_000, end, end);
for (let i = 0; i < 9; i++) {
  t0 = performance.now();
  points = history.query('GYM1', end - 24 * 3600_000, end, end);
  repeats.push(performance.now() - t0);
}
const query = repeats.sort((a, b) => a - b)[4]!;

console.log(`schools ${ids.length}, ${HOURS} h of one sample a second each`);
console.log(`tick (sample + fold every school): median ${ms(tickMs[tickMs.length >> 1]!)}, p99 ${ms(tickMs[Math.floor(tickMs.length * 0.99)]!)}`);
console.log(`history held: ${(heap / 1048576).toFixed(1)} MB${gc ? '' : ' (run with node --expose-gc for a steadier figure)'}`);
console.log(`24 h query of one school: first (fills the day from the model) ${ms(firstQuery)}, then (median of 9) ${ms(query)}; ${points.length} points, ${(JSON.stringify(points).length / 1024).toFixed(0)} KB JSON`);
