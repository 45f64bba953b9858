import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { scopeValue, type LocalDeviceView } from '../../../shared/devices';
import type { Pt } from '../../../shared/geometry';
import type { PlanDevice, School } from '../../../shared/protocol';
import { fetchSchoolPlan, putFloorPlan } from '../../lib/backend-http';
import { consoleClient } from '../../lib/console-api';
import { inlineText } from '../../lib/text';
import { newUuid } from '../../lib/uuid';
import { useCatalogStore } from '../catalog/store';
import { acceptPlan } from '../plan-editor/plan-sync';
import { PositionPicker } from '../plan-editor/PositionPicker';
import { useSessionStore } from '../session/store';

/** A still image of one profile, fetched by services (Digest, bounded) when the operator asks. */
export function ProfileSnapshot({ deviceKey, profileToken }: { deviceKey: string; profileToken: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<{ src: string | null; error: string | null; loading: boolean }>({ src: null, error: null, loading: false });
  const load = () => {
    setState((s) => ({ ...s, loading: true, error: null }));
    consoleClient()['devices.snapshot']({ key: deviceKey, profileToken })
      .then((shot) => setState({ src: `data:${shot.contentType};base64,${shot.dataBase64}`, error: null, loading: false }))
      .catch((e: unknown) => setState({ src: null, error: e instanceof Error ? e.message : String(e), loading: false }));
  };
  return (
    <span className="device-snapshot">
      <button type="button" className="btn btn-quiet" data-testid="device-snapshot-load" disabled={state.loading} onClick={load}>
        {state.loading ? t('devices.snapshotLoading') : state.src ? t('devices.snapshotAgain') : t('devices.snapshot')}
      </button>
      {state.src && <img src={state.src} alt={t('devices.snapshotAlt', { profile: profileToken })} data-testid="device-snapshot" />}
      {state.error && (
        <span className="devices-error" role="alert" data-testid="device-snapshot-error">
          {inlineText(state.error, 200)}
        </span>
      )}
    </span>
  );
}

/**
 * Which catalog camera this local device is: a school of the operator's scope, then one of its
 * cameras (by building and floor). The mapping gives the wall PTZ and local video for that camera.
 */
export function DevicePlacement({ device }: { device: LocalDeviceView }) {
  const { t } = useTranslation();
  const index = useCatalogStore((s) => s.index);
  const [schoolId, setSchoolId] = useState(device.schoolId ?? '');
  const [cameraId, setCameraId] = useState(device.cameraId ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const school = schoolId && index ? index.schools.get(schoolId) : undefined;
  const options = useMemo(() => {
    if (!school || !index) return [];
    const floorName = new Map<string, string>();
    for (const b of school.buildings) for (const f of b.floors) floorName.set(f.id, `${b.name} · ${f.name}`);
    return (index.camerasBySchool.get(school.id) ?? []).map((c) => ({ id: c.id, label: `${floorName.get(c.floorId) ?? c.floorId} · ${c.name}` })).sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  }, [school, index]);
  if (!index) return null;
  const place = (s: string | null, c: string | null) => {
    setBusy(true);
    setError(null);
    consoleClient()['devices.place']({ key: device.key, schoolId: s, cameraId: c })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setBusy(false));
  };
  const placedCamera = device.cameraId ? index.devices.get(device.cameraId) : undefined;
  return (
    <form
      className="device-placement"
      data-testid="device-placement"
      onSubmit={(e) => {
        e.preventDefault();
        if (schoolId && cameraId) place(schoolId, cameraId);
      }}
    >
      <p data-testid="device-placed">
        {device.cameraId
          ? t('devices.placedAs', { camera: inlineText(placedCamera?.name ?? device.cameraId, 120), school: inlineText(index.schools.get(device.schoolId ?? '')?.name ?? device.schoolId ?? '', 160) })
          : t('devices.notPlaced')}
      </p>
      <SchoolSelect
        testid="device-place-school"
        value={schoolId}
        onChange={(id) => {
          setSchoolId(id);
          setCameraId('');
        }}
      />
      <label>
        {t('devices.catalogCamera')}
        <select data-testid="device-place-camera" value={cameraId} disabled={!school} onChange={(e) => setCameraId(e.target.value)}>
          <option value="">—</option>
          {options.map((o) => (
            <option key={o.id} value={o.id}>
              {inlineText(o.label, 160)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="btn btn-primary" data-testid="device-place" disabled={busy || !schoolId || !cameraId}>
        {t('devices.place')}
      </button>
      {device.cameraId && (
        <button type="button" className="btn btn-quiet" data-testid="device-unplace" disabled={busy} onClick={() => place(null, null)}>
          {t('devices.unplace')}
        </button>
      )}
      {error && (
        <p className="devices-error" role="alert" data-testid="device-place-error">
          {inlineText(error, 300)}
        </p>
      )}
    </form>
  );
}

/**
 * A discovered camera that is in no catalog yet: put it on a floor of a school (a click on the
 * floor plan; the plan editor's privacy rule applies), saved to the backend as a new camera of
 * that floor, then registered as this device. It has no city stream; the wall plays it locally.
 */
export function NewCameraOnPlan({ device }: { device: LocalDeviceView }) {
  const { t } = useTranslation();
  const index = useCatalogStore((s) => s.index);
  const [schoolId, setSchoolId] = useState(device.schoolId ?? '');
  const [floorId, setFloorId] = useState('');
  const [position, setPosition] = useState<Pt | null>(null);
  const [name, setName] = useState(() => scopeValue(device.discovered.scopes, 'name') ?? device.lastCheck?.model ?? device.address);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const school = schoolId && index ? index.schools.get(schoolId) : undefined;
  const floors = useMemo(() => (school ? school.buildings.flatMap((b) => b.floors.map((f) => ({ floor: f, label: `${b.name} · ${f.name}` }))) : []), [school]);
  const floor = floors.find((f) => f.floor.id === floorId)?.floor;
  if (!index) return null;
  const add = async () => {
    const session = useSessionStore.getState().session;
    if (!session || !schoolId || !floor || !position) return;
    setBusy(true);
    setError(null);
    try {
      const { backendUrl } = session;
      const token = session.login.token;
      const plan = await fetchSchoolPlan(backendUrl, token, schoolId);
      const current = plan.school.buildings.flatMap((b) => b.floors).find((f) => f.id === floor.id);
      if (!current) throw new Error(t('devices.floorGone'));
      const onFloor: PlanDevice[] = plan.devices
        .filter((d) => d.floorId === floor.id)
        .map(({ id, kind, name: n, position: p, heading, fov }) => ({ id, kind, name: n, position: p, ...(heading !== undefined ? { heading } : {}), ...(fov !== undefined ? { fov } : {}) }));
      const cameraId = `LOCAL-${newUuid().slice(0, 8).toUpperCase()}`;
      const added: PlanDevice = { id: cameraId, kind: 'camera', name: name.trim().slice(0, 200) || device.address, position: [position[0], position[1]], heading: 0, fov: 70 };
      await putFloorPlan(backendUrl, token, schoolId, floor.id, { baseVersion: plan.version, rooms: current.rooms, devices: [...onFloor, added] });
      acceptPlan(await fetchSchoolPlan(backendUrl, token, schoolId));
      await consoleClient()['devices.place']({ key: device.key, schoolId, cameraId });
      setPosition(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <details className="device-on-plan" data-testid="device-on-plan">
      <summary>{t('devices.onPlan')}</summary>
      <div className="device-placement">
        <SchoolSelect
          testid="device-plan-school"
          value={schoolId}
          onChange={(id) => {
            setSchoolId(id);
            setFloorId('');
            setPosition(null);
          }}
        />
        <label>
          {t('devices.floor')}
          <select
            data-testid="device-plan-floor"
            value={floorId}
            disabled={!school}
            onChange={(e) => {
              setFloorId(e.target.value);
              setPosition(null);
            }}
          >
            <option value="">—</option>
            {floors.map((f) => (
              <option key={f.floor.id} value={f.floor.id}>
                {inlineText(f.label, 160)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('devices.cameraName')}
          <input type="text" data-testid="device-plan-name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
        </label>
      </div>
      {floor && <PositionPicker floor={floor} kind="camera" value={position} onChange={(p) => setPosition(p)} devices={index.devicesByFloor.get(floor.id) ?? []} />}
      <button type="button" className="btn btn-primary" data-testid="device-plan-add" disabled={busy || !floor || !position} onClick={() => void add()}>
        {t('devices.addToPlan')}
      </button>
      {error && (
        <p className="devices-error" role="alert" data-testid="device-plan-error">
          {inlineText(error, 300)}
        </p>
      )}
    </details>
  );
}

const NO_SCHOOLS: readonly School[] = [];

/** The schools of the operator's scope, by name. */
function SchoolSelect({ testid, value, onChange }: { testid: string; value: string; onChange(schoolId: string): void }) {
  const { t } = useTranslation();
  const schools = useCatalogStore((s) => s.index?.schoolList ?? NO_SCHOOLS);
  return (
    <label>
      {t('devices.school')}
      <select data-testid={testid} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">—</option>
        {schools.map((s) => (
          <option key={s.id} value={s.id}>
            {inlineText(s.name, 120)}
          </option>
        ))}
      </select>
    </label>
  );
}
