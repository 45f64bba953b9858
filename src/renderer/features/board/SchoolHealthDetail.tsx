// One school's health in detail, opened from a board row: one tab per section (network, cameras,
// coverage), each its own component. Add a section by adding a tab to TABS.
import type { TFunction } from 'i18next';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { inlineText } from '../../lib/text';
import type { CatalogIndex } from '../catalog/store';
import { CameraHealthTab } from './CameraHealthTab';
import { CoverageTab } from './CoverageTab';
import { NetworkTab } from './NetworkTab';
import './school-detail.css';

interface TabProps {
  schoolId: string;
  index: CatalogIndex;
}

const TABS: readonly { name: string; label(t: TFunction): string; render(p: TabProps): ReactNode }[] = [
  { name: 'network', label: (t) => t('net.tab'), render: (p) => <NetworkTab {...p} /> },
  { name: 'cameras', label: (t) => t('camHealth.tab'), render: (p) => <CameraHealthTab {...p} /> },
  { name: 'coverage', label: (t) => t('coverage.tab'), render: (p) => <CoverageTab {...p} /> },
];

export function SchoolHealthDetail({ schoolId, index, onClose, tab: initialTab }: TabProps & { onClose(): void; tab?: string }) {
  const { t } = useTranslation();
  const [tab, setTab] = useState(() => TABS.find((x) => x.name === initialTab)?.name ?? TABS[0]!.name);
  const current = TABS.find((x) => x.name === tab) ?? TABS[0]!;
  const name = index.schools.get(schoolId)?.name ?? schoolId;
  return (
    <section className="school-detail" role="dialog" aria-modal="false" aria-labelledby="school-detail-title" data-testid="school-detail" data-school-id={schoolId}>
      <header className="school-detail-head">
        <h2 id="school-detail-title">
          <bdi>{inlineText(name, 120)}</bdi>
        </h2>
        <div className="school-detail-tabs" role="tablist">
          {TABS.map((x) => (
            <button key={x.name} type="button" role="tab" aria-selected={x.name === tab} className={`btn btn-small btn-quiet${x.name === tab ? ' is-current' : ''}`} data-testid={`school-detail-tab-${x.name}`} onClick={() => setTab(x.name)}>
              {x.label(t)}
            </button>
          ))}
        </div>
        <button type="button" className="btn btn-quiet" data-testid="school-detail-close" onClick={onClose}>
          {t('schoolDetail.close')}
        </button>
      </header>
      <div className="school-detail-body" role="tabpanel">
        {current.render({ schoolId, index })}
      </div>
    </section>
  );
}
