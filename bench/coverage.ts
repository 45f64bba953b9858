/**
 * npm run bench:coverage — coverage compliance of the whole seeded city (268 schools, ~10,000
 * cameras), as the duty officer's board computes it in the renderer (issue 8).
 *
 *   npm run bench:coverage [-- --runs 5]
 *
 * Printed: the city-wide geometry pass (sampling each required room and each camera's view of it;
 * the first run includes JIT warm-up), the slowest single school, the slowest single step (one
 * room: the renderer computes room by room in slices, so this bounds what one slice may overrun),
 * and the compliance pass from cached geometry with 100 cameras offline (what a status change
 * costs). Plain Node, no browser: V8 is the same.
 */
import { parseArgs } from 'node:util';
import { compliance, coverageGeometrySteps, type CoverageGeometry } from '../src/shared/coverage-compliance';
import type { Device } from '../src/shared/protocol';
import { buildCity } from '../src/sim/catalog';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const RUNS = Math.max(1, Number(values.runs));
const city = buildCity(1);
const bySchool = new Map<string, Device[]>();
for (const d of city.devices) {
  const list = bySchool.get(d.schoolId);
  if (list) list.push(d);
  else bySchool.set(d.schoolId, [d]);
}
const cameras = city.devices.filter((d) => d.kind === 'camera');
const offline = new Set(cameras.filter((_, i) => i % 100 === 0).map((d) => d.id));
const ms = (t: number) => `${t.toFixed(1)} ms`;
const city_: number[] = [];
let slowest = { ms: 0, id: '' };
const slowestStep = [0, 0];
let geos: CoverageGeometry[] = [];
for (let run = 0; run < RUNS; run++) {
  const t0 = performance.now();
  geos = city.schools.map((s) => {
    const a = performance.now();
    const steps = coverageGeometrySteps(s, bySchool.get(s.id) ?? []);
    for (;;) {
      const b = performance.now();
      const r = steps.next();
      const step = performance.now() - b;
      slowestStep[run === 0 ? 0 : 1] = Math.max(slowestStep[run === 0 ? 0 : 1]!, step);
      if (!r.done) continue;
      const took = performance.now() - a;
      if (run > 0 && took > slowest.ms) slowest = { ms: took, id: s.id };
      return r.value;
    }
  });
  city_.push(performance.now() - t0);
}
const rooms = geos.reduce((n, g) => n + g.rooms.length, 0);
const passes: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const t0 = performance.now();
  for (const g of geos) compliance(g, (id) => !offline.has(id));
  passes.push(performance.now() - t0);
}
const warm = city_.slice(1);
console.log(`schools ${city.schools.length}, required rooms ${rooms}, cameras ${cameras.length} (${offline.size} offline in the compliance pass)`);
console.log(`geometry, whole city: first ${ms(city_[0]!)}${warm.length ? `, then median ${ms(warm.sort((a, b) => a - b)[Math.floor(warm.length / 2)]!)}` : ''}`);
if (RUNS > 1) console.log(`geometry, slowest school (after the first run): ${ms(slowest.ms)} (${slowest.id})`);
console.log(`geometry, slowest step (one room): first run ${ms(slowestStep[0]!)}${RUNS > 1 ? `, then ${ms(slowestStep[1]!)}` : ''}`);
console.log(`compliance from cached geometry, whole city: median ${ms(passes.sort((a, b) => a - b)[Math.floor(passes.length / 2)]!)}`);
