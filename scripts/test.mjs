#!/usr/bin/env node
// npm test: type-check, lint, unit and integration tests (Vitest), renderer build, end-to-end
// tests (Playwright, Debian Chromium). Prints each step's time and one closing count line.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const reports = join(root, 'test-results');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });
const bin = (p) => join(root, 'node_modules', p);
const only = process.argv.slice(2);

// Type-checking (two projects) and lint run side by side: each is one single-threaded process.
const steps = [
  ['typecheck+lint', { parallel: [[bin('typescript/bin/tsc'), '-p', 'tsconfig.node.json'], [bin('typescript/bin/tsc'), '-p', 'tsconfig.web.json'], [bin('eslint/bin/eslint.js'), '.', '--max-warnings', '0']] }],
  ['unit', [bin('vitest/vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${join(reports, 'vitest.json')}`]],
  ['build', [bin('electron-vite/bin/electron-vite.js'), 'build']],
  ['e2e', [bin('@playwright/test/cli.js'), 'test', '-c', 'e2e/playwright.config.ts']],
].filter(([name]) => only.length === 0 || only.includes(name));

/** Runs commands at once; each one's output is printed whole when it ends, under its name. */
function runParallel(commands) {
  return Promise.all(
    commands.map(
      (cmd) =>
        new Promise((done) => {
          const child = spawn(process.execPath, cmd, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
          const out = [];
          child.stdout.on('data', (d) => out.push(d));
          child.stderr.on('data', (d) => out.push(d));
          child.on('close', (code) => {
            const label = [cmd[0].split('node_modules/').pop().split('/')[0], ...cmd.slice(1)].join(' ');
            console.log(`--- ${label}: ${code === 0 ? 'ok' : `exit ${code}`}`);
            const text = Buffer.concat(out).toString();
            if (text.trim()) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
            done(code ?? 1);
          });
        }),
    ),
  );
}

const counts = { passed: 0, failed: 0, skipped: 0 };
const timings = [];
let failedStep = null;
for (const [name, ...commands] of steps) {
  const started = Date.now();
  console.log(`\n=== ${name} ===`);
  for (const cmd of commands) {
    if (!Array.isArray(cmd)) {
      const codes = await runParallel(cmd.parallel);
      if (codes.some((c) => c !== 0)) failedStep ??= name;
      continue;
    }
    const r = spawnSync(process.execPath, cmd, {
      cwd: root,
      stdio: 'inherit',
    });
    if (r.status !== 0) failedStep ??= name;
  }
  timings.push(`${name} ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (failedStep && name !== 'unit') break;
}

const vitest = join(reports, 'vitest.json');
if (existsSync(vitest)) {
  const v = JSON.parse(readFileSync(vitest, 'utf8'));
  counts.passed += v.numPassedTests;
  counts.failed += v.numFailedTests;
  counts.skipped += v.numPendingTests + (v.numTodoTests ?? 0);
}
const pw = join(reports, 'playwright.json');
if (existsSync(pw)) {
  const s = JSON.parse(readFileSync(pw, 'utf8')).stats;
  counts.passed += s.expected + (s.flaky ?? 0);
  counts.failed += s.unexpected;
  counts.skipped += s.skipped;
}
console.log(`\nTimings: ${timings.join(', ')}`);
if (failedStep) console.log(`Failed at step: ${failedStep}`);
console.log(`${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
process.exit(failedStep ? 1 : 0);
