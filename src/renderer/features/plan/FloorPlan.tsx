import { memo, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { AlertView } from '../../../shared/alerts';
import { DEVICE_KINDS, ROOM_KINDS, type Device, type Floor } from '../../../shared/protocol';
import { inlineText } from '../../lib/text';
import { centroid, fovPath, type Pt, type View } from '../../lib/pan-zoom';
import { usePanZoom } from '../../lib/use-pan-zoom';
import { useThrottledStore } from '../../lib/use-throttled';
import { selectAlertMap, useAlertsStore } from '../alerts/store';
import { useFloorBackground } from '../plan-editor/backgrounds';
import { selectDeviceEntry, selectDeviceState, useDeviceStatusStore } from './device-status-store';

type DeviceKind = (typeof DEVICE_KINDS)[number];
type RoomKind = (typeof ROOM_KINDS)[number];

/** How far a camera's cone is drawn, in metres: a school corridor camera's useful range. */
const FOV_RANGE_M = 9;
/** Device glyphs keep their size on screen whatever the zoom. */
const GLYPH_PX = 7;

interface Props {
  /** The floor's school: where its background drawing is fetched from. */
  schoolId?: string;
  floor: Floor;
  devices: readonly Device[];
  /** Devices to highlight and centre on (an alert's device and the cameras that see it). */
  focusIds: ReadonlySet<string>;
  onDeviceActivate?(device: Device): void;
  /** Drawn over the plan (e.g. the fire linkage), with the current view's transform. */
  overlay?(view: { tx: number; ty: number; scale: number }): ReactNode;
}

/**
 * One floor drawn from the catalog: rooms as polygons by kind, devices at their positions with live
 * state, cameras with their field of view. Pan (drag, arrows), zoom (wheel, +/-), fit (0).
 */
export function FloorPlan({ schoolId, floor, devices, focusIds, onDeviceActivate, overlay }: Props) {
  const { t } = useTranslation();
  const background = useFloorBackground(schoolId ?? null, floor.background);
  const placement = floor.background?.placement;
  const [hidden, setHidden] = useState<ReadonlySet<DeviceKind>>(new Set());
  const [hovered, setHovered] = useState<string | null>(null);
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
  const hoveredDevice = hovered ? (shown.find((d) => d.id === hovered) ?? null) : null;

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
        className={`floor-plan-canvas${background.status === 'ready' ? ' has-background' : ''}`}
        data-background={background.status}
        tabIndex={0}
        role="application"
        aria-label={t('plan.canvasLabel', { floor: inlineText(floor.name, 100) })}
        {...handlers}
      >
        {view && size && (
          <>
            {background.status === 'ready' && placement && (
              // The drawing another console imported, checked by this console's services; shown only
              // as an image, so an SVG never runs script nor loads anything.
              <img
                className="floor-background"
                data-testid="plan-background"
                src={background.src}
                alt=""
                draggable={false}
                style={{ left: view.tx + placement.x * view.scale, top: view.ty + placement.y * view.scale, width: placement.width * view.scale, height: placement.height * view.scale, opacity: placement.opacity }}
              />
            )}
            {/* Three stacked layers: what changes with live state never repaints the rooms. */}
            <svg width={size.w} height={size.h} className="floor-plan-svg floor-plan-static" data-scale={view.scale.toFixed(3)}>
              <g transform={`translate(${view.tx} ${view.ty}) scale(${view.scale})`}>
                <rect className="floor-outline" x={0} y={0} width={floor.width} height={floor.height} />
                <RoomsLayer rooms={floor.rooms} scale={view.scale} />
                <FovLayer devices={shown} focusIds={focusIds} />
              </g>
            </svg>
            <svg width={size.w} height={size.h} className="floor-plan-layer floor-plan-devices">
              <DevicesLayer devices={shown} view={view} focusIds={focusIds} onActivate={onDeviceActivate} onHover={setHovered} />
            </svg>
            <AlarmLayer devices={shown} view={view} width={size.w} height={size.h} focusIds={focusIds} />
            {overlay && (
              <svg width={size.w} height={size.h} className="floor-plan-layer floor-plan-overlay">
                {overlay(view)}
              </svg>
            )}
            {hoveredDevice && <DeviceCard device={hoveredDevice} x={view.tx + hoveredDevice.position[0] * view.scale} y={view.ty + hoveredDevice.position[1] * view.scale} room={floor.rooms.find((r) => r.id === hoveredDevice.roomId)?.name ?? null} boxWidth={size.w} />}
          </>
        )}
      </div>
      {background.status === 'failed' && (
        <p className="floor-background-failed" role="status" data-testid="plan-background-failed">
          {t('planBackground.failed')}
        </p>
      )}
      <Legend />
    </div>
  );
}

