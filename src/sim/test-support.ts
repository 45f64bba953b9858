/**
 * Helpers for tests that talk to a running simulator the way a console does: over HTTP and a real
 * socket.io client. Every message a client receives is checked against src/shared/protocol.ts
 * (envelope, and the payload of known types); anything that does not validate is recorded in
 * `violations` (tests assert it stays empty, except where they inject malformed events on purpose).
 *
 *   const { token } = await login(sim.url, 'dispatcher', 'kuzet-dispatcher');
 *   const client = await connect(sim.url, token, 0);
 *   await client.waitFor((events) => events.length >= 3);
 *   await client.close();
 *
 *   const t = simWithClients();            // at the top of a test file: one simulator for the file
 *   const c = await t.as('dispatcher', 'kuzet-dispatcher');   // checked and closed after each test
 *   const alertId = t.raise('weapon', 'GYM1');
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { z } from 'zod';
import {
  CommandResult,
  EVENT_PAYLOADS,
  EventEnvelope,
  Hello,
  LoginResponse,
  Resync,
  SchoolPlan,
  type Floor,
  type FloorPlanUpdate,
  type LoginResponse as LoginResponseT,
} from '../shared/protocol';
import type { ScenarioName } from './scenarios';
import { startSimulator, type Simulator, type SimulatorOptions } from './server';

export async function login(url: string, username: string, password: string): Promise<LoginResponseT> {
  const res = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: HTTP ${res.status} ${await res.text()}`);
  return LoginResponse.parse(await res.json());
}

/** Checks one received event like the console does; returns a reason when it is not valid. */
export function checkEvent(raw: unknown): string | null {
  const env = EventEnvelope.safeParse(raw);
  if (!env.success) return `invalid envelope: ${JSON.stringify(raw).slice(0, 200)}`;
  const schema = (EVENT_PAYLOADS as Record<string, z.ZodType>)[`${env.data.type}@${env.data.v}`];
  if (schema && !schema.safeParse(env.data.payload).success) return `invalid ${env.data.type}@${env.data.v} payload`;
  return null;
}

export interface TestClient {
  socket: Socket;
  hello: Hello | null;
  resync: Resync | null;
  /** Every message with a valid envelope, in arrival order (payload problems are in violations). */
  events: EventEnvelope[];
  /** Raw 'events' arguments as received. */
  batches: unknown[];
  violations: string[];
  waitFor(predicate: (events: EventEnvelope[]) => boolean, timeoutMs?: number): Promise<void>;
  command(cmd: unknown): Promise<CommandResult>;
  close(): Promise<void>;
}

