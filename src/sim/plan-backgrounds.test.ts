// Floor-plan background images on a real simulator over loopback: the upload is checked again on the
// backend (kind by magic bytes, size, SVG sanitized), only editors of the school may upload, the
// floor refers to it by id, other consoles learn of it by plan.updated and fetch the checked bytes.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '../shared/log';
import { MAX_BACKGROUND_BYTES } from '../shared/plan-editor';
import { BackgroundUploaded, PlanUpdatedV1, type FloorPlanUpdate, type LoginResponse } from '../shared/protocol';
import { startSimulator, type Simulator } from './server';
import { connect, floorForEdit, signInAs } from './test-support';

setLogLevel('error');

const FLOOR = 'GYM1.B1.F1';
const fixture = (path: string) => readFileSync(join(import.meta.dirname, '../../test-fixtures', path));
const PNG = fixture('images/plan-96x48.png');
const PLACEMENT = { x: 0, y: 0, width: 92, height: 46, opacity: 0.5 };

let dataDir: string;
let sim: Simulator;
let duty: LoginResponse;
let guard: LoginResponse;
let dispatcher: LoginResponse;

async function upload(bytes: Uint8Array, token?: string, school = 'GYM1', floor = FLOOR): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${sim.url}/api/plans/${school}/floors/${floor}/background`, {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: new Uint8Array(bytes),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

async function putFloor(body: FloorPlanUpdate, token: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${sim.url}/api/plans/GYM1/floors/${FLOOR}`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as unknown };
}

const floorNow = (token: string) => floorForEdit(sim.url, token, 'GYM1', FLOOR);

