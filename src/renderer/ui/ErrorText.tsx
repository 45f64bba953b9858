import type { ShownError } from '../lib/errors';
import { useTranslation } from 'react-i18next';

/** A translated error with its technical detail underneath (data, rendered as inert text). */
export function ErrorText({ error, testId, role = 'alert' }: { error: ShownError; testId: string; role?: 'alert' | 'status' }) {
  const { t } = useTranslation();
  return (
    <div className="error-text" role={role} data-testid={testId}>
      <div className="error-message">{error.message}</div>
      {error.detail && (
        <div className="error-detail">
          <bdi>{t('errors.detail', { detail: error.detail })}</bdi>
        </div>
      )}
    </div>
  );
}
