import { memo, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Device } from '../../../shared/protocol';
import { inlineText } from '../../lib/text';
import { useHlsPlayer, type PlayerView } from '../../lib/use-hls-player';
import { useCameraHealthStore } from './camera-health';
import { clockTime } from './health';
import { useLocalCamera, useTileSource } from './local-cameras';
import { PtzControls } from './PtzControls';
import { readDrag, TILE_MIME, writeTileDrag } from './drag';
import type { Variant } from './stream-choice';

export interface WallTileProps {
  index: number;
  cameraId: string | null;
  device: Device | null;
  schoolName: string | null;
  variant: Variant;
  /** The school whose video budget switched this tile to its sub stream, or null. */
  budgetSchool?: string | null;
  mediaOrigin: string;
  selected: boolean;
  maximized: boolean;
  /** Another tile is maximized: this one is hidden and its player stopped. */
  hidden: boolean;
  /** Grid placement (CSS grid lines, 1-based). */
  area: string;
  onSelect(index: number): void;
  onToggleMaximize(index: number): void;
  onDropCameras(index: number, cameraIds: string[]): void;
  onSwap(from: number, to: number): void;
  onSnapshot(index: number, video: HTMLVideoElement): void;
}

export const WallTile = memo(function WallTile(p: WallTileProps) {
  const { t } = useTranslation();
  const videoRef = useRef<HTMLVideoElement>(null);
  const lastFrameRef = useRef<HTMLCanvasElement>(null);
  const tileRef = useRef<HTMLDivElement>(null);
  const onScreen = useOnScreen(tileRef);
  const pageVisible = usePageVisible();
  const [dropping, setDropping] = useState(false);
  const url = p.device?.streams?.[p.variant] ?? null;
  const unknown = p.cameraId !== null && p.device === null;
  const active = onScreen && pageVisible && !p.hidden;
  // Local video when the city link is down, PTZ where the local device has it (issue 6).
  const source = useTileSource(p.cameraId, p.variant, unknown ? null : url, p.mediaOrigin, active);
  const ptz = useLocalCamera(p.cameraId)?.ptz === true;
  const view = useHlsPlayer(videoRef, lastFrameRef, { url: source.url, mediaOrigin: source.mediaOrigin, active });

  const report = useCameraHealthStore((s) => s.report);
  useEffect(() => {
    if (p.cameraId) report(p.cameraId, view.state);
  }, [p.cameraId, view.state, report]);

  const camera = p.device ? inlineText(p.device.name, 120) : p.cameraId ? t('wall.unknownCamera', { id: inlineText(p.cameraId, 64) }) : '';
  const school = p.schoolName ? inlineText(p.schoolName, 160) : '';
  const state = p.cameraId === null ? 'empty' : unknown ? 'refused' : view.state;
  const showLastFrame = view.lastFrame && (state === 'stale' || state === 'offline' || state === 'error');

  return (
    <div
      ref={tileRef}
      className={`wall-tile${p.selected ? ' selected' : ''}${dropping ? ' dropping' : ''}`}
      style={{ gridArea: p.area, display: p.hidden ? 'none' : undefined }}
      data-testid="wall-tile"
      data-index={p.index}
      data-camera-id={p.cameraId ?? ''}
      data-state={state}
      data-variant={p.variant}
      data-budget-sub={p.budgetSchool ? true : undefined}
      data-local={source.local}
      data-selected={p.selected}
      data-maximized={p.maximized}
      data-latency={view.latency ?? undefined}
      data-delay={view.delay ?? undefined}
      role="group"
      aria-label={p.cameraId ? t('wall.tileAria', { n: p.index + 1, camera, school }) : t('wall.emptyTileAria', { n: p.index + 1 })}
      draggable={p.cameraId !== null}
      onDragStart={(e) => writeTileDrag(e.dataTransfer, p.index)}
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = e.dataTransfer.types.includes(TILE_MIME) ? 'move' : 'copy';
        setDropping(true);
      }}
      onDragLeave={() => setDropping(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDropping(false);
        const drag = readDrag(e.dataTransfer);
        if (drag?.kind === 'tile') p.onSwap(drag.index, p.index);
        else if (drag?.kind === 'cameras') p.onDropCameras(p.index, drag.cameraIds);
      }}
      onClick={() => p.onSelect(p.index)}
      onDoubleClick={() => p.onToggleMaximize(p.index)}
    >
      <div className="tile-screen">
        <video ref={videoRef} className="tile-video" muted playsInline data-testid="wall-tile-video" />
        <canvas ref={lastFrameRef} className="tile-last-frame" hidden={!showLastFrame} data-testid="wall-tile-last-frame" />
        <span className="tile-number" aria-hidden="true">
          {p.index + 1}
        </span>
        <TileStatus state={state} view={view} />
        {ptz && p.cameraId && <PtzControls cameraId={p.cameraId} index={p.index} />}
      </div>
      {p.cameraId && (
        <div className="tile-label">
          <span className={`status-dot ${dotClass(state)}`} aria-hidden="true" />
          <bdi className="tile-camera" data-testid="wall-tile-camera">
            {camera}
          </bdi>
          {school && (
            <bdi className="tile-school" data-testid="wall-tile-school">
              {school}
            </bdi>
          )}
          <span className="tile-stats" data-testid="wall-tile-stats">
            {state === 'live' && view.fps !== null && t('wall.fps', { fps: Math.round(view.fps) })}
            {state === 'live' && view.delay !== null && ` · ${t('wall.delay', { seconds: view.delay.toFixed(1) })}`}
            {state === 'live' && ` · ${p.variant === 'main' ? t('wall.mainStream') : t('wall.subStream')}`}
          </span>
          {p.budgetSchool && (
            <span className="tile-budget" data-testid="wall-tile-budget" title={t('wallBudget.tileTitle', { school: inlineText(p.budgetSchool, 160) })}>
              {t('wallBudget.tile')}
            </span>
          )}
          {source.local && (
            <span className="tile-local" data-testid="wall-tile-local" title={t('localVideo.tileTitle')}>
              {t('localVideo.tile')}
            </span>
          )}
          {state === 'live' && (
            <button
              type="button"
              className="tile-action"
              data-testid="wall-tile-snapshot"
              title={t('wall.snapshot')}
              aria-label={t('wall.snapshot')}
              onClick={(e) => {
                e.stopPropagation();
                if (videoRef.current) p.onSnapshot(p.index, videoRef.current);
              }}
            >
              <svg width="14" height="11" viewBox="0 0 14 11" aria-hidden="true">
                <path d="M1 3h3l1-2h4l1 2h3v7H1z" fill="none" stroke="currentColor" strokeWidth="1.2" />
                <circle cx="7" cy="6.3" r="2" fill="none" stroke="currentColor" strokeWidth="1.2" />
              </svg>
            </button>
          )}
        </div>
      )}
    </div>
  );
});

