// npm run bench:journal — journal throughput: batches of 2,000 events into a real SQLite file with
// synchronous=FULL, through the store and through the router (input + output validation).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classifyEvent } from '../src/shared/alerts';
import type { JournalEntry } from '../src/shared/api';
import { createServices } from '../src/services/services';

const BATCH = 2000;
const BATCHES = 10;
const stream = 'bench/city';

function batch(from: number): JournalEntry[] {
  const out: JournalEntry[] = [];
  for (let seq = from; seq < from + BATCH; seq++) {
    const c = classifyEvent({
      id: `ev-${seq}`,
      stream,
      seq,
      ts: new Date().toISOString(),
      type: 'alert.raised',
      v: 1,
      schoolId: 'S001',
      payload: { alertId: `a-${seq}`, alertType: 'intrusion', schoolId: 'S001', cameraIds: ['C1'], title: `Intrusion ${seq}` },
    });
    if (c.kind === 'malformed') throw new Error(c.reason);
    out.push({ event: c.event, status: c.kind });
  }
  return out;
}

async function run(label: string, viaRouter: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'kuzet-bench-'));
  const s = createServices({ dataDir: dir, host: 'web', backendUrl: 'http://127.0.0.1:9', embedded: false, version: 'bench' });
  const times: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const entries = batch(b * BATCH + 1);
    const receivedAt = new Date().toISOString();
    const t = performance.now();
    if (viaRouter) {
      const r = await s.router.call('journal.append', { stream, receivedAt, entries }, { transport: 'test', peer: 'bench' });
      if (!r.ok) throw new Error(r.error.message);
    } else {
      s.store.journal.append(stream, receivedAt, entries);
    }
    times.push(performance.now() - t);
  }
  s.close();
  rmSync(dir, { recursive: true, force: true });
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  console.log(`${label.padEnd(28)} median ${median.toFixed(1)} ms / ${BATCH} events = ${Math.round((BATCH / median) * 1000)} events/s (max ${times.at(-1)!.toFixed(1)} ms)`);
}

await run('store.journal.append', false);
await run('router journal.append', true);
