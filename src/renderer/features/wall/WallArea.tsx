import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createLogger } from '../../../shared/log';
import { LAYOUT_KINDS, MAX_LAYOUT_FILE_BYTES, type LayoutKind, type WallLayout } from '../../../shared/wall';
import { consoleClient } from '../../lib/console-api';
import { toBase64 } from '../../lib/base64';
import { selectSelected, useAlertsStore } from '../alerts/store';
import { useCatalogStore, type CatalogIndex } from '../catalog/store';
import { useSessionStore } from '../session/store';
import { emptyLayout, geometry, stepCamera, tileCount, tourPages } from './layouts';
import { useWallKeyboard } from './keyboard';
import { useWallStore, visibleCells } from './store';
import { chooseVariant } from './stream-choice';
import { useTelemetryStore } from '../telemetry/store';
import { linkKey, linksOfKey, planWallVideo } from './video-budget';
import { WallBudgetWarning } from './WallBudgetWarning';
import { deleteNamedLayout, layoutFile, parseLayoutFile, saveNamedLayout, useWallSync } from './sync';
import { CameraTree } from './CameraTree';
import { EvidencePanel } from './EvidencePanel';
import { TourEditor } from './TourEditor';
import { buildTree, type CameraTree as Tree } from './tree';
import { LocalVideoBanner } from './LocalVideoBanner';
import { WallTile } from './WallTile';
import './wall.css';

const log = createLogger('wall');

