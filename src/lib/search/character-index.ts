/**
 * Chinese is indexed one character at a time. Pagefind cuts Chinese into words at build time
 * (with jieba) but has no such dictionary in the browser, so a query and the index were cut in
 * different places: 小红书 is indexed as 小|红|书 in one sentence and 抖音 as one word in another,
 * and a search matched whatever its own cut happened to meet. With every character its own
 * index word, the search page cuts a query the same way (see search-query.ts) and asks for the
 * characters side by side, so any run of characters in an essay is found, and marked, whole.
 */

const chineseCharacter = /\p{Script=Han}/u;

/** Whether a language's bundle is indexed character by character (Chinese). */
export function isIndexedByCharacter(languageTag: string): boolean {
  return /^zh(-|$)/i.test(languageTag);
}

export function isChineseCharacter(character: string): boolean {
  return chineseCharacter.test(character);
}

/** Every tag, or a run of text between tags. */
const tagsAndText = /(<[^>]*>)|([^<]+)/g;
/** Two Chinese characters side by side. */
const adjacentCharacters = /(\p{Script=Han})(?=\p{Script=Han})/gu;
/**
 * Text that ends a block element (Pagefind's SENTENCE_SELECTORS) without closing its sentence,
 * before any inline end tags. Pagefind joins such a block to the next one with ". " when it ends
 * in a letter or digit, and with a bare space when it ends in, say, ” or ）, which, once the
 * spaces of the index are taken out, runs a heading into its paragraph: 到“猫税”最先流行.
 */
const blockEndingOpen =
  /([^\s<>。！？…；：，、.!?;:])(\s*(?:<\/(?:a|abbr|b|bdo|cite|code|dfn|em|i|kbd|q|s|samp|small|span|strong|sub|sup|time|u|var|mark)>\s*)*)(<\/(?:h[2-6]|p|td|li|div|ul|article|section)>)/gu;

/**
 * The page as Pagefind should read it for a character-indexed language: a space between every
 * two Chinese characters of the text (Pagefind makes each a word of its own), and "。" at the end
 * of a block that does not end its sentence (so an excerpt reads 小标题。正文, not 小标题. 正文).
 * Not `h1`: Pagefind takes the result's title from it, and an excerpt leaves the title out.
 * Only text between tags changes, never a tag or an attribute; a space or "。" inside an
 * ignored element or a script does nothing, as Pagefind never reads those. The page the reader
 * gets is not touched: this is only what the indexer is handed.
 */
export function prepareHtmlForCharacterIndex(html: string): string {
  const spaced = html.replace(
    tagsAndText,
    (match, tag: string | undefined, text: string | undefined) => tag ?? (text ?? match).replace(adjacentCharacters, '$1 '),
  );
  return spaced.replace(blockEndingOpen, '$1。$2$3');
}

/** Full-width marks that take no space on either side in Chinese text. */
const fullWidthMarks = '。，、；：？！）」』】》”（「『【《“';
const spaceAfterMark = new RegExp(`([${fullWidthMarks}])[ \\t\\n\\u00a0]+`, 'g');
const spaceBeforeMark = new RegExp(`[ \\t\\n\\u00a0]+([${fullWidthMarks}])`, 'g');
const spaceBetweenCharacters = /(\p{Script=Han}) (?=\p{Script=Han})/gu;

/**
 * Text from a character-indexed bundle (a title, an excerpt) as it was written: without the
 * zero-width spaces Pagefind puts between words, the spaces the index put between characters,
 * and the spaces Pagefind puts between blocks where they follow or precede full-width punctuation
 * (。 ends a paragraph; the next one starts without a space).
 */
export function restoreIndexedText(text: string): string {
  return text
    .replaceAll('\u200b', '')
    .replace(/\s+/g, ' ')
    .replace(spaceBetweenCharacters, '$1')
    .replace(spaceAfterMark, '$1')
    .replace(spaceBeforeMark, '$1')
    .trim();
}
