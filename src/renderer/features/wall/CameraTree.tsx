import { memo, useDeferredValue, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Building, Device, Floor, School } from '../../../shared/protocol';
import { inlineText } from '../../lib/text';
import type { CatalogIndex } from '../catalog/store';
import { useDeviceStatusStore } from '../plan/device-status-store';
import { cameraDot, selectCameraHealth, useCameraHealthStore } from './camera-health';
import { writeCamerasDrag } from './drag';
import { schoolCameras, searchCameras, type CameraTree as Tree, type DistrictNode } from './tree';

const RESULT_LIMIT = 100;

interface Props {
  tree: Tree;
  index: CatalogIndex;
  /** Put cameras on the wall from the selected tile onwards. */
  onPick(cameraIds: string[]): void;
}

/** District -> school -> building -> floor -> camera, with type-ahead search over the whole scope. */
export function CameraTree({ tree, index, onPick }: Props) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const deferred = useDeferredValue(query);
  const [active, setActive] = useState(0);
  const results = useMemo(() => searchCameras(tree.search, deferred, RESULT_LIMIT), [tree, deferred]);
  const searching = deferred.trim().length > 0;

  return (
    <nav className="camera-tree" aria-label={t('wall.tree.title')} data-testid="camera-tree">
      <input
        type="search"
        className="tree-search"
        data-testid="camera-search"
        placeholder={t('wall.tree.search', { count: tree.cameraCount })}
        aria-label={t('wall.tree.searchLabel')}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive((a) => Math.max(0, Math.min(a + 1, results.ids.length - 1)));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === 'Enter' && results.ids.length > 0) {
            e.preventDefault();
            onPick([results.ids[Math.min(active, results.ids.length - 1)]!]);
          } else if (e.key === 'Escape') {
            // First Escape clears the search; the next hands the keyboard back to the wall.
            if (query) setQuery('');
            else document.querySelector<HTMLElement>('[data-testid="wall-grid"]')?.focus();
          }
        }}
      />
      {searching ? (
        <div className="tree-results" role="listbox" aria-label={t('wall.tree.results')} data-testid="camera-results">
          <div className="tree-meta">{t('wall.tree.found', { count: results.total })}</div>
          {results.ids.map((id, i) => {
            const d = index.devices.get(id);
            return d ? (
              <CameraRow key={id} device={d} school={index.schools.get(d.schoolId)?.name ?? ''} active={i === active} onPick={onPick} />
            ) : null;
          })}
          {results.total > results.ids.length && <div className="tree-meta">{t('wall.more', { count: results.total - results.ids.length })}</div>}
        </div>
      ) : (
        <ul className="tree-root" role="tree">
          {tree.districts.map((d) => (
            <DistrictItem key={d.district.id} node={d} tree={tree} index={index} onPick={onPick} single={tree.districts.length === 1} />
          ))}
        </ul>
      )}
    </nav>
  );
}

function DistrictItem({ node, tree, index, onPick, single }: { node: DistrictNode; tree: Tree; index: CatalogIndex; onPick: Props['onPick']; single: boolean }) {
  const [open, setOpen] = useState(single);
  return (
    <li role="treeitem" aria-expanded={open} data-testid="tree-district" data-district-id={node.district.id}>
      <button type="button" className="tree-node" onClick={() => setOpen(!open)}>
        <span className="tree-caret">{open ? '▾' : '▸'}</span>
        <bdi>{inlineText(node.district.name, 100)}</bdi>
        <span className="tree-count">{node.cameraCount}</span>
      </button>
      {open && (
        <ul role="group">
          {node.schools.map((s) => (
            <SchoolItem key={s.school.id} school={s.school} count={s.cameraCount} tree={tree} index={index} onPick={onPick} startOpen={single && node.schools.length === 1} />
          ))}
        </ul>
      )}
    </li>
  );
}

