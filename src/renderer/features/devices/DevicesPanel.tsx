import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ACCEPT_INSECURE_VAULT_SETTING, scopeValue, type LocalDeviceView, type VaultStatusView } from '../../../shared/devices';
import { consoleClient } from '../../lib/console-api';
import { inlineText } from '../../lib/text';
import { DevicePlacement, NewCameraOnPlan, ProfileSnapshot } from './DeviceExtras';
import { useDevicesStore } from './store';
import './devices.css';

/** Local ONVIF devices: discovery, what each device answered, and how it matches the catalog. */
export function DevicesPanel() {
  const { t } = useTranslation();
  const setOpen = useDevicesStore((s) => s.setOpen);
  const refresh = useDevicesStore((s) => s.refresh);
  const onProgress = useDevicesStore((s) => s.onProgress);
  const error = useDevicesStore((s) => s.error);

  useEffect(() => {
    void refresh();
    const client = consoleClient();
    const offProgress = client.on('devices.progress', onProgress);
    const offChanged = client.on('devices.changed', () => void refresh());
    return () => {
      offProgress();
      offChanged();
    };
  }, [refresh, onProgress]);

  return (
    <div className="devices-panel" role="dialog" aria-modal="false" aria-labelledby="devices-title" data-testid="devices-panel">
      <div className="devices-head">
        <h2 id="devices-title">{t('devices.title')}</h2>
        <button type="button" className="btn btn-quiet" data-testid="devices-close" onClick={() => setOpen(false)}>
          {t('devices.close')}
        </button>
      </div>
      <VaultNotice />
      <DiscoveryForm />
      {error && (
        <p className="devices-error" role="alert" data-testid="devices-error">
          {inlineText(error, 300)}
        </p>
      )}
      <DeviceTable />
      <DeviceDetail />
    </div>
  );
}

function VaultNotice() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<VaultStatusView | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [understood, setUnderstood] = useState(false);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let live = true;
    consoleClient()['devices.vaultStatus']({})
      .then((s) => live && setStatus(s))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [generation]);
  if (!status) return null;
  const accept = (value: boolean) => {
    void consoleClient()['settings.set']({ key: ACCEPT_INSECURE_VAULT_SETTING, value })
      .then(() => {
        setConfirming(false);
        setUnderstood(false);
        setGeneration((g) => g + 1);
      })
      .catch(() => undefined);
  };
  const key = !status.persistent ? (status.backend ? 'devices.vault.insecure' : 'devices.vault.session') : status.secure ? 'devices.vault.persistent' : 'devices.vault.riskAccepted';
  // Only an insecure OS backend (Linux basic_text) can be accepted; with no vault there is nothing to accept.
  const acceptable = status.backend !== null && !status.secure;
  return (
    <div className="devices-vault" data-testid="devices-vault" data-persistent={String(status.persistent)} data-backend={status.backend ?? ''}>
      <p>{t(key, { backend: status.backend ?? '' })}</p>
      {acceptable && !status.riskAccepted && !confirming && (
        <button type="button" className="btn" data-testid="vault-accept-open" onClick={() => setConfirming(true)}>
          {t('devices.vault.acceptOpen')}
        </button>
      )}
      {acceptable && !status.riskAccepted && confirming && (
        <div className="vault-accept" role="group" aria-label={t('devices.vault.acceptOpen')}>
          <p>{t('devices.vault.acceptRisk', { backend: status.backend })}</p>
          <label>
            <input type="checkbox" data-testid="vault-accept-understood" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} />
            {t('devices.vault.acceptUnderstood')}
          </label>
          <button type="button" className="btn btn-primary" data-testid="vault-accept" disabled={!understood} onClick={() => accept(true)}>
            {t('devices.vault.accept')}
          </button>
          <button type="button" className="btn btn-quiet" onClick={() => setConfirming(false)}>
            {t('devices.cancel')}
          </button>
        </div>
      )}
      {acceptable && status.riskAccepted && (
        <button type="button" className="btn btn-quiet" data-testid="vault-revoke" onClick={() => accept(false)}>
          {t('devices.vault.revoke')}
        </button>
      )}
    </div>
  );
}

