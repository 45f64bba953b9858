// The plan editor's console API methods through the real router and a real SQLite store.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PlanBackground, SavedDraft } from '../../shared/plan-editor';
import type { Result } from '../../shared/result';
import { createRouter, type AppInfo } from '../router';
import { captureLogs, tempFolder } from '../testing';
import { makePng } from './test-images';

const APP: AppInfo = { version: '0.1.0', host: 'web', backendUrl: 'http://127.0.0.1:7400', embedded: true };

function setup() {
  const logs = captureLogs();
  const folder = tempFolder();
  const store = folder.open();
  const router = createRouter({ store, app: APP, validateOutputs: true });
  return { logs, folder, store, call: (method: string, input: unknown) => router.call(method, input, { transport: 'test', peer: 'plans' }) };
}

function value<T>(r: Result<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

const room = { id: 'R1', name: 'Corridor', kind: 'corridor', polygon: [[0, 0], [10, 0], [10, 3], [0, 3]] };
const draft = (backgroundId: string | null) => ({
  schoolId: 'GYM1',
  floorId: 'GYM1.B1.F1',
  baseVersion: 0,
  rooms: [room],
  devices: [{ id: 'CAM-1', kind: 'camera', name: 'Camera 1', position: [1, 1], heading: 90, fov: 70 }],
  background: backgroundId ? { id: backgroundId, placement: { x: 0, y: 0, width: 92, height: 36, opacity: 0.6 } } : null,
});

describe('plan editor API', () => {
  it('imports a PNG, keeps it, and serves it back with the saved draft', async () => {
    const { call, store } = setup();
    const bg = value<PlanBackground>(await call('plans.importBackground', { fileName: 'plan.png', data: makePng(92, 36).toString('base64') }));
    expect(bg).toMatchObject({ mediaType: 'image/png', width: 92, height: 36, removed: [] });
    expect(bg.id).toMatch(/^[0-9a-f]{64}$/);

    expect(value(await call('plans.saveDraft', { draft: draft(bg.id), operator: 'Bolat' }))).toMatchObject({ version: 1 });
    expect(value(await call('plans.saveDraft', { draft: { ...draft(bg.id), devices: [] }, operator: 'Bolat' }))).toMatchObject({ version: 2 });
    const { saved } = value<{ saved: SavedDraft }>(await call('plans.getDraft', { schoolId: 'GYM1', floorId: 'GYM1.B1.F1' }));
    expect(saved).toMatchObject({ version: 2, sentVersion: null, draft: { devices: [] }, background: { id: bg.id, data: bg.data } });

    expect(value(await call('plans.markSent', { schoolId: 'GYM1', floorId: 'GYM1.B1.F1', version: 2, sentVersion: 7, operator: 'Bolat' }))).toEqual({});
    expect(value<{ saved: SavedDraft }>(await call('plans.getDraft', { schoolId: 'GYM1', floorId: 'GYM1.B1.F1' })).saved.sentVersion).toBe(7);
    // Both steps are in the local audit log with who did them.
    expect(store.actions.list().map((a) => [a.kind, a.operator])).toEqual(expect.arrayContaining([['plans.saveDraft', 'Bolat'], ['plans.sent', 'Bolat']]));
    expect(value(await call('plans.getDraft', { schoolId: 'GYM1', floorId: 'OTHER' }))).toEqual({ saved: null });
  });

  it('keeps the sanitized SVG, never the file as chosen', async () => {
    const { call, logs } = setup();
    const hostile = readFileSync(join(__dirname, '../../../test-fixtures/svg/hostile-plan.svg'));
    const bg = value<PlanBackground>(await call('plans.importBackground', { fileName: 'hostile-plan.svg', data: hostile.toString('base64') }));
    expect(bg.mediaType).toBe('image/svg+xml');
    expect(Buffer.from(bg.data, 'base64').toString('utf8')).not.toMatch(/script|onload|evil\.example/);
    expect(bg.removed).toContain('script element');
    value(await call('plans.saveDraft', { draft: draft(bg.id), operator: 'Bolat' }));
    const { saved } = value<{ saved: SavedDraft }>(await call('plans.getDraft', { schoolId: 'GYM1', floorId: 'GYM1.B1.F1' }));
    expect(Buffer.from(saved.background!.data, 'base64').toString('utf8')).not.toMatch(/script|evil\.example/);
    expect(logs.some((r) => r.msg === 'plan background imported')).toBe(true);
  });

  it('refuses broken and hostile files and bad drafts with reasons, and logs them', async () => {
    const { call, logs } = setup();
    const png = makePng(10, 10);
    const cut = await call('plans.importBackground', { fileName: 'cut.png', data: png.subarray(0, png.length - 5).toString('base64') });
    expect(cut).toEqual({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/^cut\.png: the PNG file is cut short/) } });
    const lol = await call('plans.importBackground', { fileName: 'lol.svg', data: readFileSync(join(__dirname, '../../../test-fixtures/svg/billion-laughs.svg')).toString('base64') });
    expect(lol.ok).toBe(false);
    const notBase64 = await call('plans.importBackground', { fileName: 'x.png', data: 'not base64!' });
    expect(notBase64).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringContaining('not base64') } });
    const toilet = { id: 'WC', name: 'Toilet', kind: 'toilet', polygon: [[0, 3], [3, 3], [3, 6], [0, 6]] };
    const peeping = await call('plans.saveDraft', { draft: { ...draft(null), rooms: [room, toilet], devices: [{ id: 'CAM-2', kind: 'camera', name: 'C', position: [1, 4], heading: 0, fov: 60 }] }, operator: 'Bolat' });
    expect(peeping).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringContaining('no camera may be placed in toilets or changing rooms') } });
    const missingBackground = await call('plans.saveDraft', { draft: draft('a'.repeat(64)), operator: 'Bolat' });
    expect(missingBackground).toMatchObject({ ok: false, error: { code: 'not_found', message: expect.stringContaining('import it again') } });
    const badRoom = await call('plans.saveDraft', { draft: { ...draft(null), rooms: [{ ...room, kind: 'dungeon' }] }, operator: 'Bolat' });
    expect(badRoom).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect((await call('plans.markSent', { schoolId: 'GYM1', floorId: 'GYM1.B1.F1', version: 9, sentVersion: 1, operator: 'Bolat' })).ok).toBe(false);
    expect(logs.filter((r) => r.msg === 'call refused' || r.msg === 'rejected input').length).toBeGreaterThanOrEqual(5);
  });

  it('keeps drafts across a restart of the store', async () => {
    const { call, folder, store } = setup();
    value(await call('plans.saveDraft', { draft: draft(null), operator: 'Bolat' }));
    store.close();
    const again = createRouter({ store: folder.open(), app: APP, validateOutputs: true });
    const { saved } = value<{ saved: SavedDraft }>(await again.call('plans.getDraft', { schoolId: 'GYM1', floorId: 'GYM1.B1.F1' }, { transport: 'test', peer: 'plans' }));
    expect(saved).toMatchObject({ version: 1, draft: { rooms: [room] }, background: null });
  });
});
