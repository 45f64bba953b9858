/**
 * WS-Discovery of ONVIF devices: multicast probes on each IPv4 interface (sent more than once, UDP
 * loses packets), a bounded and paced unicast probe over an address range the operator gives
 * (cameras on other subnets, where multicast does not reach), and optional listening for Hello/Bye.
 *
 *   const run = startDiscovery({ range: '10.2.0.0/24', onProgress, onDevice });
 *   run.cancel();                      // or pass `signal`
 *   const { devices, rejected } = await run.done;
 *
 * The `onvif` package's own Discovery is not used: it is a process-wide emitter, probes once on one
 * interface, and throws from a timer on a reply without XAddrs. Replies here are parsed with
 * parseUntrustedXml and every oddity becomes a warning on the device or a counted rejection.
 */
import { randomUUID } from 'node:crypto';
import dgram, { type RemoteInfo, type Socket } from 'node:dgram';
import { networkInterfaces } from 'node:os';
import { DiscoveredDevice } from '../../shared/devices';
import { createLogger } from '../../shared/log';
import { children, descendants, firstText, parseUntrustedXml, XmlRejected, type XmlNode } from './safe-xml';

const log = createLogger('discovery');

export const WSD_GROUP = '239.255.255.250';
export const WSD_PORT = 3702;
/** Largest range a unicast sweep accepts (a /22). */
export const MAX_RANGE_HOSTS = 1024;

export interface DiscoveryProgress {
  phase: 'multicast' | 'unicast' | 'listening' | 'done' | 'cancelled';
  probesSent: number;
  /** Unicast addresses probed so far / in all. */
  swept: number;
  sweepTotal: number;
  found: number;
  rejected: number;
}

export interface DiscoveryOptions {
  /** Interface names to probe on; all non-internal IPv4 interfaces when omitted. */
  interfaces?: string[];
  /** Send multicast probes (default true). */
  multicast?: boolean;
  /** IPv4 CIDR to sweep with unicast probes, e.g. 10.2.0.0/24. */
  range?: string;
  /** Multicast probes per interface (default 3) and their spacing (default 400 ms). */
  repeats?: number;
  repeatIntervalMs?: number;
  /** How long to listen after the last probe (default 2500 ms). */
  waitMs?: number;
  /** Unicast probes per second (default 100). */
  ratePerSecond?: number;
  /** Keep listening for Hello/Bye until cancelled (binds UDP 3702). */
  listen?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: DiscoveryProgress) => void;
  onDevice?: (d: DiscoveredDevice) => void;
}

export interface DiscoveryRun {
  cancel(): void;
  done: Promise<{ devices: DiscoveredDevice[]; rejected: { from: string; reason: string }[]; errors: string[] }>;
}

export function probeMessage(messageId: string): Buffer {
  return Buffer.from(
    '<?xml version="1.0" encoding="UTF-8"?>' +
      '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" ' +
      'xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl">' +
      `<s:Header><a:MessageID>${messageId}</a:MessageID><a:To s:mustUnderstand="1">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To>` +
      '<a:Action s:mustUnderstand="1">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action></s:Header>' +
      '<s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body></s:Envelope>',
  );
}

/** IPv4 hosts of a CIDR (network and broadcast excluded for prefixes under /31). Throws on bad input. */
export function expandCidr(cidr: string, max = MAX_RANGE_HOSTS): string[] {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
  if (!m) throw new Error(`not an IPv4 CIDR range: ${cidr}`);
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) throw new Error(`not an IPv4 CIDR range: ${cidr}`);
  const size = 2 ** (32 - prefix);
  const usable = prefix >= 31 ? size : size - 2;
  if (usable > max) throw new Error(`range ${cidr} has ${usable} addresses; at most ${max} are probed (narrow it to /${32 - Math.floor(Math.log2(max))} or smaller)`);
  const base = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  const network = (base & (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0)) >>> 0;
  const hosts: string[] = [];
  const first = prefix >= 31 ? 0 : 1;
  for (let i = first; i < first + usable; i++) {
    const a = (network + i) >>> 0;
    hosts.push(`${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`);
  }
  return hosts;
}

export interface ParsedAnnouncement {
  kind: 'ProbeMatches' | 'Hello' | 'Bye';
  relatesTo: string;
  matches: { endpoint: string; types: string[]; scopes: string[]; xaddrs: string[]; warnings: string[] }[];
}

