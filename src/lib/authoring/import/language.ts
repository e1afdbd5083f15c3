import type { Locale } from '../../../i18n/locales.ts';

const hanPattern = /\p{Script=Han}/gu;
const latinWordPattern = /[A-Za-z][A-Za-z'’-]*/g;

/** A block's language by script: Han characters against Latin words, so a Chinese paragraph naming TikTok stays Chinese. */
export function detectLanguage(text: string): Locale | undefined {
  const han = text.match(hanPattern)?.length ?? 0;
  const latinWords = text.match(latinWordPattern)?.length ?? 0;
  if (han === 0 && latinWords === 0) return undefined;
  return han >= latinWords ? 'zh' : 'en';
}

/** A block for the language split: its detected language and how much text it carries. */
export interface LanguageSample {
  locale: Locale | undefined;
  weight: number;
}

export type LanguageLayout = { kind: 'single'; locale: Locale } | { kind: 'split'; first: Locale; second: Locale; index: number };

/** Below this share of the text, a language does not make a part of its own. */
const minimumPartShare = 0.15;
/** Above this share of misplaced text, the document is not cleanly two parts. */
const maximumMisplacedShare = 0.1;

/**
 * Whether a document is one language, or one language then the other: the split is the block
 * index where the fewest characters sit on the wrong side.
 */
export function findLanguageLayout(samples: readonly LanguageSample[]): LanguageLayout {
  const total = samples.reduce((sum, sample) => sum + (sample.locale ? sample.weight : 0), 0);
  const weightOf = (locale: Locale) => samples.reduce((sum, sample) => sum + (sample.locale === locale ? sample.weight : 0), 0);
  const majority: Locale = weightOf('zh') >= weightOf('en') ? 'zh' : 'en';
  if (total === 0) return { kind: 'single', locale: 'zh' };
  let best: { first: Locale; second: Locale; index: number; misplaced: number } | undefined;
  for (const [first, second] of [['zh', 'en'], ['en', 'zh']] as const) {
    for (let index = 1; index < samples.length; index++) {
      let misplaced = 0;
      let firstWeight = 0;
      let secondWeight = 0;
      samples.forEach((sample, position) => {
        if (!sample.locale) return;
        const expected = position < index ? first : second;
        if (sample.locale !== expected) misplaced += sample.weight;
        else if (expected === first) firstWeight += sample.weight;
        else secondWeight += sample.weight;
      });
      if (firstWeight / total < minimumPartShare || secondWeight / total < minimumPartShare) continue;
      if (!best || misplaced < best.misplaced) best = { first, second, index, misplaced };
    }
  }
  if (best && best.misplaced / total <= maximumMisplacedShare) return { kind: 'split', first: best.first, second: best.second, index: best.index };
  return { kind: 'single', locale: majority };
}
