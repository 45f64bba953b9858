/**
 * A TCP fault proxy on loopback for chaos tests: forwards every connection to a target port, and on
 * demand breaks the link.
 *
 *   const proxy = await startFaultProxy(targetPort);   proxy.url
 *   await proxy.fault('reset', 5000);  // kill every connection, refuse new ones for 5 s
 *   await proxy.fault('stall', 1000);  // hold all bytes for 1 s (a frozen network), then deliver
 *   proxy.heal();                      // end a running reset now: new connections are accepted
 *   await proxy.close();
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export type FaultKind = 'reset' | 'stall';

export interface FaultProxy {
  url: string;
  port: number;
  /** Connections accepted so far and faults applied, for the report. */
  stats: { connections: number; resets: number; stalls: number };
  fault(kind: FaultKind, ms: number): Promise<void>;
  /** Ends a reset early (its fault() promise still resolves at its own time). */
  heal(): void;
  close(): Promise<void>;
}

export async function startFaultProxy(targetPort: number): Promise<FaultProxy> {
  const pairs = new Set<{ client: Socket; upstream: Socket }>();
  const stats = { connections: 0, resets: 0, stalls: 0 };
  let refuseUntil = 0;
  let stalled = false;

  const server: Server = createServer((client) => {
    if (Date.now() < refuseUntil) {
      client.destroy();
      return;
    }
    stats.connections++;
    const upstream = connect(targetPort, '127.0.0.1');
    const pair = { client, upstream };
    pairs.add(pair);
    if (stalled) {
      client.pause();
      upstream.pause();
    }
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stats,
    heal() {
      refuseUntil = 0;
    },
    async fault(kind, ms) {
      if (kind === 'reset') {
        stats.resets++;
        refuseUntil = Date.now() + ms;
        for (const p of pairs) {
          p.client.resetAndDestroy();
          p.upstream.destroy();
        }
        await sleep(ms);
        return;
      }
      stats.stalls++;
      stalled = true;
      for (const p of pairs) {
        p.client.pause();
        p.upstream.pause();
      }
      await sleep(ms);
      stalled = false;
      for (const p of pairs) {
        p.client.resume();
        p.upstream.resume();
      }
    },
    async close() {
      for (const p of pairs) {
        p.client.destroy();
        p.upstream.destroy();
      }
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((ok) => setTimeout(ok, ms));
}
