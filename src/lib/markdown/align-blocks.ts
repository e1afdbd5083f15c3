import { relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineHastPlugin, type HastPluginEntry } from 'satteri';
import { alignIdPattern, type BreakKind } from '../parallel/blocks.ts';

function createAlignBreak(kind: BreakKind, id?: string) {
  return {
    type: 'mdxJsxFlowElement' as const,
    name: 'AlignBreak',
    attributes: [
      { type: 'mdxJsxAttribute' as const, name: 'kind', value: kind },
      ...(id ? [{ type: 'mdxJsxAttribute' as const, name: 'id', value: id }] : []),
    ],
    children: [],
  };
}

/**
 * Marks where an essay can be cut into blocks that pair with the other language's (see
 * lib/parallel/blocks.ts): an `<AlignBreak>` before each top-level `##` heading and before the
 * footnotes, and in place of each `<Align id="…" />` the author wrote. Stops the build, naming
 * the file and line, at an `<Align>` that is not on a line of its own at the top level, has no
 * valid id, or repeats one.
 */
export function alignBlocks(options: { essaysDir: string }): HastPluginEntry {
  const essaysDir = resolve(options.essaysDir);
  return (context) => {
    if (context.sourceFormat !== 'mdx' || !context.fileURL) return null;
    const file = fileURLToPath(context.fileURL);
    if (!file.startsWith(essaysDir + sep)) return null;
    const essayPath = relative(process.cwd(), file);
    // line and column let Astro point at the tag in its error overlay and build log.
    const createError = (node: { position?: { start: { line: number; column: number } } }, message: string) => {
      const start = node.position?.start;
      return Object.assign(new Error(`${essayPath}${start ? `, line ${start.line}` : ''}: ${message}`), {
        line: start?.line,
        column: start?.column,
      });
    };
    const seenIds = new Set<string>();
    return defineHastPlugin({
      name: 'duizhao-align-blocks',
      options: { position: true },
      element: {
        filter: ['h2', 'section'],
        visit(node, ctx) {
          if (ctx.parent(node)?.type !== 'root') return;
          if (node.tagName === 'h2') ctx.insertBefore(node, createAlignBreak('section'));
          else if ('dataFootnotes' in node.properties) ctx.insertBefore(node, createAlignBreak('footnotes'));
        },
      },
      mdxJsxFlowElement: {
        filter: ['Align'],
        visit(node, ctx) {
          if (ctx.parent(node)?.type !== 'root')
            throw createError(node, '<Align> must stand at the top level of the essay, not inside another element');
          const [attribute, ...others] = node.attributes;
          const id = attribute?.type === 'mdxJsxAttribute' && attribute.name === 'id' ? attribute.value : undefined;
          if (typeof id !== 'string' || others.length > 0 || node.children.length > 0)
            throw createError(node, 'write an alignment point as <Align id="some-name" />');
          if (!alignIdPattern.test(id)) throw createError(node, `<Align id="${id}">: use lower-case letters, digits and single hyphens`);
          if (seenIds.has(id)) throw createError(node, `<Align id="${id}"> appears twice; each id marks one point`);
          seenIds.add(id);
          return createAlignBreak('marker', id);
        },
      },
      mdxJsxTextElement: {
        filter: ['Align'],
        visit(node) {
          throw createError(node, '<Align> must be on a line of its own, with a blank line before and after');
        },
      },
    });
  };
}
