// WS-Discovery reply parsing, the registry and range expansion, without a network.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from './emulator/emulator';
import { DeviceRegistry, deviceServiceUrl, expandCidr, parseDiscoveryMessage, startDiscovery } from './discovery';

const probe = readFileSync(`${FIXTURES_DIR}/Probe.xml`, 'utf8');
const reply = (xaddrs = 'http://10.1.0.5/onvif/device_service') => probe.replace('RELATES_TO', 'urn:uuid:abc').replace('SERVICE_URI', xaddrs);

describe('parseDiscoveryMessage', () => {
  it('reads endpoint, types, scopes and XAddrs of a recorded ProbeMatch', () => {
    const m = parseDiscoveryMessage(reply('http://10.1.0.5/onvif/device_service http://[fe80::1]/onvif/device_service'));
    expect(m.kind).toBe('ProbeMatches');
    expect(m.relatesTo).toBe('urn:uuid:abc');
    expect(m.matches).toHaveLength(1);
    expect(m.matches[0]).toMatchObject({
      endpoint: 'uuid:c9790c3a-701b-464d-a189-0060351c8ada',
      types: ['dn:NetworkVideoTransmitter', 'tds:Device'],
      xaddrs: ['http://10.1.0.5/onvif/device_service', 'http://[fe80::1]/onvif/device_service'],
    });
    expect(m.matches[0]!.scopes).toContain('onvif://www.onvif.org/name/PREDATOR');
  });

  it('warns about a missing XAddrs element instead of failing', () => {
    const m = parseDiscoveryMessage(reply().replace(/<wsdd:XAddrs>[^<]*<\/wsdd:XAddrs>/, ''));
    expect(m.matches[0]!.xaddrs).toEqual([]);
    expect(m.matches[0]!.warnings.join()).toMatch(/no XAddrs/);
  });

  it('drops XAddrs that are not http URLs', () => {
    const m = parseDiscoveryMessage(reply('javascript:alert(1) not-a-url http://10.1.0.5/x'));
    expect(m.matches[0]!.xaddrs).toEqual(['http://10.1.0.5/x']);
    expect(m.matches[0]!.warnings).toHaveLength(2);
  });

  it.each([
    ['not XML', '<<< nope'],
    ['truncated', reply().slice(0, 500)],
    ['a DTD (entity expansion)', `<?xml version="1.0"?><!DOCTYPE e [<!ENTITY a "${'x'.repeat(10)}">]>${reply().replace(/<\?xml[^>]*>/, '')}`],
    ['an unrelated SOAP body', '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><x/></s:Body></s:Envelope>'],
    ['empty', ''],
  ])('rejects %s', (_label, text) => {
    expect(() => parseDiscoveryMessage(text)).toThrow();
  });

  it('rejects an oversized datagram before parsing it', () => {
    expect(() => parseDiscoveryMessage(reply().replace('<wsdd:Scopes>', `<wsdd:Scopes>${'a'.repeat(70_000)} `))).toThrow(/larger/);
  });
});

