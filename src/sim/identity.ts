// Who this simulator instance is, persisted in its data directory so a restart with the same
// directory is the same backend: same backendId (hence the same stream names), same token secret
// (tokens stay valid) and the same instructor key.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const IdentityFile = z.strictObject({
  backendId: z.string().regex(/^sim-[a-z0-9]{8}$/),
  secret: z.string().regex(/^[0-9a-f]{64}$/),
  instructorKey: z.string().regex(/^[0-9a-f]{32}$/),
  createdAt: z.string(),
});
export type Identity = z.infer<typeof IdentityFile>;

export const IDENTITY_FILE = 'identity.json';

export function loadOrCreateIdentity(dataDir: string, now: number): Identity {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, IDENTITY_FILE);
  if (existsSync(path)) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new Error(`${path} is not valid JSON (${(e as Error).message}); move it away to start a new backend`);
    }
    const parsed = IdentityFile.safeParse(raw);
    if (!parsed.success) throw new Error(`${path} is not a simulator identity; move it away to start a new backend`);
    return parsed.data;
  }
  const identity: Identity = {
    backendId: `sim-${randomBytes(5).readUIntBE(0, 5).toString(36).padStart(8, '0').slice(-8)}`,
    secret: randomBytes(32).toString('hex'),
    instructorKey: randomBytes(16).toString('hex'),
    createdAt: new Date(now).toISOString(),
  };
  // Write-then-rename so a crash never leaves a half-written identity behind.
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(identity, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
  return identity;
}

const LOCK_FILE = 'lock';
const heldHere = new Set<string>();

/**
 * One simulator per data directory: two appending to one log would corrupt it. The lock file holds
 * the owner's pid; a lock left by a process that no longer runs (killed) is taken over.
 * Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  if (heldHere.has(path)) throw new Error(`data directory ${dataDir} is already used by a simulator in this process`);
  if (existsSync(path)) {
    const pid = Number(readFileSync(path, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isRunning(pid)) throw new Error(`data directory ${dataDir} is in use by process ${pid}`);
  }
  writeFileSync(path, `${process.pid}\n`);
  heldHere.add(path);
  return () => {
    heldHere.delete(path);
    rmSync(path, { force: true });
  };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
