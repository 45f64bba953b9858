// Crash safety of the journal: a writer process is SIGKILLed at random points, many times, while it
// journals; afterwards the database passes integrity_check and every append the writer saw
// acknowledged is there (events, cursor and the alert projection).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../testing';
import { openStore } from './index';

const CHILD = join(import.meta.dirname, 'journal-crash.child.ts');
const KILLS = 12;

function runAndKill(file: string, afterMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let acked = 0;
    let err = '';
    let buf = '';
    let timer: ReturnType<typeof setTimeout> | null = null;
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) {
        const m = /^ACK (\d+)$/.exec(l);
        if (m) acked = Math.max(acked, Number(m[1]));
      }
      // The clock starts once the writer is writing: the kill lands inside the append loop.
      timer ??= setTimeout(() => child.kill('SIGKILL'), afterMs);
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`writer exited with ${code}: ${err}`));
      else resolve(acked);
    });
  });
}

describe('journal crash safety', () => {
  it(`keeps every acknowledged append across ${KILLS} SIGKILLs at random points`, { timeout: 120_000 }, async () => {
    const { file } = tempFolder();
    openStore(file).close();
    let maxAcked = 0;
    for (let i = 0; i < KILLS; i++) {
      const acked = await runAndKill(file, 20 + Math.floor(Math.random() * 300));
      maxAcked = Math.max(maxAcked, acked);
      const db = new Database(file, { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    }
    const store = openStore(file);
    try {
      const cursor = store.journal.cursor('city').lastContiguousSeq;
      expect(cursor).toBeGreaterThanOrEqual(maxAcked);
      const seqs = store.journal.read('city', { afterSeq: 0, limit: 1_000_000 }).map((e) => e.seq);
      // Contiguous from 1, no holes, no duplicates.
      expect(seqs.length).toBe(cursor);
      expect(seqs.every((s, i) => s === i + 1)).toBe(true);
      const alerts = store.alerts.list('city');
      expect(alerts.length).toBe(Math.ceil(cursor / 2));
      const acked = alerts.filter((a) => a.status === 'acknowledged').length;
      expect(acked).toBe(Math.floor(cursor / 2));
      process.stdout.write(`journal crash test: ${KILLS} kills, ${cursor} events journaled, ${maxAcked} acknowledged to the writer, all present\n`);
    } finally {
      store.close();
    }
  });
});
