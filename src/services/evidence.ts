/**
 * Evidence snapshots: a wall tile's frame as a PNG file under <dataDir>/evidence, with its SHA-256,
 * camera, capture time and operator recorded in the local store.
 *
 *   const evidence = createEvidence(join(dataDir, 'evidence'), store.wall);
 *   const record = evidence.save({ cameraId, capturedAt, operator, pngBase64 });
 *   evidence.list(cameraId?);  evidence.open(id) -> { record, bytes, intact }
 *
 * The bytes come from a renderer, so they are checked here: size, PNG signature and header. The
 * file is written exclusively (never overwrites) and flushed before its row is recorded, so a row
 * always names a complete file. Opening a snapshot hashes the file again: a file changed or lost
 * after it was recorded is reported as not intact, never shown as the evidence it was.
 */
import { createHash, randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createLogger } from '../shared/log';
import { ConsoleApiError } from '../shared/result';
import { MAX_SNAPSHOT_BYTES, type SnapshotInput } from '../shared/wall';
import type { EvidenceRecord, WallStore } from './store/wall';

const log = createLogger('evidence');

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const MAX_SIDE = 8192;

export interface Evidence {
  readonly dir: string;
  save(input: SnapshotInput): EvidenceRecord;
  list(cameraId?: string): EvidenceRecord[];
  /** The recorded PNG and whether it still has its recorded SHA-256. */
  open(id: string): { record: EvidenceRecord; bytes: Buffer; intact: boolean };
}

/** Width and height from the IHDR chunk, or a reason why these bytes are not a PNG. */
export function checkPng(bytes: Buffer): { ok: true; width: number; height: number } | { ok: false; reason: string } {
  if (bytes.length < 33 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return { ok: false, reason: 'not a PNG image (bad signature)' };
  if (bytes.readUInt32BE(8) !== 13 || bytes.toString('latin1', 12, 16) !== 'IHDR') return { ok: false, reason: 'not a PNG image (no IHDR header)' };
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) return { ok: false, reason: `PNG of ${width}x${height} is out of range` };
  return { ok: true, width, height };
}

export function createEvidence(dir: string, wall: Pick<WallStore, 'recordEvidence' | 'listEvidence' | 'getEvidence'>): Evidence {
  return {
    dir,
    list: (cameraId) => wall.listEvidence(cameraId),
    open(id) {
      const record = wall.getEvidence(id);
      if (!record) throw new ConsoleApiError('not_found', 'No such snapshot in the evidence register.');
      // The row names a file this service wrote; a name with a path in it is not one of ours.
      if (basename(record.file) !== record.file) throw new ConsoleApiError('internal', 'The evidence register names a file outside the evidence folder.');
      let bytes: Buffer;
      try {
        bytes = readFileSync(join(dir, record.file));
      } catch (e) {
        log.warn('a recorded snapshot file cannot be read', { id, file: record.file, error: e });
        throw new ConsoleApiError('not_found', `The snapshot file ${record.file} is missing from the evidence folder.`);
      }
      if (bytes.length > MAX_SNAPSHOT_BYTES) throw new ConsoleApiError('internal', `The snapshot file ${record.file} has grown beyond any snapshot's size.`);
      const intact = createHash('sha256').update(bytes).digest('hex') === record.sha256;
      if (!intact) log.warn('a snapshot file no longer matches its recorded SHA-256', { id, file: record.file });
      return { record, bytes, intact };
    },
    save({ cameraId, capturedAt, operator, pngBase64 }) {
      const bytes = Buffer.from(pngBase64, 'base64');
      if (bytes.length === 0 || bytes.length > MAX_SNAPSHOT_BYTES) {
        throw new ConsoleApiError('bad_request', `A snapshot must be 1 byte to ${MAX_SNAPSHOT_BYTES} bytes; got ${bytes.length}.`);
      }
      const png = checkPng(bytes);
      if (!png.ok) throw new ConsoleApiError('bad_request', `Snapshot refused: ${png.reason}.`);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      // Ids may hold ':' and '.', which some file systems refuse; the row keeps the exact id.
      const stamp = capturedAt.replace(/[^0-9TZ]/g, '');
      const file = `${stamp}_${cameraId.replace(/[^A-Za-z0-9_-]/g, '_')}_${sha256.slice(0, 12)}.png`;
      mkdirSync(dir, { recursive: true });
      const path = join(dir, file);
      let fd: number;
      try {
        fd = openSync(path, 'wx');
      } catch (e) {
        if ((e as { code?: string }).code === 'EEXIST') throw new ConsoleApiError('conflict', `This frame was already saved as ${file}.`);
        throw e;
      }
      try {
        writeSync(fd, bytes);
        fsyncSync(fd);
      } catch (e) {
        closeSync(fd);
        unlinkSync(path);
        throw e;
      }
      closeSync(fd);
      const record = wall.recordEvidence({ id: randomUUID(), cameraId, capturedAt, operator, file, sha256, bytes: bytes.length });
      log.info('snapshot saved', { cameraId, file, bytes: bytes.length, width: png.width, height: png.height });
      return record;
    },
  };
}
