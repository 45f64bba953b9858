#!/usr/bin/env node
// Prints the slowest end-to-end and unit tests of the last run, from the JSON reports that
// `npm test` (or the Playwright config / `vitest --reporter=json`) writes.
// Usage: node scripts/slowest.mjs [count] [playwright.json] [vitest.json]
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const count = Number(process.argv[2] ?? 15);
const pwFile = process.argv[3] ?? join(root, 'test-results/playwright.json');
const vtFile = process.argv[4] ?? join(root, 'test-results/vitest.json');
const s = (ms) => `${(ms / 1000).toFixed(1).padStart(6)} s`;

function print(title, rows) {
  const total = rows.reduce((a, r) => a + r.ms, 0);
  console.log(`\n${title} (${rows.length}, sum ${s(total).trim()})`);
  for (const r of [...rows].sort((a, b) => b.ms - a.ms).slice(0, count)) console.log(`${s(r.ms)}  ${r.name}`);
}

if (existsSync(pwFile)) {
  const tests = [];
  const walk = (suite, file) => {
    for (const spec of suite.specs ?? [])
      for (const t of spec.tests)
        for (const r of t.results) tests.push({ name: `${file ?? suite.file}: ${spec.title} [${r.status}]`, file: file ?? suite.file, ms: r.duration });
    for (const child of suite.suites ?? []) walk(child, file ?? suite.file);
  };
  const pw = JSON.parse(readFileSync(pwFile, 'utf8'));
  for (const suite of pw.suites) walk(suite);
  const byFile = new Map();
  for (const t of tests) byFile.set(t.file, (byFile.get(t.file) ?? 0) + t.ms);
  console.log(`Playwright: wall ${s(pw.stats.duration).trim()}`);
  print('e2e specs', [...byFile].map(([name, ms]) => ({ name, ms })));
  print('e2e tests', tests);
}
if (existsSync(vtFile)) {
  const v = JSON.parse(readFileSync(vtFile, 'utf8'));
  const files = v.testResults.map((f) => ({ name: f.name.replace(`${root}/`, '').replace(/.*\/src\//, 'src/'), ms: f.endTime - f.startTime }));
  const tests = v.testResults.flatMap((f) =>
    f.assertionResults.map((a) => ({ name: `${f.name.replace(/.*\/src\//, 'src/')}: ${a.fullName}`, ms: a.duration ?? 0 })),
  );
  print('unit files', files);
  print('unit tests', tests);
}
