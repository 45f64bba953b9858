// The snapshots saved to evidence from the wall (camera, time, operator, SHA-256), newest first;
// one opens in a viewer with its file hashed again by the console, so an altered file says so.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Output } from '../../../shared/api';
import { createLogger } from '../../../shared/log';
import { fromBase64 } from '../../lib/base64';
import { consoleClient } from '../../lib/console-api';
import { inlineText } from '../../lib/text';
import type { CatalogIndex } from '../catalog/store';
import { clockTime } from './health';

const log = createLogger('wall-evidence');

type Item = Output<'evidence.list'>['items'][number];

interface Opened {
  item: Item;
  url: string;
  intact: boolean;
}

/** `revision` changes when a snapshot was saved: the list is read again. */
export function EvidencePanel({ index, revision, onClose }: { index: CatalogIndex; revision: number; onClose(): void }) {
  const { t } = useTranslation();
  const [items, setItems] = useState<Item[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [opened, setOpened] = useState<Opened | null>(null);

  useEffect(() => {
    let live = true;
    const api = consoleClient();
    api['evidence.list']({}).then(
        (r) => live && setItems(r.items),
        (e: unknown) => {
          log.warn('could not list the evidence', { error: e });
          if (live) setFailure(e instanceof Error ? e.message : String(e));
        },
      );
    return () => {
      live = false;
    };
  }, [revision]);

  // The object URL of an opened snapshot lives as long as the viewer shows it.
  useEffect(() => (opened ? () => URL.revokeObjectURL(opened.url) : undefined), [opened]);

  const open = async (item: Item) => {
    try {
      const r = await consoleClient()['evidence.open']({ id: item.id });
      setOpened({ item: r.item, url: URL.createObjectURL(new Blob([fromBase64(r.pngBase64)], { type: 'image/png' })), intact: r.intact });
    } catch (e) {
      log.warn('could not open a snapshot', { error: e });
      setFailure(e instanceof Error ? e.message : String(e));
    }
  };
  const cameraName = (id: string) => inlineText(index.devices.get(id)?.name ?? id, 120);

  return (
    <section className="evidence-panel" data-testid="evidence-panel" aria-label={t('wall.evidence.title')}>
      <div className="tour-editor-bar">
        <strong>{t('wall.evidence.title')}</strong>
        <span className="tour-meta">{items ? t('wall.evidence.count', { count: items.length }) : t('app.loading')}</span>
        <button type="button" className="btn btn-small" data-testid="evidence-close" onClick={onClose}>
          {t('wall.evidence.close')}
        </button>
      </div>
      {failure && (
        <p className="wall-notice error" role="alert" data-testid="evidence-error">
          {failure}
        </p>
      )}
      {items && items.length === 0 && <p className="tour-meta">{t('wall.evidence.empty')}</p>}
      {items && items.length > 0 && (
        <table className="evidence-table">
          <thead>
            <tr>
              <th>{t('wall.evidence.camera')}</th>
              <th>{t('wall.evidence.time')}</th>
              <th>{t('wall.evidence.operator')}</th>
              <th>SHA-256</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id} data-testid="evidence-row" data-evidence-id={item.id} data-camera-id={item.cameraId}>
                <td>
                  <bdi>{cameraName(item.cameraId)}</bdi>
                </td>
                <td title={item.capturedAt}>
                  {new Date(item.capturedAt).toLocaleDateString()} {clockTime(Date.parse(item.capturedAt))}
                </td>
                <td>
                  <bdi>{inlineText(item.operator, 80)}</bdi>
                </td>
                <td className="evidence-hash" title={item.sha256}>
                  {item.sha256.slice(0, 16)}…
                </td>
                <td>
                  <button type="button" className="btn btn-small" data-testid="evidence-open" onClick={() => void open(item)}>
                    {t('wall.evidence.open')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {opened && (
        <div className="evidence-viewer" role="dialog" aria-label={t('wall.evidence.viewer', { camera: cameraName(opened.item.cameraId) })} data-testid="evidence-viewer">
          <img src={opened.url} alt={t('wall.evidence.viewer', { camera: cameraName(opened.item.cameraId) })} data-testid="evidence-image" />
          <dl>
            <dt>{t('wall.evidence.camera')}</dt>
            <dd>
              <bdi>{cameraName(opened.item.cameraId)}</bdi> ({inlineText(opened.item.cameraId, 64)})
            </dd>
            <dt>{t('wall.evidence.time')}</dt>
            <dd>{opened.item.capturedAt}</dd>
            <dt>{t('wall.evidence.operator')}</dt>
            <dd>
              <bdi>{inlineText(opened.item.operator, 200)}</bdi>
            </dd>
            <dt>{t('wall.evidence.file')}</dt>
            <dd>{opened.item.file}</dd>
            <dt>SHA-256</dt>
            <dd className="evidence-hash" data-testid="evidence-sha256">
              {opened.item.sha256}
            </dd>
          </dl>
          <p className={`evidence-integrity ${opened.intact ? 'ok' : 'bad'}`} data-testid="evidence-integrity" data-intact={opened.intact}>
            {opened.intact ? t('wall.evidence.intact') : t('wall.evidence.altered')}
          </p>
          <button type="button" className="btn btn-small" data-testid="evidence-viewer-close" onClick={() => setOpened(null)}>
            {t('wall.evidence.close')}
          </button>
        </div>
      )}
    </section>
  );
}
