import { describe, expect, it } from 'vitest';
import { tempFolder } from '../testing';
import { openStore } from './index';

const K1 = '00000000-0000-4000-8000-000000000001';
const K2 = '00000000-0000-4000-8000-000000000002';

describe('outbox', () => {
  it('keeps commands in order, once per key, across a reopen, until the backend answers', () => {
    const { file } = tempFolder();
    let store = openStore(file);
    expect(store.outbox.add({ idempotencyKey: K1, stream: 's', kind: 'alert.claim', alertId: 'A', command: '{"kind":"alert.claim"}', operator: 'op' })).toEqual({ waiting: 1 });
    expect(store.outbox.add({ idempotencyKey: K1, stream: 's', kind: 'alert.claim', alertId: 'A', command: '{"kind":"alert.claim"}', operator: 'op' })).toEqual({ waiting: 1 });
    store.outbox.add({ idempotencyKey: K2, stream: 's', kind: 'alert.acknowledge', alertId: 'A', command: '{"kind":"alert.acknowledge"}', operator: 'op' });
    store.outbox.attempted(K1, 'timeout');
    store.close();

    store = openStore(file);
    expect(store.outbox.list('s').map((i) => [i.idempotencyKey, i.attempts, i.lastError])).toEqual([
      [K1, 1, 'timeout'],
      [K2, 0, null],
    ]);
    expect(store.outbox.list('other')).toEqual([]);
    expect(store.outbox.remove('s', K1)).toEqual({ waiting: 1 });
    expect(store.outbox.remove('s', K1)).toEqual({ waiting: 1 });
    store.close();
  });
});
