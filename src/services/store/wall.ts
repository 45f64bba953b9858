// Named wall layouts and the evidence register. Layouts are re-validated when read: a row written
// by an older build that no longer fits the schema is skipped (and logged), never handed to the UI.
import type Database from 'better-sqlite3';
import { createLogger } from '../../shared/log';
import { ConsoleApiError } from '../../shared/result';
import { WallLayout } from '../../shared/wall';

const log = createLogger('wall-store');

export interface SavedLayout {
  name: string;
  layout: WallLayout;
  updatedAt: string;
}

export interface EvidenceRecord {
  id: string;
  cameraId: string;
  capturedAt: string;
  operator: string;
  /** Relative to the evidence folder. */
  file: string;
  sha256: string;
  bytes: number;
  createdAt: string;
}

export interface WallStore {
  listLayouts(): SavedLayout[];
  saveLayout(name: string, layout: WallLayout): SavedLayout;
  /** True when a layout of that name existed. */
  deleteLayout(name: string): boolean;
  recordEvidence(record: Omit<EvidenceRecord, 'createdAt'>): EvidenceRecord;
  listEvidence(cameraId?: string): EvidenceRecord[];
  getEvidence(id: string): EvidenceRecord | null;
}

export const MAX_LAYOUTS = 500;

export function createWallStore(db: Database.Database, now: () => string): WallStore {
  const selectLayouts = db.prepare<[], { name: string; json: string; updated_at: string }>(
    'SELECT name, json, updated_at FROM wall_layouts ORDER BY name COLLATE NOCASE',
  );
  const countLayouts = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM wall_layouts');
  const upsertLayout = db.prepare<[string, string, string]>(
    `INSERT INTO wall_layouts (name, json, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at`,
  );
  const existsLayout = db.prepare<[string], { name: string }>('SELECT name FROM wall_layouts WHERE name = ?');
  const removeLayout = db.prepare<[string]>('DELETE FROM wall_layouts WHERE name = ?');
  const insertEvidence = db.prepare(
    `INSERT INTO evidence (id, camera_id, captured_at, operator, file, sha256, bytes, created_at)
     VALUES (@id, @cameraId, @capturedAt, @operator, @file, @sha256, @bytes, @createdAt)`,
  );
  type EvidenceRow = { id: string; camera_id: string; captured_at: string; operator: string; file: string; sha256: string; bytes: number; created_at: string };
  const selectEvidence = db.prepare<[string | null, string | null], EvidenceRow>(
    'SELECT * FROM evidence WHERE (? IS NULL OR camera_id = ?) ORDER BY captured_at DESC LIMIT 1000',
  );
  const selectEvidenceById = db.prepare<[string], EvidenceRow>('SELECT * FROM evidence WHERE id = ?');
  const fromRow = (r: EvidenceRow): EvidenceRecord => ({
    id: r.id,
    cameraId: r.camera_id,
    capturedAt: r.captured_at,
    operator: r.operator,
    file: r.file,
    sha256: r.sha256,
    bytes: r.bytes,
    createdAt: r.created_at,
  });

  return {
    listLayouts() {
      const out: SavedLayout[] = [];
      for (const row of selectLayouts.all()) {
        const parsed = WallLayout.safeParse(JSON.parse(row.json));
        if (parsed.success) out.push({ name: row.name, layout: parsed.data, updatedAt: row.updated_at });
        else log.warn('skipped a stored layout that no longer fits the schema', { name: row.name });
      }
      return out;
    },
    saveLayout(name, layout) {
      const updatedAt = now();
      db.transaction(() => {
        if (!existsLayout.get(name) && countLayouts.get()!.n >= MAX_LAYOUTS) {
          throw new ConsoleApiError('conflict', `At most ${MAX_LAYOUTS} named layouts can be kept; delete one first.`);
        }
        upsertLayout.run(name, JSON.stringify(layout), updatedAt);
      })();
      return { name, layout, updatedAt };
    },
    deleteLayout(name) {
      return removeLayout.run(name).changes > 0;
    },
    recordEvidence(record) {
      const row = { ...record, createdAt: now() };
      insertEvidence.run(row);
      return row;
    },
    listEvidence(cameraId) {
      return selectEvidence.all(cameraId ?? null, cameraId ?? null).map(fromRow);
    },
    getEvidence(id) {
      const row = selectEvidenceById.get(id);
      return row ? fromRow(row) : null;
    },
  };
}
