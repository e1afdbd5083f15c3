import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineMdastPlugin, type MdastPluginEntry, type MdxJsxFlowElement, type MdxJsxTextElement } from 'satteri';
import { hasSpreadAttribute, readJsxAttributes } from '../authoring/mdx-document.ts';
import { findChartUsageProblem, getDatasetOutline, readChartUsage } from '../charts/chart-usage.ts';
import { loadDatasets } from '../datasets/dataset-files.ts';

/**
 * Fails the build when an essay's `<Chart>` names a dataset, series or type that does not exist,
 * naming the essay file and line, before anything renders. `npm run check:content` asks the same
 * questions of the same datasets (src/lib/charts/chart-usage.ts, src/lib/datasets/dataset-files.ts).
 */
export function checkCharts(options: { root?: string } = {}): MdastPluginEntry {
  return (context) => {
    if (context.sourceFormat !== 'mdx' || !context.source.includes('<Chart')) return null;
    const root = options.root ?? process.cwd();
    const essayPath = context.fileURL ? relative(root, fileURLToPath(context.fileURL)) : 'an MDX file';
    const datasets = loadDatasets(root).map(getDatasetOutline);
    const checkElement = (node: MdxJsxFlowElement | MdxJsxTextElement) => {
      if (node.name !== 'Chart') return;
      const usage = readChartUsage(readJsxAttributes(node.attributes), hasSpreadAttribute(node.attributes));
      if (!usage) return;
      const problem = findChartUsageProblem(usage, datasets);
      if (problem) {
        const start = node.position?.start;
        // line and column let Astro point at the tag in its error overlay and build log.
        throw Object.assign(new Error(`${essayPath}${start ? `, line ${start.line}` : ''}: ${problem}`), {
          line: start?.line,
          column: start?.column,
        });
      }
    };
    return defineMdastPlugin({
      name: 'duizhao-check-charts',
      options: { position: true },
      mdxJsxFlowElement: checkElement,
      // A chart inside a paragraph is drawn too, so it is checked the same way.
      mdxJsxTextElement: checkElement,
    });
  };
}
