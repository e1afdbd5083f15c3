import type { Locale } from '../../i18n/locales.ts';
import { getTranslator } from '../../i18n/translator.ts';
import { formatCompactNumber, formatDate, formatExactNumber } from '../format.ts';
import type { ChartType } from './chart-types.ts';
import {
  getAnnotationsByX,
  getLongXLabels,
  getShortXLabels,
  getXKeys,
  isSeriesIllustrative,
  selectSeries,
  type Dataset,
} from './dataset.ts';

/** What the chart island needs to draw, all text already in the page's language. Travels as JSON in the page. */
export interface ChartPayload {
  type: ChartType;
  locale: Locale;
  /** Tick labels: zh `1月13日`, en `Jan 13`, or category names. */
  labels: string[];
  series: { name: string; values: (number | null)[] }[];
  /** Per series, per point: the tooltip line, `浏览量：3.2万`. */
  tooltipLines: string[][];
  /** Per series, per point: what the live region says when a keyboard user reaches the point, `1月15日：3.2万`. */
  announcements: string[][];
  annotations: { index: number; label: string }[];
}

interface ChartTableRow {
  key: string;
  header: string;
  cells: { value: number | null; text: string }[];
  annotation?: string;
}

/** Everything the server-rendered figure shows, in one language. */
export interface ChartFigureModel {
  title: string;
  description: string;
  unit: string;
  isIllustrative: boolean;
  source: { name: string; url?: string; retrieved: string; retrievedIso: string };
  notes?: string;
  licence?: string;
  /** The canvas's accessible name: title, range, highest value. */
  summary: string;
  legend: { name: string; colorIndex: number }[];
  table: {
    xHeader: string;
    seriesHeaders: string[];
    rows: ChartTableRow[];
    hasAnnotations: boolean;
  };
  /** Where the dataset can be downloaded; absent for data that is not a file under /data/. */
  downloads?: { csv: string; json: string };
  payload: ChartPayload;
}

/** Where a dataset can be downloaded: JSON as authored, CSV with headers in one language. */
function getDatasetDownloadPaths(datasetId: string, locale: Locale): { csv: string; json: string } {
  return { csv: `/data/${datasetId}.${locale}.csv`, json: `/data/${datasetId}.json` };
}

/** The chart type a dataset gets when `<Chart>` names none: lines through time, bars across categories. */
export function getDefaultChartType(dataset: Dataset): ChartType {
  return dataset.x.type === 'date' ? 'line' : 'bar';
}

/** Builds the figure for one chart of a dataset in one language. */
export function buildChartFigure(
  dataset: Dataset,
  options: { locale: Locale; type?: ChartType; seriesIds?: readonly string[]; hasDownloads?: boolean },
): ChartFigureModel {
  const { locale, hasDownloads = true } = options;
  const t = getTranslator(locale);
  const type = options.type ?? getDefaultChartType(dataset);
  const shown = selectSeries(dataset, options.seriesIds);
  const keys = getXKeys(dataset);
  const shortLabels = getShortXLabels(dataset, locale);
  const longLabels = getLongXLabels(dataset, locale);
  const annotations = getAnnotationsByX(dataset, locale);
  const isIllustrative = dataset.illustrative || shown.some((series) => series.illustrative);
  const title = dataset.title[locale];
  const compact = (value: number) => formatCompactNumber(value, locale);

  const tooltipLines = shown.map((series) =>
    series.values.map((value) =>
      t('chart.seriesValue', { series: series.name[locale], value: value === null ? t('chart.noData') : compact(value) }),
    ),
  );
  const announcements = shown.map((series) =>
    series.values.map((value, index) => {
      const point = t('chart.point', { label: shortLabels[index] ?? '', value: value === null ? t('chart.noData') : compact(value) });
      return shown.length > 1 ? t('chart.pointInSeries', { series: series.name[locale], point }) : point;
    }),
  );

  const summaryParts = [
    dataset.x.type === 'date'
      ? t('chart.summaryRange', { title, from: shortLabels[0] ?? '', to: shortLabels.at(-1) ?? '' })
      : t('chart.summaryCount', { title, count: keys.length }),
    ...shown.map((series) => {
      const peak = getPeakIndex(series.values);
      const value = series.values[peak];
      return value === null || value === undefined
        ? ''
        : t('chart.summaryPeak', { series: series.name[locale], at: shortLabels[peak] ?? '', value: compact(value) });
    }),
    isIllustrative ? t('chart.illustrative') : '',
  ].filter(Boolean);

  // A legend even for one series: the title names the dataset, the legend names what is drawn.
  const legend =
    type === 'doughnut'
      ? shortLabels.map((name, colorIndex) => ({ name, colorIndex }))
      : shown.map((series, colorIndex) => ({ name: series.name[locale], colorIndex }));

  return {
    title,
    description: dataset.description[locale],
    unit: dataset.unit[locale],
    isIllustrative,
    source: {
      name: dataset.source.name[locale],
      url: dataset.source.url,
      retrieved: formatDate(new Date(dataset.source.retrieved), locale),
      retrievedIso: dataset.source.retrieved,
    },
    notes: dataset.notes?.[locale],
    licence: dataset.licence?.[locale],
    summary: summaryParts.join(t('chart.listSeparator')),
    legend,
    table: {
      xHeader: t(dataset.x.type === 'date' ? 'chart.column.date' : 'chart.column.category'),
      seriesHeaders: shown.map(
        (series) => series.name[locale] + (isSeriesIllustrative(dataset, series) ? t('chart.illustrativeSuffix') : ''),
      ),
      rows: keys.map((key, index) => ({
        key,
        header: longLabels[index] ?? key,
        cells: shown.map((series) => {
          const value = series.values[index] ?? null;
          return { value, text: value === null ? t('chart.noData') : formatExactNumber(value, locale) };
        }),
        annotation: annotations.get(key),
      })),
      hasAnnotations: annotations.size > 0,
    },
    ...(hasDownloads && { downloads: getDatasetDownloadPaths(dataset.id, locale) }),
    payload: {
      type,
      locale,
      labels: shortLabels,
      series: shown.map((series) => ({ name: series.name[locale], values: series.values })),
      tooltipLines,
      announcements,
      annotations:
        type === 'doughnut'
          ? []
          : dataset.annotations.map((annotation) => ({ index: keys.indexOf(annotation.x), label: annotation.label[locale] })),
    },
  };
}

/** Index of the largest value; the first one on a tie. */
function getPeakIndex(values: readonly (number | null)[]): number {
  let peak = 0;
  values.forEach((value, index) => {
    if (value !== null && ((values[peak] ?? null) === null || value > (values[peak] ?? -Infinity))) peak = index;
  });
  return peak;
}
