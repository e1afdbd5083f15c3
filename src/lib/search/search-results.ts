/** A piece of a Pagefind excerpt: plain text, or a hit that Pagefind marked with `<mark>`. */
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

/** Fills `{{name}}` placeholders, as i18next would, for strings used in the browser. */
export function fillTemplate(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (placeholder, name: string) => (name in values ? String(values[name]) : placeholder));
}

/** Picks the `_one` or `_other` form of a counted string by the language's plural rules. */
export function formatCount(forms: { one: string; other: string }, count: number, languageTag: string): string {
  const form = new Intl.PluralRules(languageTag).select(count) === 'one' ? forms.one : forms.other;
  return fillTemplate(form, { count: new Intl.NumberFormat(languageTag).format(count) });
}
