import { useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { chooseLanguage } from '../features/session/controller';
import { currentLanguage, isLanguage, LANGUAGES } from '../lib/i18n';

/** Switches the UI language at once and saves the choice (ui.locale). */
export function LanguageSelect() {
  const { t, i18n } = useTranslation();
  const [saveFailed, setSaveFailed] = useState(false);
  const onChange = (e: ChangeEvent<HTMLSelectElement>) => {
    const lng = e.target.value;
    if (!isLanguage(lng)) return;
    setSaveFailed(false);
    chooseLanguage(lng).catch(() => setSaveFailed(true));
  };
  return (
    <span className="lang-select">
      <select data-testid="lang-select" aria-label={t('lang.label')} title={t('lang.label')} value={i18n.language || currentLanguage()} onChange={onChange}>
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(`lang.${l}`)}
          </option>
        ))}
      </select>
      {saveFailed && (
        <span className="lang-select-warning" role="status" data-testid="lang-save-error" title={t('errors.settingsSave')}>
          {t('errors.settingsSave')}
        </span>
      )}
    </span>
  );
}
