// The open plan editor: one floor's draft (rooms, devices, background), the tool in hand, the last
// refusal, and loading/saving. Saving keeps a local version (console API) and then sends the floor
// to the backend (a new background image first, then the floor naming it), which publishes
// plan.updated for the other consoles. Unsent (backend away), the local version waits: reopened,
// the draft comes back with its background, and the next save sends both.
import { create } from 'zustand';
import type { Pt } from '../../../shared/geometry';
import { createLogger } from '../../../shared/log';
import type { BackgroundPlacement, PlanBackground } from '../../../shared/plan-editor';
import type { Floor, FloorPlanUpdate, PlanDevice, Room } from '../../../shared/protocol';
import { BackendError, fetchSchoolPlan, putFloorPlan, uploadFloorBackground } from '../../lib/backend-client';
import { fromBase64 } from '../../lib/base64';
import { errorRef, type ErrorRef } from '../../lib/errors';
import { newUuid } from '../../lib/uuid';
import { consoleApi } from '../session/controller';
import { useLinkStore } from '../link/store';
import { useSessionStore } from '../session/store';
import { addRoom, moveDevice, placeDevice, resendOnReturn, setRoomKind, setRoomPolygon, snap, type DeviceKind, type DraftContent, type Edit, type Refusal, type RoomKind } from './model';
import { loadFloorBackground } from './backgrounds';
import { acceptPlan } from './plan-sync';

const log = createLogger('plan-editor');

export type Tool = 'select' | 'room' | DeviceKind;
export type Selection = { kind: 'room' | 'device'; id: string } | null;

const DEFAULT_FOV = 70;

export interface PlanEditorStore {
  target: { schoolId: string; floorId: string } | null;
  status: 'idle' | 'loading' | 'ready' | 'saving' | 'error';
  /** Why the floor could not be opened. */
  error: ErrorRef | null;
  importError: ErrorRef | null;
  saveError: ErrorRef | null;
  floor: Floor | null;
  baseVersion: number;
  rooms: Room[];
  devices: PlanDevice[];
  background: PlanBackground | null;
  placement: BackgroundPlacement | null;
  /** The background was changed here (or comes with a resumed draft): the next save sends it. */
  sendBackground: boolean;
  /** The floor has a background on the backend that could not be loaded (a save leaves it alone). */
  backgroundLoadFailed: boolean;
  tool: Tool;
  newRoomKind: RoomKind;
  drawing: [number, number][];
  selection: Selection;
  refusal: Refusal | null;
  /** Saved locally as this version and accepted by the backend as `sent` (null while not sent). */
  saved: { version: number; sent: number | null } | null;
  /** The draft a save kept locally but could not send (backend away); sent when the link is back. */
  unsent: DraftContent | null;
  dirty: boolean;
  importing: boolean;

  open(schoolId: string, floorId: string): Promise<void>;
  close(): void;
  setTool(tool: Tool): void;
  setNewRoomKind(kind: RoomKind): void;
  /** A click on the floor with the current tool. */
  clickAt(p: Pt): void;
  finishRoom(): void;
  select(selection: Selection): void;
  moveDevice(id: string, p: Pt): void;
  aimDevice(id: string, change: { heading?: number; fov?: number }): void;
  renameSelected(name: string): void;
  setRoomKind(id: string, kind: RoomKind): void;
  moveRoomCorner(id: string, index: number, p: Pt): void;
  deleteSelected(): void;
  importBackground(fileName: string, data: string): Promise<void>;
  refuseFile(error: ErrorRef): void;
  setBackgroundOpacity(opacity: number): void;
  removeBackground(): void;
  dismissRefusal(): void;
  save(): Promise<boolean>;
  reset(): void;
}

const initial = {
  target: null,
  status: 'idle' as const,
  error: null,
  importError: null,
  saveError: null,
  floor: null,
  baseVersion: 0,
  rooms: [],
  devices: [],
  background: null,
  placement: null,
  sendBackground: false,
  backgroundLoadFailed: false,
  tool: 'select' as Tool,
  newRoomKind: 'classroom' as RoomKind,
  drawing: [],
  selection: null,
  refusal: null,
  saved: null,
  unsent: null,
  dirty: false,
  importing: false,
};

function session() {
  const s = useSessionStore.getState().session;
  const api = consoleApi();
  if (!s || !api) throw new Error('not signed in');
  return { backendUrl: s.backendUrl, token: s.login.token, api, operator: s.login.user.name };
}

const shortId = () => newUuid().replace(/-/g, '').slice(0, 8);

