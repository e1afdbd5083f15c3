/**
 * The one locale table: URL key, BCP 47 tag, labels. Everything else reads it. `sentenceGap` is
 * what stands between two sentences set side by side (Chinese full stops take no space after them);
 * `numberStyle` is how readers write large numbers: in myriads (6100万, 1.7亿) or in thousands (61,000,000).
 */
export const locales = {
  zh: { tag: 'zh-Hans', label: '中文', ogLocale: 'zh_CN', intl: 'zh-Hans-CN', sentenceGap: '', numberStyle: 'myriads' },
  en: { tag: 'en', label: 'English', ogLocale: 'en_US', intl: 'en-US', sentenceGap: ' ', numberStyle: 'thousands' },
} as const;

export type Locale = keyof typeof locales;

export const localeKeys = Object.keys(locales) as Locale[];

export const defaultLocale: Locale = 'zh';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && Object.hasOwn(locales, value);
}

/** The other language of a two-language site. */
export function getOtherLocale(locale: Locale): Locale {
  return localeKeys.find((key) => key !== locale) ?? defaultLocale;
}

/** Picks our locale for a browser language list such as navigator.languages or Accept-Language. */
export function matchLocale(preferred: readonly string[]): Locale {
  for (const language of preferred) {
    const primary = language.trim().toLowerCase().split(/[-_;]/)[0];
    if (isLocale(primary)) return primary;
  }
  return defaultLocale;
}
