import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineMdastPlugin, type MdastPluginEntry, type MdxJsxAttributeNode, type MdxJsxExpressionAttributeNode } from 'satteri';
import { findChartUsageProblem, type ChartUsage, type DatasetOutline } from '../charts/chart-usage.ts';

/** Reads an attribute's value when it is written literally: `dataset="x"`, `series={["a", "b"]}`, `type={'bar'}`. */
function readLiteral(attribute: MdxJsxAttributeNode): { value: unknown } | undefined {
  const { value } = attribute;
  if (value === null || value === undefined) return { value: true };
  if (typeof value === 'string') return { value };
  for (const source of [value.value, value.value.replaceAll("'", '"')]) {
    try {
      return { value: JSON.parse(source) as unknown };
    } catch {
      // not JSON; try the next spelling
    }
  }
  return undefined;
}

/** The props of a `<Chart>` as written, or undefined when one of them is computed and can only be checked when the page renders. */
export function readChartUsage(attributes: readonly (MdxJsxAttributeNode | MdxJsxExpressionAttributeNode)[]): ChartUsage | undefined {
  const usage: Record<string, unknown> = {};
  for (const attribute of attributes) {
    if (attribute.type !== 'mdxJsxAttribute') return undefined;
    const literal = readLiteral(attribute);
    if (!literal) return undefined;
    usage[attribute.name] = literal.value;
  }
  return { dataset: usage.dataset, type: usage.type, series: usage.series };
}

/** Just the series ids of content/data/<id>.json; the collection schema validates the rest. */
function readDatasetOutline(dataDir: string, id: string): DatasetOutline | undefined {
  const file = join(dataDir, `${id}.json`);
  if (!/^[a-z0-9-]+$/.test(id) || !existsSync(file)) return undefined;
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { series?: { id?: unknown }[] };
    return { seriesIds: (data.series ?? []).map((series) => String(series.id)) };
  } catch {
    // Invalid JSON: the content collection reports it with the file name.
    return { seriesIds: [] };
  }
}

/**
 * Fails the build when an essay's `<Chart>` names a dataset or series that does not exist, naming the
 * essay file and line, before anything renders.
 */
export function checkCharts(options: { dataDir: string }): MdastPluginEntry {
  return (context) => {
    if (context.sourceFormat !== 'mdx' || !context.source.includes('<Chart')) return null;
    const essayPath = context.fileURL ? relative(process.cwd(), fileURLToPath(context.fileURL)) : 'an MDX file';
    const knownIds = existsSync(options.dataDir)
      ? readdirSync(options.dataDir)
          .filter((name) => name.endsWith('.json'))
          .map((name) => name.slice(0, -'.json'.length))
      : [];
    return defineMdastPlugin({
      name: 'duizhao-check-charts',
      options: { position: true },
      mdxJsxFlowElement(node) {
        if (node.name !== 'Chart') return;
        const usage = readChartUsage(node.attributes);
        if (!usage) return;
        const problem = findChartUsageProblem(usage, (id) => readDatasetOutline(options.dataDir, id), knownIds);
        if (problem) {
          const start = node.position?.start;
          // line and column let Astro point at the tag in its error overlay and build log.
          throw Object.assign(new Error(`${essayPath}${start ? `, line ${start.line}` : ''}: ${problem}`), { line: start?.line, column: start?.column });
        }
      },
    });
  };
}
