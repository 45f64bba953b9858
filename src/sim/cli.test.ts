import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('npm run sim', () => {
  it('prints the URL and the demo accounts, serves, and closes cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/sim/cli.ts', '--port', '0', '--rate', '0', '--seed', '5'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no banner:\n${out}`)), 15_000);
        child.stdout.on('data', () => {
          if (/guard\.gym1/.test(out)) {
            clearTimeout(t);
            resolve();
          }
        });
        child.on('exit', () => reject(new Error(`exited early:\n${out}`)));
      });
      const url = /URL\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      expect(url).toBeDefined();
      for (const [user, pass, role] of [
        ['dispatcher', 'kuzet-dispatcher', 'dispatcher'],
        ['duty', 'kuzet-duty', 'duty_officer'],
        ['guard.gym1', 'kuzet-guard', 'guard'],
      ])
        expect(out).toMatch(new RegExp(`${user.replace('.', '\\.')}\\s+${pass}\\s+${role}`));
      const health = (await (await fetch(`${url}/api/health`)).json()) as { ok: boolean };
      expect(health.ok).toBe(true);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(out).toMatch(/SIGTERM: closing/);
      await expect(fetch(`${url}/api/health`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
