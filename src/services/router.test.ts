import { describe, expect, it } from 'vitest';
import type { Result } from '../shared/result';
import { createRouter, type AppInfo, type CallContext } from './router';
import type { Store } from './store';
import { ackEvent, captureLogs, entries, RECEIVED_AT, rawEvent, STREAM, tempFolder } from './testing';

const APP: AppInfo = { version: '0.1.0', host: 'web', backendUrl: 'http://127.0.0.1:7400', embedded: true };
const CTX: CallContext = { transport: 'test', peer: 'router.test' };
const KEY = '0b8e2f4a-5c1d-4e7f-8a9b-1c2d3e4f5a6b';

function setup(wrap: (store: Store) => Store = (s) => s) {
  const logs = captureLogs();
  const store = tempFolder().open();
  const router = createRouter({ store: wrap(store), app: APP, validateOutputs: true });
  return { store, router, logs, call: (method: string, input: unknown) => router.call(method, input, CTX) };
}

function failure(result: Result<unknown>) {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return result.error;
}

describe('router', () => {
  it('answers app.info from what the host told it', async () => {
    const { call } = setup();
    expect(await call('app.info', {})).toEqual({ ok: true, value: APP });
  });

  it('journals through the contract and serves the queue back', async () => {
    const { call } = setup();
    const appended = await call('journal.append', { stream: STREAM, receivedAt: RECEIVED_AT, entries: entries([rawEvent(1), rawEvent(2), ackEvent(4, 'alert-1')]) });
    expect(appended).toEqual({ ok: true, value: { inserted: ['ev-1', 'ev-2', 'ev-4'], duplicates: 0, lastContiguousSeq: 2 } });
    expect(await call('journal.cursor', { stream: STREAM })).toEqual({ ok: true, value: { lastContiguousSeq: 2, rejectedCount: 0 } });
    const listed = await call('alerts.list', { stream: STREAM });
    expect(listed.ok && (listed.value as { alerts: { id: string; status: string }[] }).alerts.map((a) => [a.id, a.status])).toEqual([
      ['alert-1', 'acknowledged'],
      ['alert-2', 'new'],
    ]);
    expect(await call('journal.recordMalformed', { stream: STREAM, reason: 'not JSON', excerpt: '<html>' })).toEqual({ ok: true, value: { rejectedCount: 1 } });
    expect(await call('journal.reset', { stream: STREAM, seq: 40 })).toEqual({ ok: true, value: {} });
    expect(await call('journal.cursor', { stream: STREAM })).toEqual({ ok: true, value: { lastContiguousSeq: 40, rejectedCount: 1 } });
  });

  it('rejects an unknown method by name, listing the ones it knows', async () => {
    const { call } = setup();
    for (const name of ['alerts.lst', 'toString', '__proto__', 'constructor']) {
      const error = failure(await call(name, {}));
      expect(error.code).toBe('not_found');
      expect(error.message).toContain(`Unknown method "${name}"`);
      expect(error.message).toContain('alerts.list');
    }
  });

  it('explains invalid input field by field', async () => {
    const { call } = setup();
    const badKey = failure(await call('actions.record', { idempotencyKey: 'abc', kind: 'alert.acknowledge', operator: 'op-1', status: 'done' }));
    expect(badKey.code).toBe('bad_request');
    expect(badKey.message).toMatch(/^actions\.record: invalid input: /);
    expect(badKey.message).toContain('idempotencyKey:');
    expect(badKey.message).toContain('status:');

    const extra = failure(await call('journal.cursor', { stream: STREAM, since: 3 }));
    expect(extra.message).toMatch(/since/);
    expect(failure(await call('settings.get', undefined)).code).toBe('bad_request');
    expect(failure(await call('journal.append', { stream: STREAM, receivedAt: 'yesterday', entries: [] })).message).toMatch(/receivedAt: .*entries: /);
  });

  it('passes on a refusal from the store with its own code', async () => {
    const { call } = setup();
    const foreign = failure(await call('journal.append', { stream: STREAM, receivedAt: RECEIVED_AT, entries: entries([rawEvent(1, { stream: 'school-9' })]) }));
    expect(foreign).toEqual({ code: 'bad_request', message: expect.stringContaining('belongs to stream "school-9"') });

    const action = { idempotencyKey: KEY, kind: 'alert.acknowledge', alertId: 'alert-1', operator: 'op-1', status: 'pending' };
    expect((await call('actions.record', action)).ok).toBe(true);
    expect(failure(await call('actions.record', { ...action, alertId: 'alert-2' })).code).toBe('conflict');
  });

  it('records who sent an action in the audit log', async () => {
    const { call, store } = setup();
    await call('actions.record', { idempotencyKey: KEY, kind: 'alert.acknowledge', operator: 'op-1', status: 'pending' });
    expect(store.actions.get(KEY)?.via).toBe('test:router.test');
  });

  it('turns a handler exception into an internal error, logs it, and keeps serving', async () => {
    const { call, logs } = setup((store) => ({
      ...store,
      alerts: {
        list: (stream) => {
          if (stream === 'broken') throw new Error('disk I/O error');
          return store.alerts.list(stream);
        },
      },
    }));
    expect(failure(await call('alerts.list', { stream: 'broken' }))).toEqual({ code: 'internal', message: 'alerts.list failed: disk I/O error' });
    expect(logs).toContainEqual(expect.objectContaining({ level: 'error', component: 'router', method: 'alerts.list', message: 'disk I/O error' }));
    expect(await call('alerts.list', { stream: STREAM })).toEqual({ ok: true, value: { alerts: [] } });
  });

  it('treats an answer outside the contract as an internal error', async () => {
    const { call, logs } = setup((store) => ({ ...store, journal: { ...store.journal, cursor: () => ({ lastContiguousSeq: 1.5, rejectedCount: 0, duplicateCount: 0 }) } }));
    const error = failure(await call('journal.cursor', { stream: STREAM }));
    expect(error.code).toBe('internal');
    expect(error.message).toContain('journal.cursor produced an invalid answer: lastContiguousSeq');
    expect(logs.some((r) => r.level === 'error' && r.msg === 'handler answered outside the contract')).toBe(true);
  });

  it('answers "unavailable" after the store was closed', async () => {
    const { call, store } = setup();
    store.close();
    expect(failure(await call('settings.get', { key: 'ui.language' })).code).toBe('unavailable');
  });

  it('stores settings and pushes settings.changed to every listener, even if one of them fails', async () => {
    const { router, call } = setup();
    const seen: unknown[] = [];
    router.onPush(() => {
      throw new Error('window gone');
    });
    const stop = router.onPush((event, payload) => seen.push({ event, payload }));

    expect(await call('settings.set', { key: 'wall.layout', value: { columns: 5 } })).toEqual({ ok: true, value: {} });
    expect(await call('settings.get', { key: 'wall.layout' })).toEqual({ ok: true, value: { value: { columns: 5 } } });
    expect(await call('settings.get', { key: 'never.set' })).toEqual({ ok: true, value: { value: null } });
    stop();
    await call('settings.set', { key: 'ui.language', value: 'ru' });

    expect(seen).toEqual([{ event: 'settings.changed', payload: { key: 'wall.layout' } }]);
  });

  it('refuses a setting value that is not bounded JSON', async () => {
    const { call } = setup();
    expect(failure(await call('settings.set', { key: 'wall.layout', value: 'x'.repeat(70_000) })).message).toContain('too large');
    expect(failure(await call('settings.set', { key: '../etc', value: 1 })).code).toBe('bad_request');
  });

  it('keeps only a valid map tile server template (or none), and says why it refuses one', async () => {
    const { call } = setup();
    const refused = failure(await call('settings.set', { key: 'map.tileServer', value: 'ftp://tiles/{z}/{x}/{y}.png' }));
    expect(refused).toMatchObject({ code: 'bad_request' });
    expect(refused.message).toContain('http or https');
    expect(await call('settings.get', { key: 'map.tileServer' })).toEqual({ ok: true, value: { value: null } });
    expect(await call('settings.set', { key: 'map.tileServer', value: 'http://127.0.0.1:9/{z}/{x}/{y}.png' })).toEqual({ ok: true, value: {} });
    expect(await call('settings.set', { key: 'map.tileServer', value: null })).toEqual({ ok: true, value: {} });
    expect(await call('settings.get', { key: 'map.tileServer' })).toEqual({ ok: true, value: { value: null } });
  });
});
