/**
 * A floor-plan background chosen by the operator, checked before anything keeps or shows it: the
 * kind comes from the file's first bytes (never its name), PNG and JPEG are walked chunk by chunk
 * to their end marker and their size read from the header, SVG is rebuilt by the sanitizer.
 * Every refusal is a sentence an operator can act on.
 *
 *   const image = inspectBackground(bytes, 'plan.png');   // throws ConsoleApiError('bad_request', …)
 *   image.mediaType; image.width; image.height; image.bytes (the SVG rewritten); image.removed
 *
 * Platform-free (Uint8Array, TextDecoder): the console's services check an imported file with it,
 * and the simulator checks an uploaded one again with the same code, trusting no client.
 */
import { ConsoleApiError } from './result';
import { sanitizeSvg, SvgRejected } from './svg-sanitizer';
import { MAX_BACKGROUND_BYTES, MAX_BACKGROUND_PIXELS_SIDE, type BackgroundMediaType } from './plan-editor';

export interface InspectedBackground {
  mediaType: BackgroundMediaType;
  width: number;
  height: number;
  bytes: Uint8Array;
  removed: string[];
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function refuse(fileName: string, why: string): never {
  throw new ConsoleApiError('bad_request', `${fileName}: ${why}`);
}

export function inspectBackground(bytes: Uint8Array, fileName: string): InspectedBackground {
  // eslint-disable-next-line no-control-regex -- control characters are what is being removed
  const name = fileName.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 120) || 'the file';
  if (bytes.length === 0) refuse(name, 'the file is empty');
  if (bytes.length > MAX_BACKGROUND_BYTES) {
    refuse(name, `the file is ${(bytes.length / 1048576).toFixed(1)} MB; a plan image may be at most ${MAX_BACKGROUND_BYTES / 1048576} MB`);
  }
  let image: InspectedBackground;
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) image = { mediaType: 'image/png', ...pngSize(bytes, name), bytes, removed: [] };
  else if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) image = { mediaType: 'image/jpeg', ...jpegSize(bytes, name), bytes, removed: [] };
  else if (looksLikeXml(bytes)) {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return refuse(name, 'the SVG is not valid UTF-8 text');
    }
    try {
      const s = sanitizeSvg(text);
      image = { mediaType: 'image/svg+xml', width: s.width, height: s.height, bytes: new TextEncoder().encode(s.svg), removed: s.removed };
    } catch (e) {
      if (e instanceof SvgRejected) refuse(name, e.message);
      throw e;
    }
  } else {
    return refuse(name, 'this is not a PNG, JPEG or SVG image');
  }
  if (image.width > MAX_BACKGROUND_PIXELS_SIDE || image.height > MAX_BACKGROUND_PIXELS_SIDE) {
    if (image.mediaType !== 'image/svg+xml') refuse(name, `the image is ${image.width}×${image.height} pixels; at most ${MAX_BACKGROUND_PIXELS_SIDE} on each side`);
  }
  return image;
}

function looksLikeXml(bytes: Uint8Array): boolean {
  const head = new TextDecoder().decode(bytes.subarray(0, 512)).replace(/^\uFEFF/, '').trimStart();
  return head.startsWith('<');
}

/** Walks every chunk (length, type, CRC) to IEND; the size is in IHDR. */
function pngSize(b: Uint8Array, name: string): { width: number; height: number } {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let pos = 8;
  let size: { width: number; height: number } | null = null;
  let sawData = false;
  while (pos + 12 <= b.length) {
    const len = view.getUint32(pos);
    const type = String.fromCharCode(...b.subarray(pos + 4, pos + 8));
    if (!/^[A-Za-z]{4}$/.test(type)) refuse(name, 'the PNG file is damaged (a chunk has an invalid type)');
    if (pos + 12 + len > b.length) refuse(name, 'the PNG file is cut short (damaged or not completely copied)');
    const crc = view.getUint32(pos + 8 + len);
    if (crc32(b.subarray(pos + 4, pos + 8 + len)) !== crc) refuse(name, `the PNG file is damaged (checksum of its ${type} chunk is wrong)`);
    if (!size) {
      if (type !== 'IHDR' || len !== 13) refuse(name, 'the PNG file is damaged (it does not start with its header)');
      size = { width: view.getUint32(pos + 8), height: view.getUint32(pos + 12) };
      if (size.width === 0 || size.height === 0) refuse(name, 'the PNG image has no pixels');
    }
    if (type === 'IDAT') sawData = true;
    if (type === 'IEND') {
      if (!sawData) refuse(name, 'the PNG file has no image data');
      return size;
    }
    pos += 12 + len;
  }
  return refuse(name, 'the PNG file is cut short (damaged or not completely copied)');
}

/** Walks the JPEG's segments to its end marker; the size is in the first start-of-frame. */
function jpegSize(b: Uint8Array, name: string): { width: number; height: number } {
  const cut = () => refuse(name, 'the JPEG file is cut short (damaged or not completely copied)');
  const u16 = (at: number) => (b[at]! << 8) | b[at + 1]!;
  let pos = 2;
  let size: { width: number; height: number } | null = null;
  while (pos < b.length) {
    if (b[pos] !== 0xff) refuse(name, 'the JPEG file is damaged (a marker is missing)');
    while (b[pos] === 0xff) pos++;
    if (pos >= b.length) cut();
    const marker = b[pos++]!;
    if (marker === 0xd9) {
      if (!size) refuse(name, 'the JPEG file has no image frame');
      return size!;
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue;
    if (pos + 2 > b.length) cut();
    const len = u16(pos);
    if (len < 2 || pos + len > b.length) cut();
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame && !size) {
      if (len < 7) refuse(name, 'the JPEG file is damaged (its frame header is too short)');
      size = { height: u16(pos + 3), width: u16(pos + 5) };
      if (size.width === 0 || size.height === 0) refuse(name, 'the JPEG image has no pixels');
    }
    pos += len;
    if (marker === 0xda) {
      if (!size) refuse(name, 'the JPEG file is damaged (image data before its frame header)');
      // Entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or a restart marker.
      while (pos + 1 < b.length && !(b[pos] === 0xff && b[pos + 1] !== 0x00 && !(b[pos + 1]! >= 0xd0 && b[pos + 1]! <= 0xd7))) pos++;
      if (pos + 1 >= b.length) cut();
    }
  }
  return cut();
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 as PNG (and zlib) compute it. */
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
