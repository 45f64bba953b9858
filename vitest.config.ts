import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two files at a time even on two cores (Vitest's default there is one): the slow files mostly
    // wait (ffmpeg, network namespaces, real sockets, child processes), so two overlap well.
    maxWorkers: 2,
    // Rejections are still logged at error level; set KUZET_LOG_LEVEL=debug to see everything.
    env: { KUZET_LOG_LEVEL: process.env.KUZET_LOG_LEVEL ?? 'error' },
  },
});
