import { memo, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DEVICE_KINDS, ROOM_KINDS, type Device, type Floor } from '../../../shared/protocol';
import { inlineText } from '../../lib/text';
import { selectDeviceState, useDeviceStatusStore } from './device-status-store';
import { centroid, fovPath, type Pt } from '../../lib/pan-zoom';
import { usePanZoom } from '../../lib/use-pan-zoom';

type DeviceKind = (typeof DEVICE_KINDS)[number];
type RoomKind = (typeof ROOM_KINDS)[number];

/** How far a camera's cone is drawn, in metres: a school corridor camera's useful range. */
const FOV_RANGE_M = 9;
/** Device glyphs keep their size on screen whatever the zoom. */
const GLYPH_PX = 7;

interface Props {
  floor: Floor;
  devices: readonly Device[];
  /** Devices to highlight and centre on (an alert's device and the cameras that see it). */
  focusIds: ReadonlySet<string>;
  onDeviceActivate?(device: Device): void;
}

/**
 * One floor drawn from the catalog: rooms as polygons by kind, devices at their positions with live
 * state, cameras with their field of view. Pan (drag, arrows), zoom (wheel, +/-), fit (0).
 */
export function FloorPlan({ floor, devices, focusIds, onDeviceActivate }: Props) {
  const { t } = useTranslation();
  const [hidden, setHidden] = useState<ReadonlySet<DeviceKind>>(new Set());
  const focusPoint = useMemo<Pt | null>(() => {
    const hits = devices.filter((d) => focusIds.has(d.id));
    if (hits.length === 0) return null;
    return [hits.reduce((s, d) => s + d.position[0], 0) / hits.length, hits.reduce((s, d) => s + d.position[1], 0) / hits.length];
  }, [devices, focusIds]);
  const { boxRef, size, view, fit, zoomBy, handlers } = usePanZoom({
    contentKey: floor.id,
    width: floor.width,
    height: floor.height,
    focus: focusPoint,
    noPanSelector: '[data-device-id]',
  });

  const presentKinds = useMemo(() => DEVICE_KINDS.filter((k) => devices.some((d) => d.kind === k)), [devices]);
  const shown = useMemo(() => devices.filter((d) => !hidden.has(d.kind)), [devices, hidden]);
  const toggle = (kind: DeviceKind) =>
    setHidden((h) => {
      const next = new Set(h);
      if (!next.delete(kind)) next.add(kind);
      return next;
    });

  return (
    <div className="floor-plan" data-testid="floor-plan" data-floor-id={floor.id}>
      <div className="floor-plan-tools" role="toolbar" aria-label={t('plan.tools')}>
        <button type="button" className="btn btn-quiet btn-small" data-testid="plan-zoom-in" onClick={() => zoomBy(1.25)} aria-label={t('plan.zoomIn')} title={t('plan.zoomIn')}>
          +
        </button>
        <button type="button" className="btn btn-quiet btn-small" data-testid="plan-zoom-out" onClick={() => zoomBy(0.8)} aria-label={t('plan.zoomOut')} title={t('plan.zoomOut')}>
          −
        </button>
        <button type="button" className="btn btn-quiet btn-small" data-testid="plan-fit" onClick={fit} title={t('plan.fitHint')}>
          {t('plan.fit')}
        </button>
        <span className="floor-plan-layers" role="group" aria-label={t('plan.layers')}>
          {presentKinds.map((k) => (
            <label key={k} className="layer-toggle" data-testid={`plan-layer-${k}`}>
              <input type="checkbox" checked={!hidden.has(k)} onChange={() => toggle(k)} />
              <svg className="legend-glyph" viewBox="-8 -8 16 16" aria-hidden="true">
                <g className={`device device-${k} state-normal`}>
                  <Glyph kind={k} r={6} />
                </g>
              </svg>
              {t(`deviceKind.${k}`)}
            </label>
          ))}
        </span>
      </div>
      <div
        ref={boxRef}
        className="floor-plan-canvas"
        tabIndex={0}
        role="application"
        aria-label={t('plan.canvasLabel', { floor: inlineText(floor.name, 100) })}
        {...handlers}
      >
        {view && size && (
          <svg width={size.w} height={size.h} className="floor-plan-svg" data-scale={view.scale.toFixed(3)}>
            <g transform={`translate(${view.tx} ${view.ty}) scale(${view.scale})`}>
              <rect className="floor-outline" x={0} y={0} width={floor.width} height={floor.height} />
              {floor.rooms.map((r) => (
                <RoomShape key={r.id} id={r.id} kind={r.kind} name={r.name} polygon={r.polygon} scale={view.scale} />
              ))}
              {shown
                .filter((d) => d.kind === 'camera' && d.heading !== undefined)
                .map((d) => (
                  <path key={`fov-${d.id}`} className={`fov${focusIds.has(d.id) ? ' is-focus' : ''}`} d={fovPath(d.position, d.heading!, d.fov ?? 60, FOV_RANGE_M)} />
                ))}
            </g>
            {shown.map((d) => (
              <DeviceMark key={d.id} device={d} x={view.tx + d.position[0] * view.scale} y={view.ty + d.position[1] * view.scale} focus={focusIds.has(d.id)} onActivate={onDeviceActivate} />
            ))}
          </svg>
        )}
      </div>
      <Legend />
    </div>
  );
}

