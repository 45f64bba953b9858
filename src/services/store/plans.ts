// The plan editor's drafts and checked backgrounds (migration 0007). Drafts are re-validated when
// read: a row that no longer fits the schema is skipped (and logged), never handed to the UI.
import type Database from 'better-sqlite3';
import { createLogger } from '../../shared/log';
import { FloorDraft, type PlanBackground, type SavedDraft } from '../../shared/plan-editor';
import { ConsoleApiError } from '../../shared/result';

const log = createLogger('plans-store');

/** Local versions kept per floor; older ones are removed as new ones are saved. */
export const KEPT_VERSIONS = 50;

export interface PlansStore {
  /** Keeps a checked background (idempotent by id). */
  putBackground(background: Omit<PlanBackground, 'data'> & { bytes: Buffer }): void;
  getBackground(id: string): PlanBackground | null;
  saveDraft(draft: FloorDraft): { version: number; savedAt: string };
  latestDraft(schoolId: string, floorId: string): SavedDraft | null;
  markSent(schoolId: string, floorId: string, version: number, sentVersion: number): boolean;
}

type BackgroundRow = { id: string; media_type: PlanBackground['mediaType']; width: number; height: number; data: Buffer; removed: string };
type DraftRow = { version: number; json: string; saved_at: string; sent_version: number | null; background_id: string | null };

export function createPlansStore(db: Database.Database, now: () => string): PlansStore {
  const insertBackground = db.prepare(
    `INSERT INTO plan_backgrounds (id, media_type, width, height, data, removed, created_at) VALUES (@id, @mediaType, @width, @height, @bytes, @removed, @createdAt)
     ON CONFLICT (id) DO NOTHING`,
  );
  const selectBackground = db.prepare<[string], BackgroundRow>('SELECT id, media_type, width, height, data, removed FROM plan_backgrounds WHERE id = ?');
  const lastVersion = db.prepare<[string, string], { v: number | null }>('SELECT max(version) AS v FROM plan_drafts WHERE school_id = ? AND floor_id = ?');
  const insertDraft = db.prepare<[string, string, number, string, string | null, string]>(
    'INSERT INTO plan_drafts (school_id, floor_id, version, json, background_id, saved_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const pruneDrafts = db.prepare<[string, string, number]>('DELETE FROM plan_drafts WHERE school_id = ? AND floor_id = ? AND version <= ?');
  const selectDrafts = db.prepare<[string, string], DraftRow>(
    'SELECT version, json, saved_at, sent_version, background_id FROM plan_drafts WHERE school_id = ? AND floor_id = ? ORDER BY version DESC LIMIT 10',
  );
  const updateSent = db.prepare<[number, string, string, number]>('UPDATE plan_drafts SET sent_version = ? WHERE school_id = ? AND floor_id = ? AND version = ?');

  const getBackground = (id: string): PlanBackground | null => {
    const row = selectBackground.get(id);
    if (!row) return null;
    return { id: row.id, mediaType: row.media_type, width: row.width, height: row.height, data: row.data.toString('base64'), removed: JSON.parse(row.removed) as string[] };
  };

  const save = db.transaction((draft: FloorDraft) => {
    if (draft.background && !selectBackground.get(draft.background.id)) {
      throw new ConsoleApiError('not_found', 'the plan’s background image is not in the local store; import it again');
    }
    const version = (lastVersion.get(draft.schoolId, draft.floorId)?.v ?? 0) + 1;
    const savedAt = now();
    insertDraft.run(draft.schoolId, draft.floorId, version, JSON.stringify(draft), draft.background?.id ?? null, savedAt);
    pruneDrafts.run(draft.schoolId, draft.floorId, version - KEPT_VERSIONS);
    return { version, savedAt };
  });

  return {
    putBackground({ id, mediaType, width, height, bytes, removed }) {
      insertBackground.run({ id, mediaType, width, height, bytes, removed: JSON.stringify(removed), createdAt: now() });
    },
    getBackground,
    saveDraft: (draft) => save(draft),
    latestDraft(schoolId, floorId) {
      for (const row of selectDrafts.all(schoolId, floorId)) {
        let parsed: ReturnType<typeof FloorDraft.safeParse>;
        try {
          parsed = FloorDraft.safeParse(JSON.parse(row.json));
        } catch {
          parsed = FloorDraft.safeParse(undefined);
        }
        if (!parsed.success) {
          log.warn('skipping a stored plan draft that no longer fits the schema', { schoolId, floorId, version: row.version });
          continue;
        }
        return {
          draft: parsed.data,
          version: row.version,
          savedAt: row.saved_at,
          sentVersion: row.sent_version,
          background: row.background_id ? getBackground(row.background_id) : null,
        };
      }
      return null;
    },
    markSent: (schoolId, floorId, version, sentVersion) => updateSent.run(sentVersion, schoolId, floorId, version).changes > 0,
  };
}
