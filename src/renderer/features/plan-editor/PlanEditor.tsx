import { useMemo, useRef, useState, type ChangeEvent, type KeyboardEvent, type MouseEvent, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_FOV_RANGE_M, direction, headingTowards, type Pt } from '../../../shared/geometry';
import { MAX_BACKGROUND_BYTES } from '../../../shared/plan-editor';
import { DEVICE_KINDS, ROOM_KINDS, type PlanDevice, type Room } from '../../../shared/protocol';
import { toBase64 } from '../../lib/base64';
import { describeErrorRef } from '../../lib/errors';
import { centroid, fovPath, toFloor } from '../../lib/pan-zoom';
import { inlineText } from '../../lib/text';
import { usePanZoom } from '../../lib/use-pan-zoom';
import { ErrorText } from '../../ui/ErrorText';
import { problemsOf, type RoomKind } from './model';
import { usePlanEditorStore, type Tool } from './store';
import './editor.css';

/** Handles sit this far along the camera's view, as a share of its range. */
const HANDLE_AT = 0.6;

type Drag =
  | { type: 'device'; id: string; at: Pt }
  | { type: 'corner'; id: string; index: number; at: Pt }
  | { type: 'heading' | 'fov'; id: string };

/** The editor over the whole window while a floor is open (mounted once by the operator frame). */
export function PlanEditorHost() {
  const open = usePlanEditorStore((s) => s.target !== null);
  return open ? <PlanEditor /> : null;
}

function PlanEditor() {
  const { t } = useTranslation();
  const s = usePlanEditorStore();
  const floorName = s.floor ? inlineText(s.floor.name, 100) : '';
  const problems = useMemo(() => (s.floor ? problemsOf(s.floor.width, s.floor.height, s.rooms, s.devices) : []), [s.floor, s.rooms, s.devices]);
  const close = () => {
    if (s.dirty && !window.confirm(t('editor.closeUnsaved'))) return;
    s.close();
  };

  return (
    <div className="plan-editor-overlay">
      <section
        className="plan-editor"
        role="dialog"
        aria-modal="true"
        aria-label={t('editor.title', { floor: floorName })}
        data-testid="plan-editor"
        data-status={s.status}
        data-dirty={String(s.dirty)}
        data-sent-version={s.saved?.sent ?? ''}
      >
        <header className="plan-editor-head">
          <h2>{t('editor.title', { floor: floorName })}</h2>
          <span className="plan-editor-state" data-testid="editor-status" role="status">
            {s.status === 'saving'
              ? t('editor.saving')
              : s.dirty
                ? t('editor.unsaved')
                : s.saved?.sent
                  ? t('editor.saved', { version: s.saved.sent })
                  : s.saved
                    ? t('editor.savedLocal', { version: s.saved.version })
                    : ''}
          </span>
          <button type="button" className="btn btn-primary" data-testid="editor-save" disabled={s.status !== 'ready' || problems.length > 0} onClick={() => void s.save()}>
            {t('editor.save')}
          </button>
          <button type="button" className="btn btn-quiet" data-testid="editor-close" onClick={close}>
            {t('editor.close')}
          </button>
        </header>
        {s.status === 'loading' && <p className="empty">{t('editor.loading')}</p>}
        {s.status === 'error' && s.error && (
          <div className="plan-editor-error">
            <p>{t('editor.openFailed')}</p>
            <ErrorText error={describeErrorRef(t, s.error)} testId="editor-open-error" />
          </div>
        )}
        {s.saveError && (
          <div className="plan-editor-error">
            <p>{t('editor.saveFailed')}</p>
            <ErrorText error={describeErrorRef(t, s.saveError)} testId="editor-save-error" />
            {s.unsent && (
              <p className="hint" data-testid="editor-waiting">
                {t('planBackground.sendWhenBack')}
              </p>
            )}
          </div>
        )}
        {s.floor && (s.status === 'ready' || s.status === 'saving') && (
          <div className="plan-editor-body">
            <EditorSidebar problems={problems} />
            <EditorCanvas />
          </div>
        )}
      </section>
    </div>
  );
}

