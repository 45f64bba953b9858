/**
 * ONVIF device emulator for tests and demos: SOAP over HTTP serving the recorded responses in
 * test-fixtures/onvif-responses (MIT, from the `onvif` package's test mock), plus an optional
 * WS-Discovery responder on UDP 3702. It can be told to behave like the difficult devices met in
 * the field.
 *
 *   const cam = await startEmulator({ host: '127.0.0.1', username: 'admin', password: 'pw', auth: 'digest' });
 *   cam.url            // http://127.0.0.1:PORT/onvif/device_service
 *   await cam.close();
 *
 * Every address inside the recorded responses is rewritten to the emulator's own; nothing is ever
 * sent to the addresses written in those files.
 *
 * PTZ is emulated, not replayed: ContinuousMove sets a velocity, Stop integrates it into a position,
 * GotoPreset jumps to a stored one, and `cam.ptz` shows the state to tests. The snapshot URI serves
 * test-fixtures/onvif-responses/snapshot.jpg (our own, an ffmpeg test pattern) behind the same
 * HTTP Digest login as the SOAP service.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startDiscoveryResponder, type DiscoveryQuirk, type DiscoveryResponder } from './discovery-responder';

export const FIXTURES_DIR = fileURLToPath(new URL('../../../../test-fixtures/onvif-responses/', import.meta.url));

/**
 * - `any`: WS-Security UsernameToken or HTTP Digest (most cameras)
 * - `digest`: HTTP Digest only; a WS-Security header alone is refused (newer Hikvision firmware)
 * - `ws-security`: UsernameToken only, no Digest challenge
 * - `none`: no authentication at all
 */
export type AuthMode = 'any' | 'digest' | 'ws-security' | 'none';

/**
 * - `garbage`: a body that is not XML
 * - `truncated`: a response cut in the middle of an element
 * - `entity-expansion`: a "billion laughs" document
 * - `wrong-shape`: well-formed SOAP whose body lacks the expected response element
 * - `huge`: several megabytes of well-formed padding
 * - `trickle`: answers one byte per 200 ms, for ever (defeats idle timeouts)
 */
export type Malformation = 'garbage' | 'truncated' | 'entity-expansion' | 'wrong-shape' | 'huge' | 'trickle';

export interface EmulatorOptions {
  host?: string;
  port?: number;
  /** Host written in XAddrs and service addresses; defaults to `host`. */
  advertiseHost?: string;
  uuid?: string;
  username?: string;
  password?: string;
  auth?: AuthMode;
  /** The device clock runs this far ahead of the real one (negative: behind). */
  clockSkewMs?: number;
  /** WS-Security `Created` must be within this of the device clock (replay protection). */
  maxSkewMs?: number;
  /** Accept TCP connections and never answer. */
  silent?: boolean;
  /** `nvr`: one profile per channel, each on its own video source. */
  layout?: 'camera' | 'nvr';
  channels?: number;
  ptz?: boolean;
  /** Operations (local names, e.g. `GetProfiles`) answered with a malformed reply; `*` for all. */
  malformed?: { ops: string[]; kind: Malformation };
  manufacturer?: string;
  model?: string;
  firmware?: string;
  serial?: string;
  /** Stream URI answered by GetStreamUri; defaults to rtsp://<advertiseHost>:554/<token>. */
  rtspUri?: string;
  /** What GET /snapshot/<token>.jpg answers: a JPEG, a login page as text/html, 6 MB of JPEG, or nothing. */
  snapshot?: 'jpeg' | 'html' | 'huge' | 'silent';
  /** PTZ presets (token, name); default three. */
  presets?: { token: string; name: string }[];
  /** Start the WS-Discovery responder, joining the multicast group on this IPv4 interface address. */
  discovery?: { interfaceAddress: string; quirk?: DiscoveryQuirk; announce?: boolean };
  responsesDir?: string;
}

export interface Emulator {
  url: string;
  host: string;
  port: number;
  uuid: string;
  /** Requests seen, by operation local name (tests count them). */
  requests: { op: string; authenticated: boolean }[];
  discovery: DiscoveryResponder | null;
  /** PTZ state (only meaningful with `ptz`). */
  ptz: PtzState;
  close(): Promise<void>;
}

export interface PtzVector {
  x: number;
  y: number;
  zoom: number;
}

export interface PtzState {
  /** Velocity of the current continuous move; null when stopped. */
  moving: PtzVector | null;
  /** Moves received, in order (velocity of each). */
  moves: PtzVector[];
  stops: number;
  position: PtzVector;
  lastPreset: string | null;
}

