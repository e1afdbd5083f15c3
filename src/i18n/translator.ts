import i18next, { type TFunction } from 'i18next';
import en from './locales/en.json';
import zh from './locales/zh.json';
import { locales, type Locale } from './locales.ts';

export const resources = { zh: { translation: zh }, en: { translation: en } } as const;

const translators = new Map<Locale, TFunction>();

/** An i18next `t` bound to one locale; instances are cached because pages ask for them many times. */
export function getTranslator(locale: Locale): TFunction {
  const cached = translators.get(locale);
  if (cached) return cached;
  const instance = i18next.createInstance();
  void instance.init({
    lng: locale,
    fallbackLng: false,
    supportedLngs: Object.keys(locales),
    resources,
    keySeparator: false,
    nsSeparator: false,
    returnNull: false,
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  const t = instance.getFixedT(locale);
  translators.set(locale, t);
  return t;
}
