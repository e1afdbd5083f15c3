import { getDisplayWidth } from './display-width.ts';

/** Beyond this many columns a small object is spread over lines, as in the hand-written files. */
const maxLineWidth = 80;

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function getEntries(value: JsonObject): [string, unknown][] {
  return Object.entries(value).filter(([, item]) => item !== undefined);
}

/** Strings, numbers, objects of those: the things that can sit on one line, `{ "zh": "…", "en": "…" }`. */
function isFlat(value: unknown): boolean {
  if (Array.isArray(value)) return false;
  if (isObject(value)) return getEntries(value).every(([, item]) => isFlat(item));
  return true;
}

function formatInline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(formatInline).join(', ')}]`;
  if (isObject(value)) {
    const entries = getEntries(value);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([key, item]) => `${JSON.stringify(key)}: ${formatInline(item)}`).join(', ')} }`;
  }
  return JSON.stringify(value ?? null);
}

/** `lead` is what precedes the value on its line (indent and key), so the width check sees the whole line. */
function formatBlock(value: unknown, indent: string, lead: string): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.every((item) => !Array.isArray(item) && !isObject(item))) return formatInline(value);
    // Rows of a table (categories, annotations) stay one per line however long they are.
    const items = value.map((item) => `${inner}${isFlat(item) ? formatInline(item) : formatBlock(item, inner, inner)}`);
    return `[\n${items.join(',\n')}\n${indent}]`;
  }
  if (isObject(value)) {
    const inline = formatInline(value);
    if (isFlat(value) && getDisplayWidth(`${lead}${inline},`) <= maxLineWidth) return inline;
    const entries = getEntries(value).map(([key, item]) => {
      const keyLead = `${inner}${JSON.stringify(key)}: `;
      return `${keyLead}${formatBlock(item, inner, keyLead)}`;
    });
    return entries.length === 0 ? '{}' : `{\n${entries.join(',\n')}\n${indent}}`;
  }
  return formatInline(value);
}

/**
 * A dataset file's text in the house layout: two-space indents, lists of numbers or dates on one
 * line, short objects of a text per language and table rows on one line, a newline at the end.
 */
export function formatDatasetJson(dataset: unknown): string {
  return `${formatBlock(dataset, '', '')}\n`;
}