const SchoolItem = memo(function SchoolItem({
  school,
  count,
  tree,
  index,
  onPick,
  startOpen,
}: {
  school: School;
  count: number;
  tree: Tree;
  index: CatalogIndex;
  onPick: Props['onPick'];
  startOpen: boolean;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(startOpen);
  return (
    <li role="treeitem" aria-expanded={open} data-testid="tree-school" data-school-id={school.id}>
      <button
        type="button"
        className="tree-node"
        draggable
        onDragStart={(e) => writeCamerasDrag(e.dataTransfer, schoolCameras(tree, school))}
        onClick={() => setOpen(!open)}
        title={t('wall.tree.dragHint')}
      >
        <span className="tree-caret">{open ? '▾' : '▸'}</span>
        <bdi>{inlineText(school.name, 160)}</bdi>
        <span className="tree-count">{count}</span>
      </button>
      {open && (
        <ul role="group">
          {school.buildings.map((b) => (
            <BuildingItem key={b.id} building={b} tree={tree} index={index} onPick={onPick} startOpen={school.buildings.length === 1} />
          ))}
        </ul>
      )}
    </li>
  );
});

function BuildingItem({ building, tree, index, onPick, startOpen }: { building: Building; tree: Tree; index: CatalogIndex; onPick: Props['onPick']; startOpen: boolean }) {
  const [open, setOpen] = useState(startOpen);
  return (
    <li role="treeitem" aria-expanded={open}>
      <button type="button" className="tree-node" onClick={() => setOpen(!open)}>
        <span className="tree-caret">{open ? '▾' : '▸'}</span>
        <bdi>{inlineText(building.name, 160)}</bdi>
      </button>
      {open && (
        <ul role="group">
          {building.floors.map((f) => (
            <FloorItem key={f.id} floor={f} cameras={tree.camerasByFloor.get(f.id) ?? []} index={index} onPick={onPick} />
          ))}
        </ul>
      )}
    </li>
  );
}

function FloorItem({ floor, cameras, index, onPick }: { floor: Floor; cameras: readonly Device[]; index: CatalogIndex; onPick: Props['onPick'] }) {
  const [open, setOpen] = useState(false);
  if (cameras.length === 0) return null;
  return (
    <li role="treeitem" aria-expanded={open} data-testid="tree-floor" data-floor-id={floor.id}>
      <button type="button" className="tree-node" draggable onDragStart={(e) => writeCamerasDrag(e.dataTransfer, cameras.map((c) => c.id))} onClick={() => setOpen(!open)}>
        <span className="tree-caret">{open ? '▾' : '▸'}</span>
        <bdi>{inlineText(floor.name, 160)}</bdi>
        <span className="tree-count">{cameras.length}</span>
      </button>
      {open && (
        <ul role="group">
          {cameras.map((c) => (
            <li key={c.id} role="none">
              <CameraRow device={c} school={index.schools.get(c.schoolId)?.name ?? ''} active={false} onPick={onPick} compact />
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

const CameraRow = memo(function CameraRow({
  device,
  school,
  active,
  onPick,
  compact = false,
}: {
  device: Device;
  school: string;
  active: boolean;
  onPick: Props['onPick'];
  compact?: boolean;
}) {
  return (
    <div
      className={`tree-camera${active ? ' active' : ''}`}
      role={compact ? 'treeitem' : 'option'}
      aria-selected={active}
      draggable
      data-testid="tree-camera"
      data-camera-id={device.id}
      onDragStart={(e) => writeCamerasDrag(e.dataTransfer, [device.id])}
      onDoubleClick={() => onPick([device.id])}
    >
      <CameraDot id={device.id} />
      <bdi className="tree-camera-name">{inlineText(device.name, 120)}</bdi>
      {!compact && <bdi className="tree-camera-school">{inlineText(school, 80)}</bdi>}
    </div>
  );
});

function CameraDot({ id }: { id: string }) {
  const { t } = useTranslation();
  const watched = useCameraHealthStore(selectCameraHealth(id));
  const device = useDeviceStatusStore((s) => s.byId.get(id)?.status);
  const dot = cameraDot(device, watched);
  const title = t(`wall.health.${dot}`) + (watched ? '' : ` · ${t('wall.health.fromBackend')}`);
  return <span className={`status-dot dot-${dot}`} data-testid="camera-dot" data-health={dot} title={title} aria-label={title} role="img" />;
}
