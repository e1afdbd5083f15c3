import GithubSlugger from 'github-slugger';
import { markdownToMdast, type MdastNode } from 'satteri';
import { parse as parseYaml } from 'yaml';
import { localeKeys, locales, type Locale } from '../../../i18n/locales.ts';
import { getTranslator } from '../../../i18n/translator.ts';
import { fixFileTypography } from '../content-check.ts';
import type { NamedEntry } from '../content-files.ts';
import { describeInvalidSlug } from '../essay-folder.ts';
import { getBody, stringifyFrontmatter } from '../frontmatter.ts';
import { getChildren, getPlainText, hasChildren, type ParentNode } from '../mdx-document.ts';
import { getRevision } from '../revision.ts';
import { describeChrome, isCommentPrompt } from './chrome.ts';
import { detectLanguage, findLanguageLayout, findLanguageRuns, measureText, type LanguageLayout } from './language.ts';
import { extractMetadataBlock, normalizeDate, type MetadataBlock, type SourceMetadata } from './metadata.ts';
import { writeBlocks, type CalloutType, type OutputBlock } from './mdx-writer.ts';
import {
  isEmbedTag,
  isOneParagraphPerLine,
  readEmbed,
  readTagArgument,
  sentinelPattern,
  splitSegments,
  type InlineTag,
} from './segments.ts';

/** The category every imported essay starts in. */
export const importedCategoryId = 'republished';

export interface ImportOptions {
  tags: readonly NamedEntry[];
  /** Authors in content/authors/ with their names, to recognise the original's author. */
  authors: readonly { id: string; names: readonly string[] }[];
  /** `YYYY-MM-DD`, used when the document has no date. */
  today: string;
  /** The imported file's name, the slug of last resort. */
  fileName: string;
  slug?: string;
}

/** Something the author should know about the import, with the source line when there is one. */
export interface ImportNote {
  line?: number;
  message: string;
}

export interface ImportResult {
  slug: string;
  /** Where the slug came from, so the CLI can suggest --slug. */
  slugSource: 'option' | 'title' | 'original link' | 'file name';
  format: 'gitbook' | 'markdown' | 'plain text';
  layout: LanguageLayout;
  files: Partial<Record<`${Locale}.mdx`, string>>;
  /** What became frontmatter, callouts and links: the metadata block, title, summary, hints, images. */
  converted: ImportNote[];
  /** Parts left as a visible placeholder (embeds) or an `{/* import: … *\/}` comment. */
  unconverted: ImportNote[];
  /** Site chrome removed. */
  dropped: ImportNote[];
  /** Guesses and gaps to review: missing alt text, unknown tags, titles taken from the first sentence. */
  attention: ImportNote[];
}

type Item =
  | { kind: 'block'; node: MdastNode; line: number }
  | { kind: 'comment'; text: string; line: number }
  | { kind: 'callout'; type: CalloutType; items: Item[]; line: number }
  | { kind: 'embed'; url: string; caption: string; source: string; line: number };

/** Text with the importer's Liquid sentinels taken out, for titles and summaries. */
function removeSentinels(text: string): string {
  return text.replace(sentinelPattern, '').replace(/\s+/g, ' ').trim();
}

const calloutTypes: Record<string, CalloutType> = {
  info: 'info',
  warning: 'warning',
  danger: 'warning',
  note: 'note',
  tip: 'note',
  success: 'note',
};

function replaceChildren<T extends ParentNode>(node: T, children: MdastNode[]): T {
  return { ...node, children } as T;
}

