import type { Locale } from '../../i18n/locales.ts';
import { getTranslator } from '../../i18n/translator.ts';
import type { DatasetInput } from '../charts/dataset-schema.ts';
import { getDisplayWidth } from './display-width.ts';

export interface TableOptions {
  locale: Locale;
  /** Head the columns with ids, the names `npm run data -- add` takes, instead of titles. */
  showIds: boolean;
}

/** Shown for a gap (`null`) in a series. */
const gapMark = '—';

function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - getDisplayWidth(text)));
}

function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - getDisplayWidth(text))) + text;
}

function getXCells(dataset: DatasetInput, options: TableOptions): string[] {
  if (dataset.x.type === 'date') return [...dataset.x.values];
  return dataset.x.values.map((category) => (options.showIds ? category.id : category[options.locale]));
}

/** The dataset as a plain-text table: the x column, then one right-aligned column per series. */
export function formatDatasetTable(dataset: DatasetInput, options: TableOptions): string {
  const xColumn = [options.showIds ? 'x' : getTranslator(options.locale)(`chart.column.${dataset.x.type}`), ...getXCells(dataset, options)];
  const seriesColumns = dataset.series.map((series) => [
    options.showIds ? series.id : series.name[options.locale],
    ...series.values.map((value) => (value === null ? gapMark : String(value))),
  ]);
  const xWidth = Math.max(...xColumn.map(getDisplayWidth));
  const seriesWidths = seriesColumns.map((column) => Math.max(...column.map(getDisplayWidth)));
  const lines = xColumn.map((xCell, row) => {
    const cells = seriesColumns.map((column, index) => padStart(column[row] ?? '', seriesWidths[index] ?? 0));
    return [padEnd(xCell, xWidth), ...cells].join('  ').trimEnd();
  });
  const rule = [xWidth, ...seriesWidths].map((width) => '-'.repeat(width)).join('  ');
  return [lines[0], rule, ...lines.slice(1)].join('\n');
}
