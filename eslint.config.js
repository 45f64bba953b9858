// Layers are folders; the import rules below are the architecture of ../shared/DESIGN.md made executable.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'url', 'events', 'stream'], message: 'Node built-ins are not allowed in this layer.' };
const electron = { group: ['electron', 'electron/*'], message: 'Electron is only for src/main and src/preload.' };
const layer = (name) => ({ group: [`**/${name}`, `**/${name}/**`], message: `This layer may not import src/${name}.` });

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'resources/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['src/shared/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [nodeBuiltins, electron, layer('services'), layer('main'), layer('preload'), layer('web'), layer('renderer'), layer('sim'), { group: ['react', 'react-dom', 'socket.io*', 'better-sqlite3'], message: 'shared is platform-free.' }] }] },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-imports': ['error', { patterns: [nodeBuiltins, electron, layer('services'), layer('main'), layer('preload'), layer('web'), layer('sim'), { group: ['better-sqlite3', 'socket.io', 'ws', 'onvif'], message: 'Node-only packages are not allowed in the renderer.' }] }],
      'no-restricted-syntax': [
        'error',
        {
          // The alert map is updated in place (features/alerts/store.ts): its identity never changes.
          selector: "CallExpression[callee.name='useAlertsStore'] > ArrowFunctionExpression > MemberExpression.body[property.name='byId']",
          message: 'useAlertsStore((s) => s.byId) never re-renders: the map is updated in place. Use selectAlertMap, or select one alert.',
        },
      ],
    },
  },
  {
    files: ['src/services/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [electron, layer('main'), layer('preload'), layer('web'), layer('renderer'), layer('sim')] }] },
  },
  {
    files: ['src/sim/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [electron, layer('main'), layer('preload'), layer('web'), layer('renderer'), layer('services')] }] },
  },
  {
    files: ['src/preload/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [nodeBuiltins, layer('services'), layer('main'), layer('web'), layer('renderer'), layer('sim')] }] },
  },
  {
    // Only the hosts' embedded-backend start module may import the simulator.
    files: ['src/main/**', 'src/web/**'],
    ignores: ['src/main/embedded-backend.ts', 'src/web/embedded-backend.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [layer('renderer'), layer('sim'), layer('preload')] }] },
  },
  {
    files: ['src/web/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [electron, layer('renderer'), layer('preload'), layer('main')] }] },
  },
  {
    files: ['scripts/**', 'bench/**', 'e2e/**', 'src/sim/cli.ts', 'src/web/cli.ts', 'src/services/cli/**'],
    rules: { 'no-console': 'off' },
  },
);