function dotClass(state: string): string {
  if (state === 'live') return 'dot-live';
  if (state === 'stale' || state === 'connecting') return 'dot-stale';
  if (state === 'offline' || state === 'error' || state === 'refused') return 'dot-offline';
  return 'dot-unknown';
}

function TileStatus({ state, view }: { state: string; view: PlayerView }) {
  const { t } = useTranslation();
  let text: string | null = null;
  let detail: string | null = null;
  switch (state) {
    case 'empty':
      text = t('wall.emptyTile');
      break;
    case 'connecting':
      text = t('wall.state.connecting');
      break;
    case 'paused':
      text = t('wall.state.paused');
      break;
    case 'stale':
      text = view.since ? t('wall.state.staleSince', { time: clockTime(view.since) }) : t('wall.state.stale');
      break;
    case 'offline':
    case 'error':
      text = view.since
        ? t(state === 'offline' ? 'wall.state.offlineSince' : 'wall.state.errorSince', { time: clockTime(view.since) })
        : t(state === 'offline' ? 'wall.state.offline' : 'wall.state.error');
      detail = view.fatal ? t(`wall.reason.${view.fatal.reason}`, { status: view.fatal.httpStatus ?? '' }) : null;
      break;
    case 'refused':
      text = t('wall.state.refused');
      detail = view.refusal ? t(`wall.refusal.${view.refusal.reason}`, { detail: view.refusal.detail }) : t('wall.refusal.unknown_camera');
      break;
    default:
      return null;
  }
  return (
    <div className={`tile-status status-${state}`} data-testid="wall-tile-status" role={state === 'empty' ? undefined : 'status'}>
      <span className="tile-status-text">{text}</span>
      {detail && (
        <span className="tile-status-detail" data-testid="wall-tile-reason">
          {detail}
        </span>
      )}
    </div>
  );
}

/** Off-screen tiles (scrolled away, collapsed) stop their players. */
function useOnScreen(ref: React.RefObject<HTMLElement | null>): boolean {
  const [visible, setVisible] = useState(true);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((entries) => {
      for (const e of entries) setVisible(e.isIntersecting);
    });
    io.observe(el);
    return () => io.disconnect();
  }, [ref]);
  return visible;
}

function usePageVisible(): boolean {
  const [visible, setVisible] = useState(() => typeof document === 'undefined' || document.visibilityState !== 'hidden');
  useEffect(() => {
    const on = () => setVisible(document.visibilityState !== 'hidden');
    document.addEventListener('visibilitychange', on);
    return () => document.removeEventListener('visibilitychange', on);
  }, []);
  return visible;
}