function shorten(text: string, length = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

function getItemText(item: Item): string {
  if (item.kind === 'block') return getPlainText(item.node);
  if (item.kind === 'callout') return item.items.map(getItemText).join('\n');
  if (item.kind === 'embed') return item.caption;
  return '';
}

/** Collects every `[label]: url` definition, so references can become plain links and images. */
function collectDefinitions(items: readonly Item[], into = new Map<string, { url: string; title: string | null | undefined }>()) {
  const visit = (node: MdastNode) => {
    if (node.type === 'definition') into.set(node.identifier, { url: node.url, title: node.title });
    getChildren(node).forEach(visit);
  };
  for (const item of items) {
    if (item.kind === 'block') visit(item.node);
    if (item.kind === 'callout') collectDefinitions(item.items, into);
  }
  return into;
}

/** The importer's work on one document. */
class DocumentImport {
  readonly converted: ImportNote[] = [];
  readonly unconverted: ImportNote[] = [];
  readonly dropped: ImportNote[] = [];
  readonly attention: ImportNote[] = [];
  metadata: SourceMetadata = { tags: [] };
  adUrls = new Set<string>();
  definitions = new Map<string, { url: string; title: string | null | undefined }>();
  title: { text: string; line: number } | undefined;
  lead: { text: string; line: number } | undefined;
  sawGitbookTag = false;
  inlineTags: InlineTag[] = [];
  imageLinks = 0;

  parseMarkdown(text: string, firstLine: number): Item[] {
    const tree = markdownToMdast(text, { features: { gfm: true } });
    return getChildren(tree).map((node) => ({ kind: 'block', node, line: firstLine + (node.position?.start.line ?? 1) - 1 }));
  }

  /** Segments → items: hints become callouts, embeds placeholders, other tags comments. */
  readItems(text: string, onePerLine: boolean): Item[] {
    const root: Item[] = [];
    const stack: { type: CalloutType; items: Item[]; line: number; style: string }[] = [];
    const current = () => stack.at(-1)?.items ?? root;
    const { segments, inlineTags } = splitSegments(text, { onePerLine });
    this.inlineTags = inlineTags;
    if (inlineTags.length > 0) this.sawGitbookTag = true;
    for (let index = 0; index < segments.length; index++) {
      const segment = segments[index];
      if (!segment) continue;
      if (segment.kind === 'markdown') {
        current().push(...this.parseMarkdown(segment.text, segment.line));
        continue;
      }
      if (segment.kind === 'card') {
        this.adUrls.add(segment.url);
        this.dropped.push({ line: segment.line, message: `link card (advertising or promotion) to ${segment.url}` });
        continue;
      }
      this.sawGitbookTag = true;
      if (segment.name === 'hint' && !segment.isClosing) {
        const style = readTagArgument(segment.args, 'style') ?? 'info';
        stack.push({ type: calloutTypes[style] ?? 'note', items: [], line: segment.line, style });
        continue;
      }
      if (segment.name === 'hint' && segment.isClosing && stack.length > 0) {
        const hint = stack.pop();
        if (!hint) continue;
        if (!calloutTypes[hint.style]) {
          this.attention.push({ line: hint.line, message: `hint style “${hint.style}” has no Callout type: shown as note` });
        }
        this.converted.push({ line: hint.line, message: `{% hint style="${hint.style}" %} → <Callout type="${hint.type}">` });
        current().push({ kind: 'callout', type: hint.type, items: hint.items, line: hint.line });
        continue;
      }
      if (!segment.isClosing && isEmbedTag(segment.name)) {
        // GitBook writes an embed's caption between it and its {% endembed %}.
        const next = segments.findIndex(
          (candidate, position) => position > index && candidate.kind === 'tag' && candidate.name === segment.name,
        );
        const nextTag = segments[next];
        const closing = nextTag?.kind === 'tag' && nextTag.isClosing ? next : -1;
        const body =
          closing === -1
            ? undefined
            : removeSentinels(
                segments
                  .slice(index + 1, closing)
                  .map((part) => (part.kind === 'markdown' ? part.text : ''))
                  .join('\n'),
              );
        const embed = readEmbed(segment.name, segment.args, body);
        if (embed) {
          current().push({ kind: 'embed', ...embed, source: segment.raw, line: segment.line });
          if (closing !== -1) index = closing;
          continue;
        }
      }
      this.unconverted.push({ line: segment.line, message: `GitBook tag ${segment.raw} → {/* import: … */} comment` });
      current().push({ kind: 'comment', text: `import: GitBook tag not converted: ${segment.raw}`, line: segment.line });
    }
    while (stack.length > 0) {
      const hint = stack.pop();
      if (!hint) break;
      this.attention.push({ line: hint.line, message: '{% hint %} without {% endhint %}: closed at the end of the document' });
      this.converted.push({ line: hint.line, message: `{% hint style="${hint.style}" %} → <Callout type="${hint.type}">` });
      current().push({ kind: 'callout', type: hint.type, items: hint.items, line: hint.line });
    }
    return root;
  }

  /** YAML frontmatter in the source: its title, summary, date and tags are used; the block itself is not kept. */
  readSourceFrontmatter(items: Item[]): Item[] {
    return items.filter((item) => {
      if (item.kind !== 'block' || item.node.type !== 'yaml') return true;
      try {
        const data: unknown = parseYaml(item.node.value);
        if (data && typeof data === 'object') {
          const fields = data as Record<string, unknown>;
          const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);
          if (text(fields.title)) this.title = { text: text(fields.title) ?? '', line: item.line };
          const summary = text(fields.summary) ?? text(fields.description);
          if (summary) this.lead = { text: summary, line: item.line };
          const date = fields.date ?? fields.published;
          const published = date instanceof Date ? date.toISOString().slice(0, 10) : normalizeDate(text(date) ?? '');
          if (published) this.metadata.published = published;
          if (Array.isArray(fields.tags)) this.metadata.tags = fields.tags.map(String);
          const used = [
            text(fields.title) && 'title',
            summary && 'summary',
            published && 'date',
            Array.isArray(fields.tags) && 'tags',
          ].filter(Boolean);
          this.converted.push({ line: item.line, message: `source frontmatter → ${used.join(', ') || 'nothing usable'}` });
        }
      } catch {
        this.attention.push({ line: item.line, message: 'the source frontmatter is not valid YAML: left out' });
      }
      return false;
    });
  }

  /** Takes the title (first `#` heading) and the lead blockquote, then drops the page chrome around the article. */
  removeChrome(items: Item[]): Item[] {
    const kept: Item[] = [];
    let seenContent = false;
    for (const item of items) {
      if (item.kind !== 'block') {
        kept.push(item);
        seenContent = true;
        continue;
      }
      const { node, line } = item;
      const text = removeSentinels(getPlainText(node));
      if (!this.title && !seenContent && node.type === 'heading' && node.depth === 1) {
        this.title = { text, line };
        continue;
      }
      if (!seenContent && node.type === 'blockquote' && !this.lead) {
        this.lead = { text, line };
        continue;
      }
      if (!seenContent && node.type === 'thematicBreak') {
        this.dropped.push({ line, message: 'separator before the article' });
        continue;
      }
      if (node.type === 'heading' && this.title && text === this.title.text) {
        this.dropped.push({ line, message: `repeated title “${shorten(text, 40)}”` });
        continue;
      }
      if (node.type === 'blockquote' && this.lead && text === this.lead.text) {
        this.dropped.push({ line, message: 'repeated lead quote' });
        continue;
      }
      if (node.type === 'definition') continue;
      const reason = describeChrome(node, { authorUrl: this.metadata.authorUrl, adUrls: this.adUrls });
      if (reason) {
        if (reason === 'advertising link') {
          for (const child of getChildren(node)) if (child.type === 'link') this.adUrls.add(child.url);
        }
        this.dropped.push({ line, message: `${reason}: ${shorten(text || getMarkdownUrls(node).join(' '))}` });
        continue;
      }
      // Chrome rows before the article (avatar, follow, date, stats) do not end the header zone; prose does.
      if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'list' || node.type === 'table') seenContent = true;
      kept.push(item);
    }
    while (kept.length > 0) {
      const last = kept.at(-1);
      if (!last || last.kind !== 'block' || !(isCommentPrompt(last.node) || last.node.type === 'thematicBreak')) break;
      kept.pop();
      this.dropped.push({ line: last.line, message: `comment prompt at the end: ${shorten(getPlainText(last.node))}` });
    }
    return kept;
  }
}

