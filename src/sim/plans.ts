// Edited floor plans: what the plan editor saved over the generated city, with each school's plan
// version. Kept in <dataDir>/plans.json (write-then-rename), so a restart with the same data
// directory serves the same plans.
//
//   const plans = PlanBook.open(dataDir);
//   const catalog = plans.apply(toCatalog(city, url));          // the catalog with the edits in
//   const r = plans.update(user, 'GYM1', 'GYM1-B1-F1', body, catalog);   // Result<{ version }>
//
// The same rules as the editor (src/shared/geometry.ts) are checked here: the backend never holds a
// plan with a camera in a toilet, whatever client sent it.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { describePlanProblem, floorPlanProblems, roomAt } from '../shared/geometry';
import { createLogger } from '../shared/log';
import { Device, Room, type Catalog, type FloorPlanUpdate, type SchoolPlan, type User } from '../shared/protocol';
import { err, ok, type Result } from '../shared/result';

const log = createLogger('sim-plans');

export const PLANS_FILE = 'plans.json';

const FloorEdit = z.strictObject({ schoolId: z.string(), rooms: z.array(Room), devices: z.array(Device) });
const PlansFile = z.strictObject({
  versions: z.record(z.string(), z.number().int().min(0)),
  floors: z.record(z.string(), FloorEdit),
});
type FloorEdit = z.infer<typeof FloorEdit>;

export class PlanBook {
  private constructor(
    private readonly file: string,
    private readonly versions: Map<string, number>,
    private readonly floors: Map<string, FloorEdit>,
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
        return new PlanBook(file, new Map(Object.entries(parsed.versions)), new Map(Object.entries(parsed.floors)));
      }
    }
    return new PlanBook(file, new Map(), new Map());
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
            buildings: s.buildings.map((b) => ({ ...b, floors: b.floors.map((f) => (this.floors.has(f.id) ? { ...f, rooms: this.floors.get(f.id)!.rooms } : f)) })),
          },
    );
    const devices = [...catalog.devices.filter((d) => !edited.has(d.floorId)), ...[...this.floors.values()].flatMap((f) => f.devices)];
    return { ...catalog, schools, devices };
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
    if (user.role === 'dispatcher') return err('forbidden', 'dispatchers cannot edit floor plans; a duty officer or the school guard can');
    if (user.scope.kind === 'school' && user.scope.schoolId !== schoolId) return err('forbidden', 'a guard can edit the plans of their own school only');
    const school = catalog.schools.find((s) => s.id === schoolId);
    if (!school) return err('not_found', `no school ${schoolId}`);
    const building = school.buildings.find((b) => b.floors.some((f) => f.id === floorId));
    const floor = building?.floors.find((f) => f.id === floorId);
    if (!building || !floor) return err('not_found', `school ${schoolId} has no floor ${floorId}`);
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
    this.floors.set(floorId, { schoolId, rooms: body.rooms, devices });
    this.versions.set(schoolId, version);
    this.save();
    log.info('plan updated', { schoolId, floorId, version, by: user.id, rooms: body.rooms.length, devices: devices.length });
    return ok({ version });
  }

  private save(): void {
    const body: z.infer<typeof PlansFile> = { versions: Object.fromEntries(this.versions), floors: Object.fromEntries(this.floors) };
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(body));
    renameSync(tmp, this.file);
  }
}
