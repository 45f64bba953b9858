// Child process of journal-crash.test.ts: journals batches of alert events (raise, every third one
// acknowledged) into the store given as argv[2], continuing from its cursor, and prints
// "ACK <seq>" after each append returned, until it is killed.
import { openStore } from './index';

const file = process.argv[2]!;
const store = openStore(file);
const stream = 'city';
let seq = store.journal.cursor(stream).lastContiguousSeq;
const receivedAt = new Date().toISOString();
for (;;) {
  const entries = [];
  for (let i = 0; i < 50; i++) {
    seq++;
    const n = seq;
    const alertId = `A${Math.ceil(n / 2)}`;
    const event =
      n % 2 === 1
        ? { id: `e${n}`, stream, seq: n, ts: receivedAt, type: 'alert.raised', v: 1, payload: { alertId, alertType: 'fight', schoolId: 'S1', cameraIds: [], title: `fight ${n}` } }
        : { id: `e${n}`, stream, seq: n, ts: receivedAt, type: 'alert.acknowledged', v: 1, payload: { alertId, by: { id: 'op', name: 'Op' }, commandId: `c${n}` } };
    entries.push({ event, status: 'ok' as const });
  }
  const res = store.journal.append(stream, receivedAt, entries);
  process.stdout.write(`ACK ${res.lastContiguousSeq}\n`);
}