const RoomShape = memo(function RoomShape({ id, kind, name, polygon, scale }: { id: string; kind: RoomKind; name: string; polygon: readonly Pt[]; scale: number }) {
  const { t } = useTranslation();
  const [cx, cy] = centroid(polygon);
  const label = inlineText(name, 60);
  // Labels only where they fit on screen.
  const xs = polygon.map((p) => p[0]);
  const widthPx = (Math.max(...xs) - Math.min(...xs)) * scale;
  return (
    <g className={`room room-${kind}`} data-room-id={id} data-kind={kind}>
      <polygon points={polygon.map((p) => p.join(',')).join(' ')}>
        <title>{`${label} — ${t(`roomKind.${kind}`)}`}</title>
      </polygon>
      {widthPx > label.length * 6 && (
        <text x={cx} y={cy} fontSize={11 / scale} className="room-label">
          {label}
        </text>
      )}
    </g>
  );
});

const DeviceMark = memo(function DeviceMark({ device, x, y, focus, onActivate }: { device: Device; x: number; y: number; focus: boolean; onActivate?: (d: Device) => void }) {
  const { t } = useTranslation();
  const state = useDeviceStatusStore(selectDeviceState(device.id));
  const at = useDeviceStatusStore((s) => s.byId.get(device.id)?.at ?? null);
  const name = inlineText(device.name, 120);
  const title = [name, t(`deviceKind.${device.kind}`), t(`deviceStatus.${state}`), at ? t('plan.lastEvent', { time: new Date(at).toLocaleTimeString() }) : null].filter(Boolean).join(' — ');
  return (
    <g
      className={`device device-${device.kind} state-${state}${focus ? ' is-focus' : ''}`}
      transform={`translate(${x} ${y})`}
      data-testid="plan-device"
      data-device-id={device.id}
      data-kind={device.kind}
      data-state={state}
      data-focus={String(focus)}
      tabIndex={-1}
      role="button"
      aria-label={title}
      onClick={() => onActivate?.(device)}
    >
      <title>{title}</title>
      {focus && <circle className="focus-ring" r={GLYPH_PX * 2} />}
      <Glyph kind={device.kind} r={GLYPH_PX} />
    </g>
  );
});

function Glyph({ kind, r }: { kind: DeviceKind; r: number }) {
  switch (kind) {
    case 'camera':
      return <circle className="glyph" r={r * 0.8} />;
    case 'fire_sensor':
      return <polygon className="glyph" points={`0,${-r} ${r},${r * 0.8} ${-r},${r * 0.8}`} />;
    case 'smoke_sensor':
      return (
        <g className="glyph">
          <circle r={r * 0.9} className="glyph-ring" />
          <circle r={r * 0.35} />
        </g>
      );
    case 'turnstile':
      return <rect className="glyph" x={-r * 0.8} y={-r * 0.8} width={r * 1.6} height={r * 1.6} />;
    case 'alarm_button':
      return <polygon className="glyph" points={`0,${-r} ${r},0 0,${r} ${-r},0`} />;
    case 'door':
      return <rect className="glyph" x={-r} y={-r * 0.35} width={r * 2} height={r * 0.7} />;
  }
}

function Legend() {
  const { t } = useTranslation();
  return (
    <details className="floor-plan-legend" data-testid="plan-legend">
      <summary>{t('plan.legend')}</summary>
      <div className="legend-grid">
        {ROOM_KINDS.map((k) => (
          <span key={k} className="legend-item">
            <span className={`legend-swatch room-${k}`} />
            {t(`roomKind.${k}`)}
          </span>
        ))}
        {(['normal', 'alarm', 'fault', 'offline'] as const).map((s) => (
          <span key={s} className="legend-item">
            <span className={`legend-dot state-${s}`} />
            {t(`deviceStatus.${s}`)}
          </span>
        ))}
      </div>
    </details>
  );
}
