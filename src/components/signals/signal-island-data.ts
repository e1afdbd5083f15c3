import type { TFunction } from 'i18next';
import { locales, type Locale } from '../../i18n/locales.ts';
import { resources } from '../../i18n/translator.ts';
import { signalsApiPaths } from '../../lib/signals/http.ts';
import type { SignalStrings } from './reader-signals.ts';

/** What the signals island says, in the page's language; strings with {{variables}} go unfilled (the island fills them). */
function getSignalStrings(locale: Locale, t: TFunction): SignalStrings {
  const templates = resources[locale].translation;
  return {
    views_one: templates['signals.views_one'],
    views_other: templates['signals.views_other'],
    collects_one: templates['signals.collects_one'],
    collects_other: templates['signals.collects_other'],
    collected: t('signals.collected'),
    uncollected: t('signals.uncollected'),
    storageUnavailable: t('signals.storageUnavailable'),
    network: t('signals.error.network'),
  };
}

/**
 * The data attributes both signal elements (the byline's counts and the collect button) hand their
 * island: which essay, the page's language, the API the element talks to and its strings.
 */
export function getSignalIslandData(
  essay: string,
  locale: Locale,
  t: TFunction,
  api: keyof typeof signalsApiPaths,
): Record<string, string> {
  return {
    'data-essay': essay,
    'data-lang': locale,
    'data-intl-locale': locales[locale].intl,
    'data-api': signalsApiPaths[api],
    'data-strings': JSON.stringify(getSignalStrings(locale, t)),
  };
}
