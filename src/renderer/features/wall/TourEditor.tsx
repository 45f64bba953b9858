// The tour editor: the steps of the layout's tour (camera sets), built from what the wall shows,
// reordered, replaced or removed, and the dwell time. Edits go through the wall store and are
// saved with the layout (sync.ts), so named layouts and layout files carry their tour.
import { useTranslation } from 'react-i18next';
import { inlineText } from '../../lib/text';
import type { CatalogIndex } from '../catalog/store';
import { tileCount, tourSets, type TourEdit } from './layouts';
import { useWallStore } from './store';

export const DWELL_CHOICES = [5, 10, 20, 30, 60] as const;
/** Camera names shown per step before "+n more". */
const NAMES_SHOWN = 4;

export function TourEditor({ index }: { index: CatalogIndex }) {
  const { t } = useTranslation();
  const layout = useWallStore((s) => s.layout);
  const touring = useWallStore((s) => s.touring);
  const tourStep = useWallStore((s) => s.tourStep);
  const tiles = tileCount(layout.kind);
  const sets = layout.tour ? tourSets(layout.tour, tiles) : [];
  const current = sets.length > 0 ? ((tourStep % sets.length) + sets.length) % sets.length : -1;
  const edit = (e: TourEdit) => useWallStore.getState().editTour(e);
  const wallCells = () => useWallStore.getState().layout.cells;
  const name = (id: string) => inlineText(index.devices.get(id)?.name ?? id, 60);

  return (
    <section className="tour-editor" data-testid="tour-editor" aria-label={t('wall.tour.editor')}>
      <div className="tour-editor-bar">
        <strong>{t('wall.tour.editor')}</strong>
        <span className="tour-meta" data-testid="tour-step-count">
          {t('wall.tour.steps', { count: sets.length })}
        </span>
        <button type="button" className="btn btn-small" data-testid="tour-add-step" onClick={() => edit({ kind: 'add', cells: wallCells() })} disabled={!layout.cells.some((c) => c !== null)}>
          {t('wall.tour.addStep')}
        </button>
        <label className="tour-dwell">
          {t('wall.tour.dwell')}{' '}
          <select
            className="layout-select"
            data-testid="tour-dwell"
            value={layout.tour?.dwellSeconds ?? 10}
            disabled={!layout.tour}
            onChange={(e) => edit({ kind: 'dwell', seconds: Number(e.target.value) })}
          >
            {[...new Set([...DWELL_CHOICES, layout.tour?.dwellSeconds ?? 10])]
              .sort((a, b) => a - b)
              .map((s) => (
                <option key={s} value={s}>
                  {t('wall.tour.seconds', { count: s })}
                </option>
              ))}
          </select>
        </label>
        {layout.tour && (
          <button type="button" className="btn btn-small" data-testid="tour-delete" onClick={() => useWallStore.getState().setTour(null)}>
            {t('wall.tour.delete')}
          </button>
        )}
      </div>
      {sets.length === 0 ? (
        <p className="tour-meta" data-testid="tour-empty">
          {t('wall.tour.empty')}
        </p>
      ) : (
        <ol className="tour-steps">
          {sets.map((set, i) => {
            const ids = set.filter((c): c is string => c !== null);
            return (
              <li key={i} className={`tour-step${touring && i === current ? ' current' : ''}`} data-testid="tour-step" data-step={i} data-cameras={ids.join(' ')}>
                <span className="tour-step-no">{i + 1}</span>
                <span className="tour-step-names">
                  {ids.slice(0, NAMES_SHOWN).map((id) => (
                    <bdi key={id}>{name(id)}</bdi>
                  ))}
                  {ids.length > NAMES_SHOWN && <span className="tour-meta">{t('wall.more', { count: ids.length - NAMES_SHOWN })}</span>}
                </span>
                <span className="tour-step-actions">
                  <button type="button" className="btn btn-small" data-testid="tour-step-up" aria-label={t('wall.tour.up', { n: i + 1 })} disabled={i === 0} onClick={() => edit({ kind: 'move', step: i, dir: -1 })}>
                    ↑
                  </button>
                  <button
                    type="button"
                    className="btn btn-small"
                    data-testid="tour-step-down"
                    aria-label={t('wall.tour.down', { n: i + 1 })}
                    disabled={i === sets.length - 1}
                    onClick={() => edit({ kind: 'move', step: i, dir: 1 })}
                  >
                    ↓
                  </button>
                  <button type="button" className="btn btn-small" data-testid="tour-step-replace" onClick={() => edit({ kind: 'replace', step: i, cells: wallCells() })}>
                    {t('wall.tour.replace')}
                  </button>
                  <button type="button" className="btn btn-small" data-testid="tour-step-remove" aria-label={t('wall.tour.remove', { n: i + 1 })} onClick={() => edit({ kind: 'remove', step: i })}>
                    ✕
                  </button>
                </span>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
