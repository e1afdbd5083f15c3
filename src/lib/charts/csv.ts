import type { Locale } from '../../i18n/locales.ts';
import { getTranslator } from '../../i18n/translator.ts';
import { getAnnotationsByX, getXKeys, isSeriesIllustrative, type Dataset } from './dataset.ts';

export type CsvCell = string | number | null;

/** Spreadsheet programs read a UTF-8 file as UTF-8 (and so show Chinese correctly) only when it starts with this mark. */
const byteOrderMark = '\uFEFF';

function formatCell(cell: CsvCell): string {
  if (cell === null) return '';
  const text = String(cell);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 CSV with a byte-order mark and CRLF line ends; null becomes an empty cell. */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return byteOrderMark + rows.map((row) => row.map(formatCell).join(',')).join('\r\n') + '\r\n';
}

/**
 * A dataset as CSV with headers in one language: the x column (ISO dates or category names),
 * one column per series (marked when illustrative), and an annotation column when there are annotations.
 */
export function getDatasetCsv(dataset: Dataset, locale: Locale): string {
  const t = getTranslator(locale);
  const annotations = getAnnotationsByX(dataset, locale);
  const hasAnnotations = annotations.size > 0;
  const header: CsvCell[] = [
    t(dataset.x.type === 'date' ? 'chart.column.date' : 'chart.column.category'),
    ...dataset.series.map((series) => series.name[locale] + (isSeriesIllustrative(dataset, series) ? t('chart.illustrativeSuffix') : '')),
    ...(hasAnnotations ? [t('chart.column.annotation')] : []),
  ];
  const rows = getXKeys(dataset).map((key, index): CsvCell[] => [
    dataset.x.type === 'date' ? key : (dataset.x.values[index]?.[locale] ?? key),
    ...dataset.series.map((series) => series.values[index] ?? null),
    ...(hasAnnotations ? [annotations.get(key) ?? null] : []),
  ]);
  return toCsv([header, ...rows]);
}