const REALM = 'kuzet-emulator';

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const opts = {
    host: '127.0.0.1',
    port: 0,
    username: 'admin',
    password: 'admin',
    auth: 'any' as AuthMode,
    clockSkewMs: 0,
    maxSkewMs: 5_000,
    layout: 'camera' as const,
    channels: 4,
    ptz: true,
    manufacturer: 'Mockup Manufacturer',
    model: 'Mockup Model',
    firmware: 'Mockup_15_14_13',
    serial: '00000000',
    responsesDir: FIXTURES_DIR,
    ...options,
  };
  const uuid = opts.uuid ?? randomUUID();
  const requests: Emulator['requests'] = [];
  const sockets = new Set<Socket>();
  const nonces = new Set<string>();
  let base = '';
  const presets = (opts.presets ?? [
    { token: 'P1', name: 'Entrance' },
    { token: 'P2', name: 'Corridor' },
    { token: 'P3', name: 'Stairs' },
  ]).map((p, i) => ({ ...p, position: { x: (i + 1) / 10, y: -(i + 1) / 10, zoom: 0 } }));
  const ptz: PtzState = { moving: null, moves: [], stops: 0, position: { x: 0, y: 0, zoom: 0 }, lastPreset: null };
  let movingSince = 0;

  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && (req.url ?? '').startsWith('/snapshot/')) {
      if (opts.silent || opts.snapshot === 'silent') return;
      return serveSnapshot(req, res);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 256 * 1024) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      if (opts.silent) return;
      try {
        handle(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (e) {
        res.writeHead(500).end(String(e));
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const advertise = opts.advertiseHost ?? opts.host;
  base = port === 80 ? `http://${advertise}` : `http://${advertise}:${port}`;
  const url = `${base}/onvif/device_service`;

  function deviceNow(): Date {
    return new Date(Date.now() + opts.clockSkewMs);
  }

  function handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    const op = /<(?:[\w-]+:)?Body[^>]*>\s*<(?:[\w-]+:)?([\w]+)/.exec(body)?.[1] ?? '';
    const auth = checkAuth(req, body);
    requests.push({ op, authenticated: auth === 'ok' });
    // ONVIF's PRE_AUTH access class: these answer without credentials.
    const preAuth = op === 'GetSystemDateAndTime' || op === 'GetServices' || op === 'GetCapabilities';
    if (!preAuth && opts.auth !== 'none' && auth !== 'ok') {
      if (auth === 'bad-wsse' || opts.auth === 'ws-security') {
        return sendXml(res, 400, fault('ter:NotAuthorized', 'Sender not Authorized'));
      }
      res.writeHead(401, {
        'WWW-Authenticate': `Digest qop="auth", realm="${REALM}", nonce="${newNonce()}", algorithm="MD5", stale="FALSE"`,
        'Content-Type': 'text/html',
      });
      res.end('<html><body><h2>Access Error: 401 -- Unauthorized</h2></body></html>');
      return;
    }
    if (opts.malformed && (opts.malformed.ops.includes('*') || opts.malformed.ops.includes(op))) {
      return sendMalformed(res, opts.malformed.kind, op);
    }
    const xml = answer(op, body);
    if (xml === null) return sendXml(res, 400, fault('ter:ActionNotSupported', `Optional action ${op} not implemented`));
    sendXml(res, 200, xml);
  }

  function serveSnapshot(req: IncomingMessage, res: ServerResponse): void {
    if (opts.auth !== 'none') {
      const header = req.headers.authorization;
      if (!header || !checkDigest(header, 'GET', req.url ?? '/')) {
        requests.push({ op: 'snapshot', authenticated: false });
        res.writeHead(401, { 'WWW-Authenticate': `Digest qop="auth", realm="${REALM}", nonce="${newNonce()}", algorithm="MD5"`, 'Content-Type': 'text/html' });
        res.end('<html><body>401 Unauthorized</body></html>');
        return;
      }
    }
    requests.push({ op: 'snapshot', authenticated: true });
    if (opts.snapshot === 'html') {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html><body>Please log in</body></html>');
      return;
    }
    const jpeg = readFileSync(`${opts.responsesDir}/snapshot.jpg`);
    const body = opts.snapshot === 'huge' ? Buffer.concat([jpeg, Buffer.alloc(6 * 1024 * 1024)]) : jpeg;
    res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': body.length }).end(body);
  }

  /** Fold the running move into the position (1 unit per second of full speed, clamped to [-1, 1]). */
  function settle(): void {
    if (!ptz.moving) return;
    const s = (Date.now() - movingSince) / 1000;
    const c = (v: number) => Math.max(-1, Math.min(1, Math.round(v * 1000) / 1000));
    ptz.position = { x: c(ptz.position.x + ptz.moving.x * s), y: c(ptz.position.y + ptz.moving.y * s), zoom: c(ptz.position.zoom + ptz.moving.zoom * s) };
    movingSince = Date.now();
  }

  function ptzAnswer(op: string, body: string): string | null {
    if (op === 'GetNodes') return fixture(op);
    if (!/<(?:[\w-]+:)?ProfileToken>[^<]+</.test(body)) return fault('ter:InvalidArgVal', 'ProfileToken missing');
    const attr = (el: string, name: string) => {
      const tag = new RegExp(`<(?:[\\w-]+:)?${el}\\s[^>]*>`).exec(body)?.[0] ?? '';
      const v = Number(new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1]);
      return Number.isFinite(v) ? Math.max(-1, Math.min(1, v)) : 0;
    };
    switch (op) {
      case 'ContinuousMove': {
        settle();
        const v = { x: attr('PanTilt', 'x'), y: attr('PanTilt', 'y'), zoom: attr('Zoom', 'x') };
        ptz.moving = v;
        ptz.moves.push(v);
        movingSince = Date.now();
        return envelope('<tptz:ContinuousMoveResponse/>');
      }
      case 'Stop':
        settle();
        ptz.moving = null;
        ptz.stops++;
        return envelope('<tptz:StopResponse/>');
      case 'GetPresets':
        return envelope(
          `<tptz:GetPresetsResponse>${presets
            .map((p) => `<tptz:Preset token="${esc(p.token)}"><tt:Name>${esc(p.name)}</tt:Name><tt:PTZPosition><tt:PanTilt x="${p.position.x}" y="${p.position.y}"/><tt:Zoom x="${p.position.zoom}"/></tt:PTZPosition></tptz:Preset>`)
            .join('')}</tptz:GetPresetsResponse>`,
        );
      case 'GotoPreset': {
        const token = /<(?:[\w-]+:)?PresetToken>([^<]*)</.exec(body)?.[1] ?? '';
        const preset = presets.find((p) => p.token === token);
        if (!preset) return fault('ter:InvalidArgVal', `no preset ${token}`);
        ptz.moving = null;
        ptz.position = { ...preset.position };
        ptz.lastPreset = token;
        return envelope('<tptz:GotoPresetResponse/>');
      }
      default:
        return fixture(op);
    }
  }

  function newNonce(): string {
    const n = randomBytes(16).toString('hex');
    nonces.add(n);
    if (nonces.size > 1000) nonces.delete(nonces.values().next().value as string);
    return n;
  }

  /** 'ok' | 'none' (no credentials given) | 'bad-wsse' | 'bad-digest' */
  function checkAuth(req: IncomingMessage, body: string): 'ok' | 'none' | 'bad-wsse' | 'bad-digest' {
    const header = req.headers.authorization;
    if (header && opts.auth !== 'ws-security') {
      return checkDigest(header, req.method ?? 'POST', req.url ?? '/') ? 'ok' : 'bad-digest';
    }
    const token = /<(?:[\w-]+:)?UsernameToken[\s>][\s\S]*?<\/(?:[\w-]+:)?UsernameToken>/.exec(body)?.[0];
    if (token && opts.auth !== 'digest') return checkWsse(token) ? 'ok' : 'bad-wsse';
    return 'none';
  }

  function checkDigest(header: string, method: string, path: string): boolean {
    if (!header.startsWith('Digest ')) return false;
    const p: Record<string, string> = {};
    for (const m of header.slice(7).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) p[m[1]!] = m[2] ?? m[3] ?? '';
    if (!p.nonce || !nonces.has(p.nonce) || p.username !== opts.username || p.realm !== REALM) return false;
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    const ha1 = md5(`${opts.username}:${REALM}:${opts.password}`);
    const ha2 = md5(`${method}:${p.uri ?? path}`);
    const expected = p.qop ? md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`) : md5(`${ha1}:${p.nonce}:${ha2}`);
    return expected === p.response;
  }

  function checkWsse(token: string): boolean {
    const field = (name: string) => new RegExp(`<(?:[\\w-]+:)?${name}(?:\\s[^>]*)?>([^<]*)<`).exec(token)?.[1]?.trim() ?? '';
    const user = field('Username');
    const digest = field('Password');
    const nonce = field('Nonce');
    const created = field('Created');
    if (user !== opts.username) return false;
    const createdMs = Date.parse(created);
    if (!Number.isFinite(createdMs) || Math.abs(createdMs - deviceNow().getTime()) > opts.maxSkewMs) return false;
    const expected = createHash('sha1')
      .update(Buffer.concat([Buffer.from(nonce, 'base64'), Buffer.from(created, 'ascii'), Buffer.from(opts.password, 'utf8')]))
      .digest('base64');
    return expected === digest;
  }

  function fixture(name: string): string | null {
    for (const candidate of [name, `media.${name}`, `ptz.${name}`, `device.${name}`]) {
      try {
        return readFileSync(`${opts.responsesDir}/${candidate}.xml`, 'utf8');
      } catch {
        // try the next prefix
      }
    }
    return null;
  }

  function rewrite(xml: string): string {
    return xml.replace(/http:\/\/192\.168\.\d+\.\d+(?::\d+)?/g, base);
  }

  function answer(op: string, body: string): string | null {
    switch (op) {
      case 'GetSystemDateAndTime':
        return envelope(`<tds:GetSystemDateAndTimeResponse>${systemDateAndTime(deviceNow())}</tds:GetSystemDateAndTimeResponse>`);
      case 'GetDeviceInformation':
        return envelope(
          `<tds:GetDeviceInformationResponse><tds:Manufacturer>${esc(opts.manufacturer)}</tds:Manufacturer><tds:Model>${esc(opts.model)}</tds:Model>` +
            `<tds:FirmwareVersion>${esc(opts.firmware)}</tds:FirmwareVersion><tds:SerialNumber>${esc(opts.serial)}</tds:SerialNumber>` +
            `<tds:HardwareId>EMU</tds:HardwareId></tds:GetDeviceInformationResponse>`,
        );
      case 'GetServices':
      case 'GetCapabilities': {
        let xml = fixture(op);
        if (xml && !opts.ptz) {
          xml = op === 'GetServices'
            ? xml.replace(/<tds:Service>\s*<tds:Namespace>http:\/\/www\.onvif\.org\/ver20\/ptz\/wsdl[\s\S]*?<\/tds:Service>/, '')
            : xml.replace(/<tt:PTZ>[\s\S]*?<\/tt:PTZ>/, '');
        }
        return xml && rewrite(xml);
      }
      case 'GetProfiles':
        return opts.layout === 'nvr' ? nvrProfiles(opts.channels) : rewrite(fixture(op) ?? '');
      case 'GetProfile': {
        // One profile by token, cut out of the GetProfiles answer.
        const token = /<(?:[\w-]+:)?ProfileToken>([^<]*)</.exec(body)?.[1] ?? '';
        const all = opts.layout === 'nvr' ? nvrProfiles(opts.channels) : rewrite(fixture('GetProfiles') ?? '');
        const safe = token.replace(/[^\w.-]/g, '');
        const one = [...all.matchAll(/<trt:Profiles\s[^>]*>[\s\S]*?<\/trt:Profiles>/g)].map((m) => m[0]).find((p) => p.includes(`token="${safe}"`));
        if (!token || !one) return fault('ter:InvalidArgVal', `no profile ${token}`);
        return envelope(`<trt:GetProfileResponse>${one.replace(/^<trt:Profiles/, '<trt:Profile').replace(/<\/trt:Profiles>$/, '</trt:Profile>')}</trt:GetProfileResponse>`);
      }
      case 'GetVideoSources':
        return opts.layout === 'nvr' ? nvrVideoSources(opts.channels) : fixture(op);
      case 'GetStreamUri': {
        const token = /<(?:[\w-]+:)?ProfileToken>([^<]*)</.exec(body)?.[1] ?? '';
        if (!token) return fault('ter:InvalidArgVal', 'ProfileToken missing');
        const uri = opts.rtspUri ?? `rtsp://${advertise}:554/${encodeURIComponent(token)}`;
        return envelope(
          `<trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>${esc(uri)}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>` +
            `<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:GetStreamUriResponse>`,
        );
      }
      case 'GetSnapshotUri': {
        const token = /<(?:[\w-]+:)?ProfileToken>([^<]*)</.exec(body)?.[1] ?? '';
        if (!token) return fault('ter:InvalidArgVal', 'ProfileToken missing');
        return envelope(
          `<trt:GetSnapshotUriResponse><trt:MediaUri><tt:Uri>${esc(`${base}/snapshot/${encodeURIComponent(token)}.jpg`)}</tt:Uri>` +
            `<tt:InvalidAfterConnect>false</tt:InvalidAfterConnect><tt:InvalidAfterReboot>false</tt:InvalidAfterReboot>` +
            `<tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:GetSnapshotUriResponse>`,
        );
      }
      case 'GetNodes':
      case 'GetPresets':
      case 'GetStatus':
      case 'ContinuousMove':
      case 'Stop':
      case 'GotoPreset':
        return opts.ptz ? ptzAnswer(op, body) : null;
      default: {
        const xml = fixture(op);
        return xml && rewrite(xml);
      }
    }
  }

  const emulator: Emulator = {
    url,
    host: advertise,
    port,
    uuid,
    requests,
    discovery: null,
    ptz,
    async close() {
      await emulator.discovery?.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  if (opts.discovery) {
    emulator.discovery = await startDiscoveryResponder({
      interfaceAddress: opts.discovery.interfaceAddress,
      uuid,
      xaddr: url,
      quirk: opts.discovery.quirk,
      announce: opts.discovery.announce,
      probeTemplate: readFileSync(`${opts.responsesDir}/Probe.xml`, 'utf8'),
    });
  }
  return emulator;
}

const NS =
  'xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" xmlns:tt="http://www.onvif.org/ver10/schema" ' +
  'xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:trt="http://www.onvif.org/ver10/media/wsdl" ' +
  'xmlns:ter="http://www.onvif.org/ver10/error" xmlns:tptz="http://www.onvif.org/ver20/ptz/wsdl"';

function envelope(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope ${NS}><SOAP-ENV:Body>${body}</SOAP-ENV:Body></SOAP-ENV:Envelope>`;
}

function fault(subcode: string, reason: string): string {
  return envelope(
    `<SOAP-ENV:Fault><SOAP-ENV:Code><SOAP-ENV:Value>SOAP-ENV:Sender</SOAP-ENV:Value><SOAP-ENV:Subcode><SOAP-ENV:Value>${subcode}</SOAP-ENV:Value>` +
      `</SOAP-ENV:Subcode></SOAP-ENV:Code><SOAP-ENV:Reason><SOAP-ENV:Text xml:lang="en">${esc(reason)}</SOAP-ENV:Text></SOAP-ENV:Reason></SOAP-ENV:Fault>`,
  );
}

function systemDateAndTime(d: Date): string {
  return (
    `<tds:SystemDateAndTime><tt:DateTimeType>Manual</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>` +
    `<tt:TimeZone><tt:TZ>UTC0</tt:TZ></tt:TimeZone><tt:UTCDateTime><tt:Time><tt:Hour>${d.getUTCHours()}</tt:Hour>` +
    `<tt:Minute>${d.getUTCMinutes()}</tt:Minute><tt:Second>${d.getUTCSeconds()}</tt:Second></tt:Time><tt:Date>` +
    `<tt:Year>${d.getUTCFullYear()}</tt:Year><tt:Month>${d.getUTCMonth() + 1}</tt:Month><tt:Day>${d.getUTCDate()}</tt:Day>` +
    `</tt:Date></tt:UTCDateTime></tds:SystemDateAndTime>`
  );
}

/** An NVR: one profile per channel, each referencing its own video source (as Hikvision NVRs do). */
function nvrProfiles(channels: number): string {
  let profiles = '';
  for (let ch = 1; ch <= channels; ch++) {
    profiles +=
      `<trt:Profiles token="Profile_${ch}01" fixed="true"><tt:Name>Channel${ch}_MainStream</tt:Name>` +
      `<tt:VideoSourceConfiguration token="VideoSourceToken_${ch}"><tt:Name>VideoSourceConfig_${ch}</tt:Name><tt:UseCount>1</tt:UseCount>` +
      `<tt:SourceToken>VideoSource_${ch}</tt:SourceToken><tt:Bounds x="0" y="0" width="1920" height="1080"></tt:Bounds></tt:VideoSourceConfiguration>` +
      `<tt:VideoEncoderConfiguration token="VideoEncoderToken_${ch}01"><tt:Name>VideoEncoder_${ch}</tt:Name><tt:UseCount>1</tt:UseCount>` +
      `<tt:Encoding>H264</tt:Encoding><tt:Resolution><tt:Width>1920</tt:Width><tt:Height>1080</tt:Height></tt:Resolution>` +
      `<tt:Quality>5</tt:Quality><tt:RateControl><tt:FrameRateLimit>25</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval>` +
      `<tt:BitrateLimit>4096</tt:BitrateLimit></tt:RateControl><tt:SessionTimeout>PT5S</tt:SessionTimeout></tt:VideoEncoderConfiguration></trt:Profiles>` +
      `<trt:Profiles token="Profile_${ch}02" fixed="true"><tt:Name>Channel${ch}_SubStream</tt:Name>` +
      `<tt:VideoSourceConfiguration token="VideoSourceToken_${ch}"><tt:Name>VideoSourceConfig_${ch}</tt:Name><tt:UseCount>2</tt:UseCount>` +
      `<tt:SourceToken>VideoSource_${ch}</tt:SourceToken><tt:Bounds x="0" y="0" width="1920" height="1080"></tt:Bounds></tt:VideoSourceConfiguration>` +
      `<tt:VideoEncoderConfiguration token="VideoEncoderToken_${ch}02"><tt:Name>VideoEncoder_${ch}_sub</tt:Name><tt:UseCount>1</tt:UseCount>` +
      `<tt:Encoding>H264</tt:Encoding><tt:Resolution><tt:Width>640</tt:Width><tt:Height>360</tt:Height></tt:Resolution>` +
      `<tt:Quality>3</tt:Quality><tt:RateControl><tt:FrameRateLimit>15</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval>` +
      `<tt:BitrateLimit>512</tt:BitrateLimit></tt:RateControl><tt:SessionTimeout>PT5S</tt:SessionTimeout></tt:VideoEncoderConfiguration></trt:Profiles>`;
  }
  return envelope(`<trt:GetProfilesResponse>${profiles}</trt:GetProfilesResponse>`);
}

function nvrVideoSources(channels: number): string {
  let sources = '';
  for (let ch = 1; ch <= channels; ch++) {
    sources +=
      `<trt:VideoSources token="VideoSource_${ch}"><tt:Framerate>25</tt:Framerate>` +
      `<tt:Resolution><tt:Width>1920</tt:Width><tt:Height>1080</tt:Height></tt:Resolution></trt:VideoSources>`;
  }
  return envelope(`<trt:GetVideoSourcesResponse>${sources}</trt:GetVideoSourcesResponse>`);
}

function sendXml(res: ServerResponse, status: number, xml: string): void {
  // Devices send Content-Length; some clients (libonvif) cannot read a chunked reply.
  res.writeHead(status, { 'Content-Type': 'application/soap+xml; charset=utf-8', 'Content-Length': Buffer.byteLength(xml) });
  res.end(xml);
}

function sendMalformed(res: ServerResponse, kind: Malformation, op: string): void {
  switch (kind) {
    case 'garbage':
      return sendXml(res, 200, '\u0000\u00ffthis is <not xml at all & never was');
    case 'truncated':
      return sendXml(res, 200, envelope(`<tds:${op}Response><tt:Name>cut`).slice(0, -60));
    case 'wrong-shape':
      return sendXml(res, 200, envelope('<tds:SomethingElse><tt:X>1</tt:X></tds:SomethingElse>'));
    case 'entity-expansion': {
      let dtd = '<!ENTITY lol0 "lol">';
      for (let i = 1; i <= 9; i++) dtd += `<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`;
      return sendXml(
        res,
        200,
        `<?xml version="1.0"?>\n<!DOCTYPE Envelope [${dtd}]>\n<SOAP-ENV:Envelope ${NS}><SOAP-ENV:Body><tds:${op}Response>` +
          `<tt:Name>&lol9;</tt:Name></tds:${op}Response></SOAP-ENV:Body></SOAP-ENV:Envelope>`,
      );
    }
    case 'huge':
      return sendXml(res, 200, envelope(`<tds:${op}Response>${'<tt:Pad>xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx</tt:Pad>'.repeat(200_000)}</tds:${op}Response>`));
    case 'trickle': {
      res.writeHead(200, { 'Content-Type': 'application/soap+xml; charset=utf-8' });
      const timer = setInterval(() => res.write(' '), 200);
      res.on('close', () => clearInterval(timer));
      return;
    }
  }
}

export function esc(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}
