// Above the wall's tiles: the schools whose video budget the layout would exceed, by how much, why
// (the budget, or a link below budget), and what the wall did about it (tiles on sub streams).
import { useTranslation } from 'react-i18next';
import { inlineText } from '../../lib/text';
import type { CatalogIndex } from '../catalog/store';
import type { SchoolVideo } from './video-budget';
import './wall-budget.css';

const mbps = (v: number) => Math.round(v * 10) / 10;

export function WallBudgetWarning({ over, index }: { over: readonly SchoolVideo[]; index: CatalogIndex }) {
  const { t } = useTranslation();
  if (over.length === 0) return null;
  return (
    <div className="wall-budget" role="status" data-testid="wall-budget-warning" data-school-ids={over.map((o) => o.schoolId).join(' ')}>
      {over.map((o) => {
        const school = inlineText(index.schools.get(o.schoolId)?.name ?? o.schoolId, 160);
        const args = { school, asked: mbps(o.askedMbps), room: mbps(o.roomMbps), planned: mbps(o.plannedMbps), count: o.switched.length };
        return (
          <p key={o.schoolId} data-testid="wall-budget-school" data-school-id={o.schoolId} data-switched={o.switched.length}>
            <bdi>{o.limit.kind === 'link' ? t('wallBudget.link', { ...args, link: mbps(o.limit.linkMbps) }) : t('wallBudget.budget', args)}</bdi>{' '}
            {o.switched.length > 0 && t('wallBudget.switched', args)} {o.overEvenOnSub && t('wallBudget.stillOver', args)}
          </p>
        );
      })}
    </div>
  );
}
