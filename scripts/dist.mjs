#!/usr/bin/env node
// npm run dist: build the console and package it with electron-builder (config: electron-builder.yml).
// electron-builder needs the Electron binary and Node 22+ (@electron/rebuild); both are checked first.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
let electron = null;
try {
  electron = createRequire(join(root, 'package.json'))('electron');
} catch {
  electron = null;
}
if (!electron || !existsSync(electron)) {
  console.error('npm run dist needs the Electron binary, which is not installed here (its download is outside the npm registry). Run `node node_modules/electron/install.js` where it can be downloaded, then retry.');
  process.exit(1);
}
if (Number(process.versions.node.split('.')[0]) < 22) {
  console.error(`npm run dist needs Node 22.12+ (electron-builder's native rebuild); this is Node ${process.versions.node}.`);
  process.exit(1);
}
const run = (cmd, args) => {
  const r = spawnSync(process.execPath, [join(root, 'node_modules', cmd), ...args], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run('typescript/bin/tsc', ['-p', 'tsconfig.node.json']);
run('typescript/bin/tsc', ['-p', 'tsconfig.web.json']);
run('electron-vite/bin/electron-vite.js', ['build']);
run('electron-builder/cli.js', ['--publish', 'never', ...process.argv.slice(2)]);
