import type { Locale } from '../../i18n/locales.ts';

/**
 * Where things sit on a 1200×630 share card, and how its title and summary wrap. The renderer
 * draws each line this module computes as it is, so line breaks follow Chinese and English rules
 * (no line starts with "，" or ends with "“"; English breaks only between words) instead of the
 * renderer's guesses.
 */
export const cardGeometry = {
  width: 1200,
  height: 630,
  paddingX: 88,
  paddingTop: 64,
  paddingBottom: 56,
  accentBarWidth: 14,
  headerFontSize: 28,
  headerHeight: 40,
  headerGap: 36,
  titleFontSizes: [68, 60, 52, 46],
  titleLineHeight: 1.25,
  titleMaxLines: 3,
  summaryGap: 24,
  summaryFontSize: 28,
  summaryLineHeight: 1.5,
  summaryMaxLines: 3,
  /** A summary squeezed into fewer lines than this says too little; the card leaves it out. */
  summaryMinLines: 2,
  footerFontSize: 26,
  footerHeight: 40,
  footerGap: 28,
} as const;

export const cardContentWidth = cardGeometry.width - 2 * cardGeometry.paddingX;

const ellipsis = '…';
/** Characters that may not begin a line: closing punctuation, Chinese and Latin. */
const noLineStart = new Set([...'，。、；：？！）》」』】〉”’…·%,.;:!?)]}']);
/** Characters that may not end a line: opening punctuation. */
const noLineEnd = new Set([...'“‘（《「『【〈([{']);
const wideCharacter = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u;
/** Quotes and dashes that Noto Sans SC sets a full em wide but the Latin face narrow. */
const fullWidthInChinese = new Set([...'“”‘’…—·']);

/**
 * Width of one character in em, a little generous so that an estimated line never overflows:
 * measured from Noto Sans SC and Noto Sans Bold (lower case averages 0.57 em, capitals 0.67 em;
 * the widest letters, m w M W, 0.97 em).
 */
