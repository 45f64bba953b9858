/**
 * WS-Discovery target service of the emulator: answers Probe messages (multicast on
 * 239.255.255.250:3702 joined on one interface, or unicast) with a ProbeMatch built from the
 * recorded Probe.xml, and optionally announces itself with Hello and Bye.
 *
 * Run it only on loopback or inside a network namespace a test created.
 */
import { randomUUID } from 'node:crypto';
import dgram from 'node:dgram';

export const WSD_GROUP = '239.255.255.250';
export const WSD_PORT = 3702;

/**
 * - `no-xaddrs`: the ProbeMatch has no XAddrs element
 * - `bad-xml`: the reply is not XML
 * - `spoofed-xaddr`: XAddrs point at another host than the one sending the reply
 * - `entity-expansion`: a "billion laughs" reply
 */
export type DiscoveryQuirk = 'no-xaddrs' | 'bad-xml' | 'spoofed-xaddr' | 'entity-expansion';

export interface DiscoveryResponderOptions {
  interfaceAddress: string;
  uuid: string;
  xaddr: string;
  quirk?: DiscoveryQuirk;
  announce?: boolean;
  probeTemplate: string;
  port?: number;
}

export interface DiscoveryResponder {
  probesSeen: number;
  close(): Promise<void>;
}

export async function startDiscoveryResponder(o: DiscoveryResponderOptions): Promise<DiscoveryResponder> {
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  const state: DiscoveryResponder = { probesSeen: 0, close };
  socket.on('error', () => {
    // A test device: a socket error ends its discovery, never the process.
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    // On loopback bind to the one address (test files use 127.0.0.x of their own, so parallel files
    // never answer each other's probes); elsewhere the group membership needs the wildcard address.
    socket.bind(o.port ?? WSD_PORT, isLoopback(o.interfaceAddress) ? o.interfaceAddress : undefined, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  if (!isLoopback(o.interfaceAddress)) {
    socket.addMembership(WSD_GROUP, o.interfaceAddress);
    socket.setMulticastInterface(o.interfaceAddress);
  }
  let sequence = 1;

  socket.on('message', (msg, rinfo) => {
    const text = msg.toString('utf8');
    if (!/<(?:[\w-]+:)?Probe[\s>/]/.test(text)) return;
    const types = /<(?:[\w-]+:)?Types[^>]*>([^<]*)</.exec(text)?.[1] ?? '';
    if (types && !/NetworkVideoTransmitter|Device/.test(types)) return;
    state.probesSeen++;
    const messageId = /<(?:[\w-]+:)?MessageID[^>]*>([^<]*)</.exec(text)?.[1]?.trim() ?? '';
    const reply = Buffer.from(probeMatch(messageId));
    // WS-Discovery: wait a random 0..APP_MAX_DELAY (500 ms) before answering a multicast probe.
    setTimeout(() => socket.send(reply, rinfo.port, rinfo.address, () => undefined), Math.floor(Math.random() * 200));
  });

  function probeMatch(relatesTo: string): string {
    if (o.quirk === 'bad-xml') return `<not-xml ${relatesTo} <<<`;
    const xaddr = o.quirk === 'spoofed-xaddr' ? o.xaddr.replace(/\/\/[^/:]+/, '//10.255.255.1') : o.xaddr;
    let xml = o.probeTemplate
      .replace('RELATES_TO', escapeXml(relatesTo))
      .replace('SERVICE_URI', escapeXml(xaddr))
      .replace(/(<wsa:Address>)uuid:[0-9a-f-]{36}/, `$1uuid:${o.uuid}`)
      .replace(/urn:uuid:01234567-dead-beef-baad-abcdeffedcba/, `urn:uuid:${randomUUID()}`)
      .replace(/MessageNumber="\d+"/, `MessageNumber="${sequence++}"`);
    if (o.quirk === 'no-xaddrs') xml = xml.replace(/<wsdd:XAddrs>[^<]*<\/wsdd:XAddrs>/, '');
    if (o.quirk === 'entity-expansion') {
      let dtd = '<!ENTITY a0 "ha">';
      for (let i = 1; i <= 9; i++) dtd += `<!ENTITY a${i} "${`&a${i - 1};`.repeat(10)}">`;
      xml = xml.replace('<?xml version="1.0" encoding="UTF-8"?>', `<?xml version="1.0"?><!DOCTYPE e [${dtd}]>`).replace(/<wsdd:Scopes>/, '<wsdd:Scopes>&a9; ');
    }
    return xml;
  }

  function announcement(kind: 'Hello' | 'Bye'): Buffer {
    return Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" ` +
        `xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" ` +
        `xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><s:Header><a:MessageID>urn:uuid:${randomUUID()}</a:MessageID>` +
        `<a:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To><a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/${kind}</a:Action>` +
        `<d:AppSequence InstanceId="1" MessageNumber="${sequence++}"/></s:Header><s:Body><d:${kind}><a:EndpointReference>` +
        `<a:Address>uuid:${o.uuid}</a:Address></a:EndpointReference>` +
        (kind === 'Hello' ? `<d:Types>dn:NetworkVideoTransmitter</d:Types><d:XAddrs>${escapeXml(o.xaddr)}</d:XAddrs>` : '') +
        `<d:MetadataVersion>1</d:MetadataVersion></d:${kind}></s:Body></s:Envelope>`,
    );
  }

  function send(buf: Buffer): Promise<void> {
    return new Promise((resolve) => socket.send(buf, WSD_PORT, WSD_GROUP, () => resolve()));
  }

  if (o.announce) await send(announcement('Hello'));

  let closed = false;
  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    if (o.announce) await send(announcement('Bye'));
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
  return state;
}

function isLoopback(address: string): boolean {
  return /^127\./.test(address);
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}
