import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Result } from '../shared/result';
import { checkPng, createEvidence } from './evidence';
import { createRouter, type AppInfo, type CallContext } from './router';
import { captureLogs, tempFolder } from './testing';

const APP: AppInfo = { version: '0.1.0', host: 'web', backendUrl: 'http://127.0.0.1:7400', embedded: true };
const CTX: CallContext = { transport: 'test', peer: 'wall.test' };
const LAYOUT = { kind: '9', cells: ['cam-1', null, 'cam-3'], tour: null };

function setup() {
  captureLogs();
  const folder = tempFolder();
  const store = folder.open();
  const evidence = createEvidence(join(folder.dir, 'evidence'), store.wall);
  const router = createRouter({ store, app: APP, validateOutputs: true, evidence });
  const pushes: string[] = [];
  router.onPush((...push) => {
    pushes.push(push[0]);
  });
  return { store, folder, pushes, call: (method: string, input: unknown) => router.call(method, input, CTX) };
}

function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

/** A real 2x1 RGBA PNG. */
function png(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.from([0, 255, 0, 0, 255, 0, 0, 255, 255]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

describe('wall layouts through the contract', () => {
  it('saves, lists, overwrites and deletes named layouts, announcing each change', async () => {
    const { call, pushes } = setup();
    value(await call('wall.layouts.save', { name: 'Entrances', layout: LAYOUT }));
    value(await call('wall.layouts.save', { name: 'all stairwells', layout: { ...LAYOUT, kind: '4' } }));
    value(await call('wall.layouts.save', { name: 'Entrances', layout: { ...LAYOUT, cells: ['cam-9'] } }));
    const { layouts } = value<{ layouts: { name: string; layout: { cells: unknown[] } }[] }>(await call('wall.layouts.list', {}));
    expect(layouts.map((l) => l.name)).toEqual(['all stairwells', 'Entrances']);
    expect(layouts[1]!.layout.cells).toEqual(['cam-9']);
    expect(value(await call('wall.layouts.delete', { name: 'Entrances' }))).toEqual({ deleted: true });
    expect(value(await call('wall.layouts.delete', { name: 'Entrances' }))).toEqual({ deleted: false });
    expect(pushes).toEqual(['wall.layouts.changed', 'wall.layouts.changed', 'wall.layouts.changed', 'wall.layouts.changed']);
  });

  it('refuses a layout outside the schema', async () => {
    const { call } = setup();
    const bad = await call('wall.layouts.save', { name: 'x', layout: { kind: '10', cells: [], tour: null } });
    expect(bad.ok).toBe(false);
    const tooMany = await call('wall.layouts.save', { name: 'x', layout: { kind: '36', cells: Array(37).fill(null), tour: null } });
    expect(tooMany.ok).toBe(false);
    const badName = await call('wall.layouts.save', { name: '   ', layout: LAYOUT });
    expect(badName.ok).toBe(false);
  });
});

describe('evidence snapshots', () => {
  it('writes the PNG under the evidence folder and records its SHA-256, camera, time and operator', async () => {
    const { call, folder, store } = setup();
    const bytes = png();
    const saved = value<{ file: string; sha256: string; bytes: number }>(
      await call('evidence.snapshot', { cameraId: 'GYM1-cam:7', capturedAt: '2026-03-02T08:00:05.123Z', operator: 'Dispatcher A', pngBase64: bytes.toString('base64') }),
    );
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(saved).toMatchObject({ sha256: sha, bytes: bytes.length });
    expect(saved.file).toMatch(/^20260302T080005123Z_GYM1-cam_7_[0-9a-f]{12}\.png$/);
    const path = join(folder.dir, 'evidence', saved.file);
    expect(readFileSync(path).equals(bytes)).toBe(true);
    expect(store.wall.listEvidence('GYM1-cam:7')).toEqual([
      expect.objectContaining({ cameraId: 'GYM1-cam:7', capturedAt: '2026-03-02T08:00:05.123Z', operator: 'Dispatcher A', sha256: sha, file: saved.file }),
    ]);
  });

  it('refuses bytes that are not a PNG and writes nothing', async () => {
    const { call, folder, store } = setup();
    const result = await call('evidence.snapshot', {
      cameraId: 'cam-1',
      capturedAt: '2026-03-02T08:00:05.000Z',
      operator: 'op',
      pngBase64: Buffer.from('GIF89a not a png at all, really not').toString('base64'),
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('bad_request');
    expect(existsSync(join(folder.dir, 'evidence'))).toBe(false);
    expect(store.wall.listEvidence()).toEqual([]);
  });

  it('checks the PNG header', () => {
    expect(checkPng(png())).toEqual({ ok: true, width: 2, height: 1 });
    const huge = png();
    huge.writeUInt32BE(100_000, 16);
    expect(checkPng(huge)).toMatchObject({ ok: false });
  });
});

describe('evidence register', () => {
  it('lists snapshots newest first and opens one with its hash checked again; a changed file is not intact', async () => {
    const { call, folder } = setup();
    const first = png();
    const second = png();
    second.writeUInt32BE(3, 16); // another picture: 3 px wide
    const a = value<{ id: string; file: string; sha256: string }>(
      await call('evidence.snapshot', { cameraId: 'cam-1', capturedAt: '2026-03-02T08:00:00.000Z', operator: 'Guard B', pngBase64: first.toString('base64') }),
    );
    const b = value<{ id: string; file: string }>(
      await call('evidence.snapshot', { cameraId: 'cam-2', capturedAt: '2026-03-02T09:00:00.000Z', operator: 'Guard B', pngBase64: second.toString('base64') }),
    );
    const list = value<{ items: Array<{ id: string; cameraId: string; operator: string; sha256: string }> }>(await call('evidence.list', {}));
    expect(list.items.map((i) => i.id)).toEqual([b.id, a.id]);
    expect(list.items[1]).toMatchObject({ cameraId: 'cam-1', operator: 'Guard B', sha256: a.sha256 });
    expect(value<{ items: unknown[] }>(await call('evidence.list', { cameraId: 'cam-2' })).items).toHaveLength(1);

    const opened = value<{ pngBase64: string; intact: boolean; item: { id: string } }>(await call('evidence.open', { id: a.id }));
    expect(opened.intact).toBe(true);
    expect(Buffer.from(opened.pngBase64, 'base64').equals(first)).toBe(true);

    // Someone edits the file in the evidence folder: opening it says so.
    const tampered = Buffer.from(first);
    tampered[tampered.length - 1] ^= 0xff;
    writeFileSync(join(folder.dir, 'evidence', a.file), tampered);
    expect(value<{ intact: boolean }>(await call('evidence.open', { id: a.id })).intact).toBe(false);

    const missing = await call('evidence.open', { id: 'no-such-id' });
    expect(!missing.ok && missing.error.code).toBe('not_found');
  });
});

describe('wall window', () => {
  it('opens through the host that can (Electron), and says why not where it cannot', async () => {
    const { call } = setup();
    const refused = await call('wall.openWindow', {});
    expect(!refused.ok && refused.error.code).toBe('unavailable');

    captureLogs();
    const folder = tempFolder();
    let opened = 0;
    const router = createRouter({ store: folder.open(), app: { ...APP, host: 'electron' }, validateOutputs: true, wallWindow: { open: async () => (opened++, { display: 'Wall TV' }) } });
    expect(value(await router.call('wall.openWindow', {}, CTX))).toEqual({ display: 'Wall TV' });
    expect(opened).toBe(1);
  });
});