/** The rooms: static between zooms, so a state change or a hover never redraws them. */
const RoomsLayer = memo(function RoomsLayer({ rooms, scale }: { rooms: Floor['rooms']; scale: number }) {
  return (
    <g className="rooms-layer">
      {rooms.map((r) => (
        <RoomShape key={r.id} id={r.id} kind={r.kind} name={r.name} polygon={r.polygon} scale={scale} />
      ))}
    </g>
  );
});

const FovLayer = memo(function FovLayer({ devices, focusIds }: { devices: readonly Device[]; focusIds: ReadonlySet<string> }) {
  return (
    <g className="fov-layer">
      {devices
        .filter((d) => d.kind === 'camera' && d.heading !== undefined)
        .map((d) => (
          <path key={`fov-${d.id}`} className={`fov${focusIds.has(d.id) ? ' is-focus' : ''}`} d={fovPath(d.position, d.heading!, d.fov ?? 60, FOV_RANGE_M)} />
        ))}
    </g>
  );
});

interface DevicesLayerProps {
  devices: readonly Device[];
  view: View;
  focusIds: ReadonlySet<string>;
  onActivate?: ((d: Device) => void) | undefined;
  onHover(id: string | null): void;
}

/** Device marks, each subscribed to its own state: a status change re-renders that mark only. */
const DevicesLayer = memo(function DevicesLayer({ devices, view, focusIds, onActivate, onHover }: DevicesLayerProps) {
  return (
    <g className="devices-layer">
      {devices.map((d) => (
        <DeviceMark key={d.id} device={d} x={view.tx + d.position[0] * view.scale} y={view.ty + d.position[1] * view.scale} focus={focusIds.has(d.id)} onActivate={onActivate} onHover={onHover} />
      ))}
    </g>
  );
});

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

interface DeviceMarkProps {
  device: Device;
  x: number;
  y: number;
  focus: boolean;
  onActivate?: ((d: Device) => void) | undefined;
  onHover(id: string | null): void;
}

const DeviceMark = memo(function DeviceMark({ device, x, y, focus, onActivate, onHover }: DeviceMarkProps) {
  const { t } = useTranslation();
  const state = useDeviceStatusStore(selectDeviceState(device.id));
  const name = inlineText(device.name, 120);
  return (
    <g
      className={`device device-${device.kind} state-${state}${focus ? ' is-focus' : ''}`}
      data-testid="plan-device"
      data-device-id={device.id}
      data-kind={device.kind}
      data-state={state}
      data-focus={String(focus)}
      tabIndex={-1}
      role="button"
      aria-label={`${name} — ${t(`deviceKind.${device.kind}`)} — ${t(`deviceStatus.${state}`)}`}
      onClick={() => onActivate?.(device)}
      onPointerEnter={() => onHover(device.id)}
      onPointerLeave={() => onHover(null)}
      onFocus={() => onHover(device.id)}
      onBlur={() => onHover(null)}
    >
      {focus && <circle className="focus-ring" cx={x} cy={y} r={GLYPH_PX * 2} />}
      <Glyph kind={device.kind} r={GLYPH_PX} x={x} y={y} />
    </g>
  );
});

/**
 * Pulses of devices in alarm (until their alert is acknowledged) and of the focused devices, in an
 * overlay of their own whose opacity is animated by CSS as one composited layer: the pulse costs
 * no repaint of the plan and no timer per device. Redrawn only when the set of pulsing devices or
 * the view changes.
 */
function AlarmLayer({ devices, view, width, height, focusIds }: { devices: readonly Device[]; view: View; width: number; height: number; focusIds: ReadonlySet<string> }) {
  const alerts = useThrottledStore(useAlertsStore, selectAlertMap, ACK_REFRESH_MS);
  const acknowledged = useMemo(() => acknowledgedDevices(alerts.values()), [alerts]);
  const alarmed = useDeviceStatusStore(useShallow((s) => devices.filter((d) => s.byId.get(d.id)?.status === 'alarm' && !acknowledged.has(d.id))));
  const focused = devices.filter((d) => focusIds.has(d.id));
  if (alarmed.length === 0 && focused.length === 0) return null;
  const cx = (d: Device) => view.tx + d.position[0] * view.scale;
  const cy = (d: Device) => view.ty + d.position[1] * view.scale;
  return (
    <svg width={width} height={height} className="alarm-layer" aria-hidden="true" data-testid="plan-alarm-layer" data-pulsing={alarmed.length}>
      {alarmed.map((d) => (
        <circle key={d.id} className="alarm-halo" cx={cx(d)} cy={cy(d)} r={GLYPH_PX * 1.7} data-device-id={d.id} />
      ))}
      {focused.map((d) => (
        <circle key={`f-${d.id}`} className="focus-pulse" cx={cx(d)} cy={cy(d)} r={GLYPH_PX * 2.6} />
      ))}
    </svg>
  );
}

