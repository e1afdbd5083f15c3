import type { MdastNode } from 'satteri';
import { getChildren } from '../mdx-document.ts';

export type CalloutType = 'info' | 'note' | 'warning';

/** A block of the essay being written: Markdown, an MDX comment, or a `<Callout>` around more blocks. */
export type OutputBlock =
  { kind: 'markdown'; node: MdastNode } | { kind: 'comment'; text: string } | { kind: 'callout'; type: CalloutType; blocks: OutputBlock[] };

/**
 * Escapes text so MDX reads it as the same text: `{`, `}` and `<` would start expressions and
 * JSX; Markdown punctuation would start emphasis, links or code; line starts could start blocks.
 */
export function escapeText(value: string, options: { atLineStart: boolean; inTable?: boolean }): string {
  let result = value
    .replace(/\\(?=[!-/:-@[-`{-~]|$)/g, '\\\\')
    .replace(/[{}<>*[\]`~]/g, (character) => `\\${character}`)
    .replace(/(^|[^\p{L}\p{N}])_|_(?=[^\p{L}\p{N}]|$)/gu, (match) => match.replace('_', '\\_'))
    .replace(/&(?=#?[a-z0-9]+;)/gi, '\\&');
  if (options.inTable) result = result.replace(/\|/g, '\\|');
  // Block markers at the start of a line: headings, lists, blockquotes (escaped above), thematic breaks.
  const escapeLineStart = (line: string) =>
    line.replace(
      /^(\s*)(#{1,6}(?=\s|$)|[-+](?=\s|$)|=+\s*$|(\d+)([.)])(?=\s|$))/,
      (_match, space: string, marker: string, digits?: string, delimiter?: string) =>
        digits ? `${space}${digits}\\${delimiter}` : `${space}\\${marker}`,
    );
  const lines = result.split('\n');
  return lines.map((line, index) => (index > 0 || options.atLineStart ? escapeLineStart(line) : line)).join('\n');
}

/** A link destination that needs no angle brackets: spaces and parentheses percent-encoded. */
function writeUrl(url: string): string {
  return url.replace(/ /g, '%20').replace(/\(/g, '%28').replace(/\)/g, '%29');
}

function writeTitle(title: string | null | undefined): string {
  return title ? ` "${title.replace(/"/g, '\\"')}"` : '';
}

function writeInlineCode(value: string): string {
  const longestRun = Math.max(0, ...[...value.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longestRun + 1);
  const padding = value.startsWith('`') || value.endsWith('`') ? ' ' : '';
  return `${fence}${padding}${value}${padding}${fence}`;
}

/** Phrasing content as MDX. */
function writeInline(nodes: readonly MdastNode[], options: { inTable?: boolean } = {}): string {
  let output = '';
  for (const node of nodes) {
    const atLineStart = output === '' || output.endsWith('\n');
    switch (node.type) {
      case 'text':
        output += escapeText(node.value, { atLineStart, inTable: options.inTable });
        break;
      case 'emphasis':
        output += `*${writeInline(node.children, options)}*`;
        break;
      case 'strong':
        output += `**${writeInline(node.children, options)}**`;
        break;
      case 'delete':
        output += `~~${writeInline(node.children, options)}~~`;
        break;
      case 'inlineCode':
        output += writeInlineCode(node.value);
        break;
      case 'break':
        output += '\\\n';
        break;
      case 'link':
        output += `[${writeInline(node.children, options)}](${writeUrl(node.url)}${writeTitle(node.title)})`;
        break;
      case 'image':
        output += `![${escapeText(node.alt ?? '', { atLineStart: false })}](${writeUrl(node.url)}${writeTitle(node.title)})`;
        break;
      case 'mdxTextExpression':
        output += `{${node.value}}`;
        break;
      case 'footnoteReference':
        output += `[^${node.label ?? node.identifier}]`;
        break;
      default:
        // Anything else inline (HTML was turned into text before writing) keeps its text.
        output += escapeText('value' in node && typeof node.value === 'string' ? node.value : '', { atLineStart });
        output += writeInline(getChildren(node), options);
    }
  }
  return output;
}

function indent(text: string, prefix: string, firstPrefix = prefix): string {
  return text
    .split('\n')
    .map((line, index) => (line === '' ? line : `${index === 0 ? firstPrefix : prefix}${line}`))
    .join('\n');
}

function writeList(node: Extract<MdastNode, { type: 'list' }>): string {
  const start = node.start ?? 1;
  const items = node.children.map((item, index) => {
    const marker = node.ordered ? `${start + index}. ` : '- ';
    const checkbox = item.checked === true ? '[x] ' : item.checked === false ? '[ ] ' : '';
    const body = item.children.map((child) => writeMdastBlock(child)).join(item.spread ? '\n\n' : '\n');
    return indent(checkbox + body, ' '.repeat(marker.length), marker);
  });
  return items.join(node.spread ? '\n\n' : '\n');
}

function writeTable(node: Extract<MdastNode, { type: 'table' }>): string {
  const rows = node.children.map(
    (row) => `| ${row.children.map((cell) => writeInline(cell.children, { inTable: true }).replace(/\n/g, ' ')).join(' | ')} |`,
  );
  const columns = node.children[0]?.children.length ?? 0;
  const align = Array.from({ length: columns }, (_, index) => {
    const value = node.align?.[index];
    return value === 'left' ? ':---' : value === 'right' ? '---:' : value === 'center' ? ':---:' : '---';
  });
  const [header, ...body] = rows;
  return [header ?? '', `| ${align.join(' | ')} |`, ...body].join('\n');
}

function writeCode(node: Extract<MdastNode, { type: 'code' }>): string {
  const longestRun = Math.max(2, ...[...node.value.matchAll(/`{3,}/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longestRun + 1);
  const info = [node.lang, node.meta].filter(Boolean).join(' ');
  return `${fence}${info}\n${node.value}\n${fence}`;
}

/** One block-level mdast node as MDX. */
function writeMdastBlock(node: MdastNode): string {
  switch (node.type) {
    case 'paragraph':
      return writeInline(node.children);
    case 'heading':
      return `${'#'.repeat(node.depth)} ${writeInline(node.children).replace(/\n/g, ' ')}`;
    case 'thematicBreak':
      return '---';
    case 'blockquote':
      return node.children
        .map((child) => writeMdastBlock(child))
        .join('\n\n')
        .split('\n')
        .map((line) => (line === '' ? '>' : `> ${line}`))
        .join('\n');
    case 'list':
      return writeList(node);
    case 'table':
      return writeTable(node);
    case 'code':
      return writeCode(node);
    case 'footnoteDefinition':
      return indent(node.children.map((child) => writeMdastBlock(child)).join('\n\n'), '    ', `[^${node.label ?? node.identifier}]: `);
    default: {
      const children = getChildren(node);
      return children.length > 0 ? writeInline(children) : '';
    }
  }
}

/** Turns text into an MDX comment's content: one that cannot close early. */
function escapeCommentText(text: string): string {
  return text.replace(/\*\//g, '* /').trim();
}

/** The blocks of an essay body as MDX, separated by blank lines. */
export function writeBlocks(blocks: readonly OutputBlock[]): string {
  return blocks
    .map((block) => {
      if (block.kind === 'comment') return `{/* ${escapeCommentText(block.text)} */}`;
      if (block.kind === 'callout') return `<Callout type="${block.type}">\n\n${writeBlocks(block.blocks)}\n\n</Callout>`;
      return writeMdastBlock(block.node);
    })
    .filter((text) => text.trim() !== '')
    .join('\n\n');
}
