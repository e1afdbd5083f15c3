import { Document, isMap, isScalar, parseDocument, type Pair, type ParsedNode } from 'yaml';

/** Where the YAML frontmatter sits in an MDX file. */
export interface FrontmatterBlock {
  /** The text between the `---` fences (it starts with the rest of the opening fence's line). */
  yaml: string;
  /** Offset of `yaml` in the file. */
  yamlStart: number;
  /** Offset just past the closing fence. */
  end: number;
}

// The same rule Astro's frontmatter parser uses, so the checker and the build agree on the body.
const frontmatterPattern = /^(\uFEFF?|\s*\n)---([\s\S]*?\n)---/;

export function findFrontmatter(source: string): FrontmatterBlock | undefined {
  const match = frontmatterPattern.exec(source);
  if (!match) return undefined;
  const [whole, lead = '', yaml = ''] = match;
  return { yaml, yamlStart: match.index + lead.length + 3, end: match.index + whole.length };
}

/** The body as Astro's MDX loader stores it on `entry.body`: frontmatter removed, trimmed. */
export function getBody(source: string): string {
  const block = findFrontmatter(source);
  if (!block) return source.trim();
  return (source.slice(0, block.yamlStart - 3) + source.slice(block.end)).trim();
}

export interface ParsedFrontmatter {
  block: FrontmatterBlock;
  document: Document.Parsed;
}

/** Parses the frontmatter with positions; `undefined` when the file has none. YAML errors are on `document.errors`. */
export function parseFrontmatter(source: string): ParsedFrontmatter | undefined {
  const block = findFrontmatter(source);
  if (!block) return undefined;
  return { block, document: parseDocument(block.yaml, { prettyErrors: false }) };
}

function findPair(document: Document.Parsed, key: string): Pair<ParsedNode, ParsedNode | null> | undefined {
  const contents = document.contents;
  if (!isMap<ParsedNode, ParsedNode | null>(contents)) return undefined;
  return contents.items.find((item) => isScalar(item.key) && item.key.value === key);
}

/**
 * The file offset of the value at `path` (`['tags', 2]`), or of the nearest part of the path that
 * exists (a missing field points at its parent), so messages can name a line.
 */
export function locateFrontmatterPath(parsed: ParsedFrontmatter, path: readonly PropertyKey[]): number {
  const keys = path.filter((key): key is string | number => typeof key === 'string' || typeof key === 'number');
  for (let length = keys.length; length > 0; length--) {
    const node = parsed.document.getIn(keys.slice(0, length), true);
    if (node && typeof node === 'object' && 'range' in node && Array.isArray(node.range)) {
      return parsed.block.yamlStart + (node.range[0] as number);
    }
  }
  return parsed.block.yamlStart - 3;
}

/** The file offset of a top-level key (for "unknown field" messages). */
export function locateFrontmatterKey(parsed: ParsedFrontmatter, key: string): number {
  const pair = findPair(parsed.document, key);
  const range = pair?.key.range;
  return range ? parsed.block.yamlStart + range[0] : parsed.block.yamlStart - 3;
}

/** A top-level string value and where its text sits in the file, when that text is the value verbatim. */
export function locateVerbatimString(parsed: ParsedFrontmatter, key: string): { value: string; offset: number } | undefined {
  const value = findPair(parsed.document, key)?.value;
  if (!isScalar(value) || typeof value.value !== 'string' || !value.range) return undefined;
  const raw = parsed.block.yaml.slice(value.range[0], value.range[1]);
  const quote = value.type === 'QUOTE_DOUBLE' ? '"' : value.type === 'QUOTE_SINGLE' ? "'" : '';
  if (value.type !== 'PLAIN' && !quote) return undefined;
  if (raw !== `${quote}${value.value}${quote}` || (quote === '"' && raw.includes('\\'))) return undefined;
  return { value: value.value, offset: parsed.block.yamlStart + value.range[0] + quote.length };
}

/** One value as a single line of YAML, lists and maps in flow style as the essays write them: `[a, b]`, `{ lang: zh }`. */
function stringifyYamlValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stringifyFlowItem).join(', ')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([key, item]) => `${key}: ${stringifyFlowItem(item)}`).join(', ')} }`;
  }
  return new Document(value).toString({ lineWidth: 0 }).trimEnd();
}

/** Inside `[…]` or `{…}` commas and brackets end a plain value, so such strings are quoted. */
function stringifyFlowItem(value: unknown): string {
  return typeof value === 'string' && /[,[\]{}]/.test(value) ? JSON.stringify(value) : stringifyYamlValue(value);
}

/**
 * Sets one top-level frontmatter field and leaves every other byte of the file as it was:
 * an existing field is replaced where it stands, a new one goes just before the closing fence.
 */
export function setFrontmatterField(source: string, key: string, value: unknown): string {
  const parsed = parseFrontmatter(source);
  if (!parsed) throw new Error('the file has no frontmatter (--- … --- at the top)');
  if (parsed.document.errors.length > 0)
    throw new Error(`the frontmatter is not valid YAML: ${describeYamlError(parsed.document.errors[0])}`);
  const line = `${key}: ${stringifyYamlValue(value)}`;
  const pair = findPair(parsed.document, key);
  const { yamlStart, yaml } = parsed.block;
  if (pair?.key.range) {
    const start = yamlStart + pair.key.range[0];
    let end = yamlStart + (pair.value?.range?.[1] ?? pair.key.range[1]);
    while (end > start && (source[end - 1] === '\n' || source[end - 1] === '\r')) end--;
    return source.slice(0, start) + line + source.slice(end);
  }
  const newline = yaml.includes('\r\n') ? '\r\n' : '\n';
  const insertAt = yamlStart + yaml.length;
  return source.slice(0, insertAt) + line + newline + source.slice(insertAt);
}

/** A YAML error's first line, without the library's "at line …" suffix (the caller adds the position). */
export function describeYamlError(error: { message: string } | undefined): string {
  return ((error?.message ?? 'invalid YAML').split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
}

/** Frontmatter for a new file, keys in the given order, one line each. */
export function stringifyFrontmatter(fields: Record<string, unknown>, newline = '\n'): string {
  const lines = Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}: ${stringifyYamlValue(value)}`);
  return ['---', ...lines, '---'].join(newline) + newline;
}
