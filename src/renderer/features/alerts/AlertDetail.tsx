// The selected alert in full: location, AI evidence, owner and workflow actions, the SOP checklist
// (steps recorded in the audit log), the related cameras (the wall's alarm pane reads them through
// selectSelectedCameraIds) and the alert's history.
import { memo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RESOLUTION_OUTCOMES, type ResolutionOutcome } from '../../../shared/protocol';
import { NETWORK_ALERT_TYPE } from '../../../shared/domain';
import { inlineText } from '../../lib/text';
import { useCatalogStore } from '../catalog/store';
import { DispatchPanel } from '../dispatch/DispatchPanel';
import { IncidentNotes } from '../dispatch/IncidentNotes';
import { isPending, useCommandsStore } from '../commands/store';
import { EvacuationPanel } from '../fire/EvacuationPanel';
import { LinkStatus } from '../network/LinkStatus';
import { isEvacuationAlert } from '../fire/use-fire';
import { sendCommand } from '../session/controller';
import { useSessionStore } from '../session/store';
import { checkSource, type SourceCheck } from '../wall/stream-choice';
import { alertTypeName } from './labels';
import { muteAlert, toggleSopStep, useLocalAlertState } from './local-actions';
import { sopFor } from './sop';
import { isBackendAlert, selectSelected, useAlertsStore } from './store';

