import { gunzipSync } from 'node:zlib';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '../shared/log';
import { Catalog, DemoAccounts, LoginResponse } from '../shared/protocol';
import { ManualClock } from './clock';
import { startSimulator, type Simulator } from './server';
import { getJson, login, postJson } from './test-support';

setLogLevel('error');

let sim: Simulator;
let clock: ManualClock;
beforeAll(async () => {
  clock = new ManualClock(Date.UTC(2025, 8, 1, 8, 0, 0));
  sim = await startSimulator({ backgroundRate: 0, clock });
});
afterAll(() => sim.close());

/** Raw HTTP, to see exactly what goes over the wire (fetch decompresses and hides headers). */
function raw(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`${sim.url}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('login', () => {
  it('logs each demo account in with its role, scope and stream', async () => {
    const accounts = DemoAccounts.parse((await getJson(`${sim.url}/api/demo-accounts`)).body).accounts;
    expect(accounts.map((a) => [a.username, a.role])).toEqual([
      ['dispatcher', 'dispatcher'],
      ['duty', 'duty_officer'],
      ['guard.gym1', 'guard'],
    ]);
    for (const a of accounts) {
      const r = LoginResponse.parse((await postJson(`${sim.url}/api/login`, { username: a.username, password: a.password })).body);
      expect(r.backendId).toBe(sim.backendId);
      expect(r.user.role).toBe(a.role);
      expect(r.stream).toBe(a.role === 'guard' ? `${sim.backendId}/school:GYM1` : `${sim.backendId}/city`);
      expect(r.user.scope).toEqual(a.role === 'guard' ? { kind: 'school', schoolId: 'GYM1' } : { kind: 'city' });
    }
  });

  it('answers 401 with a JSON error for wrong credentials', async () => {
    for (const body of [
      { username: 'dispatcher', password: 'wrong' },
      { username: 'nobody', password: 'kuzet-dispatcher' },
    ]) {
      const r = await postJson(`${sim.url}/api/login`, body);
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    }
  });

  it('answers 400 with a readable reason for bad input, 413 for a body over 64 KB', async () => {
    const badJson = await fetch(`${sim.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username": ' });
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { error: { message: string } }).error.message).toMatch(/not valid JSON/);
    const missing = await postJson(`${sim.url}/api/login`, { username: 'dispatcher' });
    expect(missing.status).toBe(400);
    expect((missing.body as { error: { message: string } }).error.message).toMatch(/password/);
    const extra = await postJson(`${sim.url}/api/login`, { username: 'dispatcher', password: 'x', admin: true });
    expect(extra.status).toBe(400);
    const huge = await postJson(`${sim.url}/api/login`, { username: 'dispatcher', password: 'x'.repeat(70_000) });
    expect(huge.status).toBe(413);
    expect((await getJson(`${sim.url}/api/login`)).status).toBe(405);
  });

  it('answers CORS preflight and allows any origin on /api and /media', async () => {
    const pre = await fetch(`${sim.url}/api/catalog`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:5999', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(pre.headers.get('access-control-allow-methods')).toMatch(/POST/);
    const cam = sim.catalog.devices.find((d) => d.kind === 'camera')!;
    const media = await fetch(cam.streams!.sub, { headers: { origin: 'app://kuzet' } });
    expect(media.headers.get('access-control-allow-origin')).toBe('*');
    await media.text();
  });
});

