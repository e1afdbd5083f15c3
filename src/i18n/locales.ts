/**
 * The one locale table: URL key, BCP 47 tag, labels. Everything else reads it. `sentenceGap` is
 * what stands between two sentences set side by side (Chinese full stops take no space after them);
 * `numberStyle` is how readers write large numbers: in myriads (6100万, 1.7亿) or in thousands (61,000,000).
 * `englishName` names the language in the authoring tools' English messages; `readingSpeed` is
 * characters (Chinese) or words (English) read per minute; `cardFont` is the CSS font family
 * the share card sets the language's text in.
 */
export const locales = {
  zh: {
    tag: 'zh-Hans',
    label: '中文',
    englishName: 'Chinese',
    ogLocale: 'zh_CN',
    intl: 'zh-Hans-CN',
    sentenceGap: '',
    numberStyle: 'myriads',
    readingSpeed: 400,
    cardFont: "'Noto Sans SC'",
  },
  en: {
    tag: 'en',
    label: 'English',
    englishName: 'English',
    ogLocale: 'en_US',
    intl: 'en-US',
    sentenceGap: ' ',
    numberStyle: 'thousands',
    readingSpeed: 230,
    cardFont: "'Noto Sans', 'Noto Sans SC'",
  },
} as const;

export type Locale = keyof typeof locales;

export const localeKeys = Object.keys(locales) as Locale[];

export const defaultLocale: Locale = 'zh';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && Object.hasOwn(locales, value);
}

/** One value per locale of the table: a title in every language, a count per language. */
export type Localized<T> = Record<Locale, T>;

/** A value for every locale of the table, each made by `make`. */
export function mapLocales<T>(make: (locale: Locale) => T): Localized<T> {
  return Object.fromEntries(localeKeys.map((locale) => [locale, make(locale)])) as Localized<T>;
}

/** Every locale of the table but `locale`, in table order. */
export function getOtherLocales(locale: Locale): Locale[] {
  return localeKeys.filter((key) => key !== locale);
}

/**
 * The locale set beside `locale` where a feature is inherently about two languages at once: the
 * side-by-side view, a translation and the original it was made from. Those features pair each
 * locale with the first other locale of the table (with this site's two locales, simply the other one).
 */
export function getCounterpartLocale(locale: Locale): Locale {
  return getOtherLocales(locale)[0] ?? locale;
}

/** Picks our locale for a browser language list such as navigator.languages or Accept-Language. */
export function matchLocale(preferred: readonly string[]): Locale {
  for (const language of preferred) {
    const primary = language.trim().toLowerCase().split(/[-_;]/)[0];
    if (isLocale(primary)) return primary;
  }
  return defaultLocale;
}
