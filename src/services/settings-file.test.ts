import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BootSettings, readSettingsFile, writeSettingsFile } from './settings-file';
import { captureLogs, tempFolder } from './testing';

const DEFAULTS: BootSettings = { backendUrl: 'http://127.0.0.1:7400' };

function settingsFile() {
  const { dir } = tempFolder();
  return { dir, file: join(dir, 'settings.json') };
}

describe('settings file', () => {
  it('uses the defaults, quietly, before anything was saved', () => {
    const logs = captureLogs();
    const { file } = settingsFile();
    expect(readSettingsFile(file, BootSettings, DEFAULTS)).toEqual({ value: DEFAULTS, source: 'defaults' });
    expect(logs).toEqual([]);
  });

  it('reads back what was saved, and a save replaces it whole', () => {
    const { file, dir } = settingsFile();
    expect(writeSettingsFile(file, BootSettings, { dataDir: '/srv/kuzet', backendUrl: 'https://city.example/' })).toEqual({ ok: true, value: undefined });
    expect(writeSettingsFile(file, BootSettings, { backendUrl: 'https://backup.city.example/' }).ok).toBe(true);
    expect(readSettingsFile(file, BootSettings, DEFAULTS)).toEqual({ value: { backendUrl: 'https://backup.city.example/' }, source: 'file' });
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });

  it('survives a crash mid-write: the old settings stay and the torn temp file is cleared', () => {
    const logs = captureLogs();
    const { file, dir } = settingsFile();
    writeSettingsFile(file, BootSettings, { backendUrl: 'https://city.example/' });
    // What a power cut during the next save leaves behind: a truncated temp file beside the intact one.
    writeFileSync(`${file}.tmp-4242-1767000000000`, '{\n  "backendUrl": "https://ne');

    expect(readSettingsFile(file, BootSettings, DEFAULTS)).toEqual({ value: { backendUrl: 'https://city.example/' }, source: 'file' });
    expect(readdirSync(dir)).toEqual(['settings.json']);
    expect(logs.some((r) => r.level === 'warn')).toBe(true);
  });

  it('falls back to defaults on a torn file, says which file, and keeps it for inspection', () => {
    captureLogs();
    const { file, dir } = settingsFile();
    writeFileSync(file, '{"backendUrl": "https://city.exa');

    const read = readSettingsFile(file, BootSettings, DEFAULTS);

    expect(read.value).toEqual(DEFAULTS);
    expect(read.source).toBe('defaults');
    expect(read.problem).toContain(file);
    expect(read.problem).toContain('not valid JSON');
    expect(read.keptAs).toMatch(/settings\.json\.corrupt-\d{4}-\d{2}-\d{2}T/);
    expect(readFileSync(read.keptAs!, 'utf8')).toBe('{"backendUrl": "https://city.exa');
    expect(readdirSync(dir)).toEqual([read.keptAs!.slice(dir.length + 1)]);
    // The next save starts clean.
    expect(writeSettingsFile(file, BootSettings, DEFAULTS).ok).toBe(true);
    expect(readSettingsFile(file, BootSettings, {}).value).toEqual(DEFAULTS);
  });

  it('refuses values that do not validate, on read and on write', () => {
    captureLogs();
    const { file } = settingsFile();
    writeFileSync(file, JSON.stringify({ backendUrl: 'ftp://city.example/' }));
    const read = readSettingsFile(file, BootSettings, DEFAULTS);
    expect(read.value).toEqual(DEFAULTS);
    expect(read.problem).toMatch(/invalid values \(backendUrl: /);

    const saved = writeSettingsFile(file, BootSettings, { backendUrl: 'not a url' });
    expect(saved.ok).toBe(false);
    expect(!saved.ok && saved.error).toEqual({ code: 'bad_request', message: expect.stringContaining(file) });
  });

  it('reads a file from a newer Kuzet, ignoring keys it does not know', () => {
    const { file } = settingsFile();
    writeFileSync(file, JSON.stringify({ backendUrl: 'https://city.example/', wallProfile: 'night' }));
    expect(readSettingsFile(file, BootSettings, DEFAULTS)).toEqual({ value: { backendUrl: 'https://city.example/' }, source: 'file' });
  });

  it('reports a place it cannot write to instead of throwing', () => {
    captureLogs();
    const { dir } = settingsFile();
    writeFileSync(join(dir, 'profile'), 'a file where a folder should be');
    const file = join(dir, 'profile', 'settings.json');
    const saved = writeSettingsFile(file, BootSettings, DEFAULTS);
    expect(saved).toEqual({ ok: false, error: { code: 'unavailable', message: expect.stringContaining(file) } });
  });
});
