// Other consoles' plan edits: a plan.updated event (journaled like every event) makes this console
// fetch that school's plan and put it into the catalog, so plan views show the new rooms and
// devices without a restart. Versions only go forward: a replayed or older event changes nothing.
import { createLogger } from '../../../shared/log';
import { PlanUpdatedV1, type EventEnvelope, type SchoolPlan } from '../../../shared/protocol';
import { useCatalogStore } from '../catalog/store';

const log = createLogger('plan-sync');

type Loader = (schoolId: string) => Promise<SchoolPlan>;

let loader: Loader | null = null;
/** The newest plan version known per school (from events and from loads). */
const known = new Map<string, number>();
const loading = new Map<string, Promise<void>>();

/** Called at sign-in with how to fetch a school's plan; the returned function stops following. */
export function followPlanUpdates(load: Loader): () => void {
  loader = load;
  known.clear();
  return () => {
    if (loader === load) loader = null;
  };
}

export function knownPlanVersion(schoolId: string): number | null {
  return known.get(schoolId) ?? null;
}

/** Takes a plan this console already has (after its own save, or loaded for the editor). */
export function acceptPlan(plan: SchoolPlan): void {
  if ((known.get(plan.schoolId) ?? -1) > plan.version) return;
  known.set(plan.schoolId, plan.version);
  useCatalogStore.getState().patchSchool(plan);
}

/** Journaled events of any type; plan.updated ones newer than what is shown trigger a reload. */
export function applyPlanEvents(events: readonly EventEnvelope[]): void {
  for (const e of events) {
    if (e.type !== 'plan.updated' || e.v !== 1) continue;
    const p = PlanUpdatedV1.safeParse(e.payload);
    if (!p.success) continue;
    if ((known.get(p.data.schoolId) ?? -1) >= p.data.version) continue;
    void reload(p.data.schoolId, p.data.version);
  }
}

function reload(schoolId: string, version: number): Promise<void> {
  const load = loader;
  if (!load || !useCatalogStore.getState().index?.schools.has(schoolId)) return Promise.resolve();
  const running = loading.get(schoolId);
  // One fetch at a time per school; a burst of updates is served by the last fetch's answer.
  const next = (running ?? Promise.resolve()).then(async () => {
    if ((known.get(schoolId) ?? -1) >= version) return;
    try {
      acceptPlan(await load(schoolId));
    } catch (e) {
      log.warn('could not load an updated plan', { schoolId, version, error: e });
    }
  });
  loading.set(schoolId, next);
  void next.finally(() => {
    if (loading.get(schoolId) === next) loading.delete(schoolId);
  });
  return next;
}