export const usePlanEditorStore = create<PlanEditorStore>()((set, get) => {
  /** Applies an edit, or keeps the draft and shows the refusal. */
  const apply = <T>(edit: Edit<T>, patch: (value: T) => Partial<PlanEditorStore>): boolean => {
    if (!edit.ok) {
      set({ refusal: edit.refusal });
      return false;
    }
    set({ ...patch(edit.value), refusal: null, dirty: true });
    return true;
  };

  return {
    ...initial,

    async open(schoolId, floorId) {
      set({ ...initial, target: { schoolId, floorId }, status: 'loading' });
      try {
        const { backendUrl, token, api } = session();
        const plan = await fetchSchoolPlan(backendUrl, token, schoolId);
        acceptPlan(plan);
        const floor = plan.school.buildings.flatMap((b) => b.floors).find((f) => f.id === floorId);
        if (!floor) throw new Error(`floor ${floorId} is not in the plan of ${schoolId}`);
        const devices: PlanDevice[] = plan.devices
          .filter((d) => d.floorId === floorId)
          .map(({ id, kind, name, position, heading, fov }) => ({ id, kind, name, position, ...(heading !== undefined ? { heading } : {}), ...(fov !== undefined ? { fov } : {}) }));
        const { saved } = await api['plans.getDraft']({ schoolId, floorId });
        // An unsent local draft made on the plan as it still is comes back, with its background; a
        // draft overtaken by someone else's save does not: the floor is as the backend has it.
        const resume = Boolean(saved && saved.sentVersion === null && saved.draft.baseVersion === plan.version);
        let background: PlanBackground | null = null;
        let placement: BackgroundPlacement | null = null;
        let backgroundLoadFailed = false;
        if (resume && saved?.background && saved.draft.background) {
          background = saved.background;
          placement = saved.draft.background.placement;
        } else if (!resume && floor.background) {
          try {
            background = await loadFloorBackground(schoolId, floor.background.id);
            placement = floor.background.placement;
          } catch (e) {
            log.warn('the floor’s background could not be loaded', { schoolId, floorId, error: e });
            backgroundLoadFailed = true;
          }
        }
        if (get().target?.floorId !== floorId) return;
        set({
          status: 'ready',
          floor,
          baseVersion: plan.version,
          rooms: resume ? saved!.draft.rooms : floor.rooms,
          devices: resume ? saved!.draft.devices : devices,
          background,
          placement,
          sendBackground: resume,
          backgroundLoadFailed,
          saved: saved ? { version: saved.version, sent: saved.sentVersion } : null,
          dirty: resume,
        });
      } catch (e) {
        log.warn('could not open the plan editor', { schoolId, floorId, error: e });
        set({ status: 'error', error: errorRef(e) });
      }
    },

    close: () => set({ ...initial }),
    setTool: (tool) => set({ tool, drawing: [], refusal: null }),
    setNewRoomKind: (newRoomKind) => set({ newRoomKind }),

    clickAt(p) {
      const s = get();
      if (!s.floor || !s.target) return;
      const at = snap(p);
      if (s.tool === 'room') {
        set({ drawing: [...s.drawing, at] });
        return;
      }
      if (s.tool === 'select') {
        set({ selection: null });
        return;
      }
      const kind = s.tool;
      const id = `${s.target.schoolId}-${kind.toUpperCase().replace('_', '')}-${shortId()}`;
      const device: PlanDevice = { id, kind, name: `${kind.replace('_', ' ')} ${id.slice(-4)}`, position: at, ...(kind === 'camera' ? { heading: 0, fov: DEFAULT_FOV } : {}) };
      if (apply(placeDevice(s.rooms, s.devices, device), (devices) => ({ devices }))) set({ selection: { kind: 'device', id } });
    },

    finishRoom() {
      const s = get();
      if (!s.target || s.drawing.length < 3) return;
      const id = `${s.target.floorId}.R-${shortId()}`;
      const room: Room = { id, name: `Room ${s.rooms.length + 1}`, kind: s.newRoomKind, polygon: s.drawing };
      if (apply(addRoom(s.rooms, s.devices, room), (rooms) => ({ rooms }))) set({ drawing: [], selection: { kind: 'room', id }, tool: 'select' });
    },

    select: (selection) => set({ selection }),

    moveDevice(id, p) {
      const s = get();
      apply(moveDevice(s.rooms, s.devices, id, snap(p)), (devices) => ({ devices }));
    },

    aimDevice(id, change) {
      const clean = (v: number | undefined, lo: number, hi: number) => (v === undefined || !Number.isFinite(v) ? undefined : Math.round(Math.min(hi, Math.max(lo, v))));
      const heading = change.heading === undefined ? undefined : ((Math.round(change.heading) % 360) + 360) % 360;
      const fov = clean(change.fov, 1, 360);
      set((s) => ({
        dirty: true,
        devices: s.devices.map((d) => (d.id === id ? { ...d, ...(heading !== undefined ? { heading } : {}), ...(fov !== undefined ? { fov } : {}) } : d)),
      }));
    },

    renameSelected(name) {
      const sel = get().selection;
      if (!sel) return;
      const clipped = name.slice(0, 200);
      if (sel.kind === 'room') set((s) => ({ dirty: true, rooms: s.rooms.map((r) => (r.id === sel.id ? { ...r, name: clipped } : r)) }));
      else set((s) => ({ dirty: true, devices: s.devices.map((d) => (d.id === sel.id ? { ...d, name: clipped } : d)) }));
    },

    setRoomKind(id, kind) {
      const s = get();
      apply(setRoomKind(s.rooms, s.devices, id, kind), (rooms) => ({ rooms }));
    },

    moveRoomCorner(id, index, p) {
      const s = get();
      const room = s.rooms.find((r) => r.id === id);
      if (!room) return;
      const polygon = room.polygon.map((q, i) => (i === index ? snap(p) : q));
      apply(setRoomPolygon(s.rooms, s.devices, id, polygon), (rooms) => ({ rooms }));
    },

    deleteSelected() {
      const sel = get().selection;
      if (!sel) return;
      if (sel.kind === 'room') set((s) => ({ dirty: true, selection: null, rooms: s.rooms.filter((r) => r.id !== sel.id) }));
      else set((s) => ({ dirty: true, selection: null, devices: s.devices.filter((d) => d.id !== sel.id) }));
    },

    async importBackground(fileName, data) {
      set({ importing: true, importError: null });
      try {
        const bg = await session().api['plans.importBackground']({ fileName, data });
        const floor = get().floor;
        // Fitted to the floor's width, keeping the drawing's proportions.
        const width = floor?.width ?? bg.width;
        set({ background: bg, placement: { x: 0, y: 0, width, height: (width * bg.height) / bg.width, opacity: 0.6 }, sendBackground: true, dirty: true, importing: false });
      } catch (e) {
        log.warn('background refused', { fileName: fileName.slice(0, 120), error: e });
        set({ importing: false, importError: errorRef(e) });
      }
    },

    refuseFile: (importError) => set({ importError }),
    setBackgroundOpacity: (opacity) => set((s) => (s.placement ? { placement: { ...s.placement, opacity }, sendBackground: true, dirty: true } : {})),
    removeBackground: () => set({ background: null, placement: null, sendBackground: true, backgroundLoadFailed: false, dirty: true }),
    dismissRefusal: () => set({ refusal: null }),

    async save() {
      const s = get();
      if (!s.target || !s.floor || s.status !== 'ready') return false;
      const { schoolId, floorId } = s.target;
      set({ status: 'saving', saveError: null });
      try {
        const { backendUrl, token, api, operator } = session();
        const draft = {
          schoolId,
          floorId,
          baseVersion: s.baseVersion,
          rooms: s.rooms,
          devices: s.devices,
          background: s.background && s.placement ? { id: s.background.id, placement: s.placement } : null,
        };
        const local = await api['plans.saveDraft']({ draft, operator });
        set({ saved: { version: local.version, sent: null } });
        // Absent, the backend keeps the floor's background as it is.
        let background: FloorPlanUpdate['background'];
        if (s.sendBackground) {
          if (s.background && s.placement) {
            // The image goes first (once: the backend keeps it by its hash), then the floor names it.
            const known = s.floor.background?.id === s.background.id;
            const id = known ? s.background.id : (await uploadFloorBackground(backendUrl, token, schoolId, floorId, fromBase64(s.background.data))).id;
            background = { id, placement: s.placement };
          } else background = null;
        }
        const accepted = await putFloorPlan(backendUrl, token, schoolId, floorId, { baseVersion: s.baseVersion, rooms: s.rooms, devices: s.devices, ...(background !== undefined ? { background } : {}) });
        await api['plans.markSent']({ schoolId, floorId, version: local.version, sentVersion: accepted.version, operator });
        const plan = await fetchSchoolPlan(backendUrl, token, schoolId);
        acceptPlan(plan);
        const floor = plan.school.buildings.flatMap((b) => b.floors).find((f) => f.id === floorId) ?? s.floor;
        set({ status: 'ready', floor, baseVersion: accepted.version, saved: { version: local.version, sent: accepted.version }, sendBackground: false, unsent: null, dirty: false });
        return true;
      } catch (e) {
        log.warn('plan not saved', { schoolId, floorId, error: e });
        const away = e instanceof BackendError && (e.code === 'unreachable' || e.code === 'timeout');
        set({ status: 'ready', saveError: errorRef(e), unsent: away && get().saved?.sent === null ? { rooms: s.rooms, devices: s.devices, background: s.background, placement: s.placement } : null });
        return false;
      }
    },

    reset: () => set({ ...initial }),
  };
});

// The backend is back: a draft whose save could not reach it is sent now, as it was kept locally
// (an edit since waits for the operator's Save). A closed editor's draft waits for its next opening.
useLinkStore.subscribe((link, before) => {
  if (link.state !== 'live' || before.state === 'live') return;
  const editor = usePlanEditorStore.getState();
  if (!resendOnReturn(editor.unsent, editor)) return;
  log.info('sending the plan kept while the backend was away', { floorId: editor.target?.floorId });
  void editor.save();
});
