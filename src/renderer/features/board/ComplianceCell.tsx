// The board's compliance column: the school's coverage compliance score, rooms covered of required.
import { useTranslation } from 'react-i18next';
import type { Compliance } from '../../../shared/coverage-compliance';

export function complianceClass(score: number): string {
  return score >= 85 ? 'good' : score >= 60 ? 'fair' : 'bad';
}

export function ComplianceCell({ compliance: c }: { compliance: Compliance | undefined }) {
  const { t } = useTranslation();
  if (!c) return <td data-testid="board-compliance">…</td>;
  return (
    <td data-testid="board-compliance" data-compliance={c.score}>
      <span className={`board-score ${complianceClass(c.score)}`} title={c.reasons.map((r) => `${t(`coverage.reason.${r.reason}`, { count: r.count })} −${r.points}`).join('\n')}>
        {c.score}
      </span>{' '}
      <span className="board-district">{t('coverage.short', { covered: c.covered, required: c.required })}</span>
    </td>
  );
}