/** Parse one WS-Discovery datagram. Throws XmlRejected on anything that is not a usable message. */
export function parseDiscoveryMessage(text: string): ParsedAnnouncement {
  const doc = parseUntrustedXml(text);
  const body = children(children(doc, 'Envelope')[0], 'Body')[0];
  if (!body) throw new XmlRejected('no SOAP body');
  const relatesTo = firstText(children(children(doc, 'Envelope')[0], 'Header')[0], 'RelatesTo', 200);
  let kind: ParsedAnnouncement['kind'];
  let items: XmlNode[];
  if (children(body, 'ProbeMatches').length) {
    kind = 'ProbeMatches';
    items = descendants(children(body, 'ProbeMatches')[0], 'ProbeMatch', 2, 16);
  } else if (children(body, 'Hello').length) {
    kind = 'Hello';
    items = children(body, 'Hello').slice(0, 1);
  } else if (children(body, 'Bye').length) {
    kind = 'Bye';
    items = children(body, 'Bye').slice(0, 1);
  } else {
    throw new XmlRejected('neither ProbeMatches, Hello nor Bye');
  }
  const matches = items.map((item) => {
    const warnings: string[] = [];
    const endpoint = firstText(item, 'Address', 200);
    const xaddrsText = firstText(item, 'XAddrs', 4096);
    const xaddrs: string[] = [];
    for (const token of xaddrsText.split(/\s+/).filter(Boolean).slice(0, 16)) {
      try {
        const u = new URL(token);
        if (u.protocol === 'http:' || u.protocol === 'https:') xaddrs.push(u.toString());
        else warnings.push(`XAddr with scheme ${u.protocol} ignored`);
      } catch {
        warnings.push('an XAddr is not a URL');
      }
    }
    if (kind !== 'Bye' && xaddrs.length === 0) warnings.push('no XAddrs (device address unknown; it may be resolved by probing its IP)');
    return {
      endpoint,
      types: firstText(item, 'Types', 1024).split(/\s+/).filter(Boolean).slice(0, 16),
      scopes: firstText(item, 'Scopes', 8192).split(/\s+/).filter(Boolean).slice(0, 64).map((s) => s.slice(0, 512)),
      xaddrs,
      warnings,
    };
  });
  return { kind, relatesTo, matches };
}

/**
 * The devices heard, keyed by endpoint UUID and by address. One UUID from two addresses (a cloned
 * firmware image, a spoofer) gives two entries, each warned about the other.
 */
export class DeviceRegistry {
  private readonly byKey = new Map<string, DiscoveredDevice>();
  private readonly keysByUuid = new Map<string, Set<string>>();
  private readonly keysByAddress = new Map<string, Set<string>>();

  list(): DiscoveredDevice[] {
    return [...this.byKey.values()];
  }

  byAddress(address: string): DiscoveredDevice[] {
    return [...(this.keysByAddress.get(address) ?? [])].map((k) => this.byKey.get(k)!).filter(Boolean);
  }

  /** Returns the device entry when it is new or changed. */
  record(
    match: ParsedAnnouncement['matches'][number],
    from: string,
    via: DiscoveredDevice['via'],
    now = new Date().toISOString(),
  ): DiscoveredDevice | null {
    const uuid = match.endpoint || `addr:${from}`;
    const key = `${uuid}@${from}`;
    const warnings = [...match.warnings];
    if (!match.endpoint) warnings.push('no endpoint reference; identified by address');
    for (const x of match.xaddrs) {
      const host = new URL(x).hostname;
      if (host !== from) warnings.push(`XAddrs name ${host} but the reply came from ${from}`);
    }
    const existing = this.byKey.get(key);
    if (existing) {
      const changed = JSON.stringify(existing.xaddrs) !== JSON.stringify(match.xaddrs) || existing.gone;
      existing.lastSeen = now;
      existing.gone = false;
      if (match.xaddrs.length) existing.xaddrs = match.xaddrs;
      return changed ? existing : null;
    }
    const sameUuid = this.keysByUuid.get(uuid) ?? new Set<string>();
    for (const other of sameUuid) {
      const o = this.byKey.get(other)!;
      warnings.push(`the same UUID also answered from ${o.address}`);
      o.warnings = dedupe([...o.warnings, `the same UUID also answered from ${from}`]);
    }
    const device = DiscoveredDevice.parse({
      id: uuid,
      address: from,
      xaddrs: match.xaddrs,
      scopes: match.scopes,
      types: match.types,
      warnings: dedupe(warnings).slice(0, 16),
      via,
      firstSeen: now,
      lastSeen: now,
      gone: false,
    });
    this.byKey.set(key, device);
    sameUuid.add(key);
    this.keysByUuid.set(uuid, sameUuid);
    const atAddress = this.keysByAddress.get(from) ?? new Set<string>();
    atAddress.add(key);
    this.keysByAddress.set(from, atAddress);
    return device;
  }