function DiscoveryForm() {
  const { t } = useTranslation();
  const [multicast, setMulticast] = useState(true);
  const [range, setRange] = useState('');
  const discovering = useDevicesStore((s) => s.discovering);
  const progress = useDevicesStore((s) => s.progress);
  const lastRun = useDevicesStore((s) => s.lastRun);
  const discover = useDevicesStore((s) => s.discover);
  const cancel = useDevicesStore((s) => s.cancel);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const r = range.trim();
    void discover({ multicast, ...(r ? { range: r } : {}) });
  };
  return (
    <form className="devices-discovery" onSubmit={submit}>
      <label>
        <input type="checkbox" data-testid="devices-multicast" checked={multicast} onChange={(e) => setMulticast(e.target.checked)} />
        {t('devices.multicast')}
      </label>
      <label>
        {t('devices.range')}
        <input type="text" data-testid="devices-range" value={range} placeholder="10.1.2.0/24" onChange={(e) => setRange(e.target.value)} maxLength={32} />
      </label>
      {discovering ? (
        <button type="button" className="btn" data-testid="devices-cancel" onClick={() => void cancel()}>
          {t('devices.cancel')}
        </button>
      ) : (
        <button type="submit" className="btn btn-primary" data-testid="devices-discover" disabled={!multicast && !range.trim()}>
          {t('devices.discover')}
        </button>
      )}
      <span className="devices-progress" data-testid="devices-progress" aria-live="polite">
        {discovering && progress
          ? t('devices.progress', { phase: t(`devices.phase.${progress.phase}`), sent: progress.probesSent, found: progress.found, rejected: progress.rejected })
          : lastRun
            ? t('devices.summary', { found: lastRun.found, rejected: lastRun.rejected })
            : ''}
      </span>
    </form>
  );
}

