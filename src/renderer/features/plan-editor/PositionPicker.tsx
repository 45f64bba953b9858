import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { privacyViolation, roomAt, type Pt } from '../../../shared/geometry';
import type { Device, Floor, Room } from '../../../shared/protocol';
import { toFloor } from '../../lib/pan-zoom';
import { inlineText } from '../../lib/text';
import { usePanZoom } from '../../lib/use-pan-zoom';
import { snap, type DeviceKind } from './model';
import './editor.css';

interface Props {
  floor: Floor;
  /** What is being placed: a camera is refused in a toilet or changing room, with the reason. */
  kind: DeviceKind;
  value: Pt | null;
  onChange(position: [number, number], room: Room | null): void;
  /** Devices already on the floor, drawn faintly for orientation. */
  devices?: readonly Device[];
}

/**
 * A reusable "where on this floor?" picker (e.g. placing a discovered camera on a plan): the floor's
 * rooms, a marker at the chosen point, the room it falls in, and the privacy rule applied.
 *
 *   <PositionPicker floor={floor} kind="camera" value={pos} onChange={(p, room) => setPos(p)} />
 */
export function PositionPicker({ floor, kind, value, onChange, devices = [] }: Props) {
  const { t } = useTranslation();
  const { boxRef, size, view, handlers } = usePanZoom({ contentKey: floor.id, width: floor.width, height: floor.height, focus: null });
  const [refused, setRefused] = useState<Room | null>(null);
  const [downAt, setDownAt] = useState<{ x: number; y: number } | null>(null);
  const room = value ? roomAt(value, floor.rooms) : null;

  return (
    <div className="position-picker" data-testid="position-picker" data-floor-id={floor.id}>
      <div
        ref={boxRef}
        className="position-picker-canvas"
        role="application"
        tabIndex={0}
        aria-label={t('editor.pickerLabel', { floor: inlineText(floor.name, 100) })}
        {...handlers}
        onPointerDown={(e) => {
          setDownAt({ x: e.clientX, y: e.clientY });
          handlers.onPointerDown(e);
        }}
        onClick={(e) => {
          if (!view || !boxRef.current || (downAt && Math.hypot(e.clientX - downAt.x, e.clientY - downAt.y) > 4)) return;
          const r = boxRef.current.getBoundingClientRect();
          const p = snap(toFloor(view, e.clientX - r.left, e.clientY - r.top));
          const violation = privacyViolation({ id: 'picked', kind, position: p }, floor.rooms);
          if (violation) {
            setRefused(floor.rooms.find((x) => x.id === violation.roomId) ?? null);
            return;
          }
          setRefused(null);
          onChange(p, roomAt(p, floor.rooms));
        }}
      >
        {view && size && (
          <svg width={size.w} height={size.h}>
            <g transform={`translate(${view.tx} ${view.ty}) scale(${view.scale})`}>
              {floor.rooms.map((r) => (
                <g key={r.id} className={`room room-${r.kind}`} data-room-id={r.id}>
                  <polygon points={r.polygon.map((p) => p.join(',')).join(' ')} />
                </g>
              ))}
            </g>
            {devices.map((d) => (
              <circle key={d.id} className="position-picker-other" cx={view.tx + d.position[0] * view.scale} cy={view.ty + d.position[1] * view.scale} r={3} />
            ))}
            {value && <circle className="position-picker-mark" data-testid="position-picker-mark" cx={view.tx + value[0] * view.scale} cy={view.ty + value[1] * view.scale} r={7} />}
          </svg>
        )}
      </div>
      {refused && (
        <p className="editor-refusal" role="alert" data-testid="position-picker-refusal">
          <bdi>{t('editor.refusal', { room: inlineText(refused.name, 100), kind: t(`roomKind.${refused.kind}`) })}</bdi>
        </p>
      )}
      {value && (
        <p className="hint" data-testid="position-picker-value">
          <bdi>
            {room
              ? t('editor.picked', { x: value[0].toFixed(2), y: value[1].toFixed(2), room: inlineText(room.name, 100) })
              : t('editor.pickedOutside', { x: value[0].toFixed(2), y: value[1].toFixed(2) })}
          </bdi>
        </p>
      )}
    </div>
  );
}
