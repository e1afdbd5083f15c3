import GithubSlugger from 'github-slugger';
import { mdxToMdast, type MdastNode, type MdxJsxAttributeUnion } from 'satteri';

/** A piece of prose whose text stands verbatim in the file at `offset` (so fixes can be written back). */
interface ProseSegment {
  text: string;
  offset: number;
}

interface LinkUse {
  url: string;
  offset: number;
}

interface ImageUse {
  url: string;
  alt: string;
  offset: number;
}

/** A JSX attribute as written: a string literal, a `{…}` expression (its source), or a bare name. */
export type JsxAttributeValue = { kind: 'string'; value: string } | { kind: 'expression'; source: string } | { kind: 'flag' };

interface JsxElementUse {
  name: string;
  offset: number;
  attributes: Map<string, JsxAttributeValue>;
  /** Has a `{...spread}` attribute, whose props are known only when the page renders. */
  hasSpread: boolean;
  /** On a line of its own at the top level of the document (not inside a paragraph, list or other element). */
  isTopLevel: boolean;
}

/** What the content check needs from an MDX file, with file offsets. */
export interface MdxDocument {
  /** Every id the rendered page will have for this content: headings (as Astro slugs them) and footnotes. */
  ids: Set<string>;
  links: LinkUse[];
  images: ImageUse[];
  jsxElements: JsxElementUse[];
  prose: ProseSegment[];
}

/** MDX the compiler would refuse, with the place it names. */
export class MdxSyntaxError extends Error {
  readonly line: number;
  readonly column: number;

  constructor(message: string, position: { line: number; column: number }) {
    super(message);
    this.name = 'MdxSyntaxError';
    this.line = position.line;
    this.column = position.column;
  }
}

/** An mdast node that has children. */
export type ParentNode = Extract<MdastNode, { children: unknown }>;

export function hasChildren(node: MdastNode): node is ParentNode {
  return 'children' in node && Array.isArray(node.children);
}

/** A node's children as plain mdast nodes (empty for leaves). */
export function getChildren(node: MdastNode): MdastNode[] {
  return hasChildren(node) ? (node.children as MdastNode[]) : [];
}

function* walk(node: MdastNode): Generator<MdastNode> {
  yield node;
  for (const child of getChildren(node)) yield* walk(child);
}

/** Text a reader sees in a heading, the way the rendered HTML's textContent reads (images contribute nothing). */
export function getPlainText(node: MdastNode): string {
  if (node.type === 'text' || node.type === 'inlineCode') return node.value;
  if (node.type === 'image' || node.type === 'footnoteReference' || node.type === 'mdxTextExpression') return '';
  return getChildren(node).map(getPlainText).join('');
}

/** Heading ids as the site's Markdown pipeline (github-slugger, one slugger per document) assigns them. */
export function slugHeadings(texts: readonly string[]): string[] {
  const slugger = new GithubSlugger();
  return texts.map((text) => slugger.slug(text));
}

/** An element's named attributes as written; spreads are left out (see hasSpreadAttribute). */
export function readJsxAttributes(attributes: readonly MdxJsxAttributeUnion[]): Map<string, JsxAttributeValue> {
  const map = new Map<string, JsxAttributeValue>();
  for (const attribute of attributes) {
    if (attribute.type !== 'mdxJsxAttribute') continue;
    const value = attribute.value;
    if (typeof value === 'string') map.set(attribute.name, { kind: 'string', value });
    else if (value && typeof value === 'object') map.set(attribute.name, { kind: 'expression', source: value.value });
    else map.set(attribute.name, { kind: 'flag' });
  }
  return map;
}

export function hasSpreadAttribute(attributes: readonly MdxJsxAttributeUnion[]): boolean {
  return attributes.some((attribute) => attribute.type !== 'mdxJsxAttribute');
}

/** How far ahead in the file to look for the next character of a text value (escapes, entities, `> ` prefixes). */
const resyncWindow = 12;

/**
 * A text node's value mapped back onto the file as runs that stand there verbatim. Escapes
 * (`\{`), entities and blockquote markers break a run, so edits never touch them.
 */