describe('catalog', () => {
  it('requires a valid, unexpired bearer token', async () => {
    expect((await getJson(`${sim.url}/api/catalog`)).status).toBe(401);
    expect((await getJson(`${sim.url}/api/catalog`, 'v1.eyJzdWIiOiJ1LWRpc3BhdGNoZXIifQ.forged-signature')).status).toBe(401);
    const { token } = await login(sim.url, 'duty', 'kuzet-duty');
    const [head, payload, sig] = token.split('.');
    // Changing the claims breaks the signature.
    const tampered = `${head}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: 'u-dispatcher' })).toString('base64url')}.${sig}`;
    expect((await getJson(`${sim.url}/api/snapshot`, tampered)).status).toBe(401);
    expect((await getJson(`${sim.url}/api/snapshot`, token)).status).toBe(200);
    clock.advance(13 * 3600_000);
    const expired = await getJson(`${sim.url}/api/snapshot`, token);
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ error: { code: 'unauthorized', message: expect.stringMatching(/expired/) } });
  });

  it('serves the whole city to a dispatcher, compressed and cached', async () => {
    const { token } = await login(sim.url, 'dispatcher', 'kuzet-dispatcher');
    const auth = { authorization: `Bearer ${token}` };
    const gz = await raw('/api/catalog', { ...auth, 'accept-encoding': 'gzip' });
    expect(gz.status).toBe(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    const catalog = Catalog.parse(JSON.parse(gunzipSync(gz.body).toString()));
    expect(catalog.schools).toHaveLength(268);
    expect(catalog.crews).toHaveLength(360);
    expect(catalog.devices.filter((d) => d.kind === 'camera').length).toBeGreaterThan(9800);
    expect(catalog.devices.find((d) => d.kind === 'camera')!.streams!.main.startsWith(`${sim.url}/media/`)).toBe(true);
    // The same catalog uncompressed, and its ETag short-circuits an unchanged catalog. (How fast the
    // cache answers is not asserted here: a timed assertion fails on a busy machine, not on a bug.)
    const plain = await raw('/api/catalog', auth);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(plain.body.toString())).toEqual(catalog);
    const etag = String(plain.headers.etag);
    expect((await raw('/api/catalog', { ...auth, 'if-none-match': etag })).status).toBe(304);
  });

  it('gives a guard only the own school, its devices and no crews', async () => {
    const { token } = await login(sim.url, 'guard.gym1', 'kuzet-guard');
    const catalog = Catalog.parse((await getJson(`${sim.url}/api/catalog`, token)).body);
    expect(catalog.schools.map((s) => s.id)).toEqual(['GYM1']);
    expect(catalog.devices.every((d) => d.schoolId === 'GYM1')).toBe(true);
    expect(catalog.devices.filter((d) => d.kind === 'camera')).toHaveLength(180);
    expect(catalog.crews).toEqual([]);
    expect(catalog.districts).toHaveLength(1);
  });
});

describe('misc routes', () => {
  it('answers unknown routes with 404 JSON', async () => {
    const r = await getJson(`${sim.url}/api/nothing`);
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ error: { code: 'not_found' } });
    expect((await getJson(`${sim.url}/api/health`)).body).toEqual({ ok: true, backendId: sim.backendId });
  });
});

describe('non-demo mode', () => {
  it('hides the demo accounts, uses unguessable passwords and requires the instructor key', async () => {
    const locked = await startSimulator({ backgroundRate: 0, demo: false });
    try {
      expect((await getJson(`${locked.url}/api/demo-accounts`)).status).toBe(404);
      const dispatcher = locked.accounts.find((a) => a.username === 'dispatcher')!;
      expect(dispatcher.password).not.toBe('kuzet-dispatcher');
      expect((await postJson(`${locked.url}/api/login`, { username: 'dispatcher', password: 'kuzet-dispatcher' })).status).toBe(401);
      expect((await postJson(`${locked.url}/api/login`, { username: 'dispatcher', password: dispatcher.password })).status).toBe(200);
      const scenario = { name: 'fire', schoolId: 'GYM1' };
      expect((await postJson(`${locked.url}/api/instructor/scenario`, scenario)).status).toBe(403);
      expect((await postJson(`${locked.url}/api/instructor/scenario`, scenario, { 'x-instructor-key': 'wrong' })).status).toBe(403);
      expect((await postJson(`${locked.url}/api/instructor/scenario`, scenario, { 'x-instructor-key': locked.instructorKey })).status).toBe(200);
    } finally {
      await locked.close();
    }
  });

  it('frees the port on close', async () => {
    const a = await startSimulator({ backgroundRate: 3 });
    const port = a.port;
    await a.close();
    const b = await startSimulator({ backgroundRate: 0, port });
    expect(b.port).toBe(port);
    await b.close();
  });
});
