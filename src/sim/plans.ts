// Edited floor plans: what the plan editor saved over the generated city, with each school's plan
// version, and the floors' background drawings. Kept in <dataDir>/plans.json (write-then-rename)
// and <dataDir>/plan-backgrounds/<sha256> (the checked bytes), so a restart with the same data
// directory serves the same plans.
//
//   const plans = PlanBook.open(dataDir);
//   const catalog = plans.apply(toCatalog(city, url));          // the catalog with the edits in
//   const up = plans.upload(user, 'GYM1', 'GYM1.B1.F1', bytes, catalog);  // Result<BackgroundUploaded>
//   const r = plans.update(user, 'GYM1', 'GYM1.B1.F1', body, catalog);   // Result<{ version }>
//   plans.background('GYM1', id);                               // { bytes, mediaType } | null
//
// The same rules as the editor (src/shared/geometry.ts) are checked here: the backend never holds a
// plan with a camera in a toilet, whatever client sent it. An uploaded image is checked again with
// the console's own checks (src/shared/plan-image.ts: kind by magic bytes, size, SVG rebuilt by the
// sanitizer): the backend keeps only what it checked itself.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { describePlanProblem, floorPlanProblems, roomAt } from '../shared/geometry';
import { createLogger } from '../shared/log';
import { inspectBackground } from '../shared/plan-image';
import { BackgroundId, BackgroundMediaType, Device, FloorBackground, Room, type BackgroundUploaded, type Building, type Catalog, type Floor, type FloorPlanUpdate, type School, type SchoolPlan, type User } from '../shared/protocol';
import { ConsoleApiError, err, ok, type Result } from '../shared/result';

const log = createLogger('sim-plans');

export const PLANS_FILE = 'plans.json';
export const BACKGROUNDS_DIR = 'plan-backgrounds';
/** Distinct background images kept (all schools); an upload beyond is refused, not an old one dropped. */
export const MAX_BACKGROUNDS = 1000;

const FloorEdit = z.strictObject({ schoolId: z.string(), rooms: z.array(Room), devices: z.array(Device), background: FloorBackground.optional() });
/** An uploaded image: its kind and size, and the schools whose editors uploaded it (who may fetch it). */
const StoredBackground = z.strictObject({ mediaType: BackgroundMediaType, width: z.number().positive(), height: z.number().positive(), schools: z.array(z.string()) });
const PlansFile = z.strictObject({
  versions: z.record(z.string(), z.number().int().min(0)),
  floors: z.record(z.string(), FloorEdit),
  backgrounds: z.record(BackgroundId, StoredBackground).default({}),
});
type FloorEdit = z.infer<typeof FloorEdit>;
type StoredBackground = z.infer<typeof StoredBackground>;

export class PlanBook {
  private constructor(
    private readonly file: string,
    private readonly versions: Map<string, number>,
    private readonly floors: Map<string, FloorEdit>,
    private readonly backgrounds: Map<string, StoredBackground>,
  ) {}

  static open(dataDir: string): PlanBook {
    const file = join(dataDir, PLANS_FILE);
    if (existsSync(file)) {
      let parsed: z.infer<typeof PlansFile> | null = null;
      try {
        const r = PlansFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
        if (r.success) parsed = r.data;
      } catch {
        // handled below
      }
      if (!parsed) {
        // Never lose the operator's edits silently: keep the file aside and say where it is.
        const aside = `${file}.unreadable-${Date.now()}`;
        renameSync(file, aside);
        log.error('plans file unreadable; starting from the generated plans', { file, keptAs: aside });
      } else {
        return new PlanBook(file, new Map(Object.entries(parsed.versions)), new Map(Object.entries(parsed.floors)), new Map(Object.entries(parsed.backgrounds)));
      }
    }
    return new PlanBook(file, new Map(), new Map(), new Map());
  }

  version(schoolId: string): number {
    return this.versions.get(schoolId) ?? 0;
  }

