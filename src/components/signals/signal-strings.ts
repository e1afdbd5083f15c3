import type { TFunction } from 'i18next';
import type { Locale } from '../../i18n/locales.ts';
import { resources } from '../../i18n/translator.ts';
import type { SignalStrings } from './reader-signals.ts';

/** What the signals island says, in the page's language; strings with {{variables}} go unfilled (the island fills them). */
export function getSignalStrings(locale: Locale, t: TFunction): SignalStrings {
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
