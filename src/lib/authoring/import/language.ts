import { getOtherLocales, localeKeys, mapLocales, type Locale } from '../../../i18n/locales.ts';

const hanPattern = /\p{Script=Han}/gu;
const latinWordPattern = /[A-Za-z][A-Za-z'’-]*/g;

/** A block's language by script: Han characters against Latin words, so a Chinese paragraph naming TikTok stays Chinese. */
export function detectLanguage(text: string): Locale | undefined {
  const han = text.match(hanPattern)?.length ?? 0;
  const latinWords = text.match(latinWordPattern)?.length ?? 0;
  if (han === 0 && latinWords === 0) return undefined;
  return han >= latinWords ? 'zh' : 'en';
}

/**
 * How much text a block carries, for weighing the languages against each other: a Chinese
 * character counts three, so a paragraph and its translation weigh about the same.
 */
export function measureText(text: string): number {
  return text.trim().length + 2 * (text.match(hanPattern)?.length ?? 0);
}

/** A block for the language split: its detected language and how much text it carries. */
export interface LanguageSample {
  locale: Locale | undefined;
  weight: number;
}

export type LanguageLayout =
  | {
      kind: 'single';
      locale: Locale;
      /** Both languages are there in quantity, but alternating rather than one part then the other. */ isMixed?: boolean;
    }
  | { kind: 'split'; first: Locale; second: Locale; index: number };

/** A run of consecutive blocks in one language; blocks with no letters (images, numbers) join the run they stand in. */
export interface LanguageRun {
  locale: Locale;
  start: number;
  end: number;
  weight: number;
}

/** The document as runs of paragraphs (headings included) whose script is mostly Han or mostly Latin. */
export function findLanguageRuns(samples: readonly LanguageSample[]): LanguageRun[] {
  const runs: LanguageRun[] = [];
  samples.forEach((sample, index) => {
    const last = runs.at(-1);
    if (!sample.locale || sample.locale === last?.locale) {
      if (last) {
        last.end = index + 1;
        if (sample.locale) last.weight += sample.weight;
      }
      return;
    }
    // Letterless blocks before the first run belong to it.
    runs.push({ locale: sample.locale, start: last ? index : 0, end: index + 1, weight: sample.weight });
  });
  return runs;
}

/** Below this share of the text, a language does not make a part of its own. */
const minimumPartShare = 0.15;
/** Above this share of misplaced text, the document is not cleanly two parts. */
const maximumMisplacedShare = 0.1;

/**
 * Whether a document is one language, or one language then the other: the split is the run
 * boundary where the fewest characters sit on the wrong side (a short quotation in the other
 * language stays where it is). Both languages in quantity but alternating is one version, marked mixed.
 */
export function findLanguageLayout(samples: readonly LanguageSample[]): LanguageLayout {
  const runs = findLanguageRuns(samples);
  const total = runs.reduce((sum, run) => sum + run.weight, 0);
  const weights = mapLocales(() => 0);
  for (const run of runs) weights[run.locale] += run.weight;
  const weightOf = (locale: Locale) => weights[locale];
  // Ties go to the locale listed first in the table.
  const majority = localeKeys.reduce((heaviest, locale) => (weightOf(locale) > weightOf(heaviest) ? locale : heaviest));
  if (total === 0 || runs.length < 2) return { kind: 'single', locale: runs[0]?.locale ?? majority };
  let best: { first: Locale; second: Locale; index: number; misplaced: number } | undefined;
  const orders = localeKeys.flatMap((first) => getOtherLocales(first).map((second) => [first, second] as const));
  for (const [first, second] of orders) {
    // Running sums keep this linear: a document alternating paragraph by paragraph has thousands of runs.
    let firstBefore = 0;
    let secondBefore = 0;
    for (let position = 1; position < runs.length; position++) {
      const previous = runs[position - 1];
      const boundary = runs[position];
      if (!previous || !boundary) continue;
      if (previous.locale === first) firstBefore += previous.weight;
      else if (previous.locale === second) secondBefore += previous.weight;
      const firstWeight = firstBefore;
      const secondWeight = weightOf(second) - secondBefore;
      if (firstWeight / total < minimumPartShare || secondWeight / total < minimumPartShare) continue;
      const misplaced = secondBefore + (weightOf(first) - firstBefore);
      if (!best || misplaced < best.misplaced) best = { first, second, index: boundary.start, misplaced };
    }
  }
  if (best && best.misplaced / total <= maximumMisplacedShare)
    return { kind: 'split', first: best.first, second: best.second, index: best.index };
  const minority = total - weightOf(majority);
  return minority / total >= minimumPartShare ? { kind: 'single', locale: majority, isMixed: true } : { kind: 'single', locale: majority };
}
