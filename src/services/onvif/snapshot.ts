/**
 * A camera's still image, fetched from its ONVIF snapshot URI.
 *
 *   const shot = await fetchSnapshot({ url: profile.snapshotUri, username, password });
 *   shot.contentType  // 'image/jpeg'
 *   shot.bytes        // Buffer, at most MAX_SNAPSHOT_BYTES
 *
 * Cameras protect the snapshot URI with HTTP Digest (sometimes Basic), not with WS-Security; the
 * first request goes without credentials and the challenge decides. Bounded like every device call:
 * one deadline for the whole exchange, a size cap enforced while reading, and only image types
 * accepted (a login page or an XML fault is not a snapshot). Plain http only: cameras on a school's
 * LAN use self-signed certificates, which a bounded client would have to trust blindly.
 * Throws DeviceError.
 */
import { createHash, randomBytes } from 'node:crypto';
import { request, type IncomingMessage } from 'node:http';
import { DeviceError } from './device-client';

export const MAX_SNAPSHOT_BYTES = 4 * 1024 * 1024;
export const SNAPSHOT_DEADLINE_MS = 8_000;
const IMAGE_TYPES = ['image/jpeg', 'image/png'];

export interface SnapshotTarget {
  url: string;
  username?: string;
  password?: string;
  deadlineMs?: number;
  maxBytes?: number;
}

export interface Snapshot {
  contentType: string;
  bytes: Buffer;
}

export async function fetchSnapshot(target: SnapshotTarget): Promise<Snapshot> {
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    throw new DeviceError('malformed', 'the snapshot URI is not a URL');
  }
  if (url.protocol !== 'http:') throw new DeviceError('error', `snapshot over ${url.protocol} is not supported (http only)`);
  // Credentials written into the URI by the device are not used: ours come from the vault.
  url.username = '';
  url.password = '';
  const deadlineMs = target.deadlineMs ?? SNAPSHOT_DEADLINE_MS;
  const maxBytes = target.maxBytes ?? MAX_SNAPSHOT_BYTES;
  const deadline = Date.now() + deadlineMs;

  const first = await get(url, null, deadline, maxBytes);
  let answer = first;
  if (first.status === 401 && target.username) {
    const challenge = first.challenge;
    if (!challenge) throw new DeviceError('unauthorized', 'snapshot: the camera refused access and named no login method');
    answer = await get(url, authorization(challenge, url, target.username, target.password ?? ''), deadline, maxBytes);
  }
  if (answer.status === 401 || answer.status === 403) throw new DeviceError('unauthorized', 'snapshot: the camera refused the user name or password');
  if (answer.status !== 200) throw new DeviceError('error', `snapshot: the camera answered HTTP ${answer.status}`);
  const contentType = (answer.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (!IMAGE_TYPES.includes(contentType)) throw new DeviceError('malformed', `snapshot: not an image (${contentType.slice(0, 60) || 'no content type'})`);
  if (!looksLike(contentType, answer.body)) throw new DeviceError('malformed', `snapshot: the body is not a ${contentType}`);
  return { contentType, bytes: answer.body };
}

interface Answer {
  status: number;
  contentType: string | undefined;
  challenge: string | null;
  body: Buffer;
}

function get(url: URL, auth: string | null, deadline: number, maxBytes: number): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return reject(new DeviceError('timeout', 'snapshot: no answer within the deadline'));
    let done = false;
    const finish = (e: DeviceError | null, a?: Answer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (e) {
        req.destroy();
        reject(e);
      } else resolve(a!);
    };
    const req = request(url, { method: 'GET', agent: false, headers: { Accept: 'image/jpeg, image/png', ...(auth ? { Authorization: auth } : {}) } }, (res: IncomingMessage) => {
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) return finish(new DeviceError('malformed', `snapshot: larger than ${maxBytes} bytes`));
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) return finish(new DeviceError('malformed', `snapshot: larger than ${maxBytes} bytes`));
        chunks.push(c);
      });
      res.on('end', () =>
        finish(null, {
          status: res.statusCode ?? 0,
          contentType: res.headers['content-type'],
          challenge: pickChallenge(res.headers['www-authenticate']),
          body: Buffer.concat(chunks),
        }),
      );
      res.on('error', (e) => finish(new DeviceError('unreachable', `snapshot: ${e.message}`)));
    });
    const timer = setTimeout(() => finish(new DeviceError('timeout', 'snapshot: no complete answer within the deadline')), remaining);
    req.on('error', (e: NodeJS.ErrnoException) => finish(new DeviceError(e.code === 'ECONNREFUSED' || e.code === 'EHOSTUNREACH' ? 'unreachable' : 'error', `snapshot: ${e.code ?? e.message}`)));
    req.end();
  });
}

/** Digest is preferred over Basic when a camera offers both. */
function pickChallenge(header: string | string[] | undefined): string | null {
  const list = (Array.isArray(header) ? header : header ? [header] : []).map((h) => h.slice(0, 2000));
  return list.find((h) => /^digest\s/i.test(h)) ?? list.find((h) => /^basic\b/i.test(h)) ?? null;
}

/** RFC 7616 with MD5 (what cameras implement), qop=auth or none; RFC 7617 Basic. */
export function authorization(challenge: string, url: URL, username: string, password: string): string {
  if (/^basic\b/i.test(challenge)) return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const p: Record<string, string> = {};
  for (const m of challenge.slice(7).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) p[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? '';
  const algorithm = (p.algorithm ?? 'MD5').toUpperCase();
  if (algorithm !== 'MD5' && algorithm !== 'MD5-SESS') throw new DeviceError('error', `snapshot: Digest algorithm ${algorithm.slice(0, 20)} is not supported`);
  const md5 = (s: string) => createHash('md5').update(s).digest('hex');
  const uri = `${url.pathname}${url.search}`;
  const realm = p.realm ?? '';
  const nonce = p.nonce ?? '';
  const cnonce = randomBytes(8).toString('hex');
  const nc = '00000001';
  let ha1 = md5(`${username}:${realm}:${password}`);
  if (algorithm === 'MD5-SESS') ha1 = md5(`${ha1}:${nonce}:${cnonce}`);
  const ha2 = md5(`GET:${uri}`);
  const qop = (p.qop ?? '').split(',').map((q) => q.trim()).includes('auth') ? 'auth' : null;
  const response = qop ? md5(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
  const q = (s: string) => s.replace(/["\\]/g, '');
  return (
    `Digest username="${q(username)}", realm="${q(realm)}", nonce="${q(nonce)}", uri="${q(uri)}", algorithm=${algorithm}, response="${response}"` +
    (qop ? `, qop=${qop}, nc=${nc}, cnonce="${cnonce}"` : '') +
    (p.opaque !== undefined ? `, opaque="${q(p.opaque)}"` : '')
  );
}

function looksLike(contentType: string, body: Buffer): boolean {
  if (contentType === 'image/jpeg') return body.length > 4 && body[0] === 0xff && body[1] === 0xd8;
  return body.length > 8 && body.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
}
