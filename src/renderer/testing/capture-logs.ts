// Test helper: captures the shared logger's output (one JSON line per record) instead of letting
// expected warnings and errors clutter the test report, and lets tests assert on them.
import { vi } from 'vitest';
import { getLogLevel, setLogLevel } from '../../shared/log';

export interface LogRecord {
  level: string;
  component: string;
  msg: string;
  [field: string]: unknown;
}

export function captureLogs(): { records: LogRecord[]; restore(): void } {
  const records: LogRecord[] = [];
  // The test run logs errors only (vitest.config.ts); while capturing, everything is recorded.
  const previous = getLogLevel();
  setLogLevel('debug');
  const sink = (line: unknown) => {
    try {
      records.push(JSON.parse(String(line)) as LogRecord);
    } catch {
      records.push({ level: 'raw', component: '', msg: String(line) });
    }
  };
  const spies = (['log', 'warn', 'error'] as const).map((m) => vi.spyOn(console, m).mockImplementation(sink));
  return {
    records,
    restore: () => {
      spies.forEach((s) => s.mockRestore());
      setLogLevel(previous);
    },
  };
}
