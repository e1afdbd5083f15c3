import type { Locale } from '../../i18n/locales.ts';
import { getTranslator } from '../../i18n/translator.ts';
import { analyzeMdx } from '../authoring/mdx-document.ts';
import { formatDate, formatExactNumber } from '../format.ts';
import type { DatasetRevision } from './dataset-schema.ts';
import { getLongXLabels, getXKeys, type Dataset } from './dataset.ts';

/** The datasets an essay's MDX draws with `<Chart dataset="…">` (literal ids only), each once, in order. */
export function findChartDatasetIds(mdx: string): string[] {
  const ids = analyzeMdx(mdx)
    .jsxElements.filter((element) => element.name === 'Chart')
    .map((element) => element.attributes.get('dataset'))
    .flatMap((attribute) => (attribute?.kind === 'string' ? [attribute.value] : []));
  return [...new Set(ids)];
}

/** The day the data last changed: its latest revision, else the day its source was read (ISO date). */
export function getLastUpdated(dataset: Dataset): string {
  return [dataset.source.retrieved, ...dataset.revisions.map((revision) => revision.date)].sort().at(-1) ?? dataset.source.retrieved;
}

/** What the x axis covers, in words: `2025年1月12日至2025年1月21日`, or `3 categories`. */
export function describeCoverage(dataset: Dataset, locale: Locale): string {
  const t = getTranslator(locale);
  if (dataset.x.type === 'category') return t('data.categories', { count: dataset.x.values.length });
  const labels = getLongXLabels(dataset, locale);
  return t('data.span', { from: labels[0] ?? '', to: labels.at(-1) ?? '' });
}

/** One line of a data page's history, in the page's language. */
export interface RevisionLine {
  date: string;
  dateIso: string;
  text: string;
}

/** A dataset's history for its page, newest first: what was added, and what was replaced (old → new). */
export function describeRevisions(dataset: Dataset, locale: Locale): RevisionLine[] {
  const t = getTranslator(locale);
  const labels = new Map(getXKeys(dataset).map((key, index) => [key, getLongXLabels(dataset, locale)[index] ?? key]));
  const seriesNames = new Map(dataset.series.map((series) => [series.id, series.name[locale]]));
  const show = (value: number | null) => (value === null ? t('chart.noData') : formatExactNumber(value, locale));
  const describeValues = (revision: DatasetRevision) =>
    Object.entries(revision.values)
      .map(([seriesId, value]) => {
        const series = seriesNames.get(seriesId) ?? seriesId;
        return typeof value === 'object' && value !== null
          ? t('data.revision.replacedValue', { series, from: show(value.from), to: show(value.to) })
          : t('chart.seriesValue', { series, value: show(value) });
      })
      .join(t('chart.listSeparator'));
  return dataset.revisions
    .map((revision) => ({
      date: formatDate(new Date(revision.date), locale),
      dateIso: revision.date,
      text: t(revision.change === 'add' ? 'data.revision.added' : 'data.revision.replaced', {
        x: labels.get(revision.x) ?? revision.x,
        values: describeValues(revision),
      }),
    }))
    .reverse();
}

/** A height that fits the embedded figure at a usual column width (title, 16:9 chart, legend, source, link back). */
const embedHeight = 600;

/** The `<iframe>` code a reader pastes into another site to show a chart; `title` names the frame for screen readers. */
export function createEmbedSnippet(url: string, title: string): string {
  const escape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
  return `<iframe src="${escape(url)}" title="${escape(title)}" width="100%" height="${embedHeight}" style="border:0;max-width:100%" loading="lazy"></iframe>`;
}
