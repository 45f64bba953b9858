import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two files at a time even on two cores (Vitest's default there is one): the slow files mostly
    // wait (ffmpeg, network namespaces, real sockets, child processes), so two overlap well.
    maxWorkers: 2,
    // Rejections are still logged at error level; set KUZET_LOG_LEVEL=debug to see everything.
    env: { KUZET_LOG_LEVEL: process.env.KUZET_LOG_LEVEL ?? 'error' },
    projects: [
      {
        // Main-process, services, simulator and shared code: each file starts and stops what it
        // uses (simulators, hosts, stores in temporary directories), and the module-level state is
        // caches meant to be shared (the simulator's city and media library). One process runs many
        // files, so the modules are imported once per worker instead of once per file (which took
        // most of the unit step: 77 s of imports in a 222 s run).
        extends: true,
        test: { name: 'node', include: ['src/**/*.test.ts'], exclude: ['src/renderer/**'], isolate: false },
      },
      {
        // The renderer's stores are module singletons and its tests mock modules and timers: a fresh
        // module registry per file.
        extends: true,
        test: { name: 'renderer', include: ['src/renderer/**/*.test.ts'] },
      },
    ],
  },
});