function DeviceTable() {
  const { t } = useTranslation();
  const devices = useDevicesStore((s) => s.devices);
  const selected = useDevicesStore((s) => s.selected);
  const select = useDevicesStore((s) => s.select);
  if (devices.length === 0) return <p className="empty" data-testid="devices-empty">{t('devices.empty')}</p>;
  return (
    <table className="devices-table" data-testid="devices-table">
      <thead>
        <tr>
          <th>{t('devices.col.address')}</th>
          <th>{t('devices.col.name')}</th>
          <th>{t('devices.col.model')}</th>
          <th>{t('devices.col.firmware')}</th>
          <th>{t('devices.col.profiles')}</th>
          <th>{t('devices.col.catalog')}</th>
          <th>{t('devices.col.check')}</th>
        </tr>
      </thead>
      <tbody>
        {devices.map((d) => (
          <tr
            key={d.key}
            data-testid="device-row"
            data-address={d.address}
            aria-selected={selected === d.key}
            tabIndex={0}
            onClick={() => select(d.key)}
            onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && select(d.key)}
          >
            <td>{d.address}</td>
            <td>{inlineText(scopeValue(d.discovered.scopes, 'name') ?? '', 80)}</td>
            <td data-testid="device-model">{inlineText([d.lastCheck?.manufacturer, d.lastCheck?.model].filter(Boolean).join(' '), 120)}</td>
            <td>{inlineText(d.lastCheck?.firmware ?? '', 60)}</td>
            <td>{d.lastCheck?.state === 'ok' ? d.lastCheck.profiles.length : ''}</td>
            <td data-testid="device-reconciliation" data-state={d.reconciliation}>
              {t(`devices.reconciliation.${d.reconciliation}`)}
              {d.previousAddress ? ` (${d.previousAddress})` : ''}
            </td>
            <td data-testid="device-state" data-state={d.lastCheck?.state ?? 'unchecked'}>
              {t(`devices.state.${d.lastCheck?.state ?? 'unchecked'}`)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DeviceDetail() {
  const selected = useDevicesStore((s) => s.selected);
  const device = useDevicesStore((s) => s.devices.find((d) => d.key === s.selected));
  if (!selected || !device) return null;
  return <DeviceCard key={device.key} device={device} />;
}

function DeviceCard({ device }: { device: LocalDeviceView }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(false);
  const checking = useDevicesStore((s) => s.checking === device.key);
  const lastCheck = useDevicesStore((s) => (s.lastCheck?.key === device.key ? s.lastCheck : null));
  const check = useDevicesStore((s) => s.check);
  const result = device.lastCheck;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void check(device.key, username ? { username, password } : null, remember);
    setPassword('');
  };
  return (
    <section className="local-device-card" data-testid="device-card" aria-label={device.address}>
      <p className="device-xaddr">{inlineText(device.xaddr, 300)}</p>
      {device.discovered.warnings.length > 0 && (
        <ul className="device-warnings" data-testid="device-warnings">
          {device.discovered.warnings.map((w) => (
            <li key={w}>{inlineText(w, 300)}</li>
          ))}
        </ul>
      )}
      <form className="device-check" onSubmit={submit}>
        <label>
          {t('devices.username')}
          <input type="text" autoComplete="off" data-testid="device-username" value={username} onChange={(e) => setUsername(e.target.value)} maxLength={128} />
        </label>
        <label>
          {t('devices.password')}
          <input type="password" autoComplete="off" data-testid="device-password" value={password} onChange={(e) => setPassword(e.target.value)} maxLength={256} />
        </label>
        <label>
          <input type="checkbox" data-testid="device-remember" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
          {t('devices.remember')}
        </label>
        <button type="submit" className="btn btn-primary" data-testid="device-check" disabled={checking}>
          {checking ? t('devices.checking') : t('devices.check')}
        </button>
      </form>
      {lastCheck && lastCheck.persisted === false && (
        <p className="devices-vault" data-testid="device-not-persisted">
          {t('devices.notPersisted')}
        </p>
      )}
      {result && (
        <div className="device-result" data-testid="device-result" data-state={result.state}>
          <p>
            <strong>{t(`devices.state.${result.state}`)}</strong>
            {result.state !== 'ok' && result.detail ? ` — ${inlineText(result.detail, 300)}` : ''}
          </p>
          {result.clockSkewMs !== null && Math.abs(result.clockSkewMs) >= 5_000 && (
            <p data-testid="device-skew">{t('devices.skew', { seconds: Math.round(result.clockSkewMs / 1000) })}</p>
          )}
          {result.state === 'ok' && (
            <>
              <p>
                {inlineText(`${result.manufacturer ?? ''} ${result.model ?? ''}`, 200)} · {t('devices.col.firmware')} {inlineText(result.firmware ?? '', 60)} ·{' '}
                {t('devices.serial')} {inlineText(result.serial ?? '', 60)} · {t(result.ptz ? 'devices.ptzYes' : 'devices.ptzNo')}
              </p>
              <ul className="device-profiles" data-testid="device-profiles">
                {result.profiles.map((p) => (
                  <li key={p.token} data-testid="device-profile">
                    <bdi>{inlineText(p.name, 80)}</bdi> {p.encoding ?? ''} {p.width && p.height ? `${p.width}×${p.height}` : ''}{' '}
                    <code>{inlineText(p.streamUri ?? '—', 300)}</code> {p.snapshotUri && <ProfileSnapshot deviceKey={device.key} profileToken={p.token} />}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      <DevicePlacement key={device.cameraId ?? ''} device={device} />
      {!device.cameraId && <NewCameraOnPlan device={device} />}
    </section>
  );
}
