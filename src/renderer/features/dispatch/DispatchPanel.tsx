// Police dispatch for one alert, in the alert's detail: the verification state, the incident's
// dispatch timeline (every role sees it: the dispatcher, the duty officer and the school's guard
// follow the same incident) and, for a police dispatcher, the nearest available crews by ETA with
// "dispatch nearest" / "dispatch this one" and "call off". Every order is a command with an
// idempotency key whose accepted / rejected answer shows in the command notices.
import { memo, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlertView } from '../../../shared/alerts';
import { foldDispatch, isPoliceMatter, needsVerification, rankCrews, type DispatchAttempt } from '../../../shared/dispatch';
import { useNow } from '../../lib/clock';
import { inlineText } from '../../lib/text';
import { useCatalogStore } from '../catalog/store';
import { useCommandsStore } from '../commands/store';
import { sendCommand } from '../session/controller';
import { useSessionStore } from '../session/store';
import { useTelemetryStore } from '../telemetry/store';
import { crewsNow, formatDuration } from './crews-model';
import './dispatch.css';

/** Crews offered for one alert. */
const OFFERED = 5;

/** A police matter at a school (shared/dispatch.ts decides which types are). */
function isDispatchable(alert: Pick<AlertView, 'recognized' | 'type' | 'schoolId'>): boolean {
  return alert.recognized && alert.schoolId !== null && isPoliceMatter(alert.type);
}

export const DispatchPanel = memo(function DispatchPanel({ alert }: { alert: AlertView }) {
  const { t, i18n } = useTranslation();
  const role = useSessionStore((s) => s.session?.login.user.role ?? null);
  const index = useCatalogStore((s) => s.index);
  const busy = useCommandsStore((s) => s.byAlert.get(alert.id)?.state === 'pending');
  const [reason, setReason] = useState('');
  const [cancelReason, setCancelReason] = useState('');
  const timeline = useMemo(() => foldDispatch(Date.parse(alert.at), alert.dispatchSteps.map((s) => ({ ...s, at: Date.parse(s.at) }))), [alert.at, alert.dispatchSteps]);
  if (!isDispatchable(alert) && alert.dispatchSteps.length === 0) return null;
  // Why a crew went without video confirmation, why it rejected, why it was called off.
  const reasons = new Map(alert.dispatchSteps.filter((s) => s.reason).map((s) => [s.dispatchId, s.reason!] as const));

  const time = (ms: number | string) => new Date(ms).toLocaleTimeString(i18n.language);
  const callsign = (crewId: string) => inlineText(index?.crews.get(crewId)?.callsign ?? crewId, 40);
  const verify = needsVerification(alert.type);
  const verified = alert.feedback === 'confirmed';
  const dispatcher = role === 'dispatcher';
  const open = alert.status !== 'resolved';
  const current = timeline.current?.outcome === 'active' ? timeline.current : undefined;

  return (
    <section className="dispatch-panel" data-testid="dispatch-panel" aria-label={t('dispatch.title')}>
      <h3 className="detail-sub">{t('dispatch.title')}</h3>
      {alert.drill && (
        <p className="dispatch-drill" data-testid="dispatch-drill">
          {t('dispatch.drill')}
        </p>
      )}
      {verify && !alert.drill && (
        <p className={`dispatch-verify ${verified ? 'ok' : 'pending'}`} data-testid="dispatch-verification" data-verified={String(verified)}>
          {alert.feedback === 'false_alarm' && alert.feedbackBy
            ? t('dispatch.falseAlarmMarked', { name: inlineText(alert.feedbackBy.by.name, 100), time: time(alert.feedbackBy.at) })
            : verified && alert.feedbackBy
              ? t('dispatch.verifiedBy', { name: inlineText(alert.feedbackBy.by.name, 100), time: time(alert.feedbackBy.at) })
              : t('dispatch.notVerified')}
        </p>
      )}

      <Timeline attempts={timeline.attempts} reasons={reasons} callsign={callsign} time={time} />
      {(timeline.timeToDispatchMs !== undefined || timeline.timeToSceneMs !== undefined) && (
        <p className="dispatch-durations" data-testid="dispatch-durations">
          {timeline.timeToDispatchMs !== undefined && <span data-testid="time-to-dispatch">{t('dispatch.timeToDispatch', { duration: formatDuration(timeline.timeToDispatchMs) })}</span>}
          {timeline.timeToSceneMs !== undefined && <span data-testid="time-to-scene">{t('dispatch.timeToScene', { duration: formatDuration(timeline.timeToSceneMs) })}</span>}
        </p>
      )}
      {timeline.anomalies.length > 0 && <p className="dispatch-anomalies">{t('dispatch.anomalies', { count: timeline.anomalies.length })}</p>}

      {dispatcher && open && current && (
        <form
          className="detail-form"
          onSubmit={(e) => {
            e.preventDefault();
            void sendCommand({ kind: 'dispatch.cancel', alertId: alert.id, dispatchId: current.dispatchId, reason: cancelReason.trim() }).then(() => setCancelReason(''));
          }}
        >
          <input className="input" data-testid="dispatch-cancel-reason" value={cancelReason} maxLength={500} placeholder={t('dispatch.cancelReason')} aria-label={t('dispatch.cancelReason')} onChange={(e) => setCancelReason(e.target.value)} />
          <button type="submit" className="btn btn-quiet" data-testid="dispatch-cancel" disabled={busy || cancelReason.trim() === ''}>
            {t('dispatch.cancel')}
          </button>
        </form>
      )}

      {dispatcher && open && !alert.drill && isDispatchable(alert) && alert.feedback !== 'false_alarm' && (
        <NearestCrews alert={alert} busy={busy} needsReason={verify && !verified} reason={reason} setReason={setReason} />
      )}
    </section>
  );
});

