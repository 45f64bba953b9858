/**
 * A floor-plan background chosen by the operator, checked before anything keeps or shows it: the
 * kind comes from the file's first bytes (never its name), PNG and JPEG are walked chunk by chunk
 * to their end marker and their size read from the header, SVG is rebuilt by the sanitizer.
 * Every refusal is a sentence an operator can act on.
 *
 *   const image = inspectBackground(bytes, 'plan.png');   // throws ConsoleApiError('bad_request', …)
 *   image.mediaType; image.width; image.height; image.bytes (the SVG rewritten); image.removed
 */
import { crc32 } from 'node:zlib';
import { ConsoleApiError } from '../../shared/result';
import { sanitizeSvg, SvgRejected } from './svg-sanitizer';
import { MAX_BACKGROUND_BYTES, MAX_BACKGROUND_PIXELS_SIDE, type BackgroundMediaType } from '../../shared/plan-editor';

export interface InspectedBackground {
  mediaType: BackgroundMediaType;
  width: number;
  height: number;
  bytes: Buffer;
  removed: string[];
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function refuse(fileName: string, why: string): never {
  throw new ConsoleApiError('bad_request', `${fileName}: ${why}`);
}

export function inspectBackground(bytes: Buffer, fileName: string): InspectedBackground {
  // eslint-disable-next-line no-control-regex -- control characters are what is being removed
  const name = fileName.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 120) || 'the file';
  if (bytes.length === 0) refuse(name, 'the file is empty');
  if (bytes.length > MAX_BACKGROUND_BYTES) {
    refuse(name, `the file is ${(bytes.length / 1048576).toFixed(1)} MB; a plan image may be at most ${MAX_BACKGROUND_BYTES / 1048576} MB`);
  }
  let image: InspectedBackground;
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) image = { mediaType: 'image/png', ...pngSize(bytes, name), bytes, removed: [] };
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
      image = { mediaType: 'image/svg+xml', width: s.width, height: s.height, bytes: Buffer.from(s.svg, 'utf8'), removed: s.removed };
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

function looksLikeXml(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 512).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  return head.startsWith('<');
}

/** Walks every chunk (length, type, CRC) to IEND; the size is in IHDR. */
function pngSize(b: Buffer, name: string): { width: number; height: number } {
  let pos = 8;
  let size: { width: number; height: number } | null = null;
  let sawData = false;
  while (pos + 12 <= b.length) {
    const len = b.readUInt32BE(pos);
    const type = b.toString('latin1', pos + 4, pos + 8);
    if (!/^[A-Za-z]{4}$/.test(type)) refuse(name, 'the PNG file is damaged (a chunk has an invalid type)');
    if (pos + 12 + len > b.length) refuse(name, 'the PNG file is cut short (damaged or not completely copied)');
    const crc = b.readUInt32BE(pos + 8 + len);
    if (crc32(b.subarray(pos + 4, pos + 8 + len)) !== crc) refuse(name, `the PNG file is damaged (checksum of its ${type} chunk is wrong)`);
    if (!size) {
      if (type !== 'IHDR' || len !== 13) refuse(name, 'the PNG file is damaged (it does not start with its header)');
      size = { width: b.readUInt32BE(pos + 8), height: b.readUInt32BE(pos + 12) };
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
function jpegSize(b: Buffer, name: string): { width: number; height: number } {
  const cut = () => refuse(name, 'the JPEG file is cut short (damaged or not completely copied)');
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
    const len = b.readUInt16BE(pos);
    if (len < 2 || pos + len > b.length) cut();
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame && !size) {
      if (len < 7) refuse(name, 'the JPEG file is damaged (its frame header is too short)');
      size = { height: b.readUInt16BE(pos + 3), width: b.readUInt16BE(pos + 5) };
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
