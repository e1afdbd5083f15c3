import { locales, mapLocales, type Locale } from '../i18n/locales.ts';

/** Reading speeds from the locale table: Chinese readers by characters, English readers by words. */
export const readingSpeed = mapLocales((locale) => locales[locale].readingSpeed);

const hanPattern = /\p{Script=Han}/gu;
const wordPattern = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;

/** Prose of an MDX body without code, imports, tags, link targets and markup. */
export function extractProse(mdx: string): string {
  return mdx
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/^(import|export)\s.*$/gm, ' ')
    .replace(/<\/?[A-Za-z][^>]*>/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[\^[^\]]+\]:?/g, ' ')
    .replace(/[#>*_`|~-]+/g, ' ');
}

/** Counts what a reader reads: each Han character is one unit, each word in another script one more. */
export function countReadingUnits(text: string): number {
  const hanCount = text.match(hanPattern)?.length ?? 0;
  const otherWords = text.replace(hanPattern, ' ').match(wordPattern)?.length ?? 0;
  return hanCount + otherWords;
}

/** Whole minutes to read an MDX body, at least one. */
export function getReadingMinutes(mdx: string, locale: Locale): number {
  const units = countReadingUnits(extractProse(mdx));
  return Math.max(1, Math.round(units / readingSpeed[locale]));
}