const ACK_REFRESH_MS = 500;

/** Devices whose alerts are all acknowledged or resolved: their alarm stays red but stops pulsing. */
export function acknowledgedDevices(alerts: Iterable<Pick<AlertView, 'deviceId' | 'status'>>): Set<string> {
  const acked = new Set<string>();
  const open = new Set<string>();
  for (const a of alerts) {
    if (!a.deviceId) continue;
    if (a.status === 'new') open.add(a.deviceId);
    else acked.add(a.deviceId);
  }
  for (const id of open) acked.delete(id);
  return acked;
}

/** What hovering a device shows: the device, where it is, its state and its last event. */
function DeviceCard({ device, x, y, room, boxWidth }: { device: Device; x: number; y: number; room: string | null; boxWidth: number }) {
  const { t } = useTranslation();
  const entry = useDeviceStatusStore(selectDeviceEntry(device.id));
  const lastAlert = useAlertsStore((s) => latestAlertOf(s.order, s.byId, device.id));
  const state = entry?.status ?? 'normal';
  const left = x > boxWidth - 260;
  return (
    <div className={`device-card${left ? ' is-left' : ''}`} style={{ left: x, top: y }} data-testid="plan-device-card" data-device-id={device.id} role="tooltip">
      <bdi className="device-card-name">{inlineText(device.name, 120)}</bdi>
      <span className="device-card-meta">
        {t(`deviceKind.${device.kind}`)}
        {room ? <> · <bdi>{inlineText(room, 80)}</bdi></> : null}
      </span>
      <span className={`device-card-state state-${state}`} data-testid="plan-device-card-state">
        {t(`deviceStatus.${state}`)}
        {entry ? ` · ${t('plan.lastEvent', { time: formatTime(entry.at) })}` : ` · ${t('planLive.noEvent')}`}
      </span>
      {lastAlert && (
        <span className="device-card-alert" data-testid="plan-device-card-alert" data-alert-id={lastAlert.id}>
          {t('planLive.lastAlert', { title: inlineText(lastAlert.title, 120), time: formatTime(lastAlert.at), status: t(`status.${lastAlert.status}`) })}
        </span>
      )}
      {device.kind === 'camera' && <span className="device-card-hint">{t('planLive.cameraHint')}</span>}
    </div>
  );
}

function latestAlertOf(order: readonly string[], byId: ReadonlyMap<string, AlertView>, deviceId: string): AlertView | null {
  let best: AlertView | null = null;
  for (const id of order) {
    const a = byId.get(id);
    if (a && (a.deviceId === deviceId || a.cameraIds.includes(deviceId)) && (!best || a.at > best.at)) best = a;
  }
  return best;
}

function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? inlineText(iso, 40) : d.toLocaleTimeString();
}

/**
 * A device's glyph drawn at (x, y) in absolute coordinates: no transform per device, because each
 * transform is a paint property node of its own, and 500 of them make every frame's layerization
 * slow.
 */
function Glyph({ kind, r, x = 0, y = 0 }: { kind: DeviceKind; r: number; x?: number; y?: number }) {
  const pts = (...p: number[]) => {
    const out: string[] = [];
    for (let i = 0; i < p.length; i += 2) out.push(`${x + p[i]!},${y + p[i + 1]!}`);
    return out.join(' ');
  };
  switch (kind) {
    case 'camera':
      return <circle className="glyph" cx={x} cy={y} r={r * 0.8} />;
    case 'fire_sensor':
      return <polygon className="glyph" points={pts(0, -r, r, r * 0.8, -r, r * 0.8)} />;
    case 'smoke_sensor':
      return (
        <g className="glyph">
          <circle cx={x} cy={y} r={r * 0.9} className="glyph-ring" />
          <circle cx={x} cy={y} r={r * 0.35} />
        </g>
      );
    case 'turnstile':
      return <rect className="glyph" x={x - r * 0.8} y={y - r * 0.8} width={r * 1.6} height={r * 1.6} />;
    case 'alarm_button':
      return <polygon className="glyph" points={pts(0, -r, r, 0, 0, r, -r, 0)} />;
    case 'door':
      return <rect className="glyph" x={x - r} y={y - r * 0.35} width={r * 2} height={r * 0.7} />;
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