function getMarkdownUrls(node: MdastNode): string[] {
  const urls: string[] = [];
  const visit = (child: MdastNode) => {
    if (child.type === 'link' || child.type === 'image') urls.push(child.url);
    getChildren(child).forEach(visit);
  };
  visit(node);
  return urls;
}

/** One language's part of the document, turned into an essay body. */
class PartWriter {
  readonly job: DocumentImport;
  readonly locale: Locale;

  constructor(job: DocumentImport, locale: Locale) {
    this.job = job;
    this.locale = locale;
  }

  /** An address made absolute against the original's, or `undefined` for one a reader must not follow (`javascript:`, `data:`…). */
  private resolveUrl(url: string, line: number): string | undefined {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
    if (scheme && !['http', 'https', 'mailto'].includes(scheme)) {
      this.job.attention.push({
        line,
        message: `a ${scheme}: address was left out (only http, https and mailto links are kept): ${shorten(url, 50)}`,
      });
      return undefined;
    }
    if (scheme || url.startsWith('#')) return url;
    const base = this.job.metadata.originalUrl;
    if (base) {
      try {
        return new URL(url, base).href;
      } catch {
        // fall through: kept as written
      }
    }
    this.job.attention.push({ line, message: `relative link kept as written, check where it should go: ${url}` });
    return url;
  }