function Timeline({ attempts, reasons, callsign, time }: { attempts: DispatchAttempt[]; reasons: ReadonlyMap<string, string>; callsign(id: string): string; time(ms: number): string }) {
  const { t } = useTranslation();
  if (attempts.length === 0)
    return (
      <p className="dispatch-none" data-testid="dispatch-none">
        {t('dispatch.none')}
      </p>
    );
  return (
    <ol className="dispatch-timeline" data-testid="dispatch-timeline" aria-label={t('dispatch.timeline')}>
      {attempts.map((a) => (
        <li key={a.dispatchId} data-testid="dispatch-attempt" data-crew-id={a.crewId} data-outcome={a.outcome}>
          <strong>{callsign(a.crewId)}</strong> <span className="dispatch-outcome">({t(`dispatch.outcome.${a.outcome}`)})</span>
          {reasons.get(a.dispatchId) && (
            <span className="dispatch-reason" data-testid="dispatch-reason-shown">
              {' '}
              · <bdi>{inlineText(reasons.get(a.dispatchId)!, 300)}</bdi>
            </span>
          )}
          <ul>
            {(['dispatched', 'accepted', 'en_route', 'on_scene', 'cleared'] as const).map((stage) =>
              a.times[stage] !== undefined ? (
                <li key={stage} data-testid={`stage-${stage}`} data-stage={stage}>
                  {t(`dispatch.stage.${stage}`)} {time(a.times[stage])}
                </li>
              ) : null,
            )}
            {a.outcome === 'rejected' || a.outcome === 'cancelled' ? (
              <li data-testid={`stage-${a.outcome}`} data-stage={a.outcome}>
                {t(`dispatch.stage.${a.outcome}`)} {a.endedAt !== undefined ? time(a.endedAt) : ''}
              </li>
            ) : null}
          </ul>
        </li>
      ))}
    </ol>
  );
}

function NearestCrews({ alert, busy, needsReason, reason, setReason }: { alert: AlertView; busy: boolean; needsReason: boolean; reason: string; setReason(r: string): void }) {
  const { t } = useTranslation();
  const index = useCatalogStore((s) => s.index);
  const live = useTelemetryStore((s) => s.crews);
  // Re-rank once a second at most: positions move with telemetry, ETAs with them.
  const tick = useNow();
  const school = alert.schoolId ? index?.schools.get(alert.schoolId) : undefined;
  const ranked = useMemo(
    () => (index && school ? rankCrews(crewsNow(index.crews, live), school.location, index.speedModel, OFFERED) : []),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `tick` paces the ranking to the shared clock
    [index, school, tick],
  );
  if (!school) return null;
  const blocked = busy || (needsReason && reason.trim() === '');
  const send = (crewId: string) =>
    void sendCommand({ kind: 'crew.dispatch', alertId: alert.id, crewId, ...(needsReason && reason.trim() ? { unverifiedReason: reason.trim() } : {}) }).then(() => setReason(''));
  const nearest = ranked[0];
  return (
    <div className="dispatch-nearest" data-testid="dispatch-nearest">
      <h4 className="detail-sub">{t('dispatch.nearest')}</h4>
      {needsReason && (
        <input className="input" data-testid="dispatch-reason" value={reason} maxLength={500} placeholder={t('dispatch.unverifiedReason')} aria-label={t('dispatch.unverifiedReason')} onChange={(e) => setReason(e.target.value)} />
      )}
      {nearest ? (
        <button type="button" className="btn btn-dispatch" data-testid="dispatch-nearest-button" data-crew-id={nearest.crew.id} disabled={blocked} onClick={() => send(nearest.crew.id)}>
          {t('dispatch.dispatchNearest', { callsign: inlineText(nearest.crew.callsign, 40) })}
        </button>
      ) : (
        <p className="empty">{t('dispatch.noCrews')}</p>
      )}
      <table className="dispatch-crews" aria-label={t('dispatch.crewsLabel')}>
        <tbody>
          {ranked.map((r) => (
            <tr key={r.crew.id} data-testid="dispatch-crew" data-crew-id={r.crew.id}>
              <td>
                <bdi>{inlineText(r.crew.callsign, 40)}</bdi>
              </td>
              <td>{t('dispatch.distance', { km: r.distanceKm.toFixed(1) })}</td>
              <td data-testid="dispatch-crew-eta">{t('dispatch.eta', { minutes: Math.max(1, Math.round(r.etaS / 60)) })}</td>
              <td>
                <button type="button" className="btn btn-small" data-testid="dispatch-crew-button" disabled={blocked} onClick={() => send(r.crew.id)}>
                  {t('dispatch.dispatchThis')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
