import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ackEvent, entries, RECEIVED_AT, rawEvent, STREAM, tempFolder } from '../testing';
import { LATEST_VERSION, openStore, StoreOpenError } from './index';
import { rawDatabase } from './migrations/schema-helpers';

const KEY_1 = '6f1c1f7e-3b7a-4f5e-9d7e-2a0c1b9e8d01';
const KEY_2 = '6f1c1f7e-3b7a-4f5e-9d7e-2a0c1b9e8d02';

function openError(file: string): StoreOpenError {
  try {
    openStore(file).close();
  } catch (e) {
    if (e instanceof StoreOpenError) return e;
    throw e;
  }
  throw new Error('openStore succeeded');
}

describe('local store', () => {
  it('keeps journal, cursor, alerts, audit log and settings across a restart', () => {
    const folder = tempFolder();
    const first = folder.open();
    first.journal.append(STREAM, RECEIVED_AT, entries([rawEvent(1), ackEvent(2, 'alert-1'), rawEvent(3), rawEvent(5)]));
    first.journal.recordMalformed(STREAM, 'not JSON', '{{');
    first.actions.record({ idempotencyKey: KEY_1, kind: 'alert.acknowledge', alertId: 'alert-1', operator: 'op-1', status: 'accepted', via: 'ipc:wc1' });
    first.settings.set('wall.layout', { columns: 5, cameras: ['cam-1', 'cam-2'] });
    const queue = first.alerts.list(STREAM);
    first.close();

    const again = folder.open();
    expect(again.journal.cursor(STREAM)).toEqual({ lastContiguousSeq: 3, rejectedCount: 1, duplicateCount: 0 });
    expect(again.journal.read(STREAM).map((e) => e.seq)).toEqual([1, 2, 3, 5]);
    expect(again.alerts.list(STREAM)).toEqual(queue);
    expect(queue.find((a) => a.id === 'alert-1')?.status).toBe('acknowledged');
    expect(again.actions.get(KEY_1)).toMatchObject({ status: 'accepted', alertId: 'alert-1', operator: 'op-1' });
    expect(again.settings.get('wall.layout')).toEqual({ columns: 5, cameras: ['cam-1', 'cam-2'] });
    // Contiguity resumes where it stopped: the missing 4 closes the gap up to 5.
    expect(again.journal.append(STREAM, RECEIVED_AT, entries([rawEvent(4)])).lastContiguousSeq).toBe(5);
  });

  it('creates a current-schema database in WAL mode (openStore itself verifies synchronous=FULL)', () => {
    const store = tempFolder().open();
    expect(store.schemaVersion).toBe(LATEST_VERSION);
    const probe = rawDatabase(store.file);
    expect(probe.pragma('journal_mode', { simple: true })).toBe('wal');
    probe.close();
  });

  it('refuses a database written by a newer Kuzet and leaves the file untouched', () => {
    const folder = tempFolder();
    const db = rawDatabase(folder.file);
    db.pragma('user_version = 99');
    db.close();
    const before = readFileSync(folder.file);

    const e = openError(folder.file);

    expect(e.code).toBe('newer_schema');
    expect(e.message).toContain(folder.file);
    expect(e.message).toMatch(/schema 99; this version knows up to \d+/);
    expect(readFileSync(folder.file).equals(before)).toBe(true);
  });

  it('names a file that is not a database and keeps it', () => {
    const folder = tempFolder();
    const junk = 'operator notes, not a database\n'.repeat(100);
    writeFileSync(folder.file, junk);

    const e = openError(folder.file);

    expect(e.code).toBe('not_a_database');
    expect(e.message).toContain(folder.file);
    expect(e.message).toMatch(/left untouched/);
    expect(readFileSync(folder.file, 'utf8')).toBe(junk);
  });

  it('names the file when its folder does not exist', () => {
    const file = join(tempFolder().dir, 'missing', 'kuzet.db');
    const e = openError(file);
    expect(e.code).toBe('cannot_open');
    expect(e.message).toContain(file);
  });

  it('answers "unavailable" once closed instead of failing obscurely', () => {
    const store = tempFolder().open();
    store.close();
    store.close();
    expect(() => store.alerts.list(STREAM)).toThrow(expect.objectContaining({ code: 'unavailable' }));
  });
});

