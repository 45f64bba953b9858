import { memo, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Device } from '../../../shared/protocol';
import { inlineText } from '../../lib/text';
import { selectSelected, useAlertsStore } from '../alerts/store';
import { useCatalogStore, type CatalogIndex } from '../catalog/store';
import { useSessionStore } from '../session/store';
import './wall.css';

const TILES = 4;

type Tile = { cameraId: string; device: Device | null };

/**
 * The wall area. For now a grid of placeholders labelled with camera and school; live video
 * (hls.js, one hook) comes with the video-wall issue.
 */
export function WallArea() {
  const { t } = useTranslation();
  const selected = useAlertsStore(selectSelected);
  const index = useCatalogStore((s) => s.index);
  const scopeSchoolId = useSessionStore((s) => {
    const scope = s.session?.login.user.scope;
    return scope?.kind === 'school' ? scope.schoolId : null;
  });
  const hasSelection = selected !== null;
  const selectedSchool = selected?.schoolId ?? null;
  // A string key: an acknowledgement replaces the alert object but not its cameras.
  const cameraKey = selected?.cameraIds.join('\n') ?? '';

  const { tiles, total, mode } = useMemo(
    () => pickTiles(index, cameraKey ? cameraKey.split('\n') : [], selectedSchool, hasSelection, scopeSchoolId),
    [index, cameraKey, selectedSchool, hasSelection, scopeSchoolId],
  );

  return (
    <div className="wall" data-mode={mode}>
      <div className="area-header">
        <h2 className="area-title">{t('wall.title')}</h2>
        <span className="area-meta">{mode === 'alert' ? t('wall.forAlert') : t('wall.inScope')}</span>
        {total > tiles.length && <span className="area-meta">{t('wall.more', { count: total - tiles.length })}</span>}
      </div>
      {tiles.length === 0 ? (
        <p className="empty" data-testid="wall-empty">
          {t('wall.noCameras')}
        </p>
      ) : (
        <div className={`wall-grid tiles-${tiles.length}`}>
          {tiles.map((tile) => (
            <WallTile key={tile.cameraId} tile={tile} index={index} />
          ))}
        </div>
      )}
    </div>
  );
}

function pickTiles(
  index: CatalogIndex | null,
  alertCameraIds: readonly string[],
  alertSchoolId: string | null,
  hasSelection: boolean,
  scopeSchoolId: string | null,
): { tiles: Tile[]; total: number; mode: 'alert' | 'scope' } {
  const fromDevices = (list: readonly Device[]) => list.slice(0, TILES).map((d) => ({ cameraId: d.id, device: d }));
  if (hasSelection) {
    if (alertCameraIds.length > 0) {
      return {
        tiles: alertCameraIds.slice(0, TILES).map((id) => ({ cameraId: id, device: index?.devices.get(id) ?? null })),
        total: alertCameraIds.length,
        mode: 'alert',
      };
    }
    // No camera named by the alert: its school's cameras are the next best view.
    const schoolCameras = alertSchoolId ? (index?.camerasBySchool.get(alertSchoolId) ?? []) : [];
    if (schoolCameras.length > 0) return { tiles: fromDevices(schoolCameras), total: schoolCameras.length, mode: 'alert' };
  }
  if (!index) return { tiles: [], total: 0, mode: 'scope' };
  const scopeCameras = scopeSchoolId ? (index.camerasBySchool.get(scopeSchoolId) ?? []) : index.firstCameras;
  return { tiles: fromDevices(scopeCameras), total: scopeCameras.length, mode: 'scope' };
}

const WallTile = memo(function WallTile({ tile, index }: { tile: Tile; index: CatalogIndex | null }) {
  const { t } = useTranslation();
  const camera = tile.device ? inlineText(tile.device.name, 120) : t('wall.unknownCamera', { id: inlineText(tile.cameraId, 64) });
  const schoolName = tile.device ? index?.schools.get(tile.device.schoolId)?.name : undefined;
  const school = schoolName ? inlineText(schoolName, 160) : tile.device ? inlineText(tile.device.schoolId, 64) : '';
  return (
    <div className="wall-tile" data-testid="wall-tile" data-camera-id={tile.cameraId} role="group" aria-label={t('wall.tileAria', { camera, school })}>
      <div className="tile-screen" aria-hidden="true">
        <span className="tile-placeholder">{t('wall.placeholder')}</span>
      </div>
      <div className="tile-label">
        <bdi className="tile-camera" data-testid="wall-tile-camera">
          {camera}
        </bdi>
        {school && (
          <bdi className="tile-school" data-testid="wall-tile-school">
            {school}
          </bdi>
        )}
      </div>
    </div>
  );
});
