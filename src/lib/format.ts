import { locales, type Locale } from '../i18n/locales.ts';

const longDateFormats = new Map<Locale, Intl.DateTimeFormat>();

/** A date as readers of the locale write it: zh `2025年1月16日`, en `January 16, 2025`. */
export function formatDate(date: Date, locale: Locale): string {
  let format = longDateFormats.get(locale);
  if (!format) {
    // Building a formatter costs far more than using one; list pages format thousands of dates.
    format = new Intl.DateTimeFormat(locales[locale].intl, { dateStyle: 'long', timeZone: 'UTC' });
    longDateFormats.set(locale, format);
  }
  return format.format(date);
}

/** Month and day only, for archive lists: zh `1月16日`, en `Jan 16`. */
export function formatMonthDay(date: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locales[locale].intl, { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(date);
}

/** `YYYY-MM-DD` for `<time datetime>`. */
export function toIsoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** A whole number with the locale's grouping: `3,921`. */
export function formatNumber(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locales[locale].intl).format(value);
}

/**
 * An exact number as readers of the locale write it in a table: zh `6100万`, `3651.2345万`, `1.7亿`;
 * en `61,000,000`. The chart beside the table rounds the same numbers (formatCompactNumber).
 */
export function formatExactNumber(value: number, locale: Locale): string {
  const { intl, numberStyle } = locales[locale];
  const notation = numberStyle === 'myriads' ? 'compact' : 'standard';
  return new Intl.NumberFormat(intl, { notation, maximumFractionDigits: 8 }).format(value);
}

/** A short number as readers of the locale say it: zh `1.7亿`, `3.2万`; en `170M`, `32K`. */
export function formatCompactNumber(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locales[locale].intl, { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}
