// Test support for the services' Vitest suites: real SQLite files in temp folders (removed after
// each test), events built the way the renderer builds them, and captured log records.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { getLogLevel, setLogLevel } from '../shared/log';
import { join } from 'node:path';
import { onTestFinished, vi } from 'vitest';
import type { JournalEntry } from '../shared/api';
import { classifyEvent } from '../shared/alerts';
import { openStore, type Store } from './store';

export const STREAM = 'city';
export const RECEIVED_AT = '2026-03-02T08:00:05.000Z';

/** A fresh folder for this test; removed (after closing what `open` opened) when the test ends. */
export function tempFolder(): { dir: string; file: string; open(file?: string): Store } {
  const dir = mkdtempSync(join(tmpdir(), 'kuzet-services-'));
  const stores: Store[] = [];
  onTestFinished(() => {
    for (const s of stores) s.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const file = join(dir, 'kuzet.db');
  return {
    dir,
    file,
    open(f = file) {
      const store = openStore(f);
      stores.push(store);
      return store;
    },
  };
}

export interface EventOptions {
  stream?: string;
  id?: string;
  type?: string;
  v?: number;
  ts?: string;
  schoolId?: string;
  payload?: unknown;
}

/** A raw event as the backend sends it: an alert.raised v1 unless told otherwise. */
export function rawEvent(seq: number, o: EventOptions = {}): Record<string, unknown> {
  const schoolId = o.schoolId ?? 'school-7';
  return {
    id: o.id ?? `ev-${seq}`,
    stream: o.stream ?? STREAM,
    seq,
    ts: o.ts ?? new Date(Date.parse(RECEIVED_AT) - 5000 + seq).toISOString(),
    type: o.type ?? 'alert.raised',
    v: o.v ?? 1,
    schoolId,
    payload: o.payload ?? { alertId: `alert-${seq}`, alertType: 'intrusion', schoolId, cameraIds: [], title: `Intruder at gate ${seq}` },
  };
}

export function ackEvent(seq: number, alertId: string, o: EventOptions = {}): Record<string, unknown> {
  return rawEvent(seq, {
    type: 'alert.acknowledged',
    payload: { alertId, by: { id: 'op-1', name: 'Aigerim' }, commandId: `cmd-${seq}` },
    ...o,
  });
}

/** Classifies like the renderer does before journaling. */
export function entry(raw: unknown): JournalEntry {
  const c = classifyEvent(raw);
  if (c.kind === 'malformed') throw new Error(`test event is malformed: ${c.reason}`);
  return c.reason === undefined ? { event: c.event, status: c.kind } : { event: c.event, status: c.kind, reason: c.reason };
}

export function entries(raws: readonly unknown[]): JournalEntry[] {
  return raws.map(entry);
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

export interface LogRecord {
  level: string;
  component: string;
  msg: string;
  [field: string]: unknown;
}

/** Keeps the logger's output out of the test report and lets a test assert what was logged. */
export function captureLogs(): LogRecord[] {
  const records: LogRecord[] = [];
  const keep = (line: unknown) => {
    records.push(JSON.parse(String(line)) as LogRecord);
  };
  const spies = (['log', 'warn', 'error'] as const).map((m) => vi.spyOn(console, m).mockImplementation(keep));
  const before = getLogLevel();
  setLogLevel('debug');
  onTestFinished(() => {
    setLogLevel(before);
    spies.forEach((s) => s.mockRestore());
  });
  return records;
}

/** Polls `fn` until it returns something truthy; fails naming `what` after `timeoutMs`. */
export async function until<T>(what: string, fn: () => T | undefined | null | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