  private imageLink(url: string, alt: string, title: string | null | undefined, line: number): MdastNode {
    // Words the importer writes into the essay itself are in the essay's language.
    const t = getTranslator(this.locale);
    const label = t('import.image');
    this.job.imageLinks++;
    if (alt.trim() === '') {
      this.job.attention.push({ line, message: `image without alt text, kept as a “${label}” link: describe what it shows (${url})` });
    }
    const text = alt.trim() ? t('import.labelled', { label, text: alt.trim() }) : label;
    const resolved = this.resolveUrl(url, line);
    return resolved === undefined
      ? { type: 'text', value: text }
      : { type: 'link', url: resolved, title: title ?? null, children: [{ type: 'text', value: text }] };
  }

  /** An embed the site cannot show: a visible link to it, labelled so the author finds it, and a line in the report. */
  private embedPlaceholder(url: string, caption: string, line: number, source: string): MdastNode[] {
    const t = getTranslator(this.locale);
    const text = t('import.labelled', { label: t('import.embed'), text: url });
    const resolved = this.resolveUrl(url, line);
    if (resolved === undefined) {
      this.job.unconverted.push({ line, message: `embed ${shorten(source, 70)} → left out, its address is not a web address` });
      return caption ? [{ type: 'text', value: caption }] : [];
    }
    this.job.unconverted.push({ line, message: `embed ${shorten(source, 70)} → placeholder link “${text}”` });
    const link: MdastNode = { type: 'link', url: resolved, title: null, children: [{ type: 'text', value: text }] };
    return caption ? [link, { type: 'text', value: ` ${caption}` }] : [link];
  }

  /** A Liquid tag or variable from inside a line: embeds become placeholders, anything else a comment. */
  private convertInlineTag(tag: InlineTag): MdastNode[] {
    const embed = readEmbed(tag.name, tag.args, tag.body);
    if (embed) return this.embedPlaceholder(embed.url, embed.caption, tag.line, tag.raw);
    const kind = tag.name === '' ? 'Liquid variable' : 'GitBook tag';
    this.job.unconverted.push({
      line: tag.line,
      message: `${kind} inside a paragraph ${shorten(tag.raw, 50)} → {/* import: … */} comment`,
    });
    return [{ type: 'mdxTextExpression', value: `/* import: ${kind} not converted: ${tag.raw.replace(/\*\//g, '* /')} */` }];
  }

  /** Inline rewriting: references resolved, images to links, HTML tags to comments, relative links made absolute. */
  transformInline(node: MdastNode, line: number): MdastNode[] {
    switch (node.type) {
      case 'image':
        return [this.imageLink(node.url, node.alt ?? '', node.title, line)];
      case 'imageReference': {
        const definition = this.job.definitions.get(node.identifier);
        return definition
          ? [this.imageLink(definition.url, node.alt ?? '', definition.title, line)]
          : [{ type: 'text', value: node.alt ?? '' }];
      }
      case 'linkReference': {
        const definition = this.job.definitions.get(node.identifier);
        const children = node.children.flatMap((child) => this.transformInline(child, line));
        const resolved = definition && this.resolveUrl(definition.url, line);
        return resolved ? [{ type: 'link', url: resolved, title: definition?.title ?? null, children } as MdastNode] : children;
      }
      case 'link': {
        const images = node.children.filter((child) => child.type === 'image' || child.type === 'imageReference');
        if (
          images.length > 0 &&
          images.length === node.children.filter((child) => !(child.type === 'text' && child.value.trim() === '')).length
        ) {
          this.job.attention.push({ line, message: `linked image: kept as a link to the image; its link to ${node.url} was left out` });
          return images.flatMap((image) => this.transformInline(image, line));
        }
        const children = node.children.flatMap((child) => this.transformInline(child, line));
        const resolved = this.resolveUrl(node.url, line);
        return resolved === undefined ? children : [{ ...node, url: resolved, children } as MdastNode];
      }
      case 'html': {
        if (/^<br\s*\/?>$/i.test(node.value.trim())) return [{ type: 'break' }];
        const frame = /^<(iframe|embed|video)\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']/i.exec(node.value.trim());
        if (frame?.[2]) return this.embedPlaceholder(frame[2], '', line, node.value.trim());
        if (/^<\/(iframe|video)\s*>$/i.test(node.value.trim())) return [];
        this.job.unconverted.push({ line, message: `inline HTML ${shorten(node.value, 50)}` });
        return [{ type: 'mdxTextExpression', value: `/* import: inline HTML not converted: ${node.value.replace(/\*\//g, '* /')} */` }];
      }
      case 'text': {
        if (!node.value.includes('\uE000')) return [node];
        const parts: MdastNode[] = [];
        let last = 0;
        for (const match of node.value.matchAll(sentinelPattern)) {
          if (match.index > last) parts.push({ type: 'text', value: node.value.slice(last, match.index) });
          const tag = this.job.inlineTags[Number(match[1])];
          if (tag) parts.push(...this.convertInlineTag(tag));
          last = match.index + match[0].length;
        }
        if (last < node.value.length) parts.push({ type: 'text', value: node.value.slice(last) });
        return parts;
      }
      default:
        return hasChildren(node)
          ? [
              replaceChildren(
                node,
                getChildren(node).flatMap((child) => this.transformInline(child, line)),
              ),
            ]
          : [node];
    }
  }