/** The video wall: camera tree, layout toolbar, tiles, and the keyboard map. */
export function WallArea({ standalone = false }: { standalone?: boolean }) {
  const { t } = useTranslation();
  const index = useCatalogStore((s) => s.index);
  const session = useSessionStore((s) => s.session);
  const host = useSessionStore((s) => s.info?.host ?? 'web');
  const tree = useMemo(() => (index ? buildTree(index) : null), [index]);
  const scopeSchoolId = session?.login.user.scope.kind === 'school' ? session.login.user.scope.schoolId : null;
  const mediaOrigin = session ? new URL(session.backendUrl).origin : '';

  // Nothing saved yet: an empty 2x2 wall. Video starts when the operator puts cameras on it, not
  // behind their back (every playing tile costs a decoder).
  const fallback = useCallback((): WallLayout => emptyLayout('4'), []);
  useWallSync(fallback, index !== null);

  const layout = useWallStore((s) => s.layout);
  const touring = useWallStore((s) => s.touring);
  const tourStep = useWallStore((s) => s.tourStep);
  const selected = useWallStore((s) => s.selected);
  const maximized = useWallStore((s) => s.maximized);
  const cells = useMemo(() => visibleCells({ layout, touring, tourStep }), [layout, touring, tourStep]);
  // Each school's video budget (and its live link): tiles that would exceed it play sub streams.
  const schoolOf = useCallback((cameraId: string | null) => (cameraId && index ? (index.devices.get(cameraId)?.schoolId ?? null) : null), [index]);
  const links = useTelemetryStore((s) => linkKey(cells.map(schoolOf).filter((id): id is string => id !== null), (id) => s.links.get(id)?.state));
  const video = useMemo(() => {
    const below = linksOfKey(links);
    const tiles = cells.map((id, i) => ({ index: i, schoolId: schoolOf(id), variant: chooseVariant(layout.kind, i, maximized === i), hidden: maximized !== null && maximized !== i }));
    return planWallVideo(tiles, (id) => below.get(id));
  }, [cells, schoolOf, layout.kind, maximized, links]);
  const [showKeys, setShowKeys] = useState(true);
  const [editingTour, setEditingTour] = useState(false);
  const [showEvidence, setShowEvidence] = useState(false);
  const [evidenceRevision, setEvidenceRevision] = useState(0);
  const [notice, setNotice] = useState<{ text: string; kind: 'ok' | 'error' } | null>(null);
  const gridRef = useRef<HTMLDivElement>(null);

  // Tours: one timer for the whole wall.
  const dwell = layout.tour?.dwellSeconds ?? 0;
  useEffect(() => {
    if (!touring || dwell <= 0) return;
    const timer = setInterval(() => useWallStore.getState().stepTour(1), dwell * 1000);
    return () => clearInterval(timer);
  }, [touring, dwell]);

  const say = useCallback((text: string, kind: 'ok' | 'error' = 'ok') => setNotice({ text, kind }), []);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), 6000);
    return () => clearTimeout(timer);
  }, [notice]);

  const onDropCameras = useCallback(
    (at: number, ids: string[]) => {
      const placed = useWallStore.getState().drop(at, ids);
      if (placed < ids.length) say(t('wall.notAllPlaced', { placed, total: ids.length }));
    },
    [say, t],
  );
  const onSnapshot = useCallback(
    (tile: number, video: HTMLVideoElement) => {
      const cameraId = visibleCells(useWallStore.getState())[tile];
      const operator = useSessionStore.getState().session?.login.user.name ?? '';
      if (!cameraId) return;
      void takeSnapshot(video, cameraId, operator).then(
        (r) => {
          say(t('wall.snapshotSaved', { file: r.file, hash: r.sha256.slice(0, 16) }));
          setEvidenceRevision((n) => n + 1);
        },
        (e: unknown) => {
          log.warn('snapshot failed', { error: e });
          say(t('wall.snapshotFailed', { reason: e instanceof Error ? e.message : String(e) }), 'error');
        },
      );
    },
    [say, t],
  );
  const pickOrder = tree?.order;
  const stepSelected = useCallback(
    (dir: 1 | -1) => {
      if (!pickOrder) return;
      const s = useWallStore.getState();
      const current = visibleCells(s)[s.selected] ?? null;
      const next = stepCamera(pickOrder, current, dir);
      if (next) s.setCamera(s.selected, next);
    },
    [pickOrder],
  );
  const toggleTour = useCallback(() => {
    const s = useWallStore.getState();
    if (s.touring) return s.stopTour();
    if (!s.layout.tour) {
      const ids = tourCameras(index, tree, visibleCells(s)[s.selected] ?? null, scopeSchoolId);
      if (ids.length === 0) return;
      s.setTour({ cameraIds: ids, dwellSeconds: 10 });
    }
    useWallStore.getState().startTour();
  }, [index, tree, scopeSchoolId]);
  const snapshotSelected = useCallback(() => {
    const s = useWallStore.getState();
    const video = gridRef.current?.querySelector<HTMLVideoElement>(`[data-index="${s.selected}"] video`);
    if (video) onSnapshot(s.selected, video);
  }, [onSnapshot]);

  useWallKeyboard({ onStepCamera: stepSelected, onToggleTour: toggleTour, onSnapshot: snapshotSelected });

  if (!index || !tree) {
    return (
      <div className="wall">
        <p className="empty" data-testid="wall-empty">
          {t('app.loading')}
        </p>
      </div>
    );
  }

  const g = geometry(layout.kind);
  const gridStyle = maximized === null ? { gridTemplateColumns: `repeat(${g.cols}, minmax(0, 1fr))`, gridTemplateRows: `repeat(${g.rows}, minmax(0, 1fr))` } : { gridTemplateColumns: 'minmax(0, 1fr)', gridTemplateRows: 'minmax(0, 1fr)' };

  return (
    <div className={`wall${standalone ? ' standalone' : ''}`} data-testid="wall" data-kind={layout.kind} data-touring={touring}>
      <WallToolbar
        layout={layout}
        touring={touring}
        standalone={standalone}
        host={host}
        onToggleTour={toggleTour}
        onNotice={say}
        showKeys={showKeys}
        onToggleKeys={() => setShowKeys((v) => !v)}
        editingTour={editingTour}
        onToggleTourEditor={() => setEditingTour((v) => !v)}
        showEvidence={showEvidence}
        onToggleEvidence={() => setShowEvidence((v) => !v)}
      />
      {editingTour && !standalone && <TourEditor index={index} />}
      {showEvidence && !standalone && <EvidencePanel index={index} revision={evidenceRevision} onClose={() => setShowEvidence(false)} />}
      <div className="wall-body">
        {!standalone && <CameraTree tree={tree} index={index} onPick={(ids) => onDropCameras(useWallStore.getState().selected, ids)} />}
        <div className="wall-main">
          <LocalVideoBanner />
          <WallBudgetWarning over={video.over} index={index} />
          <div
            ref={gridRef}
            className="wall-grid"
            style={gridStyle}
            data-testid="wall-grid"
            tabIndex={0}
            aria-label={t('wall.gridAria', { count: cells.length })}
          >
            {cells.map((cameraId, i) => {
              const box = g.tiles[i]!;
              const device = cameraId ? (index.devices.get(cameraId) ?? null) : null;
              const isMax = maximized === i;
              return (
                <WallTile
                  key={i}
                  index={i}
                  cameraId={cameraId}
                  device={device && device.kind === 'camera' ? device : null}
                  schoolName={device ? (index.schools.get(device.schoolId)?.name ?? device.schoolId) : null}
                  variant={video.variants[i] ?? chooseVariant(layout.kind, i, isMax)}
                  budgetSchool={video.switchedFor.has(i) ? (index.schools.get(video.switchedFor.get(i)!)?.name ?? video.switchedFor.get(i)!) : null}
                  mediaOrigin={mediaOrigin}
                  selected={selected === i}
                  maximized={isMax}
                  hidden={maximized !== null && !isMax}
                  area={isMax ? '1 / 1 / 2 / 2' : `${box.row + 1} / ${box.col + 1} / span ${box.rowSpan} / span ${box.colSpan}`}
                  onSelect={selectTile}
                  onToggleMaximize={toggleMax}
                  onDropCameras={onDropCameras}
                  onSwap={swapTiles}
                  onSnapshot={onSnapshot}
                />
              );
            })}
          </div>
          {notice && (
            <div className={`wall-notice ${notice.kind}`} role="status" data-testid="wall-notice">
              {notice.text}
            </div>
          )}
          {showKeys && <ShortcutBar />}
        </div>
      </div>
    </div>
  );
}

