// Processes of a benchmark's browser, read from /proc (Linux): which Chromium processes this
// benchmark started, their CPU ticks and their proportional set size (PSS).
import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ on Linux). */
export const HZ = 100;

function children(): Map<number, number> {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(d), ppid);
    } catch {
      // gone
    }
  }
  return parent;
}

/** Chromium processes started by this benchmark (descendants of this process, by name). */
export function browserPids(): number[] {
  const parent = children();
  const out: number[] = [];
  for (const pid of parent.keys()) {
    let p: number | undefined = pid;
    let depth = 0;
    while (p && p !== process.pid && depth++ < 20) p = parent.get(p);
    if (p !== process.pid) continue;
    try {
      if (/chrom/i.test(readFileSync(`/proc/${pid}/comm`, 'utf8'))) out.push(pid);
    } catch {
      // gone
    }
  }
  return out;
}

export function cpuTicks(pids: number[]): number {
  let t = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      t += Number(f[11]) + Number(f[12]);
    } catch {
      // exited during the run
    }
  }
  return t;
}

export function pssKb(pids: number[]): number {
  let kb = 0;
  for (const pid of pids) {
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch {
      // exited
    }
  }
  return kb;
}