function getCharacterWidth(character: string, language: Locale): number {
  if (wideCharacter.test(character)) return 1;
  if (fullWidthInChinese.has(character)) return language === 'zh' || character === '—' || character === '…' ? 1 : 0.5;
  if (character === ' ') return 0.26;
  if (/[mwMW@%]/.test(character)) return 0.98;
  if (/[iljtfrI.,:;!'|()[\]]/.test(character)) return 0.45;
  if (/[A-Z]/.test(character)) return 0.72;
  if (/[a-z0-9]/.test(character)) return 0.6;
  if (/[\x20-\x7e]/.test(character)) return 0.66;
  return 1;
}

/** Estimated width of a text at a font size, in pixels. */
export function measureText(text: string, fontSize: number, language: Locale): number {
  let width = 0;
  for (const character of text) width += getCharacterWidth(character, language);
  return width * fontSize;
}

const breakToken = new RegExp(
  [
    '[\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}]',
    '[\\u3000-\\u303f\\uff00-\\uffef“”‘’…—·]',
    '\\s+',
    '[^\\s\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}\\u3000-\\u303f\\uff00-\\uffef“”‘’…—·]+',
  ].join('|'),
  'gu',
);

/**
 * Splits text into the pieces a line may break between: each Chinese character on its own, each
 * Latin word with the spaces after it, closing punctuation kept with what precedes it and
 * opening punctuation with what follows.
 */
export function splitIntoBreakUnits(text: string): string[] {
  const units: string[] = [];
  let opening = '';
  for (const [token] of text.matchAll(breakToken)) {
    const isSpace = /^\s+$/u.test(token);
    if ((isSpace || noLineStart.has(token)) && units.length > 0 && opening === '') {
      units[units.length - 1] += token;
    } else if (noLineEnd.has(token) || (isSpace && opening !== '')) {
      opening += token;
    } else if (!isSpace) {
      units.push(opening + token);
      opening = '';
    }
  }
  if (opening.trim() !== '') units.push(opening);
  return units;
}

export interface WrapOptions {
  maxWidth: number;
  fontSize: number;
  maxLines: number;
  language: Locale;
}

export interface WrappedText {
  lines: string[];
  isTruncated: boolean;
}

/** Greedy line filling over break units; a unit wider than a whole line is cut between characters. */
export function wrapText(text: string, options: WrapOptions): WrappedText {
  const { maxWidth, fontSize, language } = options;
  const measure = (value: string) => measureText(value, fontSize, language);
  const lines: string[] = [];
  let current = '';
  for (const unit of splitIntoBreakUnits(text.trim())) {
    if (measure((current + unit).trimEnd()) <= maxWidth) {
      current += unit;
      continue;
    }
    if (current.trim() !== '') lines.push(current.trimEnd());
    current = '';
    for (const character of unit) {
      if (current !== '' && measure((current + character).trimEnd()) > maxWidth) {
        lines.push(current.trimEnd());
        current = '';
      }
      current += character;
    }
  }
  if (current.trim() !== '') lines.push(current.trimEnd());
  if (lines.length <= options.maxLines) return { lines, isTruncated: false };
  const kept = lines.slice(0, options.maxLines);
  kept[kept.length - 1] = addEllipsis(kept.at(-1) ?? '', options);
  return { lines: kept, isTruncated: true };
}

/** Shortens a line until it fits with "…" after it, cutting English at a word where it can. */
function addEllipsis(line: string, options: WrapOptions): string {
  const fits = (value: string) => measureText(value + ellipsis, options.fontSize, options.language) <= options.maxWidth;
  let shortened = line;
  if (fits(shortened)) return trimBeforeEllipsis(shortened) + ellipsis;
  const lastSpace = shortened.lastIndexOf(' ');
  if (lastSpace > shortened.length / 2 && fits(shortened.slice(0, lastSpace)))
    return trimBeforeEllipsis(shortened.slice(0, lastSpace)) + ellipsis;
  const characters = [...shortened];
  while (characters.length > 0 && !fits(characters.join(''))) characters.pop();
  shortened = characters.join('');
  return trimBeforeEllipsis(shortened) + ellipsis;
}

function trimBeforeEllipsis(text: string): string {
  return text.replace(/[\s，。、；：,.;:“‘（《「(]+$/u, '');
}

export interface ShareCardLayout {
  titleFontSize: number;
  titleLines: string[];
  /** Empty when the summary does not fit. */
  summaryLines: string[];
}

/** Picks the largest title size that fits in three lines, then gives the summary what room is left. */
export function layoutShareCard(content: { title: string; summary?: string; language: Locale }): ShareCardLayout {
  const geometry = cardGeometry;
  const sizes = geometry.titleFontSizes;
  const wrapTitle = (fontSize: number) =>
    wrapText(content.title, { maxWidth: cardContentWidth, fontSize, maxLines: geometry.titleMaxLines, language: content.language });
  let titleFontSize = sizes[sizes.length - 1] ?? 46;
  let title = wrapTitle(titleFontSize);
  for (const size of sizes) {
    const candidate = wrapTitle(size);
    if (!candidate.isTruncated) {
      titleFontSize = size;
      title = candidate;
      break;
    }
  }
  const titleTop = geometry.paddingTop + geometry.headerHeight + geometry.headerGap;
  const titleBottom = titleTop + title.lines.length * titleFontSize * geometry.titleLineHeight;
  const contentBottom = geometry.height - geometry.paddingBottom - geometry.footerHeight - geometry.footerGap;
  const summaryLineHeight = geometry.summaryFontSize * geometry.summaryLineHeight;
  const summaryRoom = Math.floor((contentBottom - titleBottom - geometry.summaryGap) / summaryLineHeight);
  const summaryMaxLines = Math.min(geometry.summaryMaxLines, summaryRoom);
  const summaryLines =
    content.summary && summaryMaxLines >= geometry.summaryMinLines
      ? wrapText(content.summary, {
          maxWidth: cardContentWidth,
          fontSize: geometry.summaryFontSize,
          maxLines: summaryMaxLines,
          language: content.language,
        }).lines
      : [];
  return { titleFontSize, titleLines: title.lines, summaryLines };
}