  private convertHtmlBlock(html: string, line: number): OutputBlock[] {
    const comment = /^<!--([\s\S]*?)-->$/.exec(html.trim());
    if (comment) return [{ kind: 'comment', text: comment[1] ?? '' }];
    const frames = [...html.matchAll(/<(?:iframe|embed|video)\b[^>]*?\bsrc\s*=\s*["']([^"']+)["'][^>]*>/gi)];
    if (frames.length > 0 && !/<(script|form|table)\b/i.test(html)) {
      const caption = (/<figcaption[^>]*>([\s\S]*?)<\/figcaption>/i.exec(html)?.[1] ?? '')
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim();
      return frames.map((frame, index) => ({
        kind: 'markdown',
        node: {
          type: 'paragraph',
          children: this.embedPlaceholder(frame[1] ?? '', index === frames.length - 1 ? caption : '', line, frame[0]),
        } as MdastNode,
      }));
    }
    const image = /<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)["'][^>]*>/i.exec(html);
    const isFigure = /^<(figure|img|p|div)\b/i.test(html.trim()) && image && !/<(iframe|script|video|audio|form|table)\b/i.test(html);
    if (isFigure && image?.[1]) {
      this.job.converted.push({ line, message: `HTML image ${shorten(image[0], 50)} → image link` });
      const alt = /\balt\s*=\s*["']([^"']*)["']/i.exec(image[0])?.[1] ?? '';
      const caption = /<figcaption[^>]*>([\s\S]*?)<\/figcaption>/i
        .exec(html)?.[1]
        ?.replace(/<[^>]+>/g, '')
        .trim();
      const children: MdastNode[] = [this.imageLink(image[1], alt, undefined, line)];
      if (caption) children.push({ type: 'text', value: ` ${caption}` });
      return [{ kind: 'markdown', node: { type: 'paragraph', children } as MdastNode }];
    }
    this.job.unconverted.push({ line, message: `HTML block ${shorten(html, 50)}` });
    return [{ kind: 'comment', text: `import: HTML block not converted:\n${html}` }];
  }

  toBlocks(items: readonly Item[]): OutputBlock[] {
    return items.flatMap((item): OutputBlock[] => {
      if (item.kind === 'comment') return [{ kind: 'comment', text: item.text }];
      if (item.kind === 'callout') return [{ kind: 'callout', type: item.type, blocks: this.toBlocks(item.items) }];
      if (item.kind === 'embed')
        return [
          {
            kind: 'markdown',
            node: { type: 'paragraph', children: this.embedPlaceholder(item.url, item.caption, item.line, item.source) } as MdastNode,
          },
        ];
      const { node, line } = item;
      if (node.type === 'html') return this.convertHtmlBlock(node.value, line);
      if (node.type === 'definition') return [];
      return this.transformInline(node, line).map((converted) => ({ kind: 'markdown', node: converted }));
    });
  }
}

const sentenceEnd = /[。！？!?]|\.(?=\s|$)/g;

