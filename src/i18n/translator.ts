import i18next, { type TFunction } from 'i18next';
import en from './locales/en.json' with { type: 'json' };
import zh from './locales/zh.json' with { type: 'json' };
import { locales, mapLocales, type Localized, type Locale } from './locales.ts';

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
  // `{{title, nestedQuotes}}`: a title set inside “…” has its own double quotes turned single,
  // so “TikTok Refugees” in a heading reads “‘TikTok Refugees’ in …”, not ““TikTok Refugees” in …”.
  instance.services.formatter?.add('nestedQuotes', (value: unknown) => String(value).replaceAll('“', '‘').replaceAll('”', '’'));
  // `{{slug, workingTitle}}`: `after-the-deadline` → `After the deadline`, a new essay's title until the author writes one.
  instance.services.formatter?.add('workingTitle', (value: unknown) => {
    const words = String(value).split('-').join(' ');
    return words.charAt(0).toUpperCase() + words.slice(1);
  });
  const t = memoizePlainKeys(instance.getFixedT(locale));
  translators.set(locale, t);
  return t;
}

/** One UI string in every locale of the table, for data that carries all its languages (a dataset's title). */
export function translateToEveryLocale(key: keyof typeof en): Localized<string> {
  return mapLocales((locale) => getTranslator(locale)(key));
}

/**
 * A page build asks for the same few dozen plain strings thousands of times, and i18next
 * resolves each call afresh; the resources never change at run time, so a plain key's
 * answer is kept. Calls with options (interpolation, plurals) still go to i18next.
 */
function memoizePlainKeys(t: TFunction): TFunction {
  const translate = t as unknown as (...args: unknown[]) => unknown;
  const answers = new Map<string, unknown>();
  const memoized = (...args: unknown[]) => {
    const [key] = args;
    if (args.length !== 1 || typeof key !== 'string') return translate(...args);
    if (!answers.has(key)) answers.set(key, translate(key));
    return answers.get(key);
  };
  return memoized as unknown as TFunction;
}