describe('operator audit log', () => {
  it('moves one entry from pending to accepted when the same key is recorded again', () => {
    const store = tempFolder().open();
    const action = { idempotencyKey: KEY_1, kind: 'alert.acknowledge', alertId: 'alert-1', operator: 'op-1', via: 'ipc:wc1' };
    const pending = store.actions.record({ ...action, status: 'pending' });
    const accepted = store.actions.record({ ...action, status: 'accepted' });

    expect(store.actions.list()).toHaveLength(1);
    expect(accepted).toMatchObject({ status: 'accepted', createdAt: pending.createdAt });
    // A retried send re-records pending: the backend's answer stays.
    expect(store.actions.record({ ...action, status: 'pending' }).status).toBe('accepted');
    expect(store.actions.get(KEY_1)?.status).toBe('accepted');
  });

  it('keeps the backend\'s reason for a rejection', () => {
    const store = tempFolder().open();
    const action = { idempotencyKey: KEY_2, kind: 'alert.acknowledge', alertId: 'alert-2', operator: 'op-1', via: 'ws:10.0.0.5' };
    store.actions.record({ ...action, status: 'pending' });
    store.actions.record({ ...action, status: 'rejected', reason: 'already acknowledged by another operator' });
    expect(store.actions.list({ alertId: 'alert-2' })).toEqual([
      expect.objectContaining({ status: 'rejected', reason: 'already acknowledged by another operator', via: 'ws:10.0.0.5' }),
    ]);
  });

  it('refuses to reuse a key for a different action, so no audit entry is overwritten', () => {
    const store = tempFolder().open();
    store.actions.record({ idempotencyKey: KEY_1, kind: 'alert.acknowledge', alertId: 'alert-1', operator: 'op-1', status: 'accepted', via: 'ipc:wc1' });
    expect(() =>
      store.actions.record({ idempotencyKey: KEY_1, kind: 'alert.acknowledge', alertId: 'alert-9', operator: 'op-1', status: 'pending', via: 'ipc:wc1' }),
    ).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(store.actions.get(KEY_1)?.alertId).toBe('alert-1');
  });
});

describe('alert actions of this console, read back after a reload', () => {
  it('gives the muted alerts and the SOP steps ticked and not unticked since, across a reopen', () => {
    const folder = tempFolder();
    const first = folder.open();
    let n = 0;
    const local = (kind: string, alertId: string, reason?: string) =>
      first.actions.record({ idempotencyKey: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`, kind, alertId, operator: 'op-1', status: 'accepted', via: 'ws:test', ...(reason ? { reason } : {}) });
    local('alert.mute', 'A1');
    local('sop.step.done', 'A1', 'verifyVideo');
    local('sop.step.done', 'A1', 'callPolice');
    local('sop.step.undone', 'A1', 'callPolice');
    local('sop.step.done', 'A2', 'record');
    // A backend command on the alert is not a local action.
    local('alert.acknowledge', 'A3');
    first.close();
    const again = folder.open();
    const state = again.actions.localAlertState();
    expect(state.muted).toEqual(['A1']);
    expect(state.steps).toEqual([
      { alertId: 'A1', step: 'verifyVideo' },
      { alertId: 'A2', step: 'record' },
    ]);
    again.close();
  });
});

describe('settings', () => {
  it('stores JSON values by key and replaces them whole', () => {
    const store = tempFolder().open();
    expect(store.settings.get('wall.layout')).toBeNull();
    store.settings.set('wall.layout', { columns: 5 });
    store.settings.set('wall.layout', { columns: 6, muted: true });
    store.settings.set('ui.language', 'kk');
    expect(store.settings.get('wall.layout')).toEqual({ columns: 6, muted: true });
    expect(store.settings.get('ui.language')).toBe('kk');
    expect(store.settings.keys()).toEqual(['ui.language', 'wall.layout']);
  });
});
