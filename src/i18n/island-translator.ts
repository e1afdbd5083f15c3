/**
 * `t()` for the browser islands (comments, search, reader signals) over the strings their page
 * passes down: `{{variable}}` filling and `_one`/`_other` plurals as i18next does them for zh and en,
 * so a string reads the same filled on the server or in the browser. Written here rather than
 * shipping i18next to the browser: i18next adds about 16 KB gzip to islands of 2–3 KB.
 *
 * What it copies from i18next (with `escapeValue: false`, as src/i18n/translator.ts sets it):
 * - `{{name}}`, `{{ name }}` and `{{- name}}` insert the value as text; a name not given at all is
 *   left as written, one given as undefined or null becomes empty.
 * - `{{name, number}}` formats with Intl.NumberFormat in the page's language; other formats insert the value as it is.
 * - A numeric `count` picks `<key>_zero` (count 0, if present), then `<key>_<Intl.PluralRules form>`,
 *   then `<key>`: zh has only `other`, en `one` and `other`. A missing key answers with the key.
 * Inserted values are never read again as placeholders, and nothing here is HTML: islands set textContent.
 */

type PluralForm = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';

type StringKey<Strings> = { [Key in keyof Strings]: Strings[Key] extends string ? Key : never }[keyof Strings] & string;

type PluralBase<Key> = Key extends `${infer Base}_${PluralForm}` ? Base : never;

/** A key an island may ask for: any string of its set, or the base of a plural pair (`count` for `count_one`/`count_other`). */
type IslandKey<Strings> = StringKey<Strings> | PluralBase<StringKey<Strings>>;

export type IslandValues = Record<string, string | number | null | undefined>;

export type IslandTranslate<Strings> = (key: IslandKey<Strings>, values?: IslandValues) => string;

const placeholderPattern = /\{\{-?(.+?)\}\}/g;

/** Fills the `{{variables}}` of one template, as i18next would. */
export function fillTemplate(template: string, values: IslandValues, languageTag: string): string {
  let numberFormat: Intl.NumberFormat | undefined;
  return template.replace(placeholderPattern, (placeholder, inner: string) => {
    const separator = inner.indexOf(',');
    const name = (separator === -1 ? inner : inner.slice(0, separator)).trim();
    const format = separator === -1 ? '' : inner.slice(separator + 1).trim();
    if (!Object.hasOwn(values, name)) return placeholder;
    const value = values[name];
    if (value === undefined || value === null) return '';
    if (format === 'number' && typeof value === 'number') {
      numberFormat ??= new Intl.NumberFormat(languageTag);
      return numberFormat.format(value);
    }
    return String(value);
  });
}

/** A `t()` over the strings a page handed its island, in that page's language (a BCP 47 tag). */
export function createIslandTranslator<Strings extends object>(strings: Strings, languageTag: string): IslandTranslate<Strings> {
  const table = strings as Record<string, unknown>;
  const pluralRules = new Intl.PluralRules(languageTag);
  return (key, values = {}) => {
    const { count } = values;
    const candidates =
      typeof count === 'number' ? [...(count === 0 ? [`${key}_zero`] : []), `${key}_${pluralRules.select(count)}`, key] : [key];
    const found = candidates.find((candidate) => Object.hasOwn(table, candidate) && typeof table[candidate] === 'string');
    return found === undefined ? key : fillTemplate(table[found] as string, values, languageTag);
  };
}
