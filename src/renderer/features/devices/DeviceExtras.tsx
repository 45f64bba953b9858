import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LocalDeviceView } from '../../../shared/devices';
import { consoleClient } from '../../lib/console-api';
import { inlineText } from '../../lib/text';
import { useCatalogStore } from '../catalog/store';

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
      <label>
        {t('devices.school')}
        <select
          data-testid="device-place-school"
          value={schoolId}
          onChange={(e) => {
            setSchoolId(e.target.value);
            setCameraId('');
          }}
        >
          <option value="">—</option>
          {index.schoolList.map((s) => (
            <option key={s.id} value={s.id}>
              {inlineText(s.name, 120)}
            </option>
          ))}
        </select>
      </label>
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
