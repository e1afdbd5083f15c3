/**
 * What a reader cannot see in a name or comment, and whose names a reader may not take.
 *
 * Unicode's own properties decide what is invisible (no hand-kept tables): format characters (Cf:
 * zero-width space and joiners, bidirectional controls, soft hyphen, BOM, U+2060–U+206F, tag
 * characters), controls (Cc), separators (Z), and the other default-ignorable code points
 * (variation selectors, Hangul fillers, the combining grapheme joiner). The blank Braille
 * pattern is a symbol by category, but fonts draw it as nothing and it is a known way to post
 * under a blank name.
 */
const invisibleCharacters = /[\p{Cf}\p{Cc}\p{Z}\p{Default_Ignorable_Code_Point}\u2800]/gu;

/**
 * Overrides, embeddings and isolates reorder the text after them, so a name or comment could
 * show other words than it holds ("Trojan Source"); nothing written here needs them, and they
 * are dropped before storing.
 */
const bidirectionalControls = /[\u202A-\u202E\u2066-\u2069]/g;

/**
 * In a name, also the invisible characters that change nothing a reader sees: the direction
 * marks (LRM, RLM, ALM: a name is shown in an element of its own, where they can only move
 * neighbouring punctuation and make two equal-looking names differ), zero-width space, word
 * joiner and the invisible math operators, BOM, soft hyphen and the Mongolian vowel separator.
 * Joiners (ZWJ, ZWNJ), variation selectors and tag characters stay: emoji sequences, flags and
 * some scripts need them. A comment body keeps these, since line breaking and right-to-left
 * quotes may use them.
 */
const nameInvisibles = /[\u00AD\u061C\u180E\u200B\u200E\u200F\u2060-\u2064\uFEFF]/g;

/** A comment body without bidirectional overrides and isolates. */
export function removeBidirectionalControls(text: string): string {
  return text.replace(bidirectionalControls, '');
}

/** A name as it is stored: no bidirectional controls and no invisible characters that change nothing. */
export function cleanName(name: string): string {
  return removeBidirectionalControls(name).replace(nameInvisibles, '');
}

/** Whether anything is left to see once white space and invisible characters are gone. */
export function hasVisibleText(text: string): boolean {
  return text.replace(invisibleCharacters, '') !== '';
}

/**
 * The form two names are compared in: NFKC (full-width letters become plain ones), nothing
 * invisible (spaces included, so "对照 观察者" is "对照观察者"), and case folded (upper then lower
 * case, so "STRASSE" meets "Straße").
 */
export function getNameKey(name: string): string {
  return name.normalize('NFKC').replace(invisibleCharacters, '').toUpperCase().toLowerCase().normalize('NFKC');
}

/** Whether a name is one of the reserved names (or written to look like one, by case, width or invisible characters). */
export type ReservedNameCheck = (name: string) => Promise<boolean>;

/**
 * A check against `names` (fixed while the server runs: the site author's display names and
 * MODERATION_AUTHOR_NAME) and the names `listCurrentNames` gives at each call (moderator
 * accounts, which `npm run moderator` changes while the server runs).
 */
export function createReservedNameCheck(options: {
  names: readonly string[];
  listCurrentNames?: () => Promise<readonly string[]>;
}): ReservedNameCheck {
  const fixedKeys = new Set(options.names.map(getNameKey).filter((key) => key !== ''));
  return async (name) => {
    const key = getNameKey(name);
    if (key === '') return false;
    if (fixedKeys.has(key)) return true;
    const current = (await options.listCurrentNames?.()) ?? [];
    return current.some((candidate) => getNameKey(candidate) === key);
  };
}
