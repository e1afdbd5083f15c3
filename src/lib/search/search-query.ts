import { isChineseCharacter } from './character-index.ts';

/** A query as the search worker hands it to Pagefind for a character-indexed (Chinese) bundle. */
export interface CharacterQuery {
  /**
   * The terms as the reader typed them, lower-cased: runs of letters and digits, split at spaces
   * and punctuation. They are what an excerpt marks.
   */
  terms: string[];
  /** Every index word of every term, space-separated: Pagefind finds the essays holding all of them, and ranks them. */
  allWords: string;
  /**
   * One exact query (`"小 红 书"`, `"猫"`) per term of more than one index word or with a Chinese
   * character: an essay is a match only if it holds each such term, its words side by side and
   * in order. (Pagefind's own search leaves out a word the index does not have; a Latin word
   * alone is left to it, prefix matching included, as in English.)
   */
  phrases: string[];
}

/** Runs of letters and digits (marks included, for scripts that combine them); everything else separates terms. */
const termPattern = /[\p{L}\p{N}\p{M}_]+/gu;

/** A term's index words: each Chinese character alone, other letters and digits as whole words. */
function splitIntoIndexWords(term: string): string[] {
  const words: string[] = [];
  let word = '';
  for (const character of term) {
    if (isChineseCharacter(character)) {
      if (word) words.push(word);
      words.push(character);
      word = '';
    } else {
      word += character;
    }
  }
  if (word) words.push(word);
  return words;
}

/**
 * Cuts a query the way a character-indexed bundle was cut (see character-index.ts), so that
 * 小红书 asks for 小, 红 and 书 side by side: the same cut on both sides, whatever the
 * browser's own word segmentation would make of it.
 */
export function parseCharacterQuery(query: string): CharacterQuery {
  // NFKC: full-width letters and digits from a Chinese input method (ＴｉｋＴｏｋ, ２０２５) as the essays write them.
  const terms = [...new Set(query.normalize('NFKC').toLowerCase().match(termPattern) ?? [])];
  const wordsByTerm = terms.map(splitIntoIndexWords);
  return {
    terms,
    allWords: wordsByTerm.flat().join(' '),
    phrases: wordsByTerm
      .filter((words) => words.length > 1 || words.some((word) => isChineseCharacter(word)))
      .map((words) => `"${words.join(' ')}"`),
  };
}