/** Connects and resolves after 'hello' (+ replay) or 'resync', or rejects with the refusal. */
export async function connect(url: string, token: string, since: number): Promise<TestClient> {
  const socket = io(url, { auth: { token, since }, transports: ['websocket'], reconnection: false, forceNew: true });
  const waiters = new Set<() => void>();
  const client: TestClient = {
    socket,
    hello: null,
    resync: null,
    events: [],
    batches: [],
    violations: [],
    waitFor(predicate, timeoutMs = 5000) {
      if (predicate(client.events)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(client.events)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting; have ${client.events.length} events`));
        }, timeoutMs);
        waiters.add(check);
      });
    },
    command(cmd) {
      return socket
        .timeout(5000)
        .emitWithAck('command', cmd)
        .then((r: unknown) => CommandResult.parse(r));
    },
    close() {
      socket.disconnect();
      return Promise.resolve();
    },
  };
  socket.on('hello', (h: unknown) => {
    const parsed = Hello.safeParse(h);
    if (!parsed.success) client.violations.push('invalid hello');
    else client.hello = parsed.data;
  });
  socket.on('resync', (r: unknown) => {
    const parsed = Resync.safeParse(r);
    if (!parsed.success) client.violations.push('invalid resync');
    else client.resync = parsed.data;
  });
  socket.on('events', (batch: unknown) => {
    client.batches.push(batch);
    if (!Array.isArray(batch)) {
      client.violations.push('events is not an array');
      return;
    }
    for (const raw of batch) {
      const problem = checkEvent(raw);
      if (problem) client.violations.push(problem);
      // Like the console: a valid envelope is kept even when its payload is not.
      const env = EventEnvelope.safeParse(raw);
      if (env.success) client.events.push(env.data);
    }
    for (const w of [...waiters]) w();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect_error', (e) => {
      socket.disconnect();
      reject(e);
    });
    // Ready once the replay is complete: hello's latestSeq says how far it goes (or a resync came).
    const ready = () => {
      const h = client.hello;
      if (!h) return;
      const last = client.events.at(-1)?.seq ?? since;
      if (client.resync || (since <= h.latestSeq && last >= h.latestSeq)) {
        waiters.delete(ready);
        resolve();
      }
    };
    waiters.add(ready);
    socket.on('hello', ready);
    socket.on('resync', ready);
  });
  return client;
}

export async function getJson(url: string, token?: string): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: return the text.
  }
  return { status: res.status, body, headers: res.headers };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: return the text.
  }
  return { status: res.status, body: parsed };
}

export interface SimWithClients {
  /** The file's simulator (no background incidents). */
  sim(): Simulator;
  /** Signs in and connects from the stream's latest event; the client is checked and closed after the test. */
  as(username: string, password: string): Promise<TestClient>;
  /** Plays a scenario now and returns its first alert's id. */
  raise(scenario: ScenarioName, schoolId: string): string;
}

/** One simulator per test file and the clients its tests open: no protocol violations allowed. */
export function simWithClients(options: SimulatorOptions = {}): SimWithClients {
  let sim: Simulator | null = null;
  const clients: TestClient[] = [];
  beforeAll(async () => {
    sim = await startSimulator({ backgroundRate: 0, ...options });
  });
  afterAll(() => sim?.close());
  afterEach(async () => {
    for (const c of clients.splice(0)) {
      expect(c.violations).toEqual([]);
      await c.close();
    }
  });
  const current = (): Simulator => {
    if (!sim) throw new Error('simulator not started (simWithClients() must be called at the top of the test file)');
    return sim;
  };
  return {
    sim: current,
    as: async (username, password) => {
      const { token, stream } = await login(current().url, username, password);
      const c = await connect(current().url, token, current().latestSeq(stream));
      clients.push(c);
      return c;
    },
    raise: (scenario, schoolId) => {
      const run = current().playScenario(scenario, { schoolId });
      if (!run.ok) throw new Error(run.error.message);
      return run.value.alertIds[0]!;
    },
  };
}

/**
 * Runs `before` on a simulator, stops it, starts another on the same data and runs `after` on it:
 * what the log must carry across a backend restart.
 */
export async function acrossRestart<T>(before: (sim: Simulator) => Promise<T>, after: (sim: Simulator, carried: T) => Promise<void>): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kuzet-sim-restart-'));
  try {
    const first = await startSimulator({ backgroundRate: 0, dataDir });
    let carried: T;
    try {
      carried = await before(first);
    } finally {
      await first.close();
    }
    const second = await startSimulator({ backgroundRate: 0, dataDir });
    try {
      await after(second, carried);
    } finally {
      await second.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Signs in each account by its demo password. */
export async function signInAs(sim: Simulator, ...usernames: string[]): Promise<LoginResponseT[]> {
  return Promise.all(usernames.map((u) => login(sim.url, u, sim.accounts.find((a) => a.username === u)!.password)));
}

/** A floor as the plan endpoint serves it, and the same floor as a save would send it back. */
export async function floorForEdit(url: string, token: string, schoolId: string, floorId: string): Promise<{ version: number; floor: Floor; update: FloorPlanUpdate }> {
  const plan = SchoolPlan.parse((await getJson(`${url}/api/plans/${schoolId}`, token)).body);
  const floor = plan.school.buildings.flatMap((b) => b.floors).find((f) => f.id === floorId)!;
  const devices = plan.devices.filter((d) => d.floorId === floorId).map(({ schoolId: _s, buildingId: _b, floorId: _f, roomId: _r, streams: _st, ...d }) => d);
  return { version: plan.version, floor, update: { baseVersion: plan.version, rooms: floor.rooms, devices } };
}
