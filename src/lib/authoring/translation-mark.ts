import type { Locale } from '../../i18n/locales.ts';
import { getBody, setFrontmatterField } from './frontmatter.ts';
import { getRevision } from './revision.ts';

export interface MarkedTranslation {
  source: string;
  revision: string;
  /** False when the file already recorded this revision. */
  changed: boolean;
}

/**
 * Records in a translation's frontmatter that it matches the current body of the original:
 * `translatedFrom: { lang, revision }`. Only that field changes; every other byte stays.
 */
export function markTranslation(translation: string, original: string, originalLocale: Locale): MarkedTranslation {
  const revision = getRevision(getBody(original));
  const source = setFrontmatterField(translation, 'translatedFrom', { lang: originalLocale, revision });
  return { source, revision, changed: source !== translation };
}