  bye(uuid: string): DiscoveredDevice[] {
    const gone = [...(this.keysByUuid.get(uuid) ?? [])].map((k) => this.byKey.get(k)!).filter(Boolean);
    for (const d of gone) d.gone = true;
    return gone;
  }
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}

/** Non-internal IPv4 interface addresses, optionally only the named interfaces. */
export function ipv4Interfaces(names?: string[]): { name: string; address: string }[] {
  const out: { name: string; address: string }[] = [];
  for (const [name, addrs] of Object.entries(networkInterfaces())) {
    if (names && !names.includes(name)) continue;
    for (const a of addrs ?? []) {
      if (a.family === 'IPv4' && !a.internal) out.push({ name, address: a.address });
    }
  }
  return out;
}

export function startDiscovery(options: DiscoveryOptions = {}): DiscoveryRun {
  const repeats = Math.max(1, Math.min(options.repeats ?? 3, 10));
  const interval = options.repeatIntervalMs ?? 400;
  const waitMs = options.waitMs ?? 2_500;
  const rate = Math.max(1, Math.min(options.ratePerSecond ?? 100, 1000));
  const registry = new DeviceRegistry();
  const messageIds = new Set<string>();
  const rejected: { from: string; reason: string }[] = [];
  const errors: string[] = [];
  const sockets: Socket[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const controller = new AbortController();
  const signal = controller.signal;
  options.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  if (options.signal?.aborted) controller.abort();

  const progress: DiscoveryProgress = { phase: 'multicast', probesSent: 0, swept: 0, sweepTotal: 0, found: 0, rejected: 0 };
  const report = () => {
    try {
      options.onProgress?.({ ...progress });
    } catch (e) {
      log.warn('progress listener threw', { error: String(e) });
    }
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
      signal.addEventListener('abort', () => {
        clearTimeout(t);
        timers.delete(t);
        resolve();
      }, { once: true });
    });

  const onMessage = (via: DiscoveredDevice['via']) => (msg: Buffer, rinfo: RemoteInfo) => {
    const from = rinfo.address;
    let parsed: ParsedAnnouncement;
    try {
      if (msg.length > 64 * 1024) throw new XmlRejected('datagram too large');
      parsed = parseDiscoveryMessage(msg.toString('utf8'));
    } catch (e) {
      // Our own multicast probes come back to the Hello listener: not a rejection.
      if (via === 'hello' && /<(?:\w+:)?Probe[\s>]/.test(msg.toString('utf8', 0, 4096))) return;
      if (rejected.length < 1000) rejected.push({ from, reason: e instanceof Error ? e.message : String(e) });
      progress.rejected++;
      report();
      return;
    }
    if (parsed.kind === 'ProbeMatches' && via !== 'hello' && !messageIds.has(parsed.relatesTo)) {
      rejected.push({ from, reason: 'ProbeMatches not relating to any probe of ours' });
      progress.rejected++;
      report();
      return;
    }
    if (parsed.kind === 'Bye') {
      for (const m of parsed.matches) for (const d of registry.bye(m.endpoint)) emit(d);
      return;
    }
    if (parsed.kind === 'ProbeMatches' && via === 'hello') return;
    for (const m of parsed.matches) {
      const d = registry.record(m, from, parsed.kind === 'Hello' ? 'hello' : via);
      if (d) emit(d);
    }
  };

  const emit = (d: DiscoveredDevice) => {
    progress.found = registry.list().length;
    try {
      options.onDevice?.({ ...d, warnings: [...d.warnings] });
    } catch (e) {
      log.warn('device listener threw', { error: String(e) });
    }
    report();
  };

  const openSocket = (address: string, port: number, via: DiscoveredDevice['via']): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const s = dgram.createSocket({ type: 'udp4', reuseAddr: port === WSD_PORT });
      // Always attached: an unhandled 'error' on a dgram socket would end the process.
      s.on('error', (e) => {
        errors.push(`${address}:${port}: ${e.message}`);
        log.warn('discovery socket error', { address, port, error: e.message });
      });
      s.on('message', onMessage(via));
      s.once('listening', () => resolve(s));
      try {
        s.bind({ address, port, exclusive: false }, () => undefined);
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      sockets.push(s);
      s.once('error', reject);
    });

  const send = (s: Socket, buf: Buffer, port: number, host: string) =>
    new Promise<void>((resolve) => {
      try {
        s.send(buf, port, host, (e) => {
          if (e) errors.push(`send to ${host}: ${e.message}`);
          resolve();
        });
      } catch (e) {
        errors.push(`send to ${host}: ${e instanceof Error ? e.message : String(e)}`);
        resolve();
      }
    });

  const run = async () => {
    let hosts: string[] = [];
    if (options.range) hosts = expandCidr(options.range);
    progress.sweepTotal = hosts.length;
    const interfaces = options.multicast === false && !options.listen ? [] : ipv4Interfaces(options.interfaces);
    if (options.interfaces?.length && interfaces.length === 0) errors.push(`no IPv4 address on interface ${options.interfaces.join(', ')}`);

    if (options.listen) {
      try {
        const listener = await openSocket('0.0.0.0', WSD_PORT, 'hello');
        for (const i of interfaces) {
          try {
            listener.addMembership(WSD_GROUP, i.address);
          } catch (e) {
            errors.push(`join ${WSD_GROUP} on ${i.name}: ${e instanceof Error ? e.message : String(e)}`);
          }
        }
      } catch (e) {
        errors.push(`cannot listen for Hello/Bye on UDP ${WSD_PORT}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }

    const probeSockets: Socket[] = [];
    for (const i of options.multicast === false ? [] : interfaces) {
      try {
        const s = await openSocket(i.address, 0, 'multicast');
        s.setMulticastInterface(i.address);
        s.setMulticastTTL(1);
        probeSockets.push(s);
      } catch (e) {
        errors.push(`interface ${i.name} (${i.address}): ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    report();
    for (let r = 0; r < repeats && !signal.aborted; r++) {
      // A fresh MessageID per round, as a repeated probe is a new message.
      const id = `urn:uuid:${randomUUID()}`;
      messageIds.add(id);
      const buf = probeMessage(id);
      await Promise.all(probeSockets.map((s) => send(s, buf, WSD_PORT, WSD_GROUP)));
      progress.probesSent += probeSockets.length;
      report();
      if (r < repeats - 1) await sleep(interval);
    }

    if (hosts.length && !signal.aborted) {
      progress.phase = 'unicast';
      const s = await openSocket('0.0.0.0', 0, 'unicast');
      const id = `urn:uuid:${randomUUID()}`;
      messageIds.add(id);
      const buf = probeMessage(id);
      const started = Date.now();
      for (let i = 0; i < hosts.length && !signal.aborted; i++) {
        await send(s, buf, WSD_PORT, hosts[i]!);
        progress.probesSent++;
        progress.swept = i + 1;
        if ((i + 1) % 16 === 0 || i === hosts.length - 1) report();
        // Paced: probe i+1 goes out no earlier than (i+1)/rate seconds after the start.
        const due = started + ((i + 1) * 1000) / rate;
        if (due > Date.now()) await sleep(due - Date.now());
      }
      // A second pass over the silent addresses, as one datagram may be lost.
      if (!signal.aborted) {
        await sleep(Math.min(waitMs, 1000));
        const heard = new Set(registry.list().map((d) => d.address));
        for (const h of hosts) {
          if (signal.aborted) break;
          if (heard.has(h)) continue;
          await send(s, buf, WSD_PORT, h);
          progress.probesSent++;
          await sleep(1000 / rate);
        }
      }
    }

    if (!signal.aborted) await sleep(waitMs);
    if (options.listen && !signal.aborted) {
      progress.phase = 'listening';
      report();
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    }
  };

  const done = run()
    .catch((e: unknown) => {
      errors.push(e instanceof Error ? e.message : String(e));
    })
    .then(() => {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) {
        try {
          s.close();
        } catch {
          // already closed
        }
      }
      progress.phase = signal.aborted && !options.listen ? 'cancelled' : 'done';
      progress.found = registry.list().length;
      report();
      return { devices: registry.list(), rejected, errors };
    });

  return { cancel: () => controller.abort(), done };
}

/**
 * The device service address to talk to for a discovered device. An XAddr naming another host than
 * the one that answered is not followed (a spoofed reply would otherwise collect credentials): its
 * port and path are used on the answering address. Without XAddrs, the ONVIF default path is guessed.
 */
export function deviceServiceUrl(d: Pick<DiscoveredDevice, 'address' | 'xaddrs'>): { url: string; guessed: boolean } {
  const parsed = d.xaddrs.flatMap((x) => {
    try {
      return [new URL(x)];
    } catch {
      return [];
    }
  });
  const direct = parsed.find((u) => u.hostname === d.address && u.protocol === 'http:');
  if (direct) return { url: direct.toString(), guessed: false };
  const other = parsed.find((u) => u.protocol === 'http:');
  if (other) {
    other.hostname = d.address;
    return { url: other.toString(), guessed: true };
  }
  return { url: `http://${d.address}/onvif/device_service`, guessed: true };
}
