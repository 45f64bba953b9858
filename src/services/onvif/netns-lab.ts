/**
 * Test support: a small routed network of Linux network namespaces, so discovery can multicast and
 * sweep without a single packet leaving the machine's own namespace.
 *
 *   const lab = NetLab.create();            // null + reason when `ip netns add` is not permitted
 *   lab.router({ a: '10.77.1.1/24', b: '10.77.2.1/24' });
 *   const cam = lab.host('a', '10.77.1.11');
 *   await lab.spawn(cam, [process.execPath, ...]);
 *   lab.close();                              // kills what it spawned, deletes the namespaces
 *
 * Names carry the prefix `kzd` and the test process id; leftovers of dead processes are removed
 * by NetLab.create(). Needs root (or CAP_NET_ADMIN + CAP_SYS_ADMIN) and iproute2.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

const PREFIX = 'kzd';

function ip(args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Why namespaces cannot be used here, or null when they can. */
export function netnsUnavailable(): string | null {
  if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`;
  const probe = `${PREFIX}probe${process.pid}`;
  try {
    ip(['netns', 'add', probe]);
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr?.trim();
    return `\`ip netns add\` is not permitted here (${stderr || (e as Error).message})`;
  } finally {
    try {
      ip(['netns', 'del', probe]);
    } catch {
      // was never created
    }
  }
  return null;
}

/** Deletes namespaces left by test processes that are no longer running. */
export function removeLeftovers(): void {
  let names: string[] = [];
  try {
    names = ip(['netns', 'list']).split('\n').map((l) => l.split(' ')[0]!).filter((n) => n.startsWith(PREFIX));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^kzd(?:probe)?(\d+)/.exec(name)?.[1]);
    if (pid && pid !== process.pid && isAlive(pid)) continue;
    if (pid === process.pid) continue;
    try {
      for (const p of ip(['netns', 'pids', name]).split('\n').filter(Boolean)) process.kill(Number(p), 'SIGKILL');
    } catch {
      // nothing running there
    }
    try {
      ip(['netns', 'del', name]);
    } catch {
      // already gone
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export class NetLab {
  private readonly id = `${PREFIX}${process.pid}`;
  private readonly namespaces: string[] = [];
  private readonly children: ChildProcess[] = [];
  private routerNs = '';
  private readonly lans = new Map<string, { bridge: string; gateway: string; prefix: number }>();
  private links = 0;

  static create(): NetLab | { unavailable: string } {
    const reason = netnsUnavailable();
    if (reason) return { unavailable: reason };
    removeLeftovers();
    return new NetLab();
  }

  private ns(suffix: string): string {
    const name = `${this.id}${suffix}`;
    ip(['netns', 'add', name]);
    this.namespaces.push(name);
    ip(['-n', name, 'link', 'set', 'lo', 'up']);
    return name;
  }

  /** A router namespace with one bridge per LAN, forwarding between them. */
  router(lans: Record<string, string>): string {
    this.routerNs = this.ns('r');
    execFileSync('ip', ['netns', 'exec', this.routerNs, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    for (const [lan, cidr] of Object.entries(lans)) {
      const bridge = `br${lan}`;
      ip(['-n', this.routerNs, 'link', 'add', bridge, 'type', 'bridge', 'mcast_snooping', '0']);
      ip(['-n', this.routerNs, 'addr', 'add', cidr, 'dev', bridge]);
      ip(['-n', this.routerNs, 'link', 'set', bridge, 'up']);
      const [gateway, prefix] = cidr.split('/') as [string, string];
      this.lans.set(lan, { bridge, gateway, prefix: Number(prefix) });
    }
    return this.routerNs;
  }

  /** A host namespace on a LAN with one address and a default route through the router. */
  host(lan: string, address: string): string {
    const l = this.lans.get(lan);
    if (!l) throw new Error(`no LAN ${lan}`);
    const n = this.links++;
    const name = this.ns(`h${n}`);
    const inside = `${this.id}i${n}`.slice(-15);
    const outside = `${this.id}o${n}`.slice(-15);
    ip(['link', 'add', inside, 'type', 'veth', 'peer', 'name', outside]);
    ip(['link', 'set', inside, 'netns', name]);
    ip(['link', 'set', outside, 'netns', this.routerNs]);
    ip(['-n', name, 'link', 'set', inside, 'name', 'eth0']);
    ip(['-n', name, 'addr', 'add', `${address}/${l.prefix}`, 'dev', 'eth0']);
    ip(['-n', name, 'link', 'set', 'eth0', 'up']);
    ip(['-n', name, 'route', 'add', 'default', 'via', l.gateway]);
    ip(['-n', this.routerNs, 'link', 'set', outside, 'master', l.bridge]);
    ip(['-n', this.routerNs, 'link', 'set', outside, 'up']);
    return name;
  }

  /** Starts a command inside a namespace; resolves with the first stdout line matching `ready`. */
  spawn(ns: string, argv: string[], ready: RegExp, timeoutMs = 20_000): Promise<{ child: ChildProcess; line: string }> {
    const child = spawn('ip', ['netns', 'exec', ns, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.push(child);
    return new Promise((resolve, reject) => {
      let out = '';
      let err = '';
      const timer = setTimeout(() => reject(new Error(`${argv.join(' ')} in ${ns} not ready after ${timeoutMs} ms: ${err.slice(-500)}`)), timeoutMs);
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const line = out.split('\n').find((l) => ready.test(l));
        if (line) {
          clearTimeout(timer);
          resolve({ child, line });
        }
      });
      child.stderr!.on('data', (c: Buffer) => {
        err += c.toString();
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${argv.join(' ')} in ${ns} exited with ${code}: ${err.slice(-500)}`));
      });
    });
  }

  /** Runs a command inside a namespace to completion. */
  run(ns: string, argv: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn('ip', ['netns', 'exec', ns, ...argv], { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env });
    this.children.push(child);
    return new Promise((resolve) => {
      let stdout = '';
      let stderr = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
      child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(opts.input ?? '');
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  }

  close(): void {
    for (const c of this.children) {
      if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    }
    for (const name of this.namespaces.reverse()) {
      try {
        for (const p of ip(['netns', 'pids', name]).split('\n').filter(Boolean)) process.kill(Number(p), 'SIGKILL');
      } catch {
        // nothing left there
      }
      try {
        ip(['netns', 'del', name]);
      } catch {
        // already gone
      }
    }
    this.namespaces.length = 0;
  }
}