export const AlertDetail = memo(function AlertDetail() {
  const { t, i18n } = useTranslation();
  const alert = useAlertsStore(selectSelected);
  const me = useSessionStore((s) => s.session?.login.user.id ?? null);
  const backendUrl = useSessionStore((s) => s.session?.backendUrl ?? null);
  const index = useCatalogStore((s) => s.index);
  const command = useCommandsStore((s) => (alert ? s.byAlert.get(alert.id) : undefined));
  const muted = useLocalAlertState((s) => (alert ? s.muted.has(alert.id) : false));
  const steps = useLocalAlertState((s) => (alert ? s.steps.get(alert.id) : undefined));
  const [outcome, setOutcome] = useState<ResolutionOutcome>('real');
  const [note, setNote] = useState('');
  const [escalateNote, setEscalateNote] = useState('');
  if (!alert) return null;

  const id = alert.id;
  const acts = isBackendAlert(alert) && alert.status !== 'resolved';
  const heldByOther = alert.claimedBy !== null && alert.claimedBy.id !== me;
  const mine = alert.claimedBy !== null && alert.claimedBy.id === me;
  const busy = command?.state === 'pending';
  const school = alert.schoolId ? index?.schools.get(alert.schoolId) : undefined;
  const building = school?.buildings.find((b) => b.id === alert.location.buildingId);
  const floor = building?.floors.find((f) => f.id === alert.location.floorId);
  const room = floor?.rooms.find((r) => r.id === alert.location.roomId);
  const place = [school?.name ?? alert.schoolId, building?.name, floor?.name, room?.name].filter(Boolean).map((x) => inlineText(String(x), 120));
  const snapshot = alert.evidence.snapshotUrl && backendUrl ? checkSnapshot(alert.evidence.snapshotUrl, backendUrl) : null;
  const time = (iso: string | null) => (iso ? new Date(iso).toLocaleTimeString(i18n.language) : '—');

  return (
    <section className="alert-detail" data-testid="alert-detail" data-alert-id={id} data-status={alert.status} aria-label={t('detail.title')}>
      <header className="detail-head">
        <strong>{alertTypeName(t, alert)}</strong>{' '}
        {alert.drill && (
          <span className="alert-flag alert-drill" data-testid="detail-drill">
            {t('alerts.drill')}
          </span>
        )}{' '}
        <bdi className="detail-title">{inlineText(alert.title, 300)}</bdi>
        <button type="button" className="btn btn-quiet detail-close" data-testid="detail-close" onClick={() => useAlertsStore.getState().select(null)}>
          {t('detail.close')}
        </button>
      </header>
      <dl className="detail-facts">
        <dt>{t('detail.location')}</dt>
        <dd data-testid="detail-location">
          <bdi>{place.length > 0 ? place.join(' › ') : t('alerts.noSchool')}</bdi>
        </dd>
        <dt>{t('detail.owner')}</dt>
        <dd data-testid="detail-owner">{alert.claimedBy ? (mine ? t('alerts.claimedByYou') : <bdi>{inlineText(alert.claimedBy.name, 100)}</bdi>) : t('detail.nobody')}</dd>
        {alert.evidence.confidence !== null && (
          <>
            <dt>{t('detail.confidence')}</dt>
            <dd data-testid="detail-confidence">{Math.round(alert.evidence.confidence * 100)}%</dd>
          </>
        )}
        {alert.evidence.watchlist && (
          <>
            <dt>{t('detail.watchlist')}</dt>
            <dd data-testid="detail-watchlist">
              <bdi>
                {inlineText(alert.evidence.watchlist.subject, 120)} ({inlineText(alert.evidence.watchlist.listName, 120)}, {Math.round(alert.evidence.watchlist.score * 100)}%)
              </bdi>
            </dd>
          </>
        )}
        <dt>{t('detail.cameras')}</dt>
        <dd data-testid="detail-cameras">{alert.cameraIds.length > 0 ? alert.cameraIds.map((c) => index?.devices.get(c)?.name ?? c).map((n) => inlineText(n, 80)).join(', ') : '—'}</dd>
        <dt>{t('detail.history')}</dt>
        <dd data-testid="detail-history">
          {t('detail.raisedAt', { time: time(alert.at) })}
          {alert.ackAt && alert.ackBy && <> · {t('alerts.ackedByTitle', { name: inlineText(alert.ackBy.name, 100), time: time(alert.ackAt) })}</>}
          {alert.escalationLevel > 0 && <> · {t('alerts.escalated', { level: alert.escalationLevel })}</>}
          {alert.feedback && <> · {t(`detail.feedback.${alert.feedback}`)}</>}
          {alert.resolution && (
            <>
              {' · '}
              {t('detail.resolvedBy', { name: inlineText(alert.resolution.by.name, 100), outcome: t(`detail.outcome.${alert.resolution.outcome}`) })}: <bdi>{inlineText(alert.resolution.note, 300)}</bdi>
            </>
          )}
        </dd>
      </dl>
      {snapshot?.ok && <Snapshot key={`${id}|${snapshot.url}`} url={snapshot.url} />}
      {snapshot && !snapshot.ok && (
        <p className="detail-snapshot-refused" data-testid="detail-snapshot-refused" data-reason={snapshot.reason}>
          {t(`detail.snapshotRefused.${snapshot.reason === 'origin' || snapshot.reason === 'scheme' ? snapshot.reason : 'malformed'}`, { origin: inlineText(snapshot.detail, 120) })}
        </p>
      )}
      {alert.schoolId && isEvacuationAlert(alert) && <EvacuationPanel schoolId={alert.schoolId} alertId={id} />}
      {alert.schoolId && alert.type === NETWORK_ALERT_TYPE && <LinkStatus schoolId={alert.schoolId} />}

      {acts && (
        <div className="detail-actions">
          {alert.claimedBy === null && (
            <button type="button" className="btn" data-testid="detail-claim" disabled={busy} onClick={() => void sendCommand({ kind: 'alert.claim', alertId: id })}>
              {t('alerts.claim')}
            </button>
          )}
          {mine && (
            <button type="button" className="btn btn-quiet" data-testid="detail-release" disabled={busy} onClick={() => void sendCommand({ kind: 'alert.release', alertId: id })}>
              {t('detail.release')}
            </button>
          )}
          {alert.status === 'new' && !muted && (
            <button type="button" className="btn btn-quiet" data-testid="detail-mute" onClick={() => muteAlert(id)}>
              {t('detail.mute')}
            </button>
          )}
          {!heldByOther && (
            <>
              <button type="button" className="btn" data-testid="detail-confirm" disabled={busy || alert.feedback === 'confirmed'} onClick={() => void sendCommand({ kind: 'alert.feedback', alertId: id, verdict: 'confirmed' })}>
                {t('detail.confirm')}
              </button>
              <button type="button" className="btn" data-testid="detail-false-alarm" disabled={busy || alert.feedback === 'false_alarm'} onClick={() => void sendCommand({ kind: 'alert.feedback', alertId: id, verdict: 'false_alarm' })}>
                {t('detail.falseAlarm')}
              </button>
            </>
          )}
        </div>
      )}
      {acts && heldByOther && (
        <p className="detail-held" data-testid="detail-held">
          {t('detail.heldBy', { name: inlineText(alert.claimedBy!.name, 100) })}
        </p>
      )}
      {acts && !heldByOther && (
        <div className="detail-forms">
          <form
            className="detail-form"
            onSubmit={(e) => {
              e.preventDefault();
              void sendCommand({ kind: 'alert.escalate', alertId: id, ...(escalateNote.trim() ? { note: escalateNote.trim() } : {}) }).then(() => setEscalateNote(''));
            }}
          >
            <input className="input" data-testid="escalate-note" value={escalateNote} maxLength={2000} placeholder={t('detail.escalateNote')} aria-label={t('detail.escalateNote')} onChange={(e) => setEscalateNote(e.target.value)} />
            <button type="submit" className="btn" data-testid="detail-escalate" disabled={busy || isPending(command, 'alert.escalate')}>
              {t('detail.escalate')}
            </button>
          </form>
          <form
            className="detail-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (!note.trim()) return;
              void sendCommand({ kind: 'alert.resolve', alertId: id, outcome, note: note.trim() }).then(() => setNote(''));
            }}
          >
            <select className="input" data-testid="resolve-outcome" value={outcome} aria-label={t('detail.outcomeLabel')} onChange={(e) => setOutcome(e.target.value as ResolutionOutcome)}>
              {RESOLUTION_OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {t(`detail.outcome.${o}`)}
                </option>
              ))}
            </select>
            <input className="input" data-testid="resolve-note" value={note} maxLength={2000} required placeholder={t('detail.resolveNote')} aria-label={t('detail.resolveNote')} onChange={(e) => setNote(e.target.value)} />
            <button type="submit" className="btn btn-resolve" data-testid="detail-resolve" disabled={busy || note.trim().length === 0}>
              {t('detail.resolve')}
            </button>
          </form>
        </div>
      )}

      <DispatchPanel alert={alert} />
      <IncidentNotes alert={alert} />

      <div className="detail-sop" data-testid="detail-sop">
        <h3 className="detail-sub">{t('detail.sop')}</h3>
        <ul>
          {sopFor(alert.type, alert.recognized).map((step) => (
            <li key={step}>
              <label>
                <input type="checkbox" data-testid={`sop-${step}`} checked={steps?.has(step) ?? false} onChange={() => toggleSopStep(id, step)} /> {t(`sop.${step}`)}
              </label>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
});

/** The AI evidence still; says so when it cannot be loaded rather than showing a broken image. */
function Snapshot({ url }: { url: string }) {
  const { t } = useTranslation();
  const [failed, setFailed] = useState(false);
  if (failed) {
    return (
      <p className="detail-snapshot-refused" data-testid="detail-snapshot-failed">
        {t('detail.snapshotFailed')}
      </p>
    );
  }
  return <img className="detail-snapshot" data-testid="detail-snapshot" src={url} alt={t('detail.snapshotAlt')} onError={() => setFailed(true)} />;
}

/**
 * Snapshots are shown only from the backend's own media origin (the CSP allows nothing else
 * anyway); a relative URL is on that origin. Anything else is refused with the reason.
 */
export function checkSnapshot(raw: string, backendUrl: string): SourceCheck {
  let absolute: string;
  try {
    absolute = new URL(raw, backendUrl).href;
  } catch {
    return { ok: false, reason: 'malformed', detail: raw.slice(0, 120) };
  }
  return checkSource(absolute, backendUrl);
}