function takeFirstSentences(text: string, minimum: number, maximum: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  let end = 0;
  for (const match of flat.matchAll(sentenceEnd)) {
    end = match.index + match[0].length;
    if (end >= minimum) break;
  }
  const chosen = (end > 0 ? flat.slice(0, end) : flat).trim();
  return chosen.length > maximum ? `${chosen.slice(0, maximum - 1).trimEnd()}…` : chosen;
}

/** A paragraph in a plain-text document that reads like a heading: one short line without closing punctuation. */
function looksLikeHeading(node: MdastNode, next: MdastNode | undefined): boolean {
  if (node.type !== 'paragraph' || node.children.length !== 1 || node.children[0]?.type !== 'text') return false;
  const text = node.children[0].value.trim();
  if (text.includes('\n') || text.length === 0 || /[。．.，,；;：:、…]$/.test(text)) return false;
  const isShort = detectLanguage(text) === 'zh' ? text.length <= 30 : text.split(/\s+/).length <= 12;
  return isShort && next !== undefined && getPlainText(next).length > text.length;
}

/** Heading levels shifted so the highest becomes `##` (the page's `#` is the title). */
function normalizeHeadings(items: Item[]): Item[] {
  const depths = items.flatMap((item) => (item.kind === 'block' && item.node.type === 'heading' ? [item.node.depth] : []));
  if (depths.length === 0) return items;
  const shift = 2 - Math.min(...depths);
  return items.map((item) => {
    if (item.kind !== 'block' || item.node.type !== 'heading') return item;
    const onlyChild = item.node.children.length === 1 ? item.node.children[0] : undefined;
    const children = onlyChild && (onlyChild.type === 'strong' || onlyChild.type === 'emphasis') ? onlyChild.children : item.node.children;
    const depth = Math.min(6, Math.max(2, item.node.depth + shift)) as 2 | 3 | 4 | 5 | 6;
    return { ...item, node: { ...item.node, depth, children } };
  });
}

/** A URL-safe slug from a title: lowercase ASCII words joined by hyphens. */
export function slugifyTitle(title: string): string | undefined {
  const slug = new GithubSlugger()
    .slug(title.normalize('NFKD'))
    .replace(/[^a-z0-9-]/g, '')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  const words = slug.split('-');
  let result = '';
  for (const word of words) {
    if (result && `${result}-${word}`.length > 60) break;
    result = result ? `${result}-${word}` : word;
  }
  return result && !describeInvalidSlug(result) ? result : undefined;
}

function chooseSlug(
  options: ImportOptions,
  englishTitle: string | undefined,
  originalUrl: string | undefined,
): Pick<ImportResult, 'slug' | 'slugSource'> {
  if (options.slug) return { slug: options.slug, slugSource: 'option' };
  const fromTitle = englishTitle ? slugifyTitle(englishTitle) : undefined;
  if (fromTitle) return { slug: fromTitle, slugSource: 'title' };
  if (originalUrl) {
    try {
      const lastSegment = new URL(originalUrl).pathname
        .split('/')
        .filter(Boolean)
        .pop()
        ?.replace(/\.[a-z]+$/i, '');
      const fromUrl = lastSegment && /[a-z]/i.test(lastSegment) ? slugifyTitle(lastSegment) : undefined;
      if (fromUrl) return { slug: fromUrl, slugSource: 'original link' };
    } catch {
      // not a URL: use the file name
    }
  }
  const fromFile = slugifyTitle(options.fileName.replace(/\.[a-z]+$/i, '').replace(/_/g, '-')) ?? 'imported-essay';
  return { slug: fromFile, slugSource: 'file name' };
}