  /** The catalog with every saved floor's rooms and devices in place of the generated ones. */
  apply(catalog: Catalog): Catalog {
    if (this.floors.size === 0) return catalog;
    const edited = new Set(this.floors.keys());
    const schools = catalog.schools.map((s) =>
      !this.versions.has(s.id)
        ? s
        : {
            ...s,
            buildings: s.buildings.map((b) => ({ ...b, floors: b.floors.map((f) => this.editedFloor(f)) })),
          },
    );
    const devices = [...catalog.devices.filter((d) => !edited.has(d.floorId)), ...[...this.floors.values()].flatMap((f) => f.devices)];
    return { ...catalog, schools, devices };
  }

  private editedFloor(f: Floor): Floor {
    const edit = this.floors.get(f.id);
    if (!edit) return f;
    const { background: _generated, ...rest } = f;
    return { ...rest, rooms: edit.rooms, ...(edit.background ? { background: edit.background } : {}) };
  }

  schoolPlan(catalog: Catalog, schoolId: string): SchoolPlan | null {
    const school = catalog.schools.find((s) => s.id === schoolId);
    if (!school) return null;
    return { schoolId, version: this.version(schoolId), school, devices: catalog.devices.filter((d) => d.schoolId === schoolId) };
  }

  /**
   * Replaces one floor's rooms and devices. `catalog` is the current one (with earlier edits).
   * Refuses: a role that may not edit, another school's guard, an unknown floor, a stale base
   * version, a plan that breaks the rules, a device id used elsewhere.
   */
  update(user: User, schoolId: string, floorId: string, body: FloorPlanUpdate, catalog: Catalog): Result<{ version: number }> {
    const target = editable(user, schoolId, floorId, catalog);
    if (!target.ok) return target;
    const { school, building, floor } = target.value;
    const current = this.version(schoolId);
    if (body.baseVersion !== current) {
      return err('conflict', `the plan of ${schoolId} changed since it was opened (version ${current}, edit based on ${body.baseVersion}); reload it and edit again`);
    }
    const problems = floorPlanProblems({ width: floor.width, height: floor.height, rooms: body.rooms, devices: body.devices });
    if (problems.length > 0) {
      return err('bad_request', `the plan was refused: ${problems.slice(0, 5).map(describePlanProblem).join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`);
    }
    const elsewhere = new Map<string, string>();
    for (const d of catalog.devices) if (d.floorId !== floorId) elsewhere.set(d.id, d.floorId);
    for (const b of school.buildings) for (const f of b.floors) if (f.id !== floorId) for (const r of f.rooms) elsewhere.set(r.id, f.id);
    const taken = [...body.rooms.map((r) => r.id), ...body.devices.map((d) => d.id)].find((id) => elsewhere.has(id));
    if (taken) return err('conflict', `id ${taken} is already used on floor ${elsewhere.get(taken)}`);
    let background: FloorBackground | undefined;
    if (body.background === undefined) background = floor.background;
    else if (body.background !== null) {
      const stored = this.backgrounds.get(body.background.id);
      if (!stored || !stored.schools.includes(schoolId)) return err('bad_request', `background ${body.background.id.slice(0, 12)}… was not uploaded for ${schoolId}; upload the image first`);
      background = { id: body.background.id, mediaType: stored.mediaType, width: stored.width, height: stored.height, placement: body.background.placement };
    }

    const previous = new Map(catalog.devices.filter((d) => d.floorId === floorId).map((d) => [d.id, d]));
    const devices: Device[] = body.devices.map((d) => {
      const stream = previous.get(d.id)?.streams;
      return {
        ...d,
        schoolId,
        buildingId: building.id,
        floorId,
        // floorPlanProblems has checked that every device is in a room.
        roomId: roomAt(d.position, body.rooms)!.id,
        ...(d.kind === 'camera' && stream ? { streams: stream } : {}),
      };
    });
    const version = current + 1;
    this.floors.set(floorId, { schoolId, rooms: body.rooms, devices, ...(background ? { background } : {}) });
    this.versions.set(schoolId, version);
    this.save();
    log.info('plan updated', { schoolId, floorId, version, by: user.id, rooms: body.rooms.length, devices: devices.length });
    return ok({ version });
  }

