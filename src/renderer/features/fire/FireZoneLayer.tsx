// The fire linkage drawn on a floor plan (an overlay of FloorPlan): the fire sensor's room as the
// fire zone, and a badge on every turnstile with its unlock state, overdue computed locally.
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Device, Floor } from '../../../shared/protocol';
import { useNow } from '../../lib/clock';
import { inlineText } from '../../lib/text';
import { unlockDisplay } from './evacuation-fold';
import { selectUnlock, useEvacuationStore } from './evacuation-store';

export interface OverlayView {
  tx: number;
  ty: number;
  scale: number;
}

export function FireZoneLayer({ view, floor, devices, fireRoomId }: { view: OverlayView; floor: Floor; devices: readonly Device[]; fireRoomId: string | null }) {
  const { t } = useTranslation();
  const room = fireRoomId ? floor.rooms.find((r) => r.id === fireRoomId) : undefined;
  return (
    <g className="fire-layer">
      {room && (
        <g transform={`translate(${view.tx} ${view.ty}) scale(${view.scale})`}>
          <polygon className="fire-zone" data-testid="plan-fire-zone" data-room-id={room.id} points={room.polygon.map((p) => p.join(',')).join(' ')}>
            <title>{`${t('fire.fireZone')}: ${inlineText(room.name, 100)}`}</title>
          </polygon>
        </g>
      )}
      {devices
        .filter((d) => d.kind === 'turnstile')
        .map((d) => (
          <TurnstileBadge key={d.id} device={d} x={view.tx + d.position[0] * view.scale} y={view.ty + d.position[1] * view.scale} />
        ))}
    </g>
  );
}

const TurnstileBadge = memo(function TurnstileBadge({ device, x, y }: { device: Device; x: number; y: number }) {
  const { t } = useTranslation();
  const u = useEvacuationStore(selectUnlock(device.id));
  const now = useNow();
  if (!u) return null;
  const shown = unlockDisplay(u, now);
  const text = shown === 'overdue' ? t('fire.state.overdue', { seconds: Math.round(u.limitMs / 1000) }) : t(`fire.state.${shown}`);
  const mark = shown === 'confirmed' ? '✓' : shown === 'commanded' ? '…' : '!';
  return (
    <g className={`unlock-badge unlock-${shown}`} transform={`translate(${x + 11} ${y - 11})`} data-testid="plan-turnstile-unlock" data-device-id={device.id} data-unlock={shown}>
      <title>{`${inlineText(device.name, 120)}: ${text}`}</title>
      <circle r={7} />
      <text dy="0.35em">{mark}</text>
    </g>
  );
});
