import type { Locale } from '../i18n/locales.ts';
import { getRevision } from './authoring/revision.ts';
import type { Essay, EssayEntry, EssayInLocale } from './essays.ts';

/** A translation whose original has changed since it was made. */
export interface StaleTranslation {
  originalLocale: Locale;
  /** The original's `updated` date, or when its file last changed. */
  originalUpdated: Date;
}

/**
 * Whether the version shown was translated from an earlier revision of the other language.
 * Computed at build time from the bodies; `getFileDate` dates an original without `updated`.
 */
export function getStaleTranslation(
  essay: Essay,
  shown: EssayInLocale,
  getFileDate: (entry: EssayEntry) => Date,
): StaleTranslation | undefined {
  const translatedFrom = shown.entry.data.translatedFrom;
  if (!shown.isTranslated || !translatedFrom) return undefined;
  const original = essay.versions[translatedFrom.lang];
  if (!original || translatedFrom.lang === shown.entryLocale) return undefined;
  if (getRevision(original.body ?? '') === translatedFrom.revision) return undefined;
  return { originalLocale: translatedFrom.lang, originalUpdated: original.data.updated ?? getFileDate(original) };
}