describe('DeviceRegistry', () => {
  const match = (endpoint: string, xaddr: string) => ({ endpoint, types: [], scopes: [], xaddrs: xaddr ? [xaddr] : [], warnings: [] });

  it('keeps one entry per UUID and address, however many times it answers', () => {
    const r = new DeviceRegistry();
    expect(r.record(match('uuid:1', 'http://10.0.0.2/onvif/device_service'), '10.0.0.2', 'multicast')).not.toBeNull();
    expect(r.record(match('uuid:1', 'http://10.0.0.2/onvif/device_service'), '10.0.0.2', 'multicast')).toBeNull();
    expect(r.list()).toHaveLength(1);
  });

  it('keeps two devices with one UUID apart and warns on both', () => {
    const r = new DeviceRegistry();
    r.record(match('uuid:1', 'http://10.0.0.2/a'), '10.0.0.2', 'multicast');
    r.record(match('uuid:1', 'http://10.0.0.3/a'), '10.0.0.3', 'multicast');
    const list = r.list();
    expect(list).toHaveLength(2);
    expect(list[0]!.warnings.join()).toMatch(/also answered from 10\.0\.0\.3/);
    expect(list[1]!.warnings.join()).toMatch(/also answered from 10\.0\.0\.2/);
  });

  it('warns when the XAddrs name another host than the sender', () => {
    const r = new DeviceRegistry();
    const d = r.record(match('uuid:1', 'http://10.9.9.9/onvif/device_service'), '10.0.0.2', 'unicast')!;
    expect(d.warnings.join()).toMatch(/XAddrs name 10\.9\.9\.9 but the reply came from 10\.0\.0\.2/);
    // ... and the console talks to the sender, not to the named host.
    expect(deviceServiceUrl(d)).toEqual({ url: 'http://10.0.0.2/onvif/device_service', guessed: true });
  });

  it('identifies a device without an endpoint reference by its address', () => {
    const r = new DeviceRegistry();
    const d = r.record(match('', ''), '10.0.0.7', 'unicast')!;
    expect(d.id).toBe('addr:10.0.0.7');
    expect(deviceServiceUrl(d)).toEqual({ url: 'http://10.0.0.7/onvif/device_service', guessed: true });
  });

  it('marks a device gone on Bye and back on its next answer', () => {
    const r = new DeviceRegistry();
    r.record(match('uuid:1', 'http://10.0.0.2/a'), '10.0.0.2', 'hello');
    expect(r.bye('uuid:1')[0]!.gone).toBe(true);
    expect(r.record(match('uuid:1', 'http://10.0.0.2/a'), '10.0.0.2', 'hello')!.gone).toBe(false);
  });
});

describe('expandCidr', () => {
  it('lists the hosts of a range without network and broadcast addresses', () => {
    expect(expandCidr('10.2.0.0/30')).toEqual(['10.2.0.1', '10.2.0.2']);
    expect(expandCidr('10.2.0.77/24')).toHaveLength(254);
    expect(expandCidr('10.2.0.9/32')).toEqual(['10.2.0.9']);
  });

  it('refuses ranges too large to probe politely and malformed ones', () => {
    expect(() => expandCidr('10.0.0.0/16')).toThrow(/at most 1024/);
    expect(() => expandCidr('10.0.0.300/24')).toThrow();
    expect(() => expandCidr('fe80::/64')).toThrow();
  });
});

describe('startDiscovery, unicast on loopback only', () => {
  it('finds a device by unicast probe, with progress, and ignores replies to probes it never sent', async () => {
    const { startEmulator } = await import('./emulator/emulator');
    let cam;
    try {
      cam = await startEmulator({ discovery: { interfaceAddress: '127.0.0.1' } });
    } catch (e) {
      process.stderr.write(`skipped: UDP 3702 on loopback unavailable (${String(e)})\n`);
      return;
    }
    try {
      const phases = new Set<string>();
      const run = startDiscovery({ multicast: false, range: '127.0.0.1/32', waitMs: 600, onProgress: (p) => phases.add(p.phase) });
      const { devices, errors } = await run.done;
      expect(errors).toEqual([]);
      expect(devices).toHaveLength(1);
      expect(devices[0]).toMatchObject({ id: `uuid:${cam.uuid}`, address: '127.0.0.1', via: 'unicast', xaddrs: [cam.url] });
      expect(phases).toEqual(new Set(['multicast', 'unicast', 'done']));
      // Probed twice at most (the second pass skips addresses that answered).
      expect(cam.discovery!.probesSeen).toBe(1);
    } finally {
      await cam.close();
    }
  });

  it('stops a paced sweep when cancelled', async () => {
    const run = startDiscovery({ multicast: false, range: '127.0.1.0/24', ratePerSecond: 50, waitMs: 5_000 });
    const t0 = Date.now();
    setTimeout(() => run.cancel(), 300);
    const progress: number[] = [];
    const result = await run.done;
    progress.push(Date.now() - t0);
    expect(progress[0]).toBeLessThan(1_500);
    expect(result.devices).toEqual([]);
  });

  it('reports an operator range that is too large instead of probing it', async () => {
    const { errors } = await startDiscovery({ multicast: false, range: '127.0.0.0/8' }).done;
    expect(errors.join()).toMatch(/at most 1024/);
  });
});