async function fetchImage(id: string, token: string, school = 'GYM1') {
  const res = await fetch(`${sim.url}/api/plans/${school}/backgrounds/${id}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, type: res.headers.get('content-type'), csp: res.headers.get('content-security-policy'), bytes: Buffer.from(await res.arrayBuffer()) };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kuzet-plan-bg-'));
  sim = await startSimulator({ backgroundRate: 0, dataDir });
  [duty, guard, dispatcher] = await signInAs(sim, 'duty', 'guard.gym1', 'dispatcher');
});
afterAll(async () => {
  await sim.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('plan background images on the simulator', () => {
  it('keeps a guard’s PNG, puts it on the floor, tells other consoles, and serves the same bytes to them', async () => {
    const up = await upload(PNG, guard.token);
    expect(up.status).toBe(200);
    const stored = BackgroundUploaded.parse(up.body);
    expect(stored).toEqual({ schoolId: 'GYM1', id: createHash('sha256').update(PNG).digest('hex'), mediaType: 'image/png', width: 96, height: 48, removed: [] });

    const city = await connect(sim.url, duty.token, sim.latestSeq(duty.stream));
    try {
      const { update } = await floorNow(guard.token);
      const saved = await putFloor({ ...update, background: { id: stored.id, placement: PLACEMENT } }, guard.token);
      expect(saved.status).toBe(200);
      await city.waitFor((events) => events.some((e) => e.type === 'plan.updated'));
      const event = PlanUpdatedV1.parse(city.events.find((e) => e.type === 'plan.updated')!.payload);
      expect(event.floorId).toBe(FLOOR);
    } finally {
      await city.close();
    }

    // What another console sees: the floor names the image, and the image is the checked bytes.
    const { floor } = await floorNow(duty.token);
    expect(floor.background).toEqual({ id: stored.id, mediaType: 'image/png', width: 96, height: 48, placement: PLACEMENT });
    const image = await fetchImage(stored.id, duty.token);
    expect(image.status).toBe(200);
    expect(image.type).toBe('image/png');
    expect(image.bytes.equals(PNG)).toBe(true);

    // An edit that does not mention the background (devices only) keeps it; null removes it.
    const again = await floorNow(duty.token);
    expect((await putFloor(again.update, duty.token)).status).toBe(200);
    expect((await floorNow(duty.token)).floor.background?.id).toBe(stored.id);
    const removed = await floorNow(duty.token);
    expect((await putFloor({ ...removed.update, background: null }, duty.token)).status).toBe(200);
    expect((await floorNow(duty.token)).floor.background).toBeUndefined();
  });

  it('refuses an image over the size limit, before keeping any of it', async () => {
    const big = Buffer.alloc(MAX_BACKGROUND_BYTES + 1);
    PNG.copy(big);
    const r = await upload(big, duty.token);
    expect(r.status).toBe(413);
    expect(JSON.stringify(r.body)).toMatch(/larger than 4 MB; a plan image may be at most 4 MB/);
  });

  it('judges the kind by the first bytes: a GIF, an empty body and a PNG cut short are refused with the reason', async () => {
    const gif = await upload(Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), duty.token);
    expect(gif.status).toBe(400);
    expect(JSON.stringify(gif.body)).toMatch(/not a PNG, JPEG or SVG image/);
    const empty = await upload(new Uint8Array(0), duty.token);
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.body)).toMatch(/the file is empty/);
    const cut = await upload(PNG.subarray(0, PNG.length - 20), duty.token);
    expect(cut.status).toBe(400);
    expect(JSON.stringify(cut.body)).toMatch(/PNG file is cut short/);
  });

  it('sanitizes a hostile SVG again on the backend, whatever the client did, and serves it so it could not run', async () => {
    const r = await upload(fixture('svg/hostile-plan.svg'), duty.token);
    expect(r.status).toBe(200);
    const stored = BackgroundUploaded.parse(r.body);
    expect(stored.mediaType).toBe('image/svg+xml');
    expect(stored.removed).toEqual(expect.arrayContaining(['script element', 'event handler attribute onload', 'foreignObject element']));
    const image = await fetchImage(stored.id, duty.token);
    expect(image.status).toBe(200);
    expect(image.type).toBe('image/svg+xml');
    expect(image.csp).toMatch(/sandbox/);
    const text = image.bytes.toString('utf8');
    expect(text).toContain('Hostile plan (sanitized)');
    expect(text).not.toMatch(/script|onload|onclick|evil\.example|foreignObject|iframe/);
    // The sanitizer's output is a fixed point: sent again (as a console re-checks it), it is the same image.
    const resent = BackgroundUploaded.parse((await upload(image.bytes, duty.token)).body);
    expect(resent.id).toBe(stored.id);

    // A billion-laughs file is refused outright.
    const bomb = await upload(fixture('svg/billion-laughs.svg'), duty.token);
    expect(bomb.status).toBe(400);
  });

  it('lets only the school’s editors upload and only its viewers fetch', async () => {
    expect((await upload(PNG)).status).toBe(401);
    const byDispatcher = await upload(PNG, dispatcher.token);
    expect(byDispatcher.status).toBe(403);
    expect(JSON.stringify(byDispatcher.body)).toMatch(/dispatchers cannot edit floor plans/);

    const other = sim.catalog.schools.find((s) => s.id !== 'GYM1')!;
    const otherFloor = other.buildings[0]!.floors[0]!.id;
    expect((await upload(PNG, guard.token, other.id, otherFloor)).status).toBe(403);
    expect((await upload(PNG, duty.token, 'GYM1', 'NOPE.F9')).status).toBe(404);

    // The image was uploaded for GYM1: another school's plan cannot name it, nor can its URL fetch it.
    const id = BackgroundUploaded.parse((await upload(PNG, guard.token)).body).id;
    expect((await fetchImage(id, guard.token, other.id)).status).toBe(403);
    expect((await fetchImage(id, duty.token, other.id)).status).toBe(404);
    expect((await fetchImage(id, dispatcher.token)).status).toBe(200);
    const unknown = await floorNow(duty.token);
    const refused = await putFloor({ ...unknown.update, background: { id: 'f'.repeat(64), placement: PLACEMENT } }, duty.token);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toMatch(/was not uploaded for GYM1; upload the image first/);
  });

  it('keeps the floor’s background and its image across a restart with the same data folder', async () => {
    const id = BackgroundUploaded.parse((await upload(PNG, duty.token)).body).id;
    const { update } = await floorNow(duty.token);
    expect((await putFloor({ ...update, background: { id, placement: PLACEMENT } }, duty.token)).status).toBe(200);
    await sim.close();
    sim = await startSimulator({ backgroundRate: 0, dataDir });
    const [{ token }] = await signInAs(sim, 'duty');
    expect((await floorNow(token)).floor.background).toMatchObject({ id, placement: PLACEMENT });
    const image = await fetchImage(id, token);
    expect(image.status).toBe(200);
    expect(image.bytes.equals(PNG)).toBe(true);
  });
});
