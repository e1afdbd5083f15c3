import type { JsxAttributeValue } from '../authoring/mdx-document.ts';
import type { LoadedDataset } from '../datasets/dataset-files.ts';
import { chartTypes, isChartType } from './chart-types.ts';

/** What an essay asks of `<Chart>`: the props as written in MDX. */
export interface ChartUsage {
  dataset: unknown;
  type?: unknown;
  series?: unknown;
}

/** The little a usage check needs to know about a dataset: its series, or nothing when its file is invalid. */
export interface DatasetOutline {
  id: string;
  /** Undefined when the file fails the dataset schema: that file's own error stops the build, and charts on it are not judged. */
  seriesIds?: readonly string[];
}

/** The outline of a dataset file as the shared loader read it. */
export function getDatasetOutline(loaded: LoadedDataset): DatasetOutline {
  return { id: loaded.id, seriesIds: loaded.isValid ? loaded.dataset.series.map((series) => series.id) : undefined };
}

/** An attribute's value when it is written literally: `dataset="x"`, `series={["a", "b"]}`, `type={'bar'}`. */
function readLiteral(attribute: JsxAttributeValue): { value: unknown } | undefined {
  if (attribute.kind === 'flag') return { value: true };
  if (attribute.kind === 'string') return { value: attribute.value };
  for (const source of [attribute.source, attribute.source.replaceAll("'", '"')]) {
    try {
      return { value: JSON.parse(source) as unknown };
    } catch {
      // not JSON; try the next spelling
    }
  }
  return undefined;
}

/**
 * The props of a `<Chart>` as written, or undefined when one of them is computed (a spread, or an
 * expression that is not a literal) and can only be checked when the page renders.
 */
export function readChartUsage(attributes: ReadonlyMap<string, JsxAttributeValue>, hasSpread: boolean): ChartUsage | undefined {
  if (hasSpread) return undefined;
  const usage: Record<string, unknown> = {};
  for (const [name, attribute] of attributes) {
    const literal = readLiteral(attribute);
    if (!literal) return undefined;
    usage[name] = literal.value;
  }
  return { dataset: usage.dataset, type: usage.type, series: usage.series };
}

/**
 * Why a `<Chart>` cannot be drawn, in words an author can act on, or undefined when it can.
 * The one rule set for charts: the build's MDX check, the component when it renders and
 * `npm run check:content` all ask it, with datasets read by src/lib/datasets/dataset-files.ts.
 */
export function findChartUsageProblem(usage: ChartUsage, datasets: readonly DatasetOutline[]): string | undefined {
  const { dataset, type, series } = usage;
  if (typeof dataset !== 'string' || dataset === '') return '<Chart> needs dataset="…", the name of a file in content/data/ without .json';
  const outline = datasets.find((candidate) => candidate.id === dataset);
  if (!outline) {
    const known = datasets.length > 0 ? ` Known datasets: ${datasets.map((candidate) => candidate.id).join(', ')}.` : '';
    return `<Chart dataset="${dataset}">: there is no dataset "${dataset}" (looked for content/data/${dataset}.json).${known}`;
  }
  if (type !== undefined && !isChartType(type)) {
    return `<Chart dataset="${dataset}">: type "${String(type)}" is not one of ${chartTypes.join(', ')}`;
  }
  const { seriesIds } = outline;
  if (!seriesIds) return undefined;
  if (series !== undefined) {
    if (!Array.isArray(series) || series.length === 0 || !series.every((id) => typeof id === 'string')) {
      return `<Chart dataset="${dataset}">: series must be a non-empty list of series ids, e.g. series={["${seriesIds[0] ?? 'id'}"]}`;
    }
    const unknown = series.filter((id) => !seriesIds.includes(id));
    if (unknown.length > 0) {
      return `<Chart dataset="${dataset}">: unknown series ${unknown.map((id) => `"${id}"`).join(', ')}; the dataset has ${seriesIds.join(', ')}`;
    }
  }
  const shownCount = Array.isArray(series) ? series.length : seriesIds.length;
  if (type === 'doughnut' && shownCount !== 1) {
    return `<Chart dataset="${dataset}" type="doughnut">: a doughnut shows one series; choose it with series={["…"]}`;
  }
  return undefined;
}