  /**
   * Checks an image an editor uploads for a floor (the same roles as update) and keeps the checked
   * bytes by their SHA-256. Refuses: the roles update refuses, an empty, oversized, broken or
   * unknown file (kind by its first bytes), an SVG the sanitizer cannot rebuild.
   */
  upload(user: User, schoolId: string, floorId: string, bytes: Uint8Array, catalog: Catalog): Result<BackgroundUploaded> {
    const target = editable(user, schoolId, floorId, catalog);
    if (!target.ok) return target;
    let image: ReturnType<typeof inspectBackground>;
    try {
      image = inspectBackground(bytes, 'the uploaded image');
    } catch (e) {
      if (e instanceof ConsoleApiError) return err('bad_request', e.message);
      throw e;
    }
    const id = createHash('sha256').update(image.bytes).digest('hex');
    const known = this.backgrounds.get(id);
    if (!known && this.backgrounds.size >= MAX_BACKGROUNDS) return err('unavailable', `the backend keeps at most ${MAX_BACKGROUNDS} plan images; none more can be stored`);
    const dir = join(this.dir(), BACKGROUNDS_DIR);
    const path = join(dir, id);
    if (!existsSync(path)) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(`${path}.tmp`, image.bytes);
      renameSync(`${path}.tmp`, path);
    }
    if (!known?.schools.includes(schoolId)) {
      this.backgrounds.set(id, { mediaType: image.mediaType, width: image.width, height: image.height, schools: [...(known?.schools ?? []), schoolId] });
      this.save();
    }
    log.info('plan background uploaded', { schoolId, floorId, by: user.id, mediaType: image.mediaType, bytes: image.bytes.length, removed: image.removed.length });
    return ok({ schoolId, id, mediaType: image.mediaType, width: image.width, height: image.height, removed: image.removed.slice(0, 100) });
  }

  /** A kept image's checked bytes, if it was uploaded for this school. */
  background(schoolId: string, id: string): { bytes: Buffer; mediaType: BackgroundMediaType } | null {
    const stored = this.backgrounds.get(id);
    if (!stored || !stored.schools.includes(schoolId) || !BackgroundId.safeParse(id).success) return null;
    try {
      return { bytes: readFileSync(join(this.dir(), BACKGROUNDS_DIR, id)), mediaType: stored.mediaType };
    } catch (e) {
      log.error('a kept plan background is missing', { id, error: e as Error });
      return null;
    }
  }

  private dir(): string {
    return join(this.file, '..');
  }

  private save(): void {
    const body: z.infer<typeof PlansFile> = { versions: Object.fromEntries(this.versions), floors: Object.fromEntries(this.floors), backgrounds: Object.fromEntries(this.backgrounds) };
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(body));
    renameSync(tmp, this.file);
  }
}

/** The floor an editor may change: refuses dispatchers, another school's guard, an unknown floor. */
export function editable(user: User, schoolId: string, floorId: string, catalog: Catalog): Result<{ school: School; building: Building; floor: Floor }> {
  if (user.role === 'dispatcher') return err('forbidden', 'dispatchers cannot edit floor plans; a duty officer or the school guard can');
  if (user.scope.kind === 'school' && user.scope.schoolId !== schoolId) return err('forbidden', 'a guard can edit the plans of their own school only');
  const school = catalog.schools.find((s) => s.id === schoolId);
  if (!school) return err('not_found', `no school ${schoolId}`);
  const building = school.buildings.find((b) => b.floors.some((f) => f.id === floorId));
  const floor = building?.floors.find((f) => f.id === floorId);
  if (!building || !floor) return err('not_found', `school ${schoolId} has no floor ${floorId}`);
  return ok({ school, building, floor });
}
