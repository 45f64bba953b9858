import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConsoleApiError } from '../../shared/result';
import { MAX_BACKGROUND_BYTES } from '../../shared/plan-editor';
import { inspectBackground } from '../../shared/plan-image';
import { makeJpeg, makePng } from './test-images';

const refusal = (bytes: Buffer, name = 'plan.png') => {
  try {
    inspectBackground(bytes, name);
  } catch (e) {
    expect(e).toBeInstanceOf(ConsoleApiError);
    expect((e as ConsoleApiError).code).toBe('bad_request');
    return (e as Error).message;
  }
  throw new Error('accepted');
};

describe('plan background import', () => {
  it('reads a PNG’s and a JPEG’s size from their headers, whatever the file is called', () => {
    expect(inspectBackground(makePng(640, 240), 'floor-1.jpg')).toMatchObject({ mediaType: 'image/png', width: 640, height: 240, removed: [] });
    expect(inspectBackground(makeJpeg(1920, 1080), 'floor-1.png')).toMatchObject({ mediaType: 'image/jpeg', width: 1920, height: 1080 });
  });

  it('refuses a truncated PNG and a truncated JPEG as cut short', () => {
    const png = makePng(64, 64);
    expect(refusal(png.subarray(0, png.length - 20))).toMatch(/^plan\.png: the PNG file is cut short/);
    expect(refusal(png.subarray(0, 30))).toMatch(/cut short/);
    const jpeg = makeJpeg(64, 64);
    expect(refusal(jpeg.subarray(0, jpeg.length - 2), 'a.jpg')).toMatch(/JPEG file is cut short/);
    expect(refusal(jpeg.subarray(0, 12), 'a.jpg')).toMatch(/cut short/);
  });

  it('refuses a PNG whose bytes were changed (checksum)', () => {
    const png = Buffer.from(makePng(32, 32));
    const at = png.length - 20; // inside the IDAT data
    png[at] = png[at]! ^ 0xff;
    expect(refusal(png)).toMatch(/damaged \(checksum/);
  });

  it('refuses an oversized file before looking inside it, and giant pixel sizes', () => {
    const big = Buffer.concat([makePng(8, 8), Buffer.alloc(MAX_BACKGROUND_BYTES)]);
    expect(refusal(big)).toMatch(/MB; a plan image may be at most 4 MB/);
    expect(refusal(makePng(20_000, 1))).toMatch(/20000×1 pixels; at most 16384/);
  });

  it('refuses empty files and files of another kind, by content not name', () => {
    expect(refusal(Buffer.alloc(0))).toMatch(/empty/);
    expect(refusal(Buffer.from('GIF89a....'), 'plan.gif')).toMatch(/not a PNG, JPEG or SVG/);
    expect(refusal(Buffer.from('%PDF-1.7\n'), 'plan.svg')).toMatch(/not a PNG, JPEG or SVG/);
    expect(refusal(Buffer.from([0x3c, 0x73, 0x76, 0x67, 0xff, 0xfe]), 'x.svg')).toMatch(/not valid UTF-8/);
  });

  it('passes an SVG through the sanitizer and keeps only the rewritten bytes', () => {
    const hostile = readFileSync(join(__dirname, '../../../test-fixtures/svg/hostile-plan.svg'));
    const image = inspectBackground(hostile, 'hostile-plan.svg');
    expect(image).toMatchObject({ mediaType: 'image/svg+xml', width: 920, height: 360 });
    const text = Buffer.from(image.bytes).toString('utf8');
    expect(text).not.toMatch(/script|onload|evil\.example|foreignObject/);
    expect(image.removed).toEqual(expect.arrayContaining(['script element', 'event handler attribute onload', 'external reference', 'foreignObject element']));
    expect(refusal(readFileSync(join(__dirname, '../../../test-fixtures/svg/billion-laughs.svg')), 'lol.svg')).toMatch(/^lol\.svg: the SVG declares a document type/);
  });
});
