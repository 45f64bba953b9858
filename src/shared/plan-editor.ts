// The plan editor's part of the console API contract (see api.ts): imported backgrounds and the
// locally kept drafts of a floor's plan.
import { z } from 'zod';
import { Id } from './domain';
import { BackgroundId, BackgroundMediaType, BackgroundPlacement, PlanDevice, Room } from './protocol';

export { BACKGROUND_MEDIA_TYPES, BackgroundMediaType, BackgroundPlacement } from './protocol';

/** A plan image may be this large; its base64 still fits in one transport frame (api.ts MAX_FRAME_BYTES). */
export const MAX_BACKGROUND_BYTES = 4 * 1024 * 1024;
export const MAX_BACKGROUND_PIXELS_SIDE = 16_384;
const MAX_BASE64 = Math.ceil(MAX_BACKGROUND_BYTES / 3) * 4;

const Base64 = z.string().max(MAX_BASE64 + 4).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64');
const Sha256 = BackgroundId;

/** An imported background as the services checked (and, for SVG, rewrote) it. */
export const PlanBackground = z.strictObject({
  id: Sha256,
  mediaType: BackgroundMediaType,
  width: z.number().positive(),
  height: z.number().positive(),
  /** The checked bytes, base64: what the renderer shows (as an <img>, never inline). */
  data: Base64,
  /** What the SVG sanitizer took out, in words. */
  removed: z.array(z.string().max(200)).max(100),
});
export type PlanBackground = z.infer<typeof PlanBackground>;

/** A floor's plan as the editor keeps it. */
export const FloorDraft = z.strictObject({
  schoolId: Id,
  floorId: Id,
  /** The backend's plan version this draft was edited from. */
  baseVersion: z.number().int().min(0),
  rooms: z.array(Room).max(500),
  devices: z.array(PlanDevice).max(2000),
  background: z.strictObject({ id: Sha256, placement: BackgroundPlacement }).nullable(),
});
export type FloorDraft = z.infer<typeof FloorDraft>;

export const SavedDraft = z.strictObject({
  draft: FloorDraft,
  /** Local version, counting up per floor. */
  version: z.number().int().min(1),
  savedAt: z.string().max(64),
  /** The backend's plan version once it accepted this draft; null while not sent. */
  sentVersion: z.number().int().min(1).nullable(),
  background: PlanBackground.nullable(),
});
export type SavedDraft = z.infer<typeof SavedDraft>;

export const planEditorMethods = {
  /** Checks a chosen file (magic bytes, size, header, SVG sanitized) and keeps the checked bytes. */
  'plans.importBackground': {
    input: z.strictObject({ fileName: z.string().min(1).max(255), data: Base64.min(1) }),
    output: PlanBackground,
  },
  /** Keeps a new local version of a floor's draft. */
  'plans.saveDraft': {
    /** `operator`: who saves, for the local audit log. */
    input: z.strictObject({ draft: FloorDraft, operator: z.string().min(1).max(200) }),
    output: z.strictObject({ version: z.number().int().min(1), savedAt: z.string().max(64) }),
  },
  /** The latest local version of a floor's draft, with its background. */
  'plans.getDraft': {
    input: z.strictObject({ schoolId: Id, floorId: Id }),
    output: z.strictObject({ saved: SavedDraft.nullable() }),
  },
  /** Records that the backend accepted a local version (as its plan version `sentVersion`). */
  'plans.markSent': {
    input: z.strictObject({ schoolId: Id, floorId: Id, version: z.number().int().min(1), sentVersion: z.number().int().min(1), operator: z.string().min(1).max(200) }),
    output: z.strictObject({}),
  },
} as const;
