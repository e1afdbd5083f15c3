import { isChineseCharacter, restoreIndexedText } from './character-index.ts';

/** A piece of an excerpt: plain text, or a hit (shown in `<mark>`). */
export interface ExcerptPart {
  text: string;
  isHit: boolean;
}

const namedEntities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Turns the character references Pagefind writes into excerpts back into the characters. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (reference: string, name: string) => {
    if (name.startsWith('#')) {
      const codePoint = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      return Number.isInteger(codePoint) && codePoint >= 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : reference;
    }
    return namedEntities[name.toLowerCase()] ?? reference;
  });
}

/**
 * Splits a Pagefind excerpt at its `<mark>` tags. Everything else is text, to be shown with
 * `textContent`: the excerpt is never parsed as HTML, so nothing in an essay can inject markup.
 */
export function parseExcerpt(excerpt: string): ExcerptPart[] {
  const parts: ExcerptPart[] = [];
  let last = 0;
  for (const match of excerpt.matchAll(/<mark>([\s\S]*?)<\/mark>/g)) {
    if (match.index > last) parts.push({ text: decodeEntities(excerpt.slice(last, match.index)), isHit: false });
    parts.push({ text: decodeEntities(match[1] ?? ''), isHit: true });
    last = match.index + match[0].length;
  }
  if (last < excerpt.length) parts.push({ text: decodeEntities(excerpt.slice(last)), isHit: false });
  return parts.filter((part) => part.text !== '');
}

/** Characters an excerpt of a character-indexed (Chinese) essay shows, about two lines of a result. */
const characterExcerptLength = 72;
/** At most this many characters of context before the first hit. */
const contextBeforeHit = 16;

interface Hit {
  start: number;
  end: number;
  term: number;
}

function escapeForPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every place a term occurs in the text, ignoring case, in text order, overlapping hits merged. */
function findHits(text: string, terms: readonly string[]): Hit[] {
  const hits = terms
    .flatMap((term, index) =>
      term === ''
        ? []
        : [...text.matchAll(new RegExp(escapeForPattern(term), 'giu'))].map((match) => ({
            start: match.index,
            end: match.index + match[0].length,
            term: index,
          })),
    )
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Hit[] = [];
  for (const hit of hits) {
    const last = merged.at(-1);
    if (last && hit.start < last.end) last.end = Math.max(last.end, hit.end);
    else merged.push({ ...hit });
  }
  return merged;
}

/** A letter or digit of a word that is not written in Chinese characters (a Latin word, a number). */
function isInLatinWord(character = ''): boolean {
  return /[\p{L}\p{N}]/u.test(character) && !isChineseCharacter(character);
}

/**
 * The hit to start the window at: the first from which the window holds the most different
 * terms. The first, not the densest: it is the essay's own opening (summary, first paragraphs)
 * that says what the essay is about.
 */
function chooseFirstHit(hits: Hit[], lead: number, length: number): Hit | undefined {
  let best: { hit: Hit; terms: number } | undefined;
  for (const hit of hits) {
    const windowEnd = Math.max(0, hit.start - lead) + length;
    const termCount = new Set(hits.filter((other) => other.start >= hit.start && other.end <= windowEnd).map((other) => other.term)).size;
    if (!best || termCount > best.terms) best = { hit, terms: termCount };
  }
  return best?.hit;
}

/** Moves an index off the second half of a surrogate pair, so a cut never splits a character. */
function toCharacterBoundary(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff ? index + 1 : index;
}

/**
 * The excerpt of a search result from a character-indexed (Chinese) bundle, built from the
 * essay's indexed text rather than taken from Pagefind. Pagefind marks the index words it
 * matched, which here are single characters, some of them far from the term (every 小 of the
 * essay for 小红书); this marks each term where it occurs, whole, and nothing else. The text is
 * restored as written first (restoreIndexedText), and the title, which the result shows above
 * the excerpt, is left out. The window is the first to hold the most different terms, and
 * starts at the beginning of the sentence of its first hit when that is near enough.
 */
export function buildCharacterExcerpt(
  indexedContent: string,
  indexedTitle: string,
  terms: readonly string[],
  length = characterExcerptLength,
): ExcerptPart[] {
  let text = restoreIndexedText(indexedContent);
  const title = restoreIndexedText(indexedTitle);
  if (title && text.startsWith(title)) text = text.slice(title.length).replace(/^[。.\s]+/u, '');
  const hits = findHits(text, terms);
  const lead = Math.min(contextBeforeHit, Math.floor(length / 4));
  let start = 0;
  const firstHit = hits.length > 0 ? chooseFirstHit(hits, lead, length) : undefined;
  if (firstHit) {
    start = Math.max(0, firstHit.start - lead);
    // Start at the beginning of the hit's sentence when it is about that near; else not inside a number or a Latin word.
    const sentenceStart = text.slice(Math.max(0, start - lead), firstHit.start).search(/[。！？；!?][^。！？；!?]*$/u);
    if (sentenceStart >= 0) start = Math.max(0, start - lead) + sentenceStart + 1;
    else if (start <= lead) start = 0;
    else while (start > 0 && isInLatinWord(text[start - 1]) && isInLatinWord(text[start])) start -= 1;
    // A hit cut by the window's start would show half a term, unmarked: start after it instead.
    for (const hit of hits) if (hit.start < start && hit.end > start) start = hit.end;
    while (start < firstHit.start && /[\s，、；：。,;:.)）」』】》”]/u.test(text[start] ?? '')) start += 1;
  }
  start = toCharacterBoundary(text, start);
  let end = toCharacterBoundary(text, Math.min(text.length, start + length));
  // A hit that starts inside the window is shown whole, and so is a Latin word or a number.
  for (const hit of hits) if (hit.start < end && hit.end > end) end = hit.end;
  while (end < text.length && isInLatinWord(text[end - 1]) && isInLatinWord(text[end])) end += 1;
  const parts: ExcerptPart[] = [];
  let position = start;
  for (const hit of hits) {
    if (hit.start < start || hit.start >= end) continue;
    if (hit.start > position) parts.push({ text: text.slice(position, hit.start), isHit: false });
    parts.push({ text: text.slice(hit.start, hit.end), isHit: true });
    position = hit.end;
  }
  if (position < end) parts.push({ text: text.slice(position, end), isHit: false });
  return parts.filter((part) => part.text !== '');
}
