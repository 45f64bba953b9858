/**
 * Test support: a minimal RTSP server on loopback, standing in for a camera. ffmpeg encodes a test
 * pattern (H.264, a key frame every second) to RTP on two loopback UDP ports; this server answers
 * OPTIONS/DESCRIBE/SETUP/PLAY over TCP and relays the RTP packets interleaved to each playing client.
 *
 *   const cam = await startRtspTestServer();
 *   cam.url                 // rtsp://127.0.0.1:PORT/live
 *   await cam.stop();       // the camera "dies": connections cut, port closed
 *   await cam.start();      // ... and comes back on the same port
 *
 * With `credentials`, DESCRIBE, SETUP and PLAY need them (HTTP Basic, as many cameras accept);
 * `cam.url` then carries them and `cam.refused()` counts the requests turned away.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RtspTestServer {
  url: string;
  port: number;
  /** RTP packets relayed so far. */
  relayed(): number;
  /** Requests refused for missing or wrong credentials. */
  refused(): number;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** stop() and remove the temporary folder. */
  close(): Promise<void>;
}

export async function startRtspTestServer(opts: { ffmpegPath?: string; credentials?: { username: string; password: string } } = {}): Promise<RtspTestServer> {
  const ffmpeg = opts.ffmpegPath ?? 'ffmpeg';
  const dir = mkdtempSync(join(tmpdir(), 'kuzet-rtsp-'));
  let port = 0;
  let server: Server | null = null;
  let encoder: ChildProcess | null = null;
  let rtp: dgram.Socket | null = null;
  let rtcp: dgram.Socket | null = null;
  let sdp = '';
  let relayed = 0;
  let refused = 0;
  const basic = opts.credentials ? `Basic ${Buffer.from(`${opts.credentials.username}:${opts.credentials.password}`).toString('base64')}` : null;
  const playing = new Set<Socket>();
  const sockets = new Set<Socket>();

  async function bindPair(): Promise<[dgram.Socket, dgram.Socket, number]> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const base = 20_000 + 2 * Math.floor(Math.random() * 10_000);
      const a = dgram.createSocket('udp4');
      const b = dgram.createSocket('udp4');
      a.on('error', () => undefined);
      b.on('error', () => undefined);
      try {
        await new Promise<void>((res, rej) => a.bind(base, '127.0.0.1', res).once('error', rej));
        await new Promise<void>((res, rej) => b.bind(base + 1, '127.0.0.1', res).once('error', rej));
        return [a, b, base];
      } catch {
        a.close();
        try {
          b.close();
        } catch {
          // not bound
        }
      }
    }
    throw new Error('no free UDP port pair on loopback');
  }

  async function start(): Promise<void> {
    const [a, b, base] = await bindPair();
    rtp = a;
    rtcp = b;
    rtp.on('message', (packet) => {
      relayed++;
      const frame = Buffer.alloc(4 + packet.length);
      frame[0] = 0x24;
      frame[1] = 0;
      frame.writeUInt16BE(packet.length, 2);
      packet.copy(frame, 4);
      for (const s of playing) s.write(frame);
    });
    const sdpFile = join(dir, 'stream.sdp');
    rmSync(sdpFile, { force: true });
    encoder = spawn(
      ffmpeg,
      ['-hide_banner', '-loglevel', 'error', '-nostdin', '-re', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=15', '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', '15', '-pix_fmt', 'yuv420p', '-f', 'rtp', '-sdp_file', sdpFile, `rtp://127.0.0.1:${base}?rtcpport=${base + 1}&pkt_size=1200`],
      { stdio: 'ignore' },
    );
    encoder.on('error', () => undefined);
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        sdp = readFileSync(sdpFile, 'utf8');
        if (sdp.includes('m=video')) break;
      } catch {
        // not written yet
      }
      if (Date.now() > deadline) throw new Error('ffmpeg test encoder did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
    server = createServer(onConnection);
    await new Promise<void>((res) => server!.listen(port, '127.0.0.1', res));
    port = (server.address() as { port: number }).port;
  }

  function onConnection(socket: Socket): void {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      playing.delete(socket);
    });
    socket.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        if (buf.length && buf[0] === 0x24) {
          if (buf.length < 4) return;
          const len = buf.readUInt16BE(2);
          if (buf.length < 4 + len) return;
          buf = buf.subarray(4 + len);
          continue;
        }
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.subarray(0, end).toString('utf8');
        const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
        if (buf.length < end + 4 + length) return;
        buf = buf.subarray(end + 4 + length);
        answer(socket, head);
      }
    });
  }

  function answer(socket: Socket, head: string): void {
    const [requestLine = ''] = head.split('\r\n');
    const [method = '', url = ''] = requestLine.split(' ');
    const cseq = /cseq:\s*(\d+)/i.exec(head)?.[1] ?? '0';
    const reply = (headers: string[], body = '') =>
      socket.write(`RTSP/1.0 200 OK\r\nCSeq: ${cseq}\r\n${headers.map((h) => `${h}\r\n`).join('')}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    const authorization = /^authorization:\s*(.*)$/im.exec(head)?.[1]?.trim();
    if (basic && method !== 'OPTIONS' && method !== 'TEARDOWN' && authorization !== basic) {
      refused++;
      return void socket.write(`RTSP/1.0 401 Unauthorized\r\nCSeq: ${cseq}\r\nWWW-Authenticate: Basic realm="kuzet-test-camera"\r\nContent-Length: 0\r\n\r\n`);
    }
    switch (method) {
      case 'OPTIONS':
        return void reply(['Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER']);
      case 'DESCRIBE': {
        const body = sdp
          .replace(/\r?\n/g, '\r\n')
          .replace(/c=IN IP4 [^\r]*/, 'c=IN IP4 0.0.0.0')
          .replace(/m=video \d+ /, 'm=video 0 ')
          .replace(/(m=video[^\r]*\r\n)/, '$1a=control:streamid=0\r\n');
        return void reply(['Content-Type: application/sdp', `Content-Base: ${url.replace(/\/?$/, '/')}`], body);
      }
      case 'SETUP':
        return void reply(['Transport: RTP/AVP/TCP;unicast;interleaved=0-1', 'Session: 4242;timeout=60']);
      case 'PLAY':
        playing.add(socket);
        return void reply(['Session: 4242', 'Range: npt=0.000-']);
      case 'TEARDOWN':
        playing.delete(socket);
        reply(['Session: 4242']);
        return void socket.end();
      default:
        return void reply(['Session: 4242']);
    }
  }

  async function stop(): Promise<void> {
    for (const s of sockets) s.destroy();
    playing.clear();
    const srv = server;
    server = null;
    if (srv) await new Promise<void>((res) => srv.close(() => res()));
    const enc = encoder;
    encoder = null;
    if (enc && enc.exitCode === null) {
      enc.kill('SIGKILL');
      await new Promise((r) => enc.once('exit', r));
    }
    rtp?.close();
    rtcp?.close();
    rtp = rtcp = null;
  }

  await start();
  return {
    get url() {
      const c = opts.credentials;
      return `rtsp://${c ? `${encodeURIComponent(c.username)}:${encodeURIComponent(c.password)}@` : ''}127.0.0.1:${port}/live`;
    },
    get port() {
      return port;
    },
    relayed: () => relayed,
    refused: () => refused,
    stop,
    start,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

