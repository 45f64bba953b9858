// Electron end to end, where the Electron binary exists; skipped with the reason printed where not.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron as electron, test, expect } from '@playwright/test';
import { LoginPage, ConsolePage } from './pages';

const root = resolve(import.meta.dirname, '..');

function electronBinary(): string | null {
  try {
    const p = createRequire(join(root, 'package.json'))('electron') as unknown;
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const skipReason = binary ? null : 'Electron binary not installed (its download is outside the npm registry on this machine)';
if (skipReason) console.log(`[electron e2e] skipped: ${skipReason}`);

test.describe('Electron host', () => {
  test.skip(skipReason !== null, skipReason ?? '');

  test('opens the secure window, logs in and goes live against the embedded simulator', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'kuzet-electron-'));
    const app = await electron.launch({ executablePath: binary!, args: [root, `--data-dir=${userData}`], env: Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined)) });
    try {
      const page = await app.firstWindow();
      const prefs = await app.evaluate(({ BrowserWindow }) => {
        const w = BrowserWindow.getAllWindows()[0]!;
        const p = (w.webContents as unknown as { getLastWebPreferences(): unknown }).getLastWebPreferences() as { contextIsolation?: boolean; sandbox?: boolean; nodeIntegration?: boolean } | null;
        return { contextIsolation: p?.contextIsolation, sandbox: p?.sandbox, nodeIntegration: p?.nodeIntegration };
      });
      expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false });
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      await new LoginPage(page).loginAs('dispatcher');
      await new ConsolePage(page).live();
    } finally {
      await app.close();
      rmSync(userData, { recursive: true, force: true });
    }
  });
});
