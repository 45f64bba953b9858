import { useTranslation } from 'react-i18next';
import { useSessionStore } from '../session/store';
import { canEditPlan } from './model';
import { usePlanEditorStore } from './store';

/** "Edit plan" for the floor shown; only for a duty officer, or the guard of this school. */
export function EditPlanButton({ schoolId, floorId }: { schoolId: string; floorId: string }) {
  const { t } = useTranslation();
  const allowed = useSessionStore((s) => canEditPlan(s.session?.login.user ?? null, schoolId));
  const open = usePlanEditorStore((s) => s.open);
  if (!allowed) return null;
  return (
    <button type="button" className="btn btn-small" data-testid="plan-edit" title={t('editor.editHint')} onClick={() => void open(schoolId, floorId)}>
      {t('editor.edit')}
    </button>
  );
}