/** Notes in source order, whole-document notes first; equal lines keep the order they were found in. */
function sortByLine(notes: readonly ImportNote[]): ImportNote[] {
  return [...notes].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

/** The report line for a metadata block: what of it reached the frontmatter. */
function describeMetadataBlock(block: MetadataBlock): string {
  const { metadata } = block;
  const fields = [
    metadata.authorName && `author ${metadata.authorName}`,
    metadata.published && `published ${metadata.published}`,
    metadata.updated && `updated ${metadata.updated}`,
    metadata.tags.length > 0 && `tags ${metadata.tags.join(', ')}`,
    metadata.originalUrl && `original ${metadata.originalUrl}`,
    metadata.category && `category ${metadata.category}`,
  ].filter(Boolean);
  const lines = block.firstLine === block.lastLine ? `line ${block.firstLine}` : `lines ${block.firstLine}–${block.lastLine}`;
  return `metadata block (${lines}, taken out of the text) → ${fields.join('; ') || 'nothing usable'}`;
}

/**
 * Turns an existing Markdown document into essay files: a GitBook-style export (hints, metadata
 * block, site chrome) or a document with a Chinese part and an English part (split by script).
 */
export function importDocument(source: string, options: ImportOptions): ImportResult {
  // The private-use characters are the importer's own sentinels (see segments.ts).
  const normalized = source
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[\uE000\uE001]/g, '');
  const job = new DocumentImport();
  const { text, block } = extractMetadataBlock(normalized);
  if (block) {
    job.metadata = block.metadata;
    job.converted.push({ line: block.firstLine, message: describeMetadataBlock(block) });
    job.attention.push(...block.attention);
    job.dropped.push(...block.dropped);
  }
  const onePerLine = isOneParagraphPerLine(text);
  let items = job.readSourceFrontmatter(job.readItems(text, onePerLine));
  job.definitions = collectDefinitions(items);
  items = job.removeChrome(items);
  if (job.title) job.converted.push({ line: job.title.line, message: `title “${shorten(job.title.text, 50)}”` });
  if (job.lead) job.converted.push({ line: job.lead.line, message: 'lead quote → summary' });

  const samples = items.map((item) => ({ locale: detectLanguage(getItemText(item)), weight: measureText(getItemText(item)) }));
  const layout = findLanguageLayout(samples);
  const parts: { locale: Locale; items: Item[] }[] =
    layout.kind === 'single'
      ? [{ locale: layout.locale, items }]
      : [
          { locale: layout.first, items: items.slice(0, layout.index) },
          { locale: layout.second, items: items.slice(layout.index) },
        ];
  if (layout.kind === 'split') {
    job.converted.push({
      line: items[layout.index]?.line,
      message: `the ${locales[layout.second].englishName} part begins → ${layout.second}.mdx, marked as translated from ${layout.first}.mdx`,
    });
  }
  if (layout.kind === 'single' && layout.isMixed) {
    const switches = findLanguageRuns(samples).length - 1;
    job.attention.push({
      message: `Chinese and English alternate (${switches} switches) rather than one part then the other: kept as one ${layout.locale}.mdx; if it holds a translation, split it by hand`,
    });
  }

  const { metadata } = job;
  const tagIds: string[] = [];
  const unknownTags: string[] = [];
  for (const name of metadata.tags) {
    const wanted = name.trim().toLowerCase();
    const tag = options.tags.find((entry) =>
      [entry.id, ...localeKeys.map((locale) => entry[locale])].some((value) => value.toLowerCase() === wanted),
    );
    if (tag && !tagIds.includes(tag.id)) tagIds.push(tag.id);
    else if (!tag) unknownTags.push(name);
  }
  if (unknownTags.length > 0) {
    job.attention.push({
      message: `tags not in content/tags.json, left out: ${unknownTags.join(', ')} (add them there and to the frontmatter if they belong)`,
    });
  }
  if (metadata.category)
    job.attention.push({
      message: `the original's category “${metadata.category}” is not kept: imported essays start in “${importedCategoryId}”`,
    });
  const author = metadata.authorName
    ? options.authors.find((candidate) => candidate.names.some((name) => name.toLowerCase() === metadata.authorName?.toLowerCase()))
    : undefined;
  if (metadata.authorName && !author) {
    job.attention.push({
      message: `the original's author “${metadata.authorName}” is not in content/authors/: the essay uses the default author; credit them in the text if needed`,
    });
  }
  const published = metadata.published ?? options.today;
  const unreadable = block?.unreadablePublished;
  if (!metadata.published && unreadable) {
    job.attention.push({
      line: unreadable.line,
      message: `the publication date “${unreadable.value}” could not be read: used today (${options.today}); set published: YYYY-MM-DD in the frontmatter`,
    });
  } else if (!metadata.published) {
    job.attention.push({ message: `no publication date found: used today (${options.today})` });
  }
  const updated = metadata.updated && metadata.updated >= published ? metadata.updated : undefined;
  if (metadata.updated && !updated)
    job.attention.push({ message: `the update date ${metadata.updated} is before the publication date ${published}: left out` });

  const files: ImportResult['files'] = {};
  const titles: Partial<Record<Locale, string>> = {};
  let originalRevision: { locale: Locale; revision: string } | undefined;
  for (const part of parts) {
    let partItems = part.items;
    const firstItem = partItems[0];
    let title = job.title && (layout.kind === 'single' || detectLanguage(job.title.text) === part.locale) ? job.title.text : undefined;
    if (
      !title &&
      firstItem?.kind === 'block' &&
      (firstItem.node.type === 'heading' ||
        (onePerLine && looksLikeHeading(firstItem.node, partItems[1]?.kind === 'block' ? partItems[1].node : undefined)))
    ) {
      title = removeSentinels(getPlainText(firstItem.node));
      partItems = partItems.slice(1);
      job.converted.push({ line: firstItem.line, message: `${locales[part.locale].englishName} title “${shorten(title, 50)}”` });
    }
    if (onePerLine && !partItems.some((item) => item.kind === 'block' && item.node.type === 'heading')) {
      partItems = partItems.map((item, index) => {
        const next = partItems[index + 1];
        if (item.kind !== 'block' || !looksLikeHeading(item.node, next?.kind === 'block' ? next.node : undefined)) return item;
        return { ...item, node: { type: 'heading', depth: 2, children: getChildren(item.node) } as MdastNode };
      });
    }
    partItems = normalizeHeadings(partItems);
    const firstParagraph = partItems.find(
      (item) => item.kind === 'block' && item.node.type === 'paragraph' && removeSentinels(getItemText(item)) !== '',
    );
    const firstText = firstParagraph ? removeSentinels(getItemText(firstParagraph)) : '';
    if (!title) {
      title = takeFirstSentences(firstText, 1, 40).replace(/[。！？.!?]$/, '') || options.fileName;
      job.attention.push({
        line: firstParagraph?.line,
        message: `no ${locales[part.locale].englishName} title found: the first sentence stands in for it, write a real title`,
      });
    }
    let summary = job.lead && (layout.kind === 'single' || detectLanguage(job.lead.text) === part.locale) ? job.lead.text : undefined;
    if (!summary) {
      summary = takeFirstSentences(firstText, 60, 160) || title;
      job.attention.push({
        line: firstParagraph?.line,
        message: `no ${locales[part.locale].englishName} summary found: taken from the first paragraph, edit it`,
      });
    }
    titles[part.locale] = title;
    const body = writeBlocks(new PartWriter(job, part.locale).toBlocks(partItems));
    const isTranslation = layout.kind === 'split' && part.locale === layout.second && originalRevision !== undefined;
    let file = `${stringifyFrontmatter({
      title,
      summary,
      published,
      updated,
      author: author?.id,
      category: importedCategoryId,
      tags: tagIds,
      draft: true,
      originalUrl: metadata.originalUrl,
      originalSite: metadata.originalUrl ? metadata.originalSite : undefined,
      translatedFrom: isTranslation ? { lang: originalRevision?.locale, revision: originalRevision?.revision } : undefined,
    })}\n${body}\n`;
    if (part.locale === 'zh') {
      const fixed = fixFileTypography(file);
      if (fixed.fixes > 0)
        job.attention.push({ message: `zh.mdx: ${fixed.fixes} Chinese typography fixes applied (spacing, full-width punctuation)` });
      file = fixed.source;
    }
    if (layout.kind === 'split' && part.locale === layout.first)
      originalRevision = { locale: part.locale, revision: getRevision(getBody(file)) };
    files[`${part.locale}.mdx`] = file;
  }
  if (job.imageLinks > 0) {
    job.converted.push({
      message: `${job.imageLinks} image${job.imageLinks === 1 ? '' : 's'} → links to the image, labelled with the alt text (图片：… / Image: …)`,
    });
  }
  return {
    ...chooseSlug(options, titles.en, metadata.originalUrl),
    // A metadata hint leaves no tag behind once taken out, but the document was GitBook all the same.
    format: job.sawGitbookTag || /^\s*\{%\s*hint\b/m.test(normalized) ? 'gitbook' : onePerLine ? 'plain text' : 'markdown',
    layout,
    files,
    converted: sortByLine(job.converted),
    unconverted: sortByLine(job.unconverted),
    dropped: sortByLine(job.dropped),
    attention: sortByLine(job.attention),
  };
}
