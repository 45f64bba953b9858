/**
 * The few settings needed before the store opens (data folder, backend URL), in a JSON file that a
 * crash or power cut cannot leave half-written.
 *
 *   const boot = readSettingsFile(file, BootSettings, {});   // never throws; see .problem
 *   if (boot.problem) log.warn(boot.problem);                 // bad file kept as <file>.corrupt-<time>
 *   const saved = writeSettingsFile(file, BootSettings, { ...boot.value, backendUrl });  // Result
 *
 * Writes go to a temp file in the same folder, are fsynced, renamed over the old file, and the
 * folder is fsynced, so the file on disk is always the old version or the new one.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { createLogger } from '../shared/log';
import { describeIssues, err, ok, type Result } from '../shared/result';

const log = createLogger('settings-file');

export const SETTINGS_FILE_MAX_BYTES = 256 * 1024;

/**
 * Not strict on purpose: a settings file written by a newer Kuzet may carry keys this one does not
 * know, and a downgrade must not treat that file as corrupt. Unknown keys are dropped on read.
 */
export const BootSettings = z.object({
  dataDir: z.string().min(1).max(4096).optional(),
  backendUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
});
export type BootSettings = z.infer<typeof BootSettings>;

export interface SettingsFileRead<T> {
  value: T;
  /** 'defaults' when the file is missing or could not be used. */
  source: 'file' | 'defaults';
  /** Why the file could not be used, naming it; absent when it was fine or simply missing. */
  problem?: string;
  /** Where the unusable file was moved, kept for the operator or support. */
  keptAs?: string;
}

/** Never throws: a bad file must not stop the console from starting. */
export function readSettingsFile<T>(file: string, schema: z.ZodType<T>, defaults: T): SettingsFileRead<T> {
  removeStaleTemps(file);
  let text: string;
  try {
    const buffer = readFileSync(file);
    if (buffer.length > SETTINGS_FILE_MAX_BYTES) return quarantine(file, defaults, `it is larger than ${SETTINGS_FILE_MAX_BYTES} bytes`);
    text = buffer.toString('utf8');
  } catch (e) {
    if (errno(e) === 'ENOENT') return { value: defaults, source: 'defaults' };
    // Unreadable (permissions, I/O): not evidence of corruption, so the file stays where it is.
    const problem = `Settings file ${file} could not be read (${message(e)}); using defaults.`;
    log.error('settings file unreadable', { file, message: message(e) });
    return { value: defaults, source: 'defaults', problem };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return quarantine(file, defaults, `it is not valid JSON (${message(e)})`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return quarantine(file, defaults, `it has invalid values (${describeIssues(parsed.error.issues)})`);
  return { value: parsed.data, source: 'file' };
}

export function writeSettingsFile<T>(file: string, schema: z.ZodType<T>, value: T): Result<void> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) return err('bad_request', `Settings not saved to ${file}: ${describeIssues(parsed.error.issues)}`);
  const dir = dirname(file);
  const temp = `${file}.tmp-${process.pid}-${Date.now()}`;
  try {
    mkdirSync(dir, { recursive: true });
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(parsed.data, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
    fsyncDir(dir);
    return ok(undefined);
  } catch (e) {
    try {
      unlinkSync(temp);
    } catch {
      // Already gone or never created.
    }
    log.error('settings file not saved', { file, message: message(e) });
    return err('unavailable', `Settings could not be saved to ${file}: ${message(e)}`);
  }
}

function quarantine<T>(file: string, defaults: T, why: string): SettingsFileRead<T> {
  const keptAs = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  try {
    renameSync(file, keptAs);
    fsyncDir(dirname(file));
  } catch (e) {
    const problem = `Settings file ${file} is unusable: ${why}; using defaults. It could not be moved aside (${message(e)}).`;
    log.error('settings file unusable', { file, why, message: message(e) });
    return { value: defaults, source: 'defaults', problem };
  }
  const problem = `Settings file ${file} is unusable: ${why}; using defaults. The bad file was kept as ${keptAs}.`;
  log.error('settings file unusable', { file, why, keptAs });
  return { value: defaults, source: 'defaults', problem, keptAs };
}

/** A temp file left by a crash mid-write is an incomplete copy of settings that were never applied. */
function removeStaleTemps(file: string): void {
  const prefix = `${basename(file)}.tmp-`;
  let names: string[];
  try {
    names = readdirSync(dirname(file));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    try {
      unlinkSync(join(dirname(file), name));
      log.warn('removed settings temp file left by an interrupted write', { file: join(dirname(file), name) });
    } catch {
      // Harmless: it is ignored either way.
    }
  }
}

/** Makes the rename itself durable. Windows cannot open a directory for fsync; NTFS journals renames. */
function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function errno(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
