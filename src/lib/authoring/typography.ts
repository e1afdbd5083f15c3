/** Chinese typography rules the content check applies to the prose of zh files. */
type TypographyRule = 'cjk-latin-spacing' | 'halfwidth-punctuation' | 'repeated-punctuation';

/** One slip in a piece of text: replace `text.slice(start, end)` with `replacement`. */
export interface TypographySlip {
  start: number;
  end: number;
  replacement: string;
  rule: TypographyRule;
  message: string;
}

const hanPattern = /\p{Script=Han}/u;
const latinOrDigitPattern = /[A-Za-z0-9]/;
/** Full-width marks that may follow a converted mark directly: `，“`, `：《`. */
const chineseOpeningPattern = /[“‘《「『（【〔]/u;
const chineseClosingPattern = /[》」』）】〕]/u;
const fullWidth: Record<string, string> = { ',': '，', ':': '：', ';': '；', '?': '？', '!': '！', '(': '（', ')': '）' };

/** Between Han and Latin letters or digits; a leading `+#@$` and a trailing `%` belong to the Latin side (`+86`, `#tag`, `60%`). */
const spacingPattern = /(?<=\p{Script=Han})(?=[A-Za-z0-9]|[+#@$][A-Za-z0-9])|(?<=[A-Za-z0-9%])(?=\p{Script=Han})/gu;
const halfWidthPattern = /[,:;?!]/g;
const parenthesesPattern = /\(([^()\n]*)\)/g;
/** Doubled marks; `……` and `——` are single marks made of two characters and stay. */
const repeatedPattern = /([。，、；：！？])\1+/gu;

function isHan(character: string | undefined): boolean {
  return character !== undefined && hanPattern.test(character);
}

/** The character before `index`, read by code point (Han characters outside the BMP are two code units). */
function getCharBefore(text: string, index: number): string | undefined {
  if (index <= 0) return undefined;
  const unit = text.charCodeAt(index - 1);
  const isLowSurrogate = unit >= 0xdc00 && unit <= 0xdfff;
  return isLowSurrogate && index >= 2 ? text.slice(index - 2, index) : text[index - 1];
}

function getCharAt(text: string, index: number): string | undefined {
  const codePoint = text.codePointAt(index);
  return codePoint === undefined ? undefined : String.fromCodePoint(codePoint);
}

function quoteText(text: string): string {
  return `“${text}”`;
}

function findSpacingSlips(text: string): TypographySlip[] {
  return [...text.matchAll(spacingPattern)].map((match) => {
    const index = match.index;
    const before = getCharBefore(text, index) ?? '';
    const latinBefore = latinOrDigitPattern.test(before) || before === '%';
    const word = latinBefore ? /[A-Za-z0-9%]+$/.exec(text.slice(0, index))?.[0] : /^[+#@$]?[A-Za-z0-9]+/.exec(text.slice(index))?.[0];
    const han = latinBefore ? (getCharAt(text, index) ?? '') : before;
    const pair = latinBefore ? `${quoteText(word ?? '')} and ${quoteText(han)}` : `${quoteText(han)} and ${quoteText(word ?? '')}`;
    return { start: index, end: index, replacement: ' ', rule: 'cjk-latin-spacing', message: `add a space between ${pair}` };
  });
}

function findHalfWidthSlips(text: string): TypographySlip[] {
  const slips: TypographySlip[] = [];
  for (const match of text.matchAll(halfWidthPattern)) {
    const mark = match[0];
    const index = match.index;
    const before = getCharBefore(text, index);
    let after = getCharAt(text, index + 1);
    let end = index + 1;
    if (after === ' ' && isHan(getCharAt(text, index + 2))) {
      after = getCharAt(text, index + 2);
      end = index + 2;
    }
    const afterIsChinese =
      after === undefined || after === '\n' || isHan(after) || chineseOpeningPattern.test(after) || /[,:;?!]/.test(after);
    const beforeIsChinese = isHan(before) || (before !== undefined && chineseClosingPattern.test(before));
    const closesQuote = (before === '”' || before === '’') && isHan(after);
    // `TikTok,称其`: a comma after a Latin word, followed directly by Chinese, is a Chinese comma.
    const endsLatinClause =
      /[,;:]/.test(mark) && before !== undefined && latinOrDigitPattern.test(before) && isHan(getCharAt(text, index + 1));
    if (!((beforeIsChinese && afterIsChinese) || closesQuote || endsLatinClause)) continue;
    const replacement = fullWidth[mark] ?? mark;
    slips.push({
      start: index,
      end,
      replacement,
      rule: 'halfwidth-punctuation',
      message: `half-width ${quoteText(mark)} in Chinese text: use ${quoteText(replacement)}`,
    });
  }
  return slips;
}

function findParenthesesSlips(text: string): TypographySlip[] {
  const slips: TypographySlip[] = [];
  for (const match of text.matchAll(parenthesesPattern)) {
    const inner = match[1] ?? '';
    let start = match.index;
    let end = start + match[0].length;
    const spaceBefore = text[start - 1] === ' ' && start >= 2 && text[start - 2] !== ' ';
    const spaceAfter = text[end] === ' ' && end + 1 < text.length && text[end + 1] !== ' ';
    const before = getCharBefore(text, spaceBefore ? start - 1 : start);
    const after = getCharAt(text, spaceAfter ? end + 1 : end);
    const innerHasHan = hanPattern.test(inner);
    const afterIsChinese = after === undefined || after === '\n' || isHan(after) || /[。，、；：！？]/.test(after);
    if (!(innerHasHan || (isHan(before) && afterIsChinese))) continue;
    if (spaceBefore && before !== undefined) start -= 1;
    if (spaceAfter && after !== undefined) end += 1;
    slips.push({
      start,
      end,
      replacement: `（${inner.trim()}）`,
      rule: 'halfwidth-punctuation',
      message: `half-width parentheses in Chinese text: use ${quoteText(`（${inner.trim()}）`)}`,
    });
  }
  return slips;
}

function findRepeatedSlips(text: string): TypographySlip[] {
  return [...text.matchAll(repeatedPattern)].map((match) => ({
    start: match.index,
    end: match.index + match[0].length,
    replacement: match[1] ?? '',
    rule: 'repeated-punctuation' as const,
    message: `repeated punctuation ${quoteText(match[0])}: keep one ${quoteText(match[1] ?? '')}`,
  }));
}

/** Typography slips in a piece of Chinese prose (no code, links or markup in it), in text order. */
export function findTypographySlips(text: string): TypographySlip[] {
  const slips = [...findSpacingSlips(text), ...findHalfWidthSlips(text), ...findParenthesesSlips(text), ...findRepeatedSlips(text)];
  return slips.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** Slips that can be applied together: later ones that touch an earlier one wait for the next pass. */
export function selectNonOverlapping<T extends { start: number; end: number }>(slips: readonly T[]): T[] {
  const chosen: T[] = [];
  for (const slip of [...slips].sort((a, b) => a.start - b.start || a.end - b.end)) {
    const previous = chosen.at(-1);
    if (previous && (slip.start < previous.end || slip.start === previous.start)) continue;
    chosen.push(slip);
  }
  return chosen;
}

/** Applies replacements (non-overlapping) to a text, last first so offsets stay valid. */
export function applyReplacements(text: string, replacements: readonly { start: number; end: number; replacement: string }[]): string {
  let result = text;
  for (const { start, end, replacement } of [...replacements].sort((a, b) => b.start - a.start)) {
    result = result.slice(0, start) + replacement + result.slice(end);
  }
  return result;
}

/** Fixes every slip `findTypographySlips` reports, repeating until nothing changes. */
export function fixTypography(text: string): string {
  let result = text;
  for (let pass = 0; pass < 5; pass++) {
    const slips = selectNonOverlapping(findTypographySlips(result));
    if (slips.length === 0) break;
    result = applyReplacements(result, slips);
  }
  return result;
}
