// A school's coverage compliance (issue 8): the score and why, the share of cameras online, each
// required room with how much of it the cameras see (all of them / those online now) and which
// cameras, the required kinds the plan lacks, and any camera in a toilet or changing room.
import { useTranslation } from 'react-i18next';
import { COVERED_THRESHOLD, type RoomCompliance } from '../../../shared/coverage-compliance';
import { inlineText } from '../../lib/text';
import type { CatalogIndex } from '../catalog/store';
import { isCameraOnline, useCoverageStore } from '../compliance/store';
import { useDeviceStatusStore } from '../plan/device-status-store';
import { complianceClass } from './ComplianceCell';
import './coverage.css';

const pct = (share: number) => `${Math.round(share * 100)} %`;

export function CoverageTab({ schoolId, index }: { schoolId: string; index: CatalogIndex }) {
  const { t } = useTranslation();
  const c = useCoverageStore((s) => s.bySchool.get(schoolId));
  // The camera list marks offline cameras; follow status changes.
  useDeviceStatusStore((s) => s.version);
  if (!c) return <p className="empty">{t('coverage.computing')}</p>;
  const camera = (id: string) => inlineText(index.devices.get(id)?.name ?? id, 60);
  return (
    <div className="coverage-tab" data-testid="coverage-tab" data-score={c.score}>
      <div className="coverage-summary">
        <span className={`board-score ${complianceClass(c.score)}`} data-testid="coverage-score">
          {c.score}
        </span>
        <span data-testid="coverage-rooms">{t('coverage.roomsCovered', { covered: c.covered, required: c.required, threshold: Math.round(COVERED_THRESHOLD * 100) })}</span>
        <span data-testid="coverage-online" data-online={c.camerasOnline} data-cameras={c.cameras}>
          {t('coverage.camerasOnline', { online: c.camerasOnline, cameras: c.cameras, share: c.cameras === 0 ? '—' : pct(c.camerasOnline / c.cameras) })}
        </span>
      </div>
      {c.reasons.length > 0 && (
        <ul className="coverage-reasons" data-testid="coverage-reasons">
          {c.reasons.map((r) => (
            <li key={r.reason} data-reason={r.reason}>
              {t(`coverage.reason.${r.reason}`, { count: r.count })} <span className="coverage-points">−{r.points}</span>
            </li>
          ))}
        </ul>
      )}
      {c.privacy.length > 0 && (
        <div className="coverage-privacy" role="alert" data-testid="coverage-privacy">
          <strong>{t('coverage.privacyTitle')}</strong>
          <ul>
            {c.privacy.map((p) => (
              <li key={p.cameraId} data-camera-id={p.cameraId}>
                {t('coverage.privacyItem', { camera: camera(p.cameraId), room: inlineText(p.roomName, 60), kind: t(`coverage.kind.${p.roomKind}`), floor: inlineText(p.floorName, 40) })}
              </li>
            ))}
          </ul>
        </div>
      )}
      {c.missingKinds.length > 0 && (
        <p className="coverage-missing" data-testid="coverage-missing">
          {t('coverage.missing', { kinds: c.missingKinds.map((k) => t(`coverage.kind.${k}`)).join(', ') })}
        </p>
      )}
      <table className="board-table coverage-rooms">
        <thead>
          <tr>
            <th>{t('coverage.col.room')}</th>
            <th>{t('coverage.col.kind')}</th>
            <th>{t('coverage.col.floor')}</th>
            <th>{t('coverage.col.all')}</th>
            <th>{t('coverage.col.online')}</th>
            <th>{t('coverage.col.cameras')}</th>
          </tr>
        </thead>
        <tbody>
          {worstFirst(c.rooms).map((r) => (
            <tr key={r.room.roomId} className={`coverage-${r.state}`} data-testid="coverage-room" data-room-id={r.room.roomId} data-state={r.state} data-camera-ids={r.room.cameras.map((k) => k.id).join(' ')}>
              <td>
                <bdi>{inlineText(r.room.name, 60)}</bdi>
              </td>
              <td>{t(`coverage.kind.${r.room.kind}`)}</td>
              <td>
                <bdi>{inlineText(r.room.floorName, 40)}</bdi>
              </td>
              <td>{pct(r.room.all)}</td>
              <td data-testid="coverage-room-online">
                {pct(r.online)} <span className="coverage-state">{t(`coverage.state.${r.state}`)}</span>
                {r.lostToOutage && <span className="coverage-outage"> {t('coverage.lostToOutage')}</span>}
              </td>
              <td className="coverage-cams">
                {r.room.cameras.length === 0
                  ? '—'
                  : r.room.cameras.map((k) => (
                      <span key={k.id} className={`coverage-cam${isCameraOnline(k.id) ? '' : ' is-offline'}`} title={t('coverage.cameraShare', { share: pct(k.share) })}>
                        {camera(k.id)}
                        {!isCameraOnline(k.id) && ` (${t('coverage.offline')})`}
                      </span>
                    ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const ORDER = { uncovered: 0, partly: 1, covered: 2 } as const;
function worstFirst(rooms: readonly RoomCompliance[]): RoomCompliance[] {
  return [...rooms].sort((a, b) => ORDER[a.state] - ORDER[b.state] || a.online - b.online);
}