function EditorSidebar({ problems }: { problems: ReturnType<typeof problemsOf> }) {
  const { t } = useTranslation();
  const s = usePlanEditorStore();
  const tools: Tool[] = ['select', 'room', ...DEVICE_KINDS];
  const room = s.selection?.kind === 'room' ? s.rooms.find((r) => r.id === s.selection!.id) : undefined;
  const device = s.selection?.kind === 'device' ? s.devices.find((d) => d.id === s.selection!.id) : undefined;

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    // The services check again; refusing here spares sending megabytes for nothing.
    if (file.size > MAX_BACKGROUND_BYTES) {
      s.refuseFile({ source: 'api', code: 'bad_request', detail: `${file.name}: the file is ${(file.size / 1048576).toFixed(1)} MB; a plan image may be at most ${MAX_BACKGROUND_BYTES / 1048576} MB` });
      return;
    }
    await s.importBackground(file.name, toBase64(new Uint8Array(await file.arrayBuffer())));
  };

  return (
    <aside className="plan-editor-side">
      <section aria-label={t('editor.tools')}>
        <h3>{t('editor.tools')}</h3>
        <div className="editor-tools" role="radiogroup" aria-label={t('editor.tools')}>
          {tools.map((tool) => (
            <button
              key={tool}
              type="button"
              role="radio"
              aria-checked={s.tool === tool}
              className={`btn btn-small${s.tool === tool ? ' is-current' : ''}`}
              data-testid={`editor-tool-${tool}`}
              onClick={() => s.setTool(tool)}
            >
              {tool === 'select' ? t('editor.toolSelect') : tool === 'room' ? t('editor.toolRoom') : t(`deviceKind.${tool}`)}
            </button>
          ))}
        </div>
        {s.tool === 'room' && (
          <div className="editor-room-draw">
            <label>
              {t('editor.newRoomKind')}
              <select data-testid="editor-new-room-kind" value={s.newRoomKind} onChange={(e) => s.setNewRoomKind(e.target.value as RoomKind)}>
                {ROOM_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`roomKind.${k}`)}
                  </option>
                ))}
              </select>
            </label>
            <p className="hint">{t('editor.drawHint', { count: s.drawing.length })}</p>
            <button type="button" className="btn btn-small" data-testid="editor-finish-room" disabled={s.drawing.length < 3} onClick={s.finishRoom}>
              {t('editor.finishRoom')}
            </button>
            <button type="button" className="btn btn-small btn-quiet" onClick={() => s.setTool('room')}>
              {t('editor.cancelRoom')}
            </button>
          </div>
        )}
        {s.tool === 'select' && <p className="hint">{t('editor.selectHint')}</p>}
        {s.tool !== 'select' && s.tool !== 'room' && <p className="hint">{t('editor.placeHint', { kind: t(`deviceKind.${s.tool}`) })}</p>}
      </section>

      {s.refusal && (
        <div className="editor-refusal" role="alert" data-testid="editor-refusal" data-code={s.refusal.violation.code}>
          <bdi>{t('editor.refusal', { room: inlineText(s.refusal.roomName, 100), kind: t(`roomKind.${s.refusal.violation.roomKind}`) })}</bdi>
          <button type="button" className="btn btn-small btn-quiet" onClick={s.dismissRefusal}>
            {t('editor.dismiss')}
          </button>
        </div>
      )}

      <section aria-label={t('editor.selected')} data-testid="editor-selection" data-selected-id={s.selection?.id ?? ''}>
        <h3>{t('editor.selected')}</h3>
        {!room && !device && <p className="hint">{t('editor.nothingSelected')}</p>}
        {(room ?? device) && (
          <label>
            {t('editor.name')}
            <input data-testid="editor-name" value={(room ?? device)!.name} maxLength={200} onChange={(e) => s.renameSelected(e.target.value)} />
          </label>
        )}
        {room && (
          <label>
            {t('editor.kind')}
            <select data-testid="editor-room-kind" value={room.kind} onChange={(e) => s.setRoomKind(room.id, e.target.value as RoomKind)}>
              {ROOM_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`roomKind.${k}`)}
                </option>
              ))}
            </select>
          </label>
        )}
        {device?.kind === 'camera' && (
          <div className="editor-aim">
            <label>
              {t('editor.heading')}
              <input type="number" data-testid="editor-heading" min={0} max={359} value={device.heading ?? 0} onChange={(e) => s.aimDevice(device.id, { heading: Number(e.target.value) })} />
            </label>
            <label>
              {t('editor.fov')}
              <input type="number" data-testid="editor-fov" min={1} max={360} value={device.fov ?? 0} onChange={(e) => s.aimDevice(device.id, { fov: Number(e.target.value) })} />
            </label>
          </div>
        )}
        {(room ?? device) && (
          <button type="button" className="btn btn-small btn-danger" data-testid="editor-delete" onClick={s.deleteSelected}>
            {t('editor.delete')}
          </button>
        )}
      </section>

      <section aria-label={t('editor.background')}>
        <h3>{t('editor.background')}</h3>
        <label className="btn btn-small editor-import">
          {s.importing ? t('editor.importing') : t('editor.importBackground')}
          <input type="file" accept=".png,.jpg,.jpeg,.svg,image/png,image/jpeg,image/svg+xml" data-testid="editor-import" onChange={(e) => void onFile(e)} disabled={s.importing} />
        </label>
        {s.backgroundLoadFailed && (
          <p className="hint" role="status" data-testid="editor-background-failed">
            {t('planBackground.editorFailed')}
          </p>
        )}
        {s.importError && (
          <>
            <p className="editor-import-failed">{t('editor.importFailed')}</p>
            <ErrorText error={describeErrorRef(t, s.importError)} testId="editor-import-error" />
          </>
        )}
        {s.background && s.placement && (
          <div data-testid="editor-background-info" data-media-type={s.background.mediaType}>
            <p className="hint">{t('editor.backgroundInfo', { type: s.background.mediaType, width: Math.round(s.background.width), height: Math.round(s.background.height) })}</p>
            {s.background.removed.length > 0 && (
              <p className="editor-removed" data-testid="editor-removed">
                {t('editor.removed', { items: s.background.removed.join(', ') })}
              </p>
            )}
            <label>
              {t('editor.opacity')}
              <input type="range" min={0.1} max={1} step={0.05} value={s.placement.opacity} onChange={(e) => s.setBackgroundOpacity(Number(e.target.value))} />
            </label>
            <button type="button" className="btn btn-small btn-quiet" onClick={s.removeBackground}>
              {t('editor.removeBackground')}
            </button>
          </div>
        )}
      </section>

      <section aria-label={t('editor.problems')}>
        <h3>{t('editor.problems')}</h3>
        {problems.length === 0 ? (
          <p className="hint" data-testid="editor-no-problems">
            {t('editor.noProblems')}
          </p>
        ) : (
          <ul className="editor-problems" data-testid="editor-problems">
            {problems.slice(0, 50).map((p, i) => (
              <li key={i} data-testid="editor-problem" data-code={p.code}>
                <bdi>{t(`editor.problem.${p.code}`, { id: 'roomId' in p ? p.roomId : 'deviceId' in p ? p.deviceId : p.id })}</bdi>
              </li>
            ))}
          </ul>
        )}
      </section>
    </aside>
  );
}

