import { chartTypes, isChartType } from './chart-types.ts';

/** What an essay asks of `<Chart>`: the props as written in MDX. */
export interface ChartUsage {
  dataset: unknown;
  type?: unknown;
  series?: unknown;
}

/** The little a usage check needs to know about a dataset. */
export interface DatasetOutline {
  seriesIds: readonly string[];
}

/**
 * Why a `<Chart>` cannot be drawn, in words an author can act on, or undefined when it can.
 * Shared by the build-time MDX check (which knows the file) and the component (which knows the data).
 */
export function findChartUsageProblem(
  usage: ChartUsage,
  getDataset: (id: string) => DatasetOutline | undefined,
  knownDatasetIds: readonly string[],
): string | undefined {
  const { dataset, type, series } = usage;
  if (typeof dataset !== 'string' || dataset === '') return '<Chart> needs dataset="…", the name of a file in content/data/ without .json';
  const outline = getDataset(dataset);
  if (!outline) {
    const known = knownDatasetIds.length > 0 ? ` Known datasets: ${knownDatasetIds.join(', ')}.` : '';
    return `<Chart dataset="${dataset}">: there is no dataset "${dataset}" (looked for content/data/${dataset}.json).${known}`;
  }
  if (type !== undefined && !isChartType(type)) {
    return `<Chart dataset="${dataset}">: type "${String(type)}" is not one of ${chartTypes.join(', ')}`;
  }
  if (series !== undefined) {
    if (!Array.isArray(series) || series.length === 0 || !series.every((id) => typeof id === 'string')) {
      return `<Chart dataset="${dataset}">: series must be a non-empty list of series ids, e.g. series={["${outline.seriesIds[0] ?? 'id'}"]}`;
    }
    const unknown = series.filter((id) => !outline.seriesIds.includes(id));
    if (unknown.length > 0) {
      return `<Chart dataset="${dataset}">: unknown series ${unknown.map((id) => `"${id}"`).join(', ')}; the dataset has ${outline.seriesIds.join(', ')}`;
    }
  }
  const shownCount = Array.isArray(series) ? series.length : outline.seriesIds.length;
  if (type === 'doughnut' && shownCount !== 1) {
    return `<Chart dataset="${dataset}" type="doughnut">: a doughnut shows one series; choose it with series={["…"]}`;
  }
  return undefined;
}
