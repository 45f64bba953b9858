import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

/**
 * The renderer's scripts as pure ASCII (non-ASCII characters as \u escapes). V8 keeps a script's
 * source for as long as the page lives: one byte per character when it is all Latin-1, two when a
 * single character is not, and the Russian and Kazakh strings made the whole ~2.8 MB bundle
 * two-byte (~5.6 MB per window; bench:wall). The escapes mean the same in strings, templates,
 * regular expressions and comments (the bundle has no String.raw and no non-ASCII identifiers).
 */
function asciiOnly(): Plugin {
  return {
    name: 'kuzet-ascii-only',
    enforce: 'post',
    generateBundle(_, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type === 'chunk') file.code = file.code.replace(/[^ -~\t\n\r]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      }
    },
  };
}

export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      rollupOptions: { input: { index: resolve('src/main/index.ts') } },
    },
  },
  preload: {
    build: {
      rollupOptions: { input: { index: resolve('src/preload/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    build: {
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
    plugins: [react(), asciiOnly()],
    worker: { plugins: () => [asciiOnly()] },
  },
});