function EditorCanvas() {
  const { t } = useTranslation();
  const s = usePlanEditorStore();
  const floor = s.floor!;
  const { boxRef, size, view, handlers } = usePanZoom({ contentKey: floor.id, width: floor.width, height: floor.height, focus: null, noPanSelector: '[data-no-pan]' });
  const drag = useRef<Drag | null>(null);
  const [preview, setPreview] = useState<Drag | null>(null);
  const down = useRef<{ x: number; y: number } | null>(null);
  const backgroundSrc = useMemo(() => (s.background ? `data:${s.background.mediaType};base64,${s.background.data}` : null), [s.background]);

  const pointer = (e: { clientX: number; clientY: number }): Pt | null => {
    const box = boxRef.current;
    if (!box || !view) return null;
    const r = box.getBoundingClientRect();
    return toFloor(view, e.clientX - r.left, e.clientY - r.top);
  };

  const startDrag = (e: PointerEvent, d: Drag) => {
    if (e.button !== 0) return;
    e.stopPropagation();
    drag.current = d;
    boxRef.current?.setPointerCapture(e.pointerId);
  };

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    down.current = { x: e.clientX, y: e.clientY };
    handlers.onPointerDown(e);
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d) return handlers.onPointerMove(e);
    const p = pointer(e);
    if (!p) return;
    const device = s.devices.find((x) => x.id === d.id);
    if (d.type === 'heading' && device) s.aimDevice(d.id, { heading: headingTowards(device.position, p) });
    else if (d.type === 'fov' && device) {
      const off = Math.abs(((headingTowards(device.position, p) - (device.heading ?? 0) + 540) % 360) - 180);
      s.aimDevice(d.id, { fov: Math.max(1, 2 * off) });
    } else if (d.type === 'device' || d.type === 'corner') {
      drag.current = { ...d, at: p };
      setPreview(drag.current);
    }
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    drag.current = null;
    if (!d) return handlers.onPointerUp();
    if (d.type === 'device') s.moveDevice(d.id, d.at);
    else if (d.type === 'corner') s.moveRoomCorner(d.id, d.index, d.at);
    setPreview(null);
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
  };
  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    const from = down.current;
    if (from && Math.hypot(e.clientX - from.x, e.clientY - from.y) > 4) return;
    if ((e.target as Element).closest('[data-no-pan]')) return;
    const p = pointer(e);
    if (p) s.clickAt(p);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if ((e.key === 'Delete' || e.key === 'Backspace') && s.selection) {
      e.preventDefault();
      s.deleteSelected();
    } else if (e.key === 'Escape' && s.drawing.length) s.setTool('room');
    else if (e.key === 'Enter' && s.tool === 'room') s.finishRoom();
    else handlers.onKeyDown(e);
  };

  const shownPosition = (d: PlanDevice): Pt => (preview?.type === 'device' && preview.id === d.id ? preview.at : d.position);
  const shownPolygon = (r: Room): Pt[] => r.polygon.map((q, i) => (preview?.type === 'corner' && preview.id === r.id && preview.index === i ? preview.at : q));
  const selectedRoom = s.selection?.kind === 'room' ? s.rooms.find((r) => r.id === s.selection!.id) : undefined;
  const selectedCamera = s.selection?.kind === 'device' ? s.devices.find((d) => d.id === s.selection!.id && d.kind === 'camera') : undefined;
  const sx = (p: Pt) => view!.tx + p[0] * view!.scale;
  const sy = (p: Pt) => view!.ty + p[1] * view!.scale;

  return (
    <div
      ref={boxRef}
      className={`plan-editor-canvas tool-${s.tool}${backgroundSrc ? ' has-background' : ''}`}
      data-testid="editor-canvas"
      data-scale={view?.scale.toFixed(4) ?? ''}
      tabIndex={0}
      role="application"
      aria-label={t('editor.canvasLabel', { floor: inlineText(floor.name, 100) })}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onClick={onClick}
      onKeyDown={onKeyDown}
    >
      {view && backgroundSrc && s.placement && (
        // Shown only as an image: an SVG in <img> never runs script nor loads anything.
        <img
          className="editor-background"
          data-testid="editor-background"
          src={backgroundSrc}
          alt=""
          draggable={false}
          style={{
            left: view.tx + s.placement.x * view.scale,
            top: view.ty + s.placement.y * view.scale,
            width: s.placement.width * view.scale,
            height: s.placement.height * view.scale,
            opacity: s.placement.opacity,
          }}
        />
      )}
      {view && size && (
        <svg width={size.w} height={size.h} className="plan-editor-svg">
          <g transform={`translate(${view.tx} ${view.ty}) scale(${view.scale})`}>
            <rect className="floor-outline" x={0} y={0} width={floor.width} height={floor.height} />
            {s.rooms.map((r) => {
              const polygon = shownPolygon(r);
              const [cx, cy] = centroid(polygon);
              return (
                <g
                  key={r.id}
                  className={`room room-${r.kind}${selectedRoom?.id === r.id ? ' is-selected' : ''}`}
                  data-testid="editor-room"
                  data-room-id={r.id}
                  data-kind={r.kind}
                  onClick={(e) => {
                    if (s.tool !== 'select') return;
                    e.stopPropagation();
                    s.select({ kind: 'room', id: r.id });
                  }}
                >
                  <polygon points={polygon.map((p) => p.join(',')).join(' ')} />
                  <text x={cx} y={cy} fontSize={10 / view.scale} className="room-label">
                    {inlineText(r.name, 40)}
                  </text>
                </g>
              );
            })}
            {s.devices
              .filter((d) => d.kind === 'camera' && d.heading !== undefined)
              .map((d) => (
                <path key={`fov-${d.id}`} className={`fov${selectedCamera?.id === d.id ? ' is-selected' : ''}`} d={fovPath(shownPosition(d), d.heading!, d.fov ?? 60, DEFAULT_FOV_RANGE_M)} />
              ))}
            {s.drawing.length > 0 && <polyline className="editor-drawing" points={s.drawing.map((p) => p.join(',')).join(' ')} />}
          </g>
          {s.drawing.map((p, i) => (
            <circle key={`draw-${i}`} className="editor-draw-point" cx={sx(p)} cy={sy(p)} r={4} />
          ))}
          {s.devices.map((d) => {
            const p = shownPosition(d);
            return (
              <g
                key={d.id}
                className={`editor-device device-${d.kind}${s.selection?.id === d.id ? ' is-selected' : ''}`}
                transform={`translate(${sx(p)} ${sy(p)})`}
                data-testid="editor-device"
                data-device-id={d.id}
                data-kind={d.kind}
                data-x={d.position[0]}
                data-y={d.position[1]}
                data-no-pan=""
                role="button"
                aria-label={`${inlineText(d.name, 100)} — ${t(`deviceKind.${d.kind}`)}`}
                onPointerDown={(e) => {
                  s.select({ kind: 'device', id: d.id });
                  startDrag(e, { type: 'device', id: d.id, at: d.position });
                }}
              >
                <title>{inlineText(d.name, 100)}</title>
                <circle r={7} />
              </g>
            );
          })}
          {selectedCamera && (
            <>
              <Handle testId="editor-aim-handle" label={t('editor.aimHandle')} at={along(shownPosition(selectedCamera), selectedCamera.heading ?? 0)} sx={sx} sy={sy} onDown={(e) => startDrag(e, { type: 'heading', id: selectedCamera.id })} />
              <Handle
                testId="editor-fov-handle"
                label={t('editor.fovHandle')}
                at={along(shownPosition(selectedCamera), (selectedCamera.heading ?? 0) + (selectedCamera.fov ?? 60) / 2)}
                sx={sx}
                sy={sy}
                onDown={(e) => startDrag(e, { type: 'fov', id: selectedCamera.id })}
              />
            </>
          )}
          {selectedRoom &&
            shownPolygon(selectedRoom).map((p, i) => (
              <Handle
                key={`corner-${i}`}
                testId="editor-corner"
                label={t('editor.corner', { n: i + 1, room: inlineText(selectedRoom.name, 60) })}
                at={p}
                sx={sx}
                sy={sy}
                onDown={(e) => startDrag(e, { type: 'corner', id: selectedRoom.id, index: i, at: p })}
              />
            ))}
        </svg>
      )}
    </div>
  );
}

function along(from: Pt, heading: number): Pt {
  const [dx, dy] = direction(heading);
  return [from[0] + dx * DEFAULT_FOV_RANGE_M * HANDLE_AT, from[1] + dy * DEFAULT_FOV_RANGE_M * HANDLE_AT];
}

function Handle({ at, sx, sy, onDown, testId, label }: { at: Pt; sx(p: Pt): number; sy(p: Pt): number; onDown(e: PointerEvent): void; testId: string; label: string }) {
  return (
    <circle className="editor-handle" data-testid={testId} data-no-pan="" cx={sx(at)} cy={sy(at)} r={6} role="button" aria-label={label} onPointerDown={onDown}>
      <title>{label}</title>
    </circle>
  );
}