function mapTextToSource(source: string, value: string, start: number, end: number): ProseSegment[] {
  const segments: ProseSegment[] = [];
  let run: ProseSegment | undefined;
  let sourceIndex = start;
  for (let valueIndex = 0; valueIndex < value.length && sourceIndex < end;) {
    if (source[sourceIndex] === value[valueIndex]) {
      run ??= { text: '', offset: sourceIndex };
      run.text += value[valueIndex];
      sourceIndex++;
      valueIndex++;
      continue;
    }
    if (run) segments.push(run);
    run = undefined;
    const found = source.indexOf(value[valueIndex] ?? '', sourceIndex + 1);
    if (found === -1 || found >= end || found - sourceIndex > resyncWindow) {
      valueIndex++;
      continue;
    }
    sourceIndex = found;
  }
  if (run) segments.push(run);
  return segments.filter((segment) => segment.text.trim() !== '');
}

const skippedForProse = new Set([
  'code',
  'inlineCode',
  'html',
  'yaml',
  'toml',
  'mdxjsEsm',
  'mdxFlowExpression',
  'mdxTextExpression',
  'math',
  'inlineMath',
]);

function collectProse(source: string, node: MdastNode, into: ProseSegment[]): void {
  if (skippedForProse.has(node.type)) return;
  // An autolinked URL reads as its own text: it is a URL, not prose.
  if (node.type === 'link' && getPlainText(node).trim() === node.url.replace(/^mailto:/, '')) return;
  if (node.type === 'text') {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start !== undefined && end !== undefined) into.push(...mapTextToSource(source, node.value, start, end));
    return;
  }
  for (const child of getChildren(node)) collectProse(source, child, into);
}

/** Parses an MDX file (frontmatter included, so offsets are file offsets) with the compiler the site uses. */
export function analyzeMdx(source: string): MdxDocument {
  const tree = parseMdxOrThrow(source);
  const headingTexts: string[] = [];
  const ids = new Set<string>();
  const definitions = new Map<string, string>();
  const links: LinkUse[] = [];
  const images: ImageUse[] = [];
  const jsxElements: JsxElementUse[] = [];
  const topLevel = new Set(getChildren(tree));
  let hasFootnotes = false;

  for (const node of walk(tree)) {
    if (node.type === 'definition') definitions.set(node.identifier, node.url);
  }
  for (const node of walk(tree)) {
    const offset = node.position?.start.offset ?? 0;
    switch (node.type) {
      case 'heading':
        headingTexts.push(getPlainText(node));
        break;
      case 'footnoteDefinition':
        hasFootnotes = true;
        ids.add(`user-content-fn-${node.identifier}`);
        break;
      case 'footnoteReference':
        ids.add(`user-content-fnref-${node.identifier}`);
        break;
      case 'link':
        links.push({ url: node.url, offset });
        break;
      case 'linkReference': {
        const url = definitions.get(node.identifier);
        if (url !== undefined) links.push({ url, offset });
        break;
      }
      case 'image':
        images.push({ url: node.url, alt: node.alt ?? '', offset });
        break;
      case 'imageReference': {
        const url = definitions.get(node.identifier);
        if (url !== undefined) images.push({ url, alt: node.alt ?? '', offset });
        break;
      }
      case 'mdxJsxFlowElement':
      case 'mdxJsxTextElement': {
        if (!node.name) break;
        const attributes = readJsxAttributes(node.attributes);
        jsxElements.push({
          name: node.name,
          offset,
          attributes,
          hasSpread: hasSpreadAttribute(node.attributes),
          isTopLevel: node.type === 'mdxJsxFlowElement' && topLevel.has(node),
        });
        const id = attributes.get('id');
        // <Align id> names an alignment point, not an element a link could reach.
        if (id?.kind === 'string' && node.name !== 'Align') ids.add(id.value);
        const href = attributes.get('href');
        if (node.name === 'a' && href?.kind === 'string') links.push({ url: href.value, offset });
        const src = attributes.get('src');
        if (node.name === 'img' && src?.kind === 'string') {
          const alt = attributes.get('alt');
          images.push({ url: src.value, alt: alt?.kind === 'string' ? alt.value : alt?.kind === 'expression' ? alt.source : '', offset });
        }
        break;
      }
    }
  }
  for (const id of slugHeadings(headingTexts)) ids.add(id);
  if (hasFootnotes) ids.add('footnote-label');
  const prose: ProseSegment[] = [];
  collectProse(source, tree, prose);
  return { ids, links, images, jsxElements, prose };
}

function parseMdxOrThrow(source: string): MdastNode {
  try {
    return mdxToMdast(source, { features: { gfm: true } });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const place = /^(\d+):(\d+)(?:-\d+:\d+)?:\s*/.exec(message);
    throw new MdxSyntaxError(place ? message.slice(place[0].length) : message, {
      line: place ? Number(place[1]) : 1,
      column: place ? Number(place[2]) : 1,
    });
  }
}