const selectTile = (i: number) => useWallStore.getState().select(i);
const toggleMax = (i: number) => useWallStore.getState().toggleMaximize(i);
const swapTiles = (a: number, b: number) => useWallStore.getState().swap(a, b);

function tourCameras(index: CatalogIndex | null, tree: Tree | null, selectedCamera: string | null, scopeSchoolId: string | null): string[] {
  if (!index || !tree) return [];
  const schoolId = selectedCamera ? index.devices.get(selectedCamera)?.schoolId : scopeSchoolId;
  const cams = schoolId ? index.camerasBySchool.get(schoolId) : undefined;
  return (cams ? cams.map((c) => c.id) : tree.order).slice(0, 2000);
}

async function takeSnapshot(video: HTMLVideoElement, cameraId: string, operator: string) {
  if (video.videoWidth === 0) throw new Error('no picture');
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext('2d')!.drawImage(video, 0, 0);
  const capturedAt = new Date().toISOString();
  const blob = await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
  return consoleClient()['evidence.snapshot']({ cameraId, capturedAt, operator, pngBase64: toBase64(new Uint8Array(await blob.arrayBuffer())) });
}

function WallToolbar({
  layout,
  touring,
  standalone,
  host,
  onToggleTour,
  onNotice,
  showKeys,
  onToggleKeys,
  editingTour,
  onToggleTourEditor,
  showEvidence,
  onToggleEvidence,
}: {
  layout: WallLayout;
  touring: boolean;
  standalone: boolean;
  host: 'web' | 'electron';
  onToggleTour(): void;
  onNotice(text: string, kind?: 'ok' | 'error'): void;
  showKeys: boolean;
  onToggleKeys(): void;
  editingTour: boolean;
  onToggleTourEditor(): void;
  showEvidence: boolean;
  onToggleEvidence(): void;
}) {
  const { t } = useTranslation();
  const saved = useWallStore((s) => s.saved);
  const [name, setName] = useState('');
  const fileRef = useRef<HTMLInputElement>(null);
  const selectedAlert = useAlertsStore(selectSelected);
  const tourStep = useWallStore((s) => s.tourStep);
  const tourCount = layout.tour ? tourPages(layout.tour, tileCount(layout.kind)) : 1;
  const tourPosition = { step: (((tourStep % tourCount) + tourCount) % tourCount) + 1, count: tourCount };
  const alertCameras = selectedAlert?.cameraIds ?? [];

  const save = () => {
    const n = name.trim();
    if (!n) return;
    saveNamedLayout(n).then(
      () => onNotice(t('wall.layouts.savedAs', { name: n })),
      (e: unknown) => onNotice(t('wall.layouts.saveFailed', { reason: e instanceof Error ? e.message : String(e) }), 'error'),
    );
  };
  const load = (n: string) => {
    const l = saved.find((s) => s.name === n);
    if (l) {
      useWallStore.getState().apply(l.layout);
      setName(l.name);
    }
  };
  const exportFile = () => {
    const n = name.trim() || t('wall.layouts.untitled');
    const blob = new Blob([JSON.stringify(layoutFile(n, layout), null, 2)], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${n.replace(/[^\p{L}\p{N}_ -]/gu, '_')}.kuzet-layout.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };
  const importFile = async (file: File) => {
    if (file.size > MAX_LAYOUT_FILE_BYTES) return onNotice(t('wall.layouts.import.too_large'), 'error');
    const result = parseLayoutFile(await file.text(), MAX_LAYOUT_FILE_BYTES);
    if (!result.ok) return onNotice(t(`wall.layouts.import.${result.reason}`, { detail: result.detail }), 'error');
    useWallStore.getState().apply(result.file.layout);
    setName(result.file.name);
    onNotice(t('wall.layouts.imported', { name: result.file.name }));
  };
  const openSecond = () => {
    if (host === 'electron') {
      // The host places it on another display (remembered); the window follows this layout.
      const api = consoleClient();
      api['wall.openWindow']({}).catch((e: unknown) => onNotice(t('wall.secondDisplayFailed', { reason: e instanceof Error ? e.message : String(e) }), 'error'));
      return;
    }
    const url = new URL(location.href);
    url.searchParams.set('view', 'wall');
    window.open(url.href, 'kuzet-wall');
  };

  return (
    <div className="wall-toolbar area-header">
      <h2 className="area-title">{t('wall.title')}</h2>
      <div className="layout-kinds" role="radiogroup" aria-label={t('wall.layoutKind')}>
        {LAYOUT_KINDS.map((k: LayoutKind) => (
          <button
            key={k}
            type="button"
            role="radio"
            aria-checked={layout.kind === k}
            className={`kind-btn${layout.kind === k ? ' on' : ''}`}
            data-testid={`layout-kind-${k}`}
            title={t('wall.kindTitle', { count: tileCount(k) })}
            onClick={() => useWallStore.getState().setKind(k)}
          >
            {k}
          </button>
        ))}
      </div>
      {!standalone && (
        <>
          <input
            className="layout-name"
            data-testid="layout-name"
            value={name}
            maxLength={80}
            placeholder={t('wall.layouts.name')}
            aria-label={t('wall.layouts.name')}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && save()}
          />
          <button type="button" className="btn btn-small" data-testid="layout-save" onClick={save} disabled={!name.trim()}>
            {t('wall.layouts.save')}
          </button>
          <select
            className="layout-select"
            data-testid="layout-select"
            aria-label={t('wall.layouts.open')}
            value=""
            onChange={(e) => load(e.target.value)}
          >
            <option value="">{t('wall.layouts.open')}</option>
            {saved.map((s) => (
              <option key={s.name} value={s.name}>
                {s.name}
              </option>
            ))}
          </select>
          {saved.some((s) => s.name === name.trim()) && (
            <button type="button" className="btn btn-small" data-testid="layout-delete" onClick={() => void deleteNamedLayout(name.trim())}>
              {t('wall.layouts.delete')}
            </button>
          )}
          <button type="button" className="btn btn-small" data-testid="layout-export" onClick={exportFile}>
            {t('wall.layouts.export')}
          </button>
          <button type="button" className="btn btn-small" data-testid="layout-import" onClick={() => fileRef.current?.click()}>
            {t('wall.layouts.import.button')}
          </button>
          <input
            ref={fileRef}
            type="file"
            accept="application/json,.json"
            hidden
            data-testid="layout-import-file"
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (f) void importFile(f);
            }}
          />
        </>
      )}
      <button type="button" className={`btn btn-small${touring ? ' on' : ''}`} data-testid="tour-toggle" aria-pressed={touring} onClick={onToggleTour}>
        {touring ? t('wall.tour.stopAt', { step: tourPosition.step, count: tourPosition.count }) : t('wall.tour.start')}
      </button>
      {!standalone && (
        <button type="button" className={`btn btn-small${editingTour ? ' on' : ''}`} data-testid="tour-edit" aria-pressed={editingTour} onClick={onToggleTourEditor}>
          {t('wall.tour.edit')}
        </button>
      )}
      {!standalone && (
        <button type="button" className={`btn btn-small${showEvidence ? ' on' : ''}`} data-testid="wall-evidence-toggle" aria-pressed={showEvidence} onClick={onToggleEvidence}>
          {t('wall.evidence.title')}
        </button>
      )}
      {!standalone && alertCameras.length > 0 && (
        <button type="button" className="btn btn-small" data-testid="wall-alert-cameras" onClick={() => useWallStore.getState().drop(0, alertCameras)}>
          {t('wall.showAlertCameras', { count: alertCameras.length })}
        </button>
      )}
      {!standalone && (
        <button type="button" className="btn btn-small" data-testid="wall-second-display" onClick={openSecond}>
          {t('wall.secondDisplay')}
        </button>
      )}
      <button type="button" className="btn btn-small" data-testid="wall-keys-toggle" aria-pressed={showKeys} onClick={onToggleKeys}>
        {t('wall.keys.toggle')}
      </button>
    </div>
  );
}

function ShortcutBar() {
  const { t } = useTranslation();
  const keys: [string, string][] = [
    ['1–36', t('wall.keys.select')],
    ['← ↑ → ↓', t('wall.keys.move')],
    ['Enter', t('wall.keys.maximize')],
    ['Esc', t('wall.keys.restore')],
    ['PgUp / PgDn', t('wall.keys.camera')],
    ['T', t('wall.keys.tour')],
    ['S', t('wall.keys.snapshot')],
    ['Del', t('wall.keys.clear')],
    ['/', t('wall.keys.search')],
  ];
  return (
    <div className="shortcut-bar" data-testid="wall-shortcuts" aria-label={t('wall.keys.title')}>
      {keys.map(([k, what]) => (
        <span key={k} className="shortcut">
          <kbd>{k}</kbd> {what}
        </span>
      ))}
    </div>
  );
}
