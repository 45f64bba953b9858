import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createServices } from './services';
import { captureLogs, entries, RECEIVED_AT, rawEvent, STREAM, tempFolder } from './testing';

const APP = { host: 'electron' as const, backendUrl: 'https://city.example/', embedded: false, version: '1.2.3' };
const CTX = { transport: 'ipc' as const, peer: 'wc1' };

describe('createServices', () => {
  it('opens the store in the data folder and serves the contract; data survives a restart', async () => {
    captureLogs();
    const dataDir = join(tempFolder().dir, 'profile');
    const first = createServices({ dataDir, ...APP });
    expect(existsSync(join(dataDir, 'kuzet.db'))).toBe(true);
    expect(await first.router.call('app.info', {}, CTX)).toEqual({ ok: true, value: { version: '1.2.3', host: 'electron', backendUrl: 'https://city.example/', embedded: false } });
    await first.router.call('journal.append', { stream: STREAM, receivedAt: RECEIVED_AT, entries: entries([rawEvent(1)]) }, CTX);
    first.close();
    first.close();

    const second = createServices({ dataDir, ...APP });
    expect(await second.router.call('journal.cursor', { stream: STREAM }, CTX)).toEqual({ ok: true, value: { lastContiguousSeq: 1, rejectedCount: 0 } });
    second.close();
  });

  it('initialises once per data folder', () => {
    captureLogs();
    const dataDir = tempFolder().dir;
    const services = createServices({ dataDir, ...APP });
    expect(() => createServices({ dataDir, ...APP })).toThrow(/already running/);
    services.close();
  });
});
