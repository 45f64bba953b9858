// A school's evacuation at a glance: people inside with their trend, every turnstile's unlock
// (commanded -> confirmed / failed, or overdue by this console's clock), and "unlock all" for the
// roles allowed to give it (the school's guard, the duty officer), with a confirmation step. The
// command is audited like every operator command (actions.record in the link) and its answer shows
// in the command notices.
import { memo, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { canUnlockTurnstiles, commandSubject, type Device } from '../../../shared/protocol';
import { useNow } from '../../lib/clock';
import { inlineText } from '../../lib/text';
import { useCatalogStore } from '../catalog/store';
import { useCommandsStore } from '../commands/store';
import { sendCommand } from '../session/controller';
import { selectUser, useSessionStore } from '../session/store';
import { HISTORY_MS, trend, unlockDisplay, type Headcount } from './evacuation-fold';
import { selectHeadcount, selectUnlock, useEvacuationStore } from './evacuation-store';
import './fire.css';

const TREND_WINDOW_MS = 120_000;
const NO_DEVICES: readonly Device[] = [];

export const EvacuationPanel = memo(function EvacuationPanel({ schoolId, alertId }: { schoolId: string; alertId?: string }) {
  const { t } = useTranslation();
  const index = useCatalogStore((s) => s.index);
  const devices = index?.devicesBySchool.get(schoolId) ?? NO_DEVICES;
  const turnstiles = useMemo(() => devices.filter((d) => d.kind === 'turnstile'), [devices]);
  const school = index?.schools.get(schoolId);
  return (
    <section className="evacuation" data-testid="evacuation" data-school-id={schoolId} aria-label={t('fire.title')}>
      <h3 className="detail-sub">{t('fire.title')}</h3>
      <PeopleInside schoolId={schoolId} />
      <h4 className="evacuation-sub">{t('fire.turnstiles')}</h4>
      {turnstiles.length === 0 ? (
        <p className="empty">{t('fire.noTurnstiles')}</p>
      ) : (
        <ul className="turnstile-list" data-testid="evacuation-turnstiles">
          {turnstiles.map((d) => (
            <TurnstileRow key={d.id} device={d} />
          ))}
        </ul>
      )}
      {turnstiles.length > 0 && <UnlockAll schoolId={schoolId} schoolName={school?.name ?? schoolId} alertId={alertId} />}
    </section>
  );
});

const PeopleInside = memo(function PeopleInside({ schoolId }: { schoolId: string }) {
  const { t } = useTranslation();
  const h = useEvacuationStore(selectHeadcount(schoolId));
  const now = useNow();
  const delta = h ? trend(h.history, now, TREND_WINDOW_MS) : null;
  return (
    <div className="people-inside" data-testid="people-inside" data-inside={h?.inside ?? ''} data-trend={delta ?? ''}>
      <span className="people-label">{t('fire.peopleInside')}</span>{' '}
      <strong className="people-count" data-testid="people-inside-count">
        {h?.inside ?? t('fire.insideUnknown')}
      </strong>{' '}
      {h?.inside !== null && h !== undefined && (
        <span className={`people-trend${delta !== null && delta < 0 ? ' is-falling' : ''}`} data-testid="people-inside-trend">
          {delta === null || delta === 0 ? t('fire.trendNone') : t('fire.trend', { delta: delta > 0 ? `+${delta}` : `−${-delta}`, minutes: TREND_WINDOW_MS / 60_000 })}
        </span>
      )}
      {h && h.history.length > 1 && <Sparkline history={h.history} now={now} />}
    </div>
  );
});

/** People inside over the last minutes as a small line; the scale starts at zero so a fall reads as one. */
function Sparkline({ history, now }: { history: Headcount['history']; now: number }) {
  const { t } = useTranslation();
  const W = 120;
  const H = 24;
  // From the first sample (at most HISTORY_MS back, at least a minute) to now.
  const span = Math.min(HISTORY_MS, Math.max(60_000, now - history[0]!.t));
  const from = now - span;
  const max = Math.max(1, ...history.map((s) => s.inside));
  const pts = [...history, { t: now, inside: history[history.length - 1]!.inside }].map(
    (s) => `${(((Math.min(now, Math.max(s.t, from)) - from) / span) * W).toFixed(1)},${(H - (s.inside / max) * H).toFixed(1)}`,
  );
  const label = t('fire.sparkline', { minutes: Math.round(span / 60_000) });
  return (
    <svg className="sparkline" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} data-testid="people-inside-sparkline">
      <title>{label}</title>
      <polyline points={pts.join(' ')} />
    </svg>
  );
}

const TurnstileRow = memo(function TurnstileRow({ device }: { device: Device }) {
  const { t } = useTranslation();
  const u = useEvacuationStore(selectUnlock(device.id));
  const now = useNow();
  const shown = u ? unlockDisplay(u, now) : 'none';
  const stateText = shown === 'overdue' ? t('fire.state.overdue', { seconds: Math.round(u!.limitMs / 1000) }) : t(`fire.state.${shown}`);
  const cause = u ? (u.cause === 'operator' ? t('fire.cause.operator', { name: inlineText(u.by?.name ?? '?', 80) }) : t('fire.cause.fire')) : null;
  return (
    <li className={`turnstile-row unlock-${shown}`} data-testid="evacuation-turnstile" data-device-id={device.id} data-unlock={shown}>
      <span className="unlock-dot" aria-hidden="true" />
      <bdi className="turnstile-name">{inlineText(device.name, 120)}</bdi>
      <span className="turnstile-state">{stateText}</span>
      {cause && <span className="turnstile-cause">({cause})</span>}
      {u?.reason && <bdi className="turnstile-reason">{inlineText(u.reason, 200)}</bdi>}
    </li>
  );
});

function UnlockAll({ schoolId, schoolName, alertId }: { schoolId: string; schoolName: string; alertId: string | undefined }) {
  const { t } = useTranslation();
  const user = useSessionStore(selectUser);
  const pending = useCommandsStore((s) => s.byAlert.get(commandSubject({ kind: 'school.unlock_turnstiles', schoolId }))?.state === 'pending');
  const [confirming, setConfirming] = useState(false);
  if (!user || !canUnlockTurnstiles(user, schoolId)) {
    return (
      <p className="unlock-not-allowed" data-testid="unlock-not-allowed">
        {t('fire.unlockNotAllowed')}
      </p>
    );
  }
  if (!confirming) {
    return (
      <button type="button" className="btn btn-danger" data-testid="unlock-all" disabled={pending} onClick={() => setConfirming(true)}>
        {t('fire.unlockAll')}
      </button>
    );
  }
  return (
    <div className="unlock-confirm" role="alertdialog" aria-label={t('fire.unlockAll')} data-testid="unlock-confirm">
      <p>
        <bdi>{t('fire.unlockConfirm', { school: inlineText(schoolName, 200) })}</bdi>
      </p>
      <button
        type="button"
        className="btn btn-danger"
        data-testid="unlock-all-yes"
        disabled={pending}
        onClick={() => {
          setConfirming(false);
          void sendCommand({ kind: 'school.unlock_turnstiles', schoolId, ...(alertId ? { alertId } : {}) });
        }}
      >
        {t('fire.unlockYes')}
      </button>{' '}
      <button type="button" className="btn btn-quiet" data-testid="unlock-all-cancel" onClick={() => setConfirming(false)}>
        {t('fire.unlockCancel')}
      </button>
    </div>
  );
}
