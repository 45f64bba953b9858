// i18next setup: every user-visible string comes from locales/*.json. The language choice is a
// console setting (ui.locale) so it survives restarts; see features/session/controller.ts.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en, kk, ru, type Translation } from '../locales';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Translation };
  }
}

export const LANGUAGES = ['en', 'ru', 'kk'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LOCALE_SETTING = 'ui.locale';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The first of the browser's preferred languages the console speaks, else English. */
export function preferredLanguage(preferences: readonly string[]): Language {
  for (const p of preferences) {
    const base = p.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

export async function initI18n(lng: Language): Promise<void> {
  await i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, ru: { translation: ru }, kk: { translation: kk } },
    lng,
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    // React escapes text; titles from the backend are never put into HTML.
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
    // No promotional console output in a control room's devtools.
    showSupportNotice: false,
  });
  setDocumentLanguage(lng);
}

export async function applyLanguage(lng: Language): Promise<void> {
  if (i18next.language !== lng) await i18next.changeLanguage(lng);
  setDocumentLanguage(lng);
}

export function currentLanguage(): Language {
  return isLanguage(i18next.language) ? i18next.language : 'en';
}

function setDocumentLanguage(lng: Language): void {
  if (typeof document === 'undefined') return;
  document.documentElement.lang = lng;
  document.title = i18next.t('app.name');
}
